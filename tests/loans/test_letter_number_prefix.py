"""Letter numbers ("ที่ ชม 0010/1234"): the office's own prefix, else the placeholder; the running
number counts per office and B.E. year either way."""

from __future__ import annotations

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from loans import letters, reminders
from loans.models import Reminder
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

LETTER = Reminder.Channel.LETTER


def set_prefix(office, prefix: str) -> None:
    office.letter_prefix = prefix
    office.save(update_fields=["letter_prefix"])


def letter_html(reminder: Reminder) -> str:
    with translation.override("th"):
        return render_to_string(reminders.LETTER_TEMPLATE, letters.letter_document_context(reminder))


def letters_of(office, year: int) -> list[str]:
    return list(
        Reminder.objects.filter(
            channel=LETTER, letter_year=year, installment__version__loan__borrower__office=office
        )
        .order_by("letter_seq")
        .values_list("letter_number", flat=True)
    )


def test_a_letter_of_an_office_with_a_prefix_is_numbered_prefix_slash_running_number(loan, run, officer):
    set_prefix(officer.office, "ชม 0010")
    run(level_day(-60))
    reminder = Reminder.objects.get(channel=LETTER, status="sent")
    assert reminder.letter_number == "ชม 0010/1" and reminder.letter_seq == 1 and reminder.letter_year == 2569
    assert "ที่ ชม 0010/1" in " ".join(letter_html(reminder).split())


def test_a_letter_of_an_office_without_a_prefix_keeps_the_placeholder_number(loan, run, officer):
    assert officer.office.letter_prefix == ""
    run(level_day(-60))
    reminder = Reminder.objects.get(channel=LETTER, status="sent")
    assert reminder.letter_number == f"กษ {officer.office.code}/1"
    assert f"ที่ กษ {officer.office.code}/1" in " ".join(letter_html(reminder).split())


def test_a_prefix_with_stray_spaces_is_tidied_and_a_blank_one_means_no_prefix(
    run, officer, other_province_officer
):
    set_prefix(officer.office, "  ชม   0010 ")
    set_prefix(other_province_officer.office, "   ")
    new_loan(officer, name="สหกรณ์ ก จำกัด")
    new_loan(other_province_officer, name="สหกรณ์ ข จำกัด")
    run(level_day(-60))
    assert letters_of(officer.office, 2569) == ["ชม 0010/1"]
    assert letters_of(other_province_officer.office, 2569) == [f"กษ {other_province_officer.office.code}/1"]


def test_the_running_number_counts_per_office_and_per_buddhist_year(run, officer, other_province_officer):
    office_a, office_b = officer.office, other_province_officer.office
    set_prefix(office_a, "ชม 0010")
    for name in ("สหกรณ์ ก จำกัด", "สหกรณ์ ข จำกัด"):
        new_loan(officer, name=name)
    new_loan(other_province_officer, name="สหกรณ์ ค จำกัด")
    run(level_day(-60))  # 2 Aug 2026 = 2569
    assert letters_of(office_a, 2569) == ["ชม 0010/1", "ชม 0010/2"]
    assert letters_of(office_b, 2569) == [f"กษ {office_b.code}/1"]

    run(level_day(-30))  # still 2569: the numbers go on
    assert letters_of(office_a, 2569) == [f"ชม 0010/{n}" for n in range(1, 5)]
    assert letters_of(office_b, 2569) == [f"กษ {office_b.code}/{n}" for n in (1, 2)]

    run(date(2027, 8, 2))  # 2570: every office starts again from 1
    new_year_a = letters_of(office_a, 2570)
    new_year_b = letters_of(office_b, 2570)
    assert new_year_a and new_year_b
    assert new_year_a == [f"ชม 0010/{n}" for n in range(1, len(new_year_a) + 1)]
    assert new_year_b == [f"กษ {office_b.code}/{n}" for n in range(1, len(new_year_b) + 1)]


def test_a_number_once_issued_keeps_its_text_when_the_office_changes_its_prefix(
    loan, run, officer, django_capture_on_commit_callbacks
):
    set_prefix(officer.office, "ชม 0010")
    run(level_day(-60))
    email = Reminder.objects.get(channel=Reminder.Channel.EMAIL, status="sent")
    letter = Reminder.objects.get(channel=LETTER, status="sent")
    assert email.letter_number == letter.letter_number == "ชม 0010/1"

    set_prefix(officer.office, "ชม 0020")
    Reminder.objects.filter(pk=email.pk).update(status=Reminder.Status.PENDING)  # e.g. a manual retry
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_reminder(email.pk, as_of=level_day(-59))
    email.refresh_from_db()
    assert email.status == Reminder.Status.SENT and email.letter_number == "ชม 0010/1"

    new_loan(officer, name="สหกรณ์ใหม่ จำกัด")
    run(level_day(-30))  # new letters use the new prefix, the running number goes on
    assert letters_of(officer.office, 2569)[-1].startswith("ชม 0020/")
    assert letters_of(officer.office, 2569)[0] == "ชม 0010/1"
