"""The feasibility journey in a real browser: an officer opens a new assessment from the
institution's page, types the worked example (1,000,000 invested in year 0, +300,000 net a year for
5 years, discounted at 7 %), saves it, reads the verdict, NPV and IRR, submits it, and asks for the
PDF appraisal report; a supervisor then reads the same page without the edit and decision buttons.
Screenshots: tests/screenshots/journey-feasibility-NN-*.png."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from coopsupport.thai import format_date
from projects.models import FeasibilityAssessment
from reports.models import Document
from tests.browser.helpers import main_text, shot, sign_in, sign_out, wait_for_charts
from tests.loans.factories import make_institution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INSTITUTION = "สหกรณ์การเกษตรแม่ริม จำกัด"
TITLE = "โครงการโรงสีข้าวชุมชน"
VERDICT = "ผ่านเกณฑ์ มีความเป็นไปได้"


def _fill_the_worked_example(page):
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=horizon_years]", "5")
    page.fill("input[name=discount_rate_pct]", "7")
    # Investment: one machine bought in year 0.
    page.fill("input[name='inv-0-name']", "เครื่องสีข้าวและอาคาร")
    page.fill("input[name='inv-0-year']", "0")
    page.fill("input[name='inv-0-amount']", "1,000,000")
    # Revenue 500,000 and costs 200,000 a year: +300,000 net for each of the 5 years.
    page.fill("input[name='lines-0-name']", "รายได้ค่าสีข้าว")
    page.select_option("select[name='lines-0-kind']", "revenue")
    page.select_option("select[name='lines-0-mode']", "growth")
    page.fill("input[name='lines-0-first_year_amount']", "500,000")
    page.fill("input[name='lines-0-growth_pct']", "0")
    page.fill("input[name='lines-1-name']", "ค่าแรงและค่าไฟฟ้า")
    page.select_option("select[name='lines-1-kind']", "cost")
    page.select_option("select[name='lines-1-mode']", "growth")
    page.fill("input[name='lines-1-first_year_amount']", "200,000")
    page.fill("input[name='lines-1-growth_pct']", "0")


def test_an_officer_appraises_a_project_prints_the_report_and_a_supervisor_reads_it(
    page, live_server, officer, supervisor, geo, screenshot_dir
):
    institution = make_institution(geo.office_a, name=INSTITUTION, district=geo.district_a1, officer=officer)
    today_be = format_date(timezone.localdate(), "short")  # e.g. 26 พ.ย. 2569

    # --- the officer starts from the institution's page, "plans and projects" tab
    sign_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/institutions/{institution.pk}/")
    page.click("#tab-plans-projects")
    page.wait_for_selector("#pane-plans-projects a:has-text('สร้างการประเมิน')")
    page.click("#pane-plans-projects a:has-text('สร้างการประเมิน')")
    page.wait_for_selector("form#assessment-form")
    assert page.locator("main h1").inner_text() == "สร้างการประเมินความเป็นไปได้"
    # The institution comes pre-selected from the page the officer came from.
    assert page.locator("select[name=institution]").input_value() == str(institution.pk)

    _fill_the_worked_example(page)
    # The year grid follows the horizon: years 1-5 shown (filled from year 1 + growth), year 6 hidden.
    page.locator("input[name='lines-0-growth_pct']").dispatch_event("change")
    assert page.locator("input[name='lines-0-y5']").input_value() == "500,000.00"
    assert page.locator("input[name='lines-1-y1']").input_value() == "200,000.00"
    assert page.locator("input[name='lines-0-y5']").is_visible()
    assert not page.locator("input[name='lines-0-y6']").is_visible()
    shot(page, screenshot_dir, "journey-feasibility-01-form.png")

    page.click("main form#assessment-form button[type=submit]:has-text('บันทึกและคำนวณ')")
    page.wait_for_selector(".alert-success")
    assessment = FeasibilityAssessment.objects.get(title=TITLE)
    assert page.url.endswith(f"/assessments/{assessment.pk}/")
    assert "บันทึกและคำนวณผลการประเมินใหม่แล้ว" in page.locator(".alert-success").inner_text()

    # --- the results: the verdict comes first, then NPV 230,059.23 and IRR 15.24 %
    decision = page.locator("#decision")
    decision_text = decision.inner_text()
    assert VERDICT in decision_text
    assert "230,059.23" in decision_text  # the NPV check row, to the satang
    assert "15.24 %" in decision_text  # IRR
    npv_box = decision.locator("div.border:has-text('มูลค่าปัจจุบันสุทธิ (NPV)')")
    assert "230,059" in npv_box.inner_text() and "บาท" in npv_box.inner_text()
    irr_box = decision.locator("div.border:has-text('อัตราผลตอบแทนภายใน (IRR)')")
    assert "15.24 %" in irr_box.inner_text()
    # No funding plan was entered, so the page warns that the year-0 outlay is not covered.
    gap = decision.locator("div.border:has-text('การขาดเงินสด')").inner_text()
    assert "ขาดเงินสดในปีที่ 0" in gap and "1,000,000 บาท" in gap
    # "First": the verdict card sits above the recommendation, the chart and the cash-flow tables.
    decision_top = decision.bounding_box()["y"]
    assert decision_top < page.locator("#cashflow-chart").bounding_box()["y"]
    assert (
        decision_top < page.locator("h2:has-text('ความเห็นและข้อเสนอแนะของเจ้าหน้าที่')").first.bounding_box()["y"]
    )
    # Within the card the verdict is read first: left of the figures (wide screen) or above them.
    verdict_box, figures_box = decision.locator(".display-6").bounding_box(), npv_box.bounding_box()
    assert verdict_box["x"] + verdict_box["width"] <= figures_box["x"] or verdict_box["y"] < figures_box["y"]
    # Computed today, written in the Buddhist Era; status is a draft the officer may edit.
    body = main_text(page)
    assert today_be in body
    assert "ร่าง" in page.locator("main .badge").first.inner_text()
    assert page.locator("main a:has-text('แก้ไขข้อมูล')").is_visible()
    # The cash-flow table: 1,000,000 out in year 0, 300,000 net in each year after it.
    cash = page.locator(".card:has(h2:has-text('กระแสเงินสดของโครงการ (ก่อนจัดหาเงินทุน)')) table").inner_text()
    assert "1,000,000.00" in cash and cash.count("300,000.00") >= 5
    # The chart is drawn by Chart.js, not just an empty canvas.
    wait_for_charts(page, "cashflow-chart")
    labels = page.evaluate("Chart.getChart('cashflow-chart').data.labels")
    assert labels == ["ปีที่ 0", "ปีที่ 1", "ปีที่ 2", "ปีที่ 3", "ปีที่ 4", "ปีที่ 5"]
    shot(page, screenshot_dir, "journey-feasibility-02-results.png")

    # --- submit for a decision (so a writer would now see approve/reject)
    page.click("main form button[type=submit]:has-text('เสนอพิจารณา')")
    page.wait_for_selector(".alert-success:has-text('เสนอการประเมินเพื่อพิจารณาแล้ว')")
    assert "รอพิจารณา" in page.locator("main .badge").first.inner_text()
    assert page.locator("main button:has-text('อนุมัติ')").first.is_visible()  # a writer's decision form

    # --- the PDF appraisal report, rendered by the background task, offered for download
    page.click("main form button[type=submit]:has-text('รายงานการประเมิน (PDF)')")
    page.wait_for_url(re.compile(r"/reports/documents/\d+/$"))
    document = Document.objects.get(kind="projects.appraisal")
    assert document.params == {"assessment_pk": assessment.pk}
    download = page.locator(f"#document-status a[href$='/reports/documents/{document.pk}/download/']")
    download.wait_for(state="visible", timeout=60_000)  # the page polls every 2 s until it is ready
    assert "ดาวน์โหลด" in download.inner_text() and f"appraisal-{assessment.pk}.pdf" in download.inner_text()
    doc_text = main_text(page)
    assert f"รายงานการประเมินความเป็นไปได้: {TITLE}" in doc_text
    assert "พร้อมตั้งแต่" in doc_text and today_be in doc_text
    assert "สำนักงานสหกรณ์จังหวัดเชียงใหม่" in doc_text
    shot(page, screenshot_dir, "journey-feasibility-03-document.png")
    with page.expect_download() as info:
        download.click()
    pdf_path = info.value.path()
    with open(pdf_path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"

    # --- a supervisor reads the same page, without the edit, decision and upload controls
    sign_out(page)
    sign_in(page, live_server, supervisor.username)
    page.goto(f"{live_server.url}/projects/assessments/{assessment.pk}/")
    decision_text = page.locator("#decision").inner_text()
    assert VERDICT in decision_text and "230,059.23" in decision_text and "15.24 %" in decision_text
    assert today_be in main_text(page)
    assert "รอพิจารณา" in main_text(page)
    main = page.locator("main")
    assert main.locator("a:has-text('แก้ไขข้อมูล')").count() == 0
    assert main.locator("button:has-text('อนุมัติ')").count() == 0
    assert main.locator("button:has-text('ไม่อนุมัติ')").count() == 0
    assert main.locator("button:has-text('เสนอพิจารณา')").count() == 0
    assert main.locator("input[type=file]").count() == 0
    assert main.locator("textarea[name=note]").count() == 0
    # Reading and printing stay open to the supervisor.
    assert main.locator("button:has-text('รายงานการประเมิน (PDF)')").is_visible()
    wait_for_charts(page, "cashflow-chart")
    shot(page, screenshot_dir, "journey-feasibility-04-supervisor.png")
