"""Letters, the email, the statement: what a borrower actually receives."""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from decimal import Decimal
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation

from coopsupport.thai import baht_text
from loans.models import Reminder
from reports import renderers
from tests.loans.test_reminders_support import (
    DUE,
    _celery_results_folder,
    contains,
    level_day,
    loan,
    needs_pdftotext,
    pdf_pages,
    pdf_text,
    run,
)

# Fixtures shared with the other reminder test modules (pytest finds them by name here).
FIXTURES = (_celery_results_folder, loan, run)

pytestmark = pytest.mark.django_db

# Set KEEP_LETTERS=/some/dir to keep the rendered PDFs (e.g. to look at them with pdftoppm).
KEEP = os.environ.get("KEEP_LETTERS")


def keep(content: bytes, name: str) -> None:
    if KEEP:
        os.makedirs(KEEP, exist_ok=True)
        with open(os.path.join(KEEP, name), "wb") as fh:
            fh.write(content)


def letter_pdf(reminder: Reminder) -> tuple[bytes, str]:
    return renderers.get("loans.letter")({"reminder_id": reminder.pk})


# ---------------------------------------------------------------- the email


def test_the_email_is_thai_with_the_figures_in_words_the_be_date_and_the_letter_attached(loan, run, officer):
    run(level_day(-30))
    message = mail.outbox[0]

    assert message.subject == f"แจ้งครบกำหนดชำระหนี้ สัญญา {loan.contract_number}"
    assert message.to == ["chair@coop.example", "manager@coop.example"]  # not the contact who opted out
    assert message.cc == [officer.email] and message.reply_to == [officer.email]
    body = message.body
    assert "เรียน ประธานกรรมการดำเนินการสหกรณ์การเกษตรแม่ริม จำกัด" in body
    assert "1 ตุลาคม 2569" in body and "2026" not in body
    assert "225,000.00" in body and baht_text(Decimal("225000.00")) == "สองแสนสองหมื่นห้าพันบาทถ้วน" in body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "สองแสนสองหมื่นห้าพันบาทถ้วน" in html and "1 ตุลาคม 2569" in html
    name, content, kind = message.attachments[0]
    assert kind == "application/pdf" and content.startswith(b"%PDF") and name.endswith(".pdf")
    assert "หนังสือแจ้งเตือน" in name


def test_the_email_survives_encoding_with_its_thai_subject_and_attachment(loan, run):
    run(level_day(-30))
    raw = mail.outbox[0].message().as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert str(parsed["Subject"]).strip().startswith("แจ้งครบกำหนดชำระหนี้")
    attachment = next(parsed.iter_attachments())
    assert attachment.get_payload(decode=True).startswith(b"%PDF")
    assert attachment.get_filename().startswith("หนังสือแจ้งเตือน")


def test_a_demand_email_asks_for_payment_within_15_days(loan, run):
    run(level_day(16))
    body = mail.outbox[0].body
    assert "ภายใน 15 วัน" in body and "เงินเพิ่ม (ค่าปรับ)" in body


# ---------------------------------------------------------------- the letters


@needs_pdftotext
def test_the_notice_letter_is_an_official_thai_letter(loan, run, tmp_path):
    run(level_day(-30))
    reminder = Reminder.objects.get(channel="letter", status="sent")
    content, filename = letter_pdf(reminder)
    keep(content, "notice.pdf")
    text = pdf_text(content, tmp_path)

    assert content.startswith(b"%PDF") and filename.endswith(".pdf")
    for words in (
        f"ที่ {reminder.letter_number}", "สำนักงานสหกรณ์จังหวัดเชียงใหม่", "1 กันยายน 2569",  # letter date (B.E.)
        "เรื่อง", "แจ้งเตือนหนี้ถึงกำหนดชำระ", "เรียน", "ประธานกรรมการดำเนินการสหกรณ์การเกษตรแม่ริม",
        "อ้างถึง", loan.contract_number, "1 ตุลาคม 2568",  # the contract's date
        "1 ตุลาคม 2569", "225,000.00", "สองแสนสองหมื่นห้าพันบาทถ้วน", "ขอแสดงความนับถือ",
        "นางสาวสมศรี รักสหกรณ์", "สหกรณ์จังหวัดเชียงใหม่", "053-112000",
    ):  # fmt: skip
        assert contains(text, words), words
    assert "2026" not in text and pdf_pages(content, tmp_path) == 1


