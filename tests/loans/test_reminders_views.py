"""Reminder pages through the client, with the personas: list, retry, print the day's letters,
the staff-only outbox, and the fragment for the contract page."""

from __future__ import annotations

import itertools
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from loans.models import Reminder
from reports.models import Document
from tests.loans.test_reminders_support import (
    _celery_results_folder,
    level_day,
    loan,
    new_loan,
    run,
)

# Fixtures shared with the other reminder test modules (pytest finds them by name here).
FIXTURES = (_celery_results_folder, loan, run)

pytestmark = pytest.mark.django_db

LIST = reverse("reminders:reminder_list")
PRINT = reverse("reminders:print_letters")
OUTBOX = reverse("reminders:outbox")


@pytest.fixture
def sent(loan, run):
    """The -60 notice of the standard contract: one email and one letter, sent."""
    run(level_day(-60))
    return Reminder.objects.get(channel="email")


@pytest.fixture
def failed(loan, run):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("SMTP down")):
        run(level_day(-60))
    return Reminder.objects.get(channel="email", status="failed")


def many_reminders(officer, count: int) -> None:
    """``count`` reminder rows straight in the table (the list must not care how they came)."""
    loans = [new_loan(officer, name=f"สหกรณ์ทดสอบ {i} จำกัด") for i in range(count // 80 + 1)]
    combos = itertools.product(
        (i for loan in loans for i in loan.schedule_versions.get().installment_rows.all()),
        loans[0].fund.reminder_levels.all(),
        ("email", "letter"),
    )
    rows = [
        Reminder(installment=inst, level=level, channel=channel, status="sent", recipients="chair@coop.example",
                 letter_number=f"กษ 50/{n}", amount="1000.00", sent_at=timezone.now())
        for n, (inst, level, channel) in zip(range(count), combos, strict=False)
    ]  # fmt: skip
    Reminder.objects.bulk_create(rows)


# ---------------------------------------------------------------- the list


def test_the_officer_sees_the_office_s_reminders_with_be_dates(officer_client, sent, loan):
    response = officer_client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert loan.contract_number in html and "chair@coop.example" in html
    assert "1 ต.ค. 2569" in html  # the installment's due date, B.E.
    assert "-60 วัน (แจ้งเตือน)" in html
    assert "พิมพ์หนังสือของวัน" in html  # the print button for write roles


def test_another_province_s_officer_sees_none_of_them(other_client, sent, loan):
    response = other_client.get(LIST)
    assert response.status_code == 200
    assert loan.contract_number not in response.content.decode()


def test_the_supervisor_reads_the_list_without_write_buttons(supervisor_client, failed, loan):
    html = supervisor_client.get(LIST).content.decode()
    assert loan.contract_number in html
    assert reverse("reminders:reminder_retry", args=[failed.pk]) not in html
    assert reverse("reminders:print_letters") not in html


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_filters_narrow_the_list(officer_client, failed, loan):
    html = officer_client.get(LIST, {"status": "failed"}).content.decode()
    assert html.count("SMTP down") == 1
    assert "ไม่พบ" not in html or loan.contract_number in html
    assert (
        loan.contract_number
        not in officer_client.get(LIST, {"channel": "letter", "status": "failed"}).content.decode()
    )
    assert (
        loan.contract_number
        in officer_client.get(LIST, {"offset": "-60", "kind": "notice", "period": "today"}).content.decode()
    )
    assert loan.contract_number not in officer_client.get(LIST, {"offset": "30"}).content.decode()
    assert loan.contract_number in officer_client.get(LIST, {"q": loan.contract_number[:6]}).content.decode()


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "๒๕๖๙", "x" * 10_000, "10" * 20, "-1"])
def test_hostile_filter_input_never_breaks_the_list(officer_client, sent, hostile):
    for key in ("q", "status", "offset", "period"):
        response = officer_client.get(LIST, {key: hostile})
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.content.decode()


