"""The officer's day in a real browser (Playwright + Debian Chromium): sign in, register an
institution, find it with a filter, export the list. Screenshots land in tests/screenshots/."""

from __future__ import annotations

import os

import pytest
from openpyxl import load_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, screenshot_dir, name):
    page.screenshot(path=os.path.join(screenshot_dir, name), full_page=True)


def test_an_officer_registers_an_institution_finds_it_and_exports_the_list(
    page, live_server, officer, screenshot_dir, tmp_path
):
    page.goto(f"{live_server.url}/accounts/login/")
    assert "เข้าสู่ระบบ" in page.content()
    _shot(page, screenshot_dir, "journey-01-login.png")
    page.fill("input[name=username]", "officer_a")
    page.fill("input[name=password]", "pass-1234-word")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    _shot(page, screenshot_dir, "journey-02-home.png")

    page.goto(f"{live_server.url}/institutions/")
    page.click("a:has-text('เพิ่ม')")
    page.wait_for_selector("form select[name=kind]")
    page.select_option("select[name=kind]", "cooperative")
    page.wait_for_function("document.querySelector('select[name=type] option[value=agricultural]') !== null")
    page.select_option("select[name=type]", "agricultural")
    page.fill("input[name=registration_number]", "ชม.123/2569")
    page.fill("input[name=name]", "สหกรณ์การเกษตรทดสอบเบราว์เซอร์ จำกัด")
    page.fill("input[name=registered_on]", "๑/๑๐/๒๕๖๙")
    page.select_option("select[name=district]", label="เมืองเชียงใหม่")
    page.wait_for_function("document.querySelector('select[name=subdistrict] option[value]:not([value=\"\"])') !== null")
    page.select_option("select[name=subdistrict]", label="ศรีภูมิ")
    page.wait_for_load_state("networkidle")  # the htmx postcode fill must land before we save
    _shot(page, screenshot_dir, "journey-03-form.png")
    with page.expect_navigation():
        page.click("main form button[type=submit]:has-text('บันทึก')")
    page.wait_for_selector(".alert-success, .invalid-feedback, .alert-danger")
    assert page.locator(".alert-success").count() == 1, page.locator("main").inner_text()[:2000]
    body = page.content()
    assert "สหกรณ์การเกษตรทดสอบเบราว์เซอร์ จำกัด" in body
    assert "1 ต.ค. 2569" in body  # the B.E. date typed in Thai digits, shown back in B.E.
    _shot(page, screenshot_dir, "journey-04-detail.png")

    page.goto(f"{live_server.url}/institutions/?q=ทดสอบเบราว์เซอร์&kind=cooperative")
    assert page.locator("table tbody tr").count() == 1
    assert "สหกรณ์การเกษตรทดสอบเบราว์เซอร์ จำกัด" in page.locator("table").inner_text()
    _shot(page, screenshot_dir, "journey-05-filtered-list.png")

    with page.expect_download() as download_info:
        page.click("a[href*='export=xlsx']")
    path = tmp_path / "export.xlsx"
    download_info.value.save_as(path)
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 2  # the header and exactly the filtered row
    assert "สหกรณ์การเกษตรทดสอบเบราว์เซอร์ จำกัด" in rows[1]

    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet held upright
    page.goto(f"{live_server.url}/institutions/")
    _shot(page, screenshot_dir, "journey-06-list-tablet.png")
