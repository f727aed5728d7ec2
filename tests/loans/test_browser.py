"""Browser journey: an officer opens a contract, previews a payment, confirms it (screenshots saved)."""

from __future__ import annotations

import os
from datetime import date

import pytest
from django.utils import timezone

from tests.loans.factories import make_fund, make_institution, make_loan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-1234-word")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_an_officer_previews_and_confirms_a_payment(page, live_server, officer, geo, screenshot_dir):
    borrower = make_institution(geo.office_a, officer=officer, district=geo.district_a1)
    loan = make_loan(officer, borrower=borrower, fund=make_fund(), today=timezone.localdate(),
                     signed_on=date(2024, 10, 1), disbursed_on=date(2024, 10, 1))  # fmt: skip
    _sign_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/loans/{loan.pk}/")
    assert "1 ต.ค. 2568" in page.content()  # first due date, B.E.
    page.click('[data-bs-target="#tab-schedule"]')
    page.wait_for_selector("#tab-schedule.show table", state="visible")
    page.screenshot(path=os.path.join(screenshot_dir, "loans-contract-schedule.png"), full_page=True)
    page.click("text=บันทึกรับชำระ")
    page.fill("input[name=amount]", "300,000")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "สามแสนบาทถ้วน" in page.content()
    page.screenshot(path=os.path.join(screenshot_dir, "loans-payment-confirm.png"), full_page=True)
    page.click("button[name=confirm]")
    page.wait_for_load_state("networkidle")
    assert "300,000.00" in page.content()
    assert loan.payments.count() == 1
