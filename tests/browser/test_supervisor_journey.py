"""The supervisor's and the central officer's reading day in a real browser: the home page panels,
the dashboard with its charts drawn, the monthly report (read and sign, never enter or add), and a
central officer choosing an office on the dashboard.
Screenshots: tests/screenshots/journey-supervisor-NN-*.png."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from cooperatives.models import Institution
from coopsupport.thai import fiscal_year, format_date, format_money
from loans.models import Loan
from reports.models import Indicator, IndicatorResult
from reports.services import previous_month
from tests.browser.helpers import main_text, shot, sign_in, sign_out, wait_for_charts
from tests.loans.factories import make_fund, make_institution, make_loan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICE_A = "สำนักงานสหกรณ์จังหวัดเชียงใหม่"
OFFICE_B = "สำนักงานสหกรณ์จังหวัดขอนแก่น"
DASHBOARD_CHARTS = ("chart-kind", "chart-status", "chart-area", "chart-aging")


@pytest.fixture
def province(geo, officer, other_province_officer):
    """Province A: four live institutions (one a farmer group, one dormant), one dissolved, three
    loans (two overdue, one not yet due) and a month of indicator results. Province B: one loan."""
    today = timezone.localdate()
    fund = make_fund()
    mae_rim = make_institution(geo.office_a, name="สหกรณ์การเกษตรแม่ริม จำกัด", district=geo.district_a1,
                               officer=officer)  # fmt: skip
    chiang_dao = make_institution(geo.office_a, name="สหกรณ์การเกษตรเชียงดาว จำกัด",
                                  district=geo.district_a2, officer=officer)  # fmt: skip
    san_sai = make_institution(geo.office_a, name="สหกรณ์ผู้ใช้น้ำสันทราย จำกัด", district=geo.district_a1,
                               officer=officer)  # fmt: skip
    group = Institution.objects.create(
        office=geo.office_a, kind=Institution.Kind.FARMER_GROUP, name="กลุ่มเกษตรกรทำนาสันป่าตอง",
        province=geo.province_a, district=geo.district_a2, registered_on=previous_month(today) + timedelta(days=14),
    )  # fmt: skip
    Institution.objects.filter(pk=san_sai.pk).update(status=Institution.Status.DORMANT)
    Institution.objects.create(office=geo.office_a, kind=Institution.Kind.COOPERATIVE, name="สหกรณ์ที่เลิกแล้ว จำกัด",
                               province=geo.province_a, status=Institution.Status.DISSOLVED)  # fmt: skip

    # Overdue for over a year: 1,000,000 signed Oct 2567, installments from 1 Oct 2568 (none paid).
    make_loan(officer, borrower=mae_rim, fund=fund, today=today)
    # Overdue 56 days: 300,000, its first installment fell due 56 days ago (unpaid).
    first_due = today - timedelta(days=56)
    make_loan(officer, borrower=chiang_dao, fund=fund, today=today, approved_amount=Decimal("300000"),
              signed_on=first_due - timedelta(days=365), disbursed_on=first_due - timedelta(days=365),
              first_due_on=first_due)  # fmt: skip
    # Current: 500,000 signed a month ago, first installment in eleven months.
    signed = today - timedelta(days=30)
    make_loan(officer, borrower=group, fund=fund, today=today, approved_amount=Decimal("500000"),
              signed_on=signed, disbursed_on=signed, first_due_on=signed + timedelta(days=365))  # fmt: skip
    khon_kaen = make_institution(geo.office_b, name="สหกรณ์การเกษตรเมืองขอนแก่น จำกัด", district=geo.district_b1,
                                 officer=other_province_officer)  # fmt: skip
    make_loan(
        other_province_officer, borrower=khon_kaen, fund=fund, today=today, approved_amount=Decimal("750000")
    )

    month = previous_month(today)  # the monthly report opens on last month
    report_fy = fiscal_year(month)
    manual = Indicator.objects.create(
        office=geo.office_a, fiscal_year_be=report_fy, order=1, code="1", name="จำนวนสหกรณ์ที่ได้รับการแนะนำส่งเสริม",
        unit="แห่ง", annual_target=Decimal("24"), monthly_targets=["2"] * 12,
    )  # fmt: skip
    Indicator.objects.create(
        office=geo.office_a, fiscal_year_be=report_fy, order=2, code="2", name="จำนวนกลุ่มที่จดทะเบียนใหม่", unit="แห่ง",
        annual_target=Decimal("6"), source=Indicator.Source.AUTO, auto_metric="cooperatives.registered",
    )  # fmt: skip
    IndicatorResult.objects.create(indicator=manual, month=month, value=Decimal("3"), entered_by=officer)
    return {"today": today, "fy": fiscal_year(today), "month": month, "report_fy": report_fy}


def _outstanding(office) -> str:
    total = Loan.objects.filter(borrower__office=office).aggregate(s=Sum("outstanding_principal"))["s"]
    return format_money(total, 0)


def test_a_supervisor_reads_the_home_page_the_dashboard_and_the_monthly_report(
    page, live_server, supervisor, geo, province, screenshot_dir
):
    today, fy = province["today"], province["fy"]
    sign_in(page, live_server, supervisor.username)

    # --- home: the panels of a supervisor (office totals, loans, assessments, documents)
    text = main_text(page)
    assert format_date(today, "long") in text and f"ปีงบประมาณ {fy}" in text  # 26 พฤศจิกายน 2569
    key = page.locator(".card:has(h2:has-text('ตัวเลขสำคัญ'))")
    assert OFFICE_A in key.inner_text()
    assert "1,800,000" in key.inner_text()  # 1,000,000 + 300,000 + 500,000 outstanding
    assert key.locator(".stat-number").first.inner_text() == "4"  # live institutions
    institutions = page.locator(".card:has(h2:has-text('สถาบัน: '))")
    assert institutions.count() == 1 and OFFICE_A in institutions.inner_text()
    assert page.locator("h2:has-text('สถาบันที่ฉันรับผิดชอบ')").count() == 0  # "my institutions" is an officer's
    loans = page.locator(".card:has(h2:has-text('เงินกู้'))")
    assert loans.locator("a:has-text('ค้างชำระ') .stat-number").inner_text() == "2"
    assert page.locator("h2:has-text('การประเมินความเป็นไปได้ที่รอพิจารณา')").count() == 1
    assert page.locator("h2:has-text('เอกสารล่าสุด')").count() == 1
    shot(page, screenshot_dir, "journey-supervisor-01-home.png")

    # --- the dashboard: figures and four drawn charts, no office picker for a supervisor
    page.click("main a:has-text('เปิดแดชบอร์ด')")
    page.wait_for_url(f"{live_server.url}/reports/")
    wait_for_charts(page, *DASHBOARD_CHARTS)
    head = page.locator("main h1 + div").inner_text()
    assert OFFICE_A in head and f"ปีงบประมาณ {fy}" in head and format_date(today) in head
    assert page.locator("[data-stat=institutions]").inner_text() == "4"
    assert page.locator("[data-stat=outstanding]").inner_text() == _outstanding(geo.office_a) == "1,800,000"
    overdue = Loan.objects.filter(borrower__office=geo.office_a).aggregate(s=Sum("overdue_amount"))["s"]
    assert overdue > 0 and page.locator("[data-stat=overdue]").inner_text() == format_money(overdue, 0)
    for canvas in DASHBOARD_CHARTS:
        box = page.locator(f"canvas#{canvas}").bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100, canvas
    kinds = page.evaluate("Chart.getChart('chart-kind').data.labels")
    assert set(kinds) == {"สหกรณ์", "กลุ่มเกษตรกร"}
    assert set(page.evaluate("Chart.getChart('chart-area').data.labels")) == {"เมืองเชียงใหม่", "เชียงดาว"}
    assert page.locator("main select[name=office]").count() == 0
    top = page.locator(".card:has(h2:has-text('ผู้กู้ที่ค้างชำระสูงสุด')) tbody").inner_text()
    assert "สหกรณ์การเกษตรแม่ริม จำกัด" in top and "สหกรณ์การเกษตรเชียงดาว จำกัด" in top
    assert "กลุ่มเกษตรกรทำนาสันป่าตอง" not in top  # not yet due
    assert page.locator("main a:has-text('เพิ่ม')").count() == 0
    shot(page, screenshot_dir, "journey-supervisor-02-dashboard.png")

    # --- the monthly report: last month's figures; print and sign, but no entering results
    page.click("main a:has-text('รายงานประจำเดือน')")
    page.wait_for_selector("table.monthly-report")
    report = main_text(page)
    month = province["month"]
    assert f"{OFFICE_A} · {format_date(month, 'long').split(' ', 1)[1]}" in report  # … · ตุลาคม 2569
    assert f"ปีงบประมาณ {province['report_fy']}" in report
    # Cells: no., indicator, unit, annual plan, month plan, month result, month achievement, ...
    cells = page.locator("table.monthly-report tr:has-text('จำนวนสหกรณ์ที่ได้รับการแนะนำส่งเสริม') td")
    assert cells.all_inner_texts()[2:7] == ["แห่ง", "24", "2", "3", "150.00 %"]  # 3 done of a plan of 2
    auto = page.locator("table.monthly-report tr:has-text('จำนวนกลุ่มที่จดทะเบียนใหม่') td").all_inner_texts()
    assert auto[1].endswith("*") and auto[5] == "1"  # the group registered last month, counted by the system
    assert "ยังไม่รับรอง" in report
    main = page.locator("main")
    assert main.locator("a:has-text('กรอกผล')").count() == 0
    assert main.locator("button:has-text('จัดทำ PDF')").is_visible()
    assert main.locator("button:has-text('รับรอง')").is_visible()  # supervisors sign the month off
    shot(page, screenshot_dir, "journey-supervisor-03-monthly-report.png")

    # --- the institution list reads and exports, but offers no "add" and no Excel import
    page.goto(f"{live_server.url}/institutions/")
    assert "สหกรณ์การเกษตรแม่ริม จำกัด" in page.locator("table").inner_text()
    assert page.locator("main a[href*='export=xlsx']").count() == 1
    assert page.locator("main a[href$='/institutions/add/']").count() == 0
    assert page.locator("main a[href$='/institutions/import/']").count() == 0
    shot(page, screenshot_dir, "journey-supervisor-04-institutions.png")


def test_a_central_officer_picks_an_office_on_the_dashboard(
    page, live_server, central, geo, province, screenshot_dir
):
    fy = province["fy"]
    sign_in(page, live_server, central.username)
    key = page.locator(".card:has(h2:has-text('ตัวเลขสำคัญ'))").inner_text()
    assert "ทุกสำนักงาน" in key and "2,550,000" in key  # A's 1,800,000 + B's 750,000

    page.goto(f"{live_server.url}/reports/")
    wait_for_charts(page, *DASHBOARD_CHARTS)
    assert "ทุกสำนักงาน" in page.locator("main h1 + div").inner_text()
    assert page.locator("h2:has-text('สถาบันจำแนกตามสำนักงาน')").count() == 1
    assert set(page.evaluate("Chart.getChart('chart-area').data.labels")) == {OFFICE_A, OFFICE_B}
    assert page.locator("[data-stat=outstanding]").inner_text() == "2,550,000"
    shot(page, screenshot_dir, "journey-supervisor-05-central-all-offices.png")

    page.select_option("main select[name=office]", label=OFFICE_B)
    page.click("main form button[type=submit]:has-text('แสดง')")
    page.wait_for_url(f"**/reports/?*office={geo.office_b.pk}*")
    wait_for_charts(page, *DASHBOARD_CHARTS)
    head = page.locator("main h1 + div").inner_text()
    assert OFFICE_B in head and f"ปีงบประมาณ {fy}" in head
    assert page.locator("main select[name=office]").input_value() == str(geo.office_b.pk)
    assert page.locator("[data-stat=institutions]").inner_text() == "1"
    assert page.locator("[data-stat=outstanding]").inner_text() == _outstanding(geo.office_b) == "750,000"
    assert page.locator("h2:has-text('สถาบันจำแนกตามอำเภอ')").count() == 1
    assert page.evaluate("Chart.getChart('chart-area').data.labels") == ["เมืองขอนแก่น"]
    top = page.locator(".card:has(h2:has-text('ผู้กู้ที่ค้างชำระสูงสุด')) tbody").inner_text()
    assert "สหกรณ์การเกษตรเมืองขอนแก่น จำกัด" in top and "แม่ริม" not in top
    # The monthly report link keeps the chosen office.
    href = page.locator("main a:has-text('รายงานประจำเดือน')").get_attribute("href")
    assert href.endswith(f"?office={geo.office_b.pk}")
    shot(page, screenshot_dir, "journey-supervisor-06-central-office-b.png")
    sign_out(page)
