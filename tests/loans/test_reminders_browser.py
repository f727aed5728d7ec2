"""Browser journey: the reminders page and the outbox as people see them (screenshots saved)."""

from __future__ import annotations

import os

import pytest

from tests.loans.test_reminders_support import _celery_results_folder, level_day, new_loan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Fixtures shared with the other reminder test modules (pytest finds them by name here).
FIXTURES = (_celery_results_folder,)


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-1234-word")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_an_officer_sees_the_day_s_reminders_and_an_admin_reads_the_outbox(
    page, live_server, officer, admin_user, settings, tmp_path, screenshot_dir
):
    from loans import reminders

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    for name in ("สหกรณ์การเกษตรแม่ริม จำกัด", "สหกรณ์การเกษตรสันทราย จำกัด"):
        new_loan(officer, name=name)
    reminders.send_due_reminders(as_of=level_day(-60))

    _sign_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/loans/reminders/")
    content = page.content()
    assert "สหกรณ์การเกษตรแม่ริม จำกัด" in content and "1 ต.ค. 2569" in content
    page.screenshot(path=os.path.join(screenshot_dir, "reminders-list.png"), full_page=True)

    page.context.clear_cookies()
    _sign_in(page, live_server, admin_user.username)
    page.goto(f"{live_server.url}/loans/reminders/outbox/")
    assert "แจ้งครบกำหนดชำระหนี้" in page.content()
    page.screenshot(path=os.path.join(screenshot_dir, "reminders-outbox.png"), full_page=True)
    page.click("table a >> nth=0")
    page.wait_for_load_state("networkidle")
    assert "สองแสนสองหมื่นห้าพันบาทถ้วน" in page.content()
    page.screenshot(path=os.path.join(screenshot_dir, "reminders-outbox-message.png"), full_page=True)
