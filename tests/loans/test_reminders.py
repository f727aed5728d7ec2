"""Reminders: which are due, exactly once, catch-up, holds, failures, retries, the command."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from loans import reminders, services
from loans.models import Loan, Moratorium, Reminder
from reports.models import Document
from tests.loans.test_reminders_support import (
    DUE,
    _celery_results_folder,
    level_day,
    loan,
    new_loan,
    rows,
    run,
)

# Fixtures shared with the other reminder test modules (pytest finds them by name here).
FIXTURES = (_celery_results_folder, loan, run)

pytestmark = pytest.mark.django_db

EMAIL, LETTER = Reminder.Channel.EMAIL, Reminder.Channel.LETTER


# ---------------------------------------------------------------- what is due


def test_nothing_is_sent_before_the_first_level_is_due(loan, run):
    summary = run(level_day(-61))
    assert summary.planned == [] and not mail.outbox and not Reminder.objects.exists()


def test_the_first_notice_goes_out_by_email_and_letter_60_days_before_the_due_date(loan, run):
    summary = run(level_day(-60))
    assert rows() == [(1, -60, "email", "sent"), (1, -60, "letter", "sent")]
    assert summary.emails_sent == 1 and summary.letters_issued == 1 and summary.failed == 0
    assert len(mail.outbox) == 1


def test_each_level_is_sent_on_its_day_and_nothing_in_between(loan, run):
    run(level_day(-60))
    run(level_day(-45))
    assert len(mail.outbox) == 1
    run(level_day(-30))
    assert len(mail.outbox) == 2
    assert rows(channel=EMAIL) == [(1, -60, "email", "sent"), (1, -30, "email", "sent")]


def test_after_downtime_only_the_latest_due_level_is_sent_and_earlier_ones_are_skipped(loan, run):
    summary = run(level_day(20))  # +15 is the latest level due; -60 … 0 were missed

    assert len(mail.outbox) == 1
    assert rows(channel=EMAIL) == [
        (1, -60, "email", "skipped"),
        (1, -30, "email", "skipped"),
        (1, -15, "email", "skipped"),
        (1, -7, "email", "skipped"),
        (1, 0, "email", "skipped"),
        (1, 15, "email", "sent"),
    ]
    assert summary.skipped == 10  # 5 levels × 2 channels
    skipped = Reminder.objects.filter(status="skipped").first()
    assert "+15" in skipped.error


def test_a_pending_reminder_of_an_earlier_level_is_superseded_when_a_later_level_is_due(loan, run):
    run(level_day(-60))
    reminder = Reminder.objects.get(channel=EMAIL, level__offset_days=-60)
    Reminder.objects.filter(pk=reminder.pk).update(status="failed", next_attempt_at=timezone.now())
    run(level_day(-30))
    reminder.refresh_from_db()
    assert reminder.status == "skipped"
    assert len(mail.outbox) == 2  # the -60 first time, then -30 (not the -60 again)


def test_a_demand_after_the_due_date_counts_penalty_and_days_overdue(loan, run):
    summary = run(level_day(45))  # +30 is due; 45 days late
    assert summary.emails_sent == 1
    reminder = Reminder.objects.get(channel=EMAIL, status="sent")
    assert reminder.level.offset_days == 30 and reminder.level.kind == "demand"
    figures = reminder.figures
    assert figures["installment"]["days_late"] == 45
    assert figures["principal"] == "200000.00"
    assert figures["penalty"] == "739.73"  # DOMAIN.md: 200,000 × 3 % × 45 / 365
    state = services.loan_state(loan, level_day(45))
    assert Decimal(figures["total"]) == state.total_due_now == reminder.amount


def test_a_notice_shows_what_will_be_owed_on_the_due_date(loan, run):
    run(level_day(-30))
    reminder = Reminder.objects.get(channel=EMAIL, status="sent")
    state = services.loan_state(loan, DUE)
    assert reminder.figures["ref_on"] == DUE.isoformat()
    assert reminder.amount == state.total_due_now == Decimal("225000.00")  # 200,000 + 2.5 % for a year


# ---------------------------------------------------------------- exactly once


def test_running_the_job_twice_the_same_day_sends_nothing_more(loan, run):
    run(level_day(-60))
    again = run(level_day(-60))
    assert len(mail.outbox) == 1
    assert again.emails_sent == 0 and again.letters_issued == 0 and again.planned == []
    assert Document.objects.filter(kind="loans.letter").count() == 1


def test_a_reminder_another_run_has_claimed_is_not_sent_again(loan, run):
    run(level_day(-61))
    fund_level = loan.fund.reminder_levels.get(offset_days=-60)
    installment = loan.schedule_versions.get().installment_rows.get(number=1)
    Reminder.objects.create(installment=installment, level=fund_level, channel=EMAIL, status="sending",
                            claimed_at=timezone.now())  # fmt: skip
    run(level_day(-60))
    assert not mail.outbox  # the email row belongs to the other run
    assert Reminder.objects.get(channel=LETTER).status == "sent"


def test_a_reminder_stuck_in_sending_becomes_failed_without_an_automatic_retry(loan, run):
    run(level_day(-61))
    level = loan.fund.reminder_levels.get(offset_days=-60)
    installment = loan.schedule_versions.get().installment_rows.get(number=1)
    stuck = Reminder.objects.create(
        installment=installment, level=level, channel=EMAIL, status="sending",
        claimed_at=timezone.now() - timedelta(hours=2),
    )  # fmt: skip
    run(level_day(-60))
    stuck.refresh_from_db()
    assert stuck.status == "failed" and stuck.next_attempt_at is None
    assert "outbox" in stuck.error or "กล่องจดหมายออก" in stuck.error
    assert not mail.outbox


# ---------------------------------------------------------------- who gets nothing


def pay_installment_one(loan, officer, on: date) -> None:
    interest = services.loan_state(loan, on).accrued_interest
    services.record_payment(
        loan=loan, amount=Decimal("200000.00") + interest, paid_on=on, by=officer, today=on
    )


def test_a_paid_installment_gets_no_reminder(loan, run, officer):
    pay_installment_one(loan, officer, date(2026, 7, 1))
    run(level_day(-30))
    assert not mail.outbox and not Reminder.objects.exists()


def test_a_failed_reminder_of_an_installment_paid_since_is_skipped_not_retried(loan, run, officer):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("smtp down")):
        run(level_day(-60))
    pay_installment_one(loan, officer, level_day(-59))
    run(level_day(-58), now=timezone.now() + timedelta(days=1))
    assert not mail.outbox
    assert Reminder.objects.get(channel=EMAIL).status == "skipped"


def test_a_paused_contract_gets_no_reminder(loan, run):
    Loan.objects.filter(pk=loan.pk).update(is_paused=True)
    assert run(level_day(-60)).planned == []
    assert not mail.outbox and not Reminder.objects.exists()


@pytest.mark.parametrize(
    "status",
    [
        Loan.Status.DEFERRAL,
        Loan.Status.LEGAL_ACTION,
        Loan.Status.JUDGMENT,
        Loan.Status.ENFORCEMENT,
        Loan.Status.CLOSED,
        Loan.Status.WRITTEN_OFF,
    ],
)
def test_a_contract_in_deferral_in_court_closed_or_written_off_gets_no_reminder(loan, run, status):
    Loan.objects.filter(pk=loan.pk).update(status=status)
    run(level_day(-60))
    assert not mail.outbox and not Reminder.objects.exists()


def test_a_contract_under_a_compromise_agreement_still_gets_reminders(loan, run):
    Loan.objects.filter(pk=loan.pk).update(status=Loan.Status.COMPROMISE)
    run(level_day(-60))
    assert len(mail.outbox) == 1


def test_a_province_wide_moratorium_holds_every_reminder_of_the_office(loan, run, geo):
    Moratorium.objects.create(
        office=geo.office_a,
        province=geo.province_a,
        starts_on=level_day(-70),
        ends_on=level_day(10),
        reason="น้ำท่วม",
    )
    summary = run(level_day(-60))
    assert summary.held_by_moratorium == 1
    assert not mail.outbox and not Reminder.objects.exists()


def test_after_a_moratorium_ends_only_the_latest_due_level_is_sent(loan, run, geo):
    Moratorium.objects.create(
        office=geo.office_a,
        province=geo.province_a,
        starts_on=level_day(-70),
        ends_on=level_day(10),
        reason="น้ำท่วม",
    )
    for offset in (-60, -30, 0, 10):
        run(level_day(offset))
    assert not mail.outbox
    run(level_day(11))
    assert len(mail.outbox) == 1
    assert Reminder.objects.get(channel=EMAIL, status="sent").level.offset_days == 0


def test_a_district_moratorium_holds_only_borrowers_in_that_district(officer, run, geo):
    from tests.loans.factories import make_institution

    inside = new_loan(
        officer, borrower=make_institution(geo.office_a, name="สหกรณ์ในอำเภอ จำกัด", district=geo.district_a1)
    )
    outside = new_loan(
        officer, borrower=make_institution(geo.office_a, name="สหกรณ์นอกอำเภอ จำกัด", district=geo.district_a2)
    )
    Moratorium.objects.create(
        office=geo.office_a, province=geo.province_a, district=geo.district_a1,
        starts_on=level_day(-60), ends_on=level_day(-60), reason="ดินโคลนถล่ม",
    )  # fmt: skip
    run(level_day(-60))
    sent = set(Reminder.objects.filter(status="sent").values_list("installment__version__loan_id", flat=True))
    assert sent == {outside.pk} and inside.pk not in sent


def test_a_moratorium_declared_by_another_office_does_not_hold_ours(loan, run, geo):
    Moratorium.objects.create(
        office=geo.office_b,
        province=geo.province_a,
        starts_on=level_day(-61),
        ends_on=level_day(-59),
        reason="x",
    )
    run(level_day(-60))
    assert len(mail.outbox) == 1


# ---------------------------------------------------------------- failures and retries


def test_a_failing_email_is_marked_failed_and_the_batch_goes_on(officer, run):
    first = new_loan(officer, name="สหกรณ์ที่หนึ่ง จำกัด")
    second = new_loan(officer, name="สหกรณ์ที่สอง จำกัด")
    real_send = mail.EmailMessage.send

    def flaky(message, *args, **kwargs):
        if "chair@coop.example" in message.to and first.contract_number in message.subject:
            raise OSError("SMTP connection refused")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", flaky):
        summary = run(level_day(-60))
    failed = Reminder.objects.get(installment__version__loan=first, channel=EMAIL)
    assert failed.status == "failed" and "SMTP connection refused" in failed.error
    assert failed.attempts == 1
    assert timedelta(minutes=14) < failed.next_attempt_at - timezone.now() <= timedelta(minutes=15)
    assert Reminder.objects.get(installment__version__loan=second, channel=EMAIL).status == "sent"
    assert summary.failed == 1 and summary.emails_sent == 1
    assert len(mail.outbox) == 1 and second.contract_number in mail.outbox[0].subject


def test_a_failed_email_is_retried_only_after_its_backoff_and_then_sent_once(loan, run):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("down")):
        run(level_day(-60))
    reminder = Reminder.objects.get(channel=EMAIL)
    run(level_day(-60), now=timezone.now() + timedelta(minutes=5))  # too early
    assert not mail.outbox
    run(level_day(-60), now=timezone.now() + timedelta(minutes=16))
    reminder.refresh_from_db()
    assert reminder.status == "sent" and reminder.attempts == 2 and len(mail.outbox) == 1
    run(level_day(-60), now=timezone.now() + timedelta(hours=5))
    assert len(mail.outbox) == 1


def test_the_backoff_grows_and_after_the_last_attempt_the_reminder_stays_failed(loan, run):
    later = timezone.now()
    gaps = []
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("down")):
        for _attempt in range(reminders.MAX_ATTEMPTS):
            run(level_day(-60), now=later)
            reminder = Reminder.objects.get(channel=EMAIL)
            if reminder.next_attempt_at:
                gaps.append(reminder.next_attempt_at - later)
                later = reminder.next_attempt_at + timedelta(seconds=1)
    assert reminder.status == "failed" and reminder.attempts == reminders.MAX_ATTEMPTS
    assert reminder.next_attempt_at is None
    assert [round(g.total_seconds() / 60) for g in gaps] == [15, 60, 240, 960]
    run(level_day(-60), now=later + timedelta(days=3))
    assert not mail.outbox


def test_a_borrower_without_any_email_address_fails_with_a_clear_reason_and_the_letter_still_goes(
    officer, run
):
    new_loan(officer, with_contacts=False)
    summary = run(level_day(-60))
    email_row = Reminder.objects.get(channel=EMAIL)
    assert email_row.status == "failed"
    assert "NoRecipient" in email_row.error
    assert Reminder.objects.get(channel=LETTER).status == "sent"
    assert summary.letters_issued == 1


def test_the_institution_address_is_used_when_no_contact_takes_reminders(officer, run):
    loan = new_loan(officer, with_contacts=False)
    loan.borrower.email = "office@coop.example"
    loan.borrower.save()
    run(level_day(-60))
    assert mail.outbox[0].to == ["office@coop.example"]


def test_an_error_preparing_one_reminder_is_recorded_and_the_others_still_go(officer, run):
    broken = new_loan(officer, name="สหกรณ์ข้อมูลเสีย จำกัด")
    fine = new_loan(officer, name="สหกรณ์ปกติ จำกัด")
    real = reminders.figures_for

    def figures(loan, *args, **kwargs):
        if loan.pk == broken.pk:
            raise ValueError("the contract's figures do not add up")
        return real(loan, *args, **kwargs)

    with mock.patch.object(reminders, "figures_for", figures):
        summary = run(level_day(-60))
    assert set(
        Reminder.objects.filter(installment__version__loan=broken).values_list("status", flat=True)
    ) == {"failed"}
    assert Reminder.objects.filter(installment__version__loan=fine, status="sent").count() == 2
    assert summary.failed == 2 and len(summary.errors) == 2
    assert Reminder.objects.filter(installment__version__loan=broken).first().next_attempt_at is not None


def test_the_retry_job_sends_failed_reminders_whose_backoff_has_passed(
    loan, django_capture_on_commit_callbacks, run
):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("down")):
        run(level_day(-60))
    with django_capture_on_commit_callbacks(execute=True):
        summary = reminders.retry_failed_reminders(
            as_of=level_day(-60), now=timezone.now() + timedelta(minutes=20)
        )
    assert summary.emails_sent == 1 and len(mail.outbox) == 1


def test_a_person_can_put_a_failed_reminder_back_and_the_worker_sends_it_once(
    loan, run, officer, django_capture_on_commit_callbacks
):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("down")):
        run(level_day(-60))
    reminder = Reminder.objects.get(channel=EMAIL)
    Reminder.objects.filter(pk=reminder.pk).update(attempts=reminders.MAX_ATTEMPTS, next_attempt_at=None)
    with (
        mock.patch("django.utils.timezone.localdate", return_value=level_day(-60)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reminders.retry_reminder(reminder=reminder, by=officer) is True
    reminder.refresh_from_db()
    assert reminder.status == "sent" and len(mail.outbox) == 1
    assert reminders.retry_reminder(reminder=reminder, by=officer) is False


def test_a_supervisor_cannot_retry_a_reminder(loan, run, supervisor):
    from django.core.exceptions import PermissionDenied

    run(level_day(-60))
    with pytest.raises(PermissionDenied):
        reminders.retry_reminder(reminder=Reminder.objects.first(), by=supervisor)


# ---------------------------------------------------------------- letter numbers


def test_letter_numbers_run_per_office_and_the_email_and_letter_of_one_level_share_one(officer, run, geo):
    a1 = new_loan(officer, name="สหกรณ์ ก จำกัด")
    a2 = new_loan(officer, name="สหกรณ์ ข จำกัด")
    run(level_day(-60))
    numbers = {}
    for contract in (a1, a2):
        pair = Reminder.objects.filter(installment__version__loan=contract)
        assert len({r.letter_number for r in pair}) == 1
        numbers[contract.pk] = pair.first().letter_seq
    assert sorted(numbers.values()) == [1, 2]
    run(level_day(-30))
    assert (
        Reminder.objects.filter(level__offset_days=-30)
        .order_by("letter_seq")
        .values_list("letter_seq", flat=True)
        .distinct()
        .count()
        == 2
    )
    assert max(Reminder.objects.values_list("letter_seq", flat=True)) == 4
    first = Reminder.objects.get(installment__version__loan=a1, level__offset_days=-60, channel=LETTER)
    assert first.letter_number == f"กษ {geo.office_a.code}/{first.letter_seq}" and first.letter_year == 2569


def test_the_day_s_letters_print_as_one_pdf(officer, run, django_capture_on_commit_callbacks, tmp_path):
    from tests.loans.test_reminders_support import pdf_pages

    new_loan(officer, name="สหกรณ์ ก จำกัด")
    new_loan(officer, name="สหกรณ์ ข จำกัด")
    run(level_day(-60))
    with django_capture_on_commit_callbacks(execute=True):
        document = reminders.request_letters_day(office=officer.office, day=level_day(-60), user=officer)
    document.refresh_from_db()
    assert document.status == "done", document.error
    with document.file.open("rb") as fh:
        content = fh.read()
    assert content.startswith(b"%PDF")
    assert pdf_pages(content, tmp_path) == 2
    assert reminders.request_letters_day(office=officer.office, day=level_day(-59), user=officer) is None


# ---------------------------------------------------------------- the command and the task


def test_the_command_dry_run_lists_what_would_go_and_sends_nothing(loan):
    out = StringIO()
    call_command("send_due_reminders", "--as-of", "2026-08-02", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "DRY RUN" in text and loan.contract_number in text and "-60" in text
    assert not mail.outbox and not Reminder.objects.exists() and not Document.objects.exists()


def test_the_command_accepts_a_buddhist_era_date_and_prints_a_summary(
    loan, django_capture_on_commit_callbacks
):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_reminders", "--as-of", "2/8/2569", stdout=out)
    text = out.getvalue()
    assert "2 สิงหาคม 2569" in text and "letters issued: 1" in text
    assert len(mail.outbox) == 1  # sent as each claim commits (here: when the test's transaction ends)


def test_the_command_refuses_a_date_that_does_not_exist():
    with pytest.raises(CommandError):
        call_command("send_due_reminders", "--as-of", "31/02/2569")


def test_the_beat_task_runs_the_service_for_today(loan, django_capture_on_commit_callbacks):
    from loans.tasks import send_due_reminders_task

    with (
        mock.patch("django.utils.timezone.localdate", return_value=level_day(-60)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = send_due_reminders_task.apply().get()
    assert result["as_of"] == "2026-08-02" and result["planned"] == 2
    assert len(mail.outbox) == 1


# ---------------------------------------------------------------- two runs at once (PostgreSQL)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_each_reminder_once(officer, settings):
    from django.db import connections

    for name in ("สหกรณ์ ก จำกัด", "สหกรณ์ ข จำกัด", "สหกรณ์ ค จำกัด"):
        new_loan(officer, name=name)
    (settings.VAR_DIR / "celery-results").mkdir(parents=True, exist_ok=True)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(reminders.send_due_reminders(as_of=level_day(-60)))
        except Exception as exc:  # pragma: no cover - surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert len(mail.outbox) == 3
    assert sorted(m.subject for m in mail.outbox) == sorted({m.subject for m in mail.outbox})
    assert sum(r.emails_sent for r in results) == 3 and sum(r.letters_issued for r in results) == 3
    assert Reminder.objects.filter(status="sent").count() == 6
    assert len(set(Reminder.objects.filter(channel=LETTER).values_list("letter_seq", flat=True))) == 3
    assert Document.objects.filter(kind="loans.letter").count() == 3