@needs_pdftotext
def test_the_demand_letter_states_the_days_overdue_the_penalty_and_a_deadline(loan, run, tmp_path):
    run(level_day(45))
    reminder = Reminder.objects.get(channel="letter", status="sent")
    content, _name = letter_pdf(reminder)
    keep(content, "demand.pdf")
    text = pdf_text(content, tmp_path)
    total = Decimal(reminder.figures["total"])
    for words in ("ทวงถามหนี้ค้างชำระ", "45 วัน", "739.73", "15 วัน", "15 พฤศจิกายน 2569", baht_text(total)):
        assert contains(text, words), words


def test_the_letter_and_the_email_attachment_say_the_same(loan, run, tmp_path):
    run(level_day(-30))
    email_row = Reminder.objects.get(channel="email", status="sent")
    letter_row = Reminder.objects.get(channel="letter", status="sent")
    assert email_row.letter_number == letter_row.letter_number
    assert email_row.figures["total"] == letter_row.figures["total"]
    if shutil.which("pdftotext"):
        attached = pdf_text(mail.outbox[0].attachments[0][1], tmp_path, "a.pdf")
        printed = pdf_text(letter_pdf(letter_row)[0], tmp_path, "b.pdf")
        assert attached == printed


def test_a_reprinted_letter_keeps_the_figures_it_was_issued_with(loan, run, officer):
    from loans import services

    run(level_day(-30))
    reminder = Reminder.objects.get(channel="letter", status="sent")
    before = reminder.figures
    services.record_payment(loan=loan, amount=Decimal("1000.00"), paid_on=level_day(-29), by=officer,
                            today=level_day(-29))  # fmt: skip
    reminder.refresh_from_db()
    assert reminder.figures == before


def test_the_letter_document_is_rendered_by_the_worker_and_linked_from_the_reminder(loan, run):
    from reports.models import Document

    run(level_day(-60))
    reminder = Reminder.objects.get(channel="letter")
    document = Document.objects.get(pk=reminder.document_id)
    assert document.kind == "loans.letter" and document.status == "done", document.error
    assert document.office_id == loan.borrower.office_id
    assert document.filename.startswith("หนังสือแจ้งเตือน")


def test_letters_are_thai_even_when_the_person_reads_english(loan, run):
    run(level_day(-60))
    reminder = Reminder.objects.get(channel="letter")
    with translation.override("en"):
        html = render_to_string(
            "loans/letters/letter.html", __import__("loans.letters").letters.letter_document_context(reminder)
        )
    assert "Letter: subject" in html  # the template alone follows the active language …
    with translation.override("en"):
        content, _name = letter_pdf(reminder)  # … the renderer always writes Thai
    assert content.startswith(b"%PDF")


# ---------------------------------------------------------------- the statement


@needs_pdftotext
def test_the_borrower_statement_shows_schedule_payments_and_what_is_owed(loan, officer, tmp_path):
    from loans import services

    services.record_payment(loan=loan, amount=Decimal("50000.00"), paid_on=level_day(-100), receipt_number="R-001",
                            by=officer, today=level_day(-100))  # fmt: skip
    as_of = DUE + timedelta(days=45)
    content, filename = renderers.get("loans.statement")({"loan_id": loan.pk, "as_of": as_of.isoformat()})
    keep(content, "statement.pdf")
    text = pdf_text(content, tmp_path)
    state = services.loan_state(loan, as_of)
    assert contains(text, "ใบแจ้งยอดหนี้เงินกู้") and loan.contract_number in text
    assert contains(text, "15 พฤศจิกายน 2569") and "R-001" in text and "50,000.00" in text
    for amount in (
        state.total_due_now,
        state.payoff_amount,
        state.accrued_penalty,
        state.outstanding_principal,
    ):
        assert f"{amount:,.2f}" in text
    assert contains(text, baht_text(state.payoff_amount))
    assert filename.endswith(".pdf") and "2026" not in text


def test_a_fund_text_that_opens_with_the_salutation_is_not_greeted_twice(loan, run):
    loan.fund.reminder_levels.filter(offset_days=-60).update(
        body_template="เรียน ประธานกรรมการ{{ institution.name }}\n\nหนี้งวดที่ {{ installment.number }} ครบกำหนด {{ due_on }}"
    )
    run(level_day(-60))
    body = mail.outbox[0].body
    assert body.count("เรียน") == 1 and "หนี้งวดที่ 1 ครบกำหนด 1 ตุลาคม 2569" in body
