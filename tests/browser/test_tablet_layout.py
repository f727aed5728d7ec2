"""Tablet layout (the officer's tablet in the field): held upright (820×1180) and sideways
(1180×820), the institution list, a loan contract and a feasibility assessment fit the screen's
width (tables scroll inside their own boxes, the page never scrolls sideways), and the navbar is
folded into a menu button that opens the menu.
Screenshots: tests/screenshots/journey-tablet-NN-<orientation>-*.png."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from coopsupport.thai import format_date
from tests.browser.helpers import (
    NO_OVERFLOW_JS,
    WIDTHS_JS,
    main_text,
    shot,
    sign_in,
    wait_for_charts,
    widest_elements,
)
from tests.loans.factories import make_fund, make_institution, make_loan
from tests.projects.factories import make_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORIENTATIONS = {
    "portrait": {"width": 820, "height": 1180},
    "landscape": {"width": 1180, "height": 820},
}
BORROWER = "สหกรณ์การเกษตรเพื่อการตลาดลูกค้า ธ.ก.ส. เชียงใหม่ จำกัด"  # a long, real-looking name


@pytest.fixture
def records(geo, officer):
    today = timezone.localdate()
    borrower = make_institution(geo.office_a, name=BORROWER, district=geo.district_a1, officer=officer)
    for name in ("สหกรณ์การเกษตรแม่ริม จำกัด", "สหกรณ์ออมทรัพย์ครูเชียงใหม่ จำกัด",
                 "สหกรณ์ผู้ใช้น้ำบ้านป่าสักงาม จำกัด", "สหกรณ์การเกษตรเชียงดาว จำกัด"):  # fmt: skip
        make_institution(geo.office_a, name=name, district=geo.district_a2, officer=officer)
    loan = make_loan(officer, borrower=borrower, fund=make_fund(), today=today,
                     signed_on=date(2024, 10, 1), disbursed_on=date(2024, 10, 1))  # fmt: skip
    assessment = make_assessment(
        borrower,
        created_by=officer,
        fund_loan_amount=Decimal("800000"),
        fund_loan_rate_pct=Decimal("2.5"),
        fund_loan_years=5,
        own_funds=Decimal("200000"),
    )
    return {"loan": loan, "assessment": assessment}


def _assert_fits(page, what: str) -> None:
    page.wait_for_load_state("networkidle")
    fits = page.evaluate(NO_OVERFLOW_JS)
    assert fits, (
        f"{what}: page scrolls sideways {page.evaluate(WIDTHS_JS)}; sticking out: {widest_elements(page)}"
    )


def _assert_navbar_folds_and_opens(page) -> None:
    toggler = page.locator("nav.navbar .navbar-toggler")
    menu = page.locator("#mainnav")
    assert toggler.is_visible()
    assert not menu.is_visible()
    assert not page.locator("#mainnav a.nav-link:has-text('สหกรณ์และกลุ่ม')").is_visible()
    toggler.click()
    page.wait_for_selector("#mainnav.show", state="visible")
    assert toggler.get_attribute("aria-expanded") == "true"
    for label in ("หน้าแรก", "สหกรณ์และกลุ่ม", "เงินกู้และกองทุน", "วิเคราะห์โครงการ", "รายงาน"):
        assert page.locator(f"#mainnav a.nav-link:has-text('{label}')").is_visible(), label
    # The open menu does not push the page sideways either.
    assert page.evaluate(NO_OVERFLOW_JS), page.evaluate(WIDTHS_JS)


def _close_menu(page) -> None:
    page.locator("nav.navbar .navbar-toggler").click()
    page.wait_for_selector("#mainnav", state="hidden")


@pytest.mark.parametrize("orientation", list(ORIENTATIONS))
def test_the_main_pages_fit_a_tablet_and_the_menu_folds_into_a_button(
    page, live_server, officer, records, orientation, screenshot_dir
):
    n = 1 if orientation == "portrait" else 5
    page.set_viewport_size(ORIENTATIONS[orientation])
    sign_in(page, live_server, officer.username)
    loan, assessment = records["loan"], records["assessment"]

    # --- the institution list, with the navbar menu opened
    page.goto(f"{live_server.url}/institutions/")
    rows = page.locator("table tbody tr")
    assert rows.count() == 5
    assert BORROWER in page.locator("table").inner_text()
    assert "5 รายการ" in main_text(page)
    _assert_fits(page, "institution list")
    _assert_navbar_folds_and_opens(page)
    shot(page, screenshot_dir, f"journey-tablet-{n:02d}-{orientation}-menu-open.png")
    _close_menu(page)
    shot(page, screenshot_dir, f"journey-tablet-{n + 1:02d}-{orientation}-institutions.png")

    # --- a loan contract, terms and the repayment schedule
    page.goto(f"{live_server.url}/loans/{loan.pk}/")
    text = main_text(page)
    assert loan.contract_number in text and BORROWER in text
    assert "1,000,000.00" in text
    assert "1 ต.ค. 2567" in text  # signed 1 Oct 2024, shown in the Buddhist Era
    _assert_fits(page, "loan detail (terms)")
    page.click('[data-bs-target="#tab-schedule"]')
    page.wait_for_selector("#tab-schedule.show table", state="visible")
    schedule = page.locator("#tab-schedule").inner_text()
    assert "1 ต.ค. 2568" in schedule and "200,000.00" in schedule  # first installment
    _assert_fits(page, "loan detail (schedule)")
    _assert_navbar_folds_and_opens(page)
    _close_menu(page)
    shot(page, screenshot_dir, f"journey-tablet-{n + 2:02d}-{orientation}-loan-schedule.png")

    # --- the feasibility assessment, its verdict and its wide tables
    page.goto(f"{live_server.url}/projects/assessments/{assessment.pk}/")
    decision = page.locator("#decision").inner_text()
    assert "ผ่านเกณฑ์ มีความเป็นไปได้" in decision
    assert "230,059.23" in decision and "15.24 %" in decision
    assert format_date(timezone.localdate()) in main_text(page)
    wait_for_charts(page, "cashflow-chart")
    chart_box = page.locator("#cashflow-chart").bounding_box()
    assert chart_box["x"] + chart_box["width"] <= ORIENTATIONS[orientation]["width"]
    _assert_fits(page, "assessment")
    _assert_navbar_folds_and_opens(page)
    _close_menu(page)
    shot(page, screenshot_dir, f"journey-tablet-{n + 3:02d}-{orientation}-assessment.png")
