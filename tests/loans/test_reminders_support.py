"""Shared data and helpers for the reminder tests (no tests here).

The standard contract: 1,000,000 baht at 2.5 %, penalty 3 %, signed and disbursed 1 Oct 2025,
5 equal annual principal installments of 200,000 from 1 Oct 2026 (DUE), so the levels fall on
−60 → 2 Aug 2026, −30 → 1 Sep, −15 → 16 Sep, −7 → 24 Sep, 0 → 1 Oct, +15 → 16 Oct, +30 → 31 Oct,
+60 → 30 Nov 2026.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import date, timedelta

import pytest

from cooperatives.models import Contact
from loans import reminders
from loans.models import Reminder
from tests.loans.factories import make_fund, make_institution, make_levels, make_loan

DUE = date(2026, 10, 1)
SIGNED = date(2025, 10, 1)


def level_day(offset: int) -> date:
    return DUE + timedelta(days=offset)


def new_loan(officer, *, borrower=None, with_contacts=True, **overrides):
    fund = make_fund()
    make_levels(fund)
    if borrower is None:
        borrower = make_institution(
            officer.office, officer=officer, name=overrides.pop("name", "สหกรณ์การเกษตรแม่ริม จำกัด")
        )
    if with_contacts and not borrower.contacts.exists():
        Contact.objects.create(
            institution=borrower, name="นายประธาน ใจดี", role="ประธานกรรมการ", email="chair@coop.example"
        )
        Contact.objects.create(
            institution=borrower, name="นางผู้จัดการ", role="ผู้จัดการ", email="manager@coop.example"
        )
        Contact.objects.create(
            institution=borrower,
            name="นายไม่รับ",
            role="กรรมการ",
            email="noreminders@coop.example",
            receives_reminders=False,
        )
    kwargs = {
        "signed_on": SIGNED,
        "disbursed_on": SIGNED,
        "first_due_on": DUE,
        "today": SIGNED,
    }
    kwargs.update(overrides)
    return make_loan(officer, borrower=borrower, fund=fund, **kwargs)


@pytest.fixture
def loan(officer):
    officer.email = "somchai@cpd.example.go.th"
    officer.phone = "053-112233"
    officer.save()
    office = officer.office
    office.address = "ศูนย์ราชการจังหวัดเชียงใหม่ ถนนโชตนา ตำบลช้างเผือก อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่ 50300"
    office.phone = "053-112000"
    office.email = "chiangmai@cpd.go.th"
    office.head_name = "นางสาวสมศรี รักสหกรณ์"
    office.head_title = "สหกรณ์จังหวัดเชียงใหม่"
    office.save()
    return new_loan(officer)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the daily job as the worker would: emails go out after each claim commits."""

    def _run(as_of: date, **kwargs) -> reminders.Summary:
        with django_capture_on_commit_callbacks(execute=True):
            summary = reminders.send_due_reminders(as_of=as_of, **kwargs)
        return summary

    return _run


@pytest.fixture(autouse=True)
def _celery_results_folder(settings):
    """Eager tasks still open the embedded result backend (file://var/celery-results)."""
    (settings.VAR_DIR / "celery-results").mkdir(parents=True, exist_ok=True)


def rows(**filters):
    return list(
        Reminder.objects.filter(**filters)
        .order_by("installment__number", "level__offset_days", "channel")
        .values_list("installment__number", "level__offset_days", "channel", "status")
    )


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def pdf_text(content: bytes, tmp_path, name: str = "doc.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
    return unicodedata.normalize("NFKC", out.decode("utf-8"))


def contains(text: str, words: str) -> bool:
    """pdftotext writes SARA AM decomposed (ํา): compare both sides in NFKC."""
    return unicodedata.normalize("NFKC", words) in text


def pdf_pages(content: bytes, tmp_path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