def test_the_export_has_the_filtered_rows_with_be_dates(officer_client, sent, loan):
    response = officer_client.get(LIST, {"export": "csv", "channel": "email"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert loan.contract_number in text and "1 ต.ค. 2569" in text
    assert len([line for line in text.splitlines() if loan.contract_number in line]) == 1


def test_the_list_runs_the_same_number_of_queries_for_20_and_200_reminders(officer_client, officer):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert officer_client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    many_reminders(officer, 20)
    with_20 = queries()
    Reminder.objects.all().delete()
    many_reminders(officer, 200)
    assert Reminder.objects.count() == 200
    assert queries() == with_20


# ---------------------------------------------------------------- retry


def test_the_officer_retries_a_failed_reminder_and_it_is_sent(
    officer_client, failed, django_capture_on_commit_callbacks
):
    url = reverse("reminders:reminder_retry", args=[failed.pk])
    with (
        mock.patch("django.utils.timezone.localdate", return_value=level_day(-60)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = officer_client.post(url, {"next": LIST + "?status=failed"})
    assert response.status_code == 302 and response["Location"] == LIST + "?status=failed"
    failed.refresh_from_db()
    assert failed.status == "sent" and len(mail.outbox) == 1


def test_retry_refuses_an_outside_next_url(officer_client, failed):
    response = officer_client.post(
        reverse("reminders:reminder_retry", args=[failed.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == LIST


def test_retrying_a_reminder_that_did_not_fail_changes_nothing(officer_client, sent):
    response = officer_client.post(reverse("reminders:reminder_retry", args=[sent.pk]), follow=True)
    sent.refresh_from_db()
    assert sent.status == "sent" and response.status_code == 200


def test_retry_of_another_province_s_reminder_is_404(other_client, failed):
    assert other_client.post(reverse("reminders:reminder_retry", args=[failed.pk])).status_code == 404


def test_the_supervisor_cannot_retry(supervisor_client, failed):
    assert supervisor_client.post(reverse("reminders:reminder_retry", args=[failed.pk])).status_code == 403
    failed.refresh_from_db()
    assert failed.status == "failed"


def test_retry_needs_sign_in_and_a_post(client, officer_client, failed):
    url = reverse("reminders:reminder_retry", args=[failed.pk])
    assert client.post(url).status_code == 302
    assert officer_client.get(url).status_code == 405


# ---------------------------------------------------------------- print the day's letters


def test_printing_the_day_s_letters_requests_one_pdf_and_shows_its_progress(
    officer_client, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(PRINT, {"day": "2/8/2569"})
    document = Document.objects.get(kind="loans.letters_day")
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:document_detail", args=[document.pk]
    )
    document.refresh_from_db()
    assert document.status == "done" and document.params == {
        "office_id": sent.installment.version.loan.borrower.office_id,
        "day": "2026-08-02",
    }


def test_printing_a_day_without_letters_says_so_and_makes_nothing(officer_client, sent):
    response = officer_client.post(PRINT, {"day": "3/8/2569"}, follow=True)
    assert "ไม่มีหนังสือที่ออกในวันที่ 3 สิงหาคม 2569" in response.content.decode()
    assert not Document.objects.filter(kind="loans.letters_day").exists()


@pytest.mark.parametrize("day", ["31/02/2569", "<script>", "10" * 20, "-5", "x" * 10_000])
def test_printing_rejects_a_bad_day_with_a_message(officer_client, sent, day):
    response = officer_client.post(PRINT, {"day": day}, follow=True)
    assert response.status_code == 200
    assert not Document.objects.filter(kind="loans.letters_day").exists()
    assert "alert-danger" in response.content.decode()


def test_central_staff_must_choose_the_office_to_print(
    central, sent, geo, django_capture_on_commit_callbacks
):
    from django.test import Client

    central.role = "admin"  # central staff read only; an administrator of the centre prints
    central.save()
    c = Client()
    c.force_login(central)
    c.post(PRINT, {"day": "2/8/2569"})
    assert not Document.objects.filter(kind="loans.letters_day").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(PRINT, {"day": "2/8/2569", "office": geo.office_a.pk})
    assert response.status_code == 302 and Document.objects.filter(kind="loans.letters_day").count() == 1


def test_the_supervisor_cannot_print_letters(supervisor_client, sent):
    assert supervisor_client.post(PRINT, {"day": "2/8/2569"}).status_code == 403


def test_printing_letters_needs_sign_in(client):
    assert client.post(PRINT).status_code == 302


# ---------------------------------------------------------------- the outbox


@pytest.fixture
def file_mail(settings, tmp_path, loan, run):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    run(level_day(-60))
    run(level_day(-30))
    return settings.EMAIL_FILE_PATH


def test_an_administrator_reads_the_emails_the_demo_wrote_instead_of_sending(admin_client_, file_mail, loan):
    response = admin_client_.get(OUTBOX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(f"แจ้งครบกำหนดชำระหนี้ สัญญา {loan.contract_number}") == 2
    assert "chair@coop.example" in html


def test_an_administrator_opens_one_email_its_html_sandboxed_and_its_pdf(admin_client_, file_mail, loan):
    name = sorted(p.name for p in file_mail.glob("*.log"))[0]
    response = admin_client_.get(reverse("reminders:outbox_message", args=[name, 0]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "สองแสนสองหมื่นห้าพันบาทถ้วน" in html  # the plain-text body
    assert '<iframe sandbox="" srcdoc="&lt;!doctype html&gt;' in html  # the HTML body, escaped and inert
    assert ".pdf" in html
    pdf = admin_client_.get(reverse("reminders:outbox_attachment", args=[name, 0, 0]))
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )


def test_the_outbox_refuses_names_outside_its_folder(admin_client_, file_mail):
    for name in ("..%2F..%2Fetc%2Fpasswd", "nope.log", "x.txt"):
        assert admin_client_.get(f"{OUTBOX}{name}/0/").status_code == 404
    name = next(file_mail.glob("*.log")).name
    assert admin_client_.get(reverse("reminders:outbox_message", args=[name, 99])).status_code == 404


def test_the_outbox_is_for_staff_only(officer_client, supervisor_client, client, file_mail):
    assert officer_client.get(OUTBOX).status_code == 403
    assert supervisor_client.get(OUTBOX).status_code == 403
    assert client.get(OUTBOX).status_code == 302


def test_with_smtp_the_outbox_says_there_is_nothing_to_show(admin_client_, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    html = admin_client_.get(OUTBOX).content.decode()
    assert "SMTP" in html


# ---------------------------------------------------------------- the contract-page fragment


def test_the_contract_page_fragment_lists_when_to_whom_level_channel_and_result(failed, loan, run):
    run(level_day(-30), now=timezone.now() - timedelta(days=1))
    reminders = Reminder.objects.filter(installment__version__loan=loan).select_related(
        "level", "installment"
    )
    html = render_to_string("loans/reminders/_loan_reminders.html", {"reminders": reminders})
    assert "chair@coop.example" in html and "ข้ามไป" in html  # the -60 failed, then superseded by -30
    assert "-30 วัน" in html and "อีเมล" in html and "หนังสือ" in html
    assert (
        render_to_string("loans/reminders/_loan_reminders.html", {"reminders": []}).strip().endswith("</p>")
    )
