"""The monthly performance report: numbers, entry, sign-off, the PDF, indicators — and scope."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperatives.models import Institution
from reports import measures, renderers, services
from reports.models import Document, Indicator, IndicatorResult, MonthlySignOff
from reports.queries import monthly_report_data
from tests.reports.factories import IndicatorFactory, IndicatorResultFactory

pytestmark = pytest.mark.django_db

OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)
TODAY = date(2026, 11, 26)
D = Decimal


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def advised(office, officer):
    """24 a year, 2 a month; 1 in October and 3 in November."""
    ind = IndicatorFactory(office=office, code="1", name="สหกรณ์ที่ได้รับการแนะนำด้านการควบคุมภายใน",
                           annual_target=D("24"), monthly_targets=["2"] * 12)  # fmt: skip
    IndicatorResultFactory(indicator=ind, month=OCT, value=D("1"), entered_by=officer)
    IndicatorResultFactory(indicator=ind, month=NOV, value=D("3"), entered_by=officer, note="เร่งรัดตามแผน")
    return ind


@pytest.fixture
def registered(office, geo):
    """Automatic: institutions registered (one in October, two in November)."""
    for day, name in ((date(2026, 10, 5), "ก"), (date(2026, 11, 2), "ข"), (date(2026, 11, 20), "ค")):
        _institution(office, geo, name=f"กลุ่มเกษตรกรทำนา{name}", registered_on=day)
    return IndicatorFactory(office=office, code="2", name="สถาบันเกษตรกรที่จดทะเบียนใหม่", annual_target=D("3"),
                            source=Indicator.Source.AUTO, auto_metric="cooperatives.registered")  # fmt: skip


def _institution(office, geo, **kwargs):
    district = geo.district_a1 if office == geo.office_a else geo.district_b1
    defaults = {"kind": Institution.Kind.FARMER_GROUP, "type": Institution.Type.FG_RICE, "name": "กลุ่ม",
                "province": office.province, "district": district}  # fmt: skip
    return Institution.objects.create(office=office, **{**defaults, **kwargs})


def report_url(month="2569-11", **extra):
    query = "&".join(f"{k}={v}" for k, v in {"month": month, **extra}.items())
    return reverse("reports:monthly_report") + "?" + query


# ---------------------------------------------------------------- numbers


def test_the_report_gives_month_and_cumulative_plan_result_and_achievement(office, advised, registered):
    report = monthly_report_data(office, NOV)
    first, second = report.lines
    assert (first.plan_month, first.result_month, first.pct_month) == (D("2"), D("3"), D("1.5000"))
    assert (first.plan_cumulative, first.result_cumulative, first.pct_cumulative) == (
        D("4"),
        D("4"),
        D("1.0000"),
    )
    assert first.pct_annual == D("0.1667")
    assert first.note == "เร่งรัดตามแผน"
    assert second.is_auto and second.result_month == D("2") and second.result_cumulative == D("3")
    assert second.pct_annual == D("1.0000")
    assert report.fiscal_year_be == 2570 and report.month_index == 2


def test_another_offices_results_never_count(office, other_office, geo, advised, registered):
    _institution(other_office, geo, name="ของขอนแก่น", registered_on=date(2026, 11, 3))
    assert monthly_report_data(office, NOV).lines[1].result_month == D("2")


def test_the_report_costs_the_same_queries_with_many_indicators(office, officer):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            monthly_report_data(office, NOV)
        return len(ctx)

    for _ in range(3):
        IndicatorResultFactory(indicator=IndicatorFactory(office=office), month=NOV, entered_by=officer)
    few = count()
    for _ in range(30):
        IndicatorResultFactory(indicator=IndicatorFactory(office=office), month=NOV, entered_by=officer)
    assert count() == few


# ---------------------------------------------------------------- sign-off


def test_signing_off_freezes_the_automatic_counts(office, supervisor, registered, geo):
    services.sign_off_month(office=office, month=OCT, by=supervisor, today=TODAY)
    _institution(office, geo, name="มาทีหลัง", registered_on=date(2026, 10, 20))
    assert monthly_report_data(office, OCT).lines[0].result_month == D("1")
    assert monthly_report_data(office, NOV).lines[0].result_cumulative == D("3")  # Oct frozen 1 + Nov live 2


def test_signing_twice_keeps_the_first_sign_off(office, supervisor):
    first = services.sign_off_month(office=office, month=OCT, by=supervisor, today=TODAY, note="ครั้งแรก")
    second = services.sign_off_month(office=office, month=OCT, by=supervisor, today=TODAY, note="ครั้งที่สอง")
    assert first.pk == second.pk and MonthlySignOff.objects.count() == 1


def test_only_supervisors_sign_and_not_for_a_future_month(office, officer, supervisor):
    with pytest.raises(PermissionDenied):
        services.sign_off_month(office=office, month=OCT, by=officer, today=TODAY)
    with pytest.raises(ValidationError):
        services.sign_off_month(office=office, month=date(2026, 12, 1), by=supervisor, today=TODAY)


def test_results_of_a_signed_month_cannot_change(office, officer, supervisor, advised):
    services.sign_off_month(office=office, month=OCT, by=supervisor, today=TODAY)
    with pytest.raises(ValidationError):
        services.record_results(
            office=office, month=OCT, entries={advised: (D("9"), "")}, by=officer, today=TODAY
        )
    assert IndicatorResult.objects.get(indicator=advised, month=OCT).value == D("1")


# ---------------------------------------------------------------- report page


def test_the_report_page_shows_the_numbers(officer_client, advised):
    page = officer_client.get(report_url()).content.decode()
    assert advised.name in page
    assert "150.00 %" in page and "16.67 %" in page
    assert reverse("reports:monthly_entry") in page


def test_the_report_page_defaults_to_last_month(officer_client, advised):
    response = officer_client.get(reverse("reports:monthly_report"))
    assert response.status_code == 200
    assert response.context["month"] == OCT


def test_a_nonsense_month_shows_an_error_not_a_500(officer_client, advised):
    response = officer_client.get(report_url(month="2569-13"))
    assert response.status_code == 200
    assert "2569-10" in response.content.decode()


def test_another_provinces_officer_gets_404_for_this_offices_report(other_client, office, advised):
    assert other_client.get(report_url(office=office.pk)).status_code == 404
    assert (
        other_client.post(
            reverse("reports:monthly_report_pdf"), {"month": "2569-11", "office": office.pk}
        ).status_code
        == 404
    )
    assert (
        other_client.get(reverse("reports:monthly_entry") + f"?month=2569-11&office={office.pk}").status_code
        == 404
    )


def test_central_staff_choose_an_office(central_client, office, advised):
    assert "สหกรณ์ที่ได้รับการแนะนำ" not in central_client.get(report_url()).content.decode()
    assert advised.name in central_client.get(report_url(office=office.pk)).content.decode()


@pytest.mark.parametrize(
    ("method", "name"),
    [("get", "reports:monthly_report"), ("get", "reports:monthly_entry"), ("post", "reports:monthly_entry"),
     ("post", "reports:monthly_report_pdf"), ("post", "reports:monthly_signoff"), ("get", "reports:indicator_list"),
     ("get", "reports:indicator_create"), ("get", "reports:dashboard")],
)  # fmt: skip
def test_anonymous_users_are_sent_to_sign_in(client, geo, method, name):
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# ---------------------------------------------------------------- entry


def test_an_officer_enters_the_months_results(officer_client, office, advised):
    response = officer_client.post(
        reverse("reports:monthly_entry"),
        {"month": "2569-11", f"value_{advised.pk}": "๕", f"note_{advised.pk}": "ดี"},
    )
    assert response.status_code == 302
    result = IndicatorResult.objects.get(indicator=advised, month=NOV)
    assert result.value == D("5") and result.note == "ดี"


def test_an_empty_result_clears_it(officer_client, advised):
    officer_client.post(reverse("reports:monthly_entry"), {"month": "2569-11", f"value_{advised.pk}": ""})
    assert not IndicatorResult.objects.filter(indicator=advised, month=NOV).exists()


@pytest.mark.parametrize(
    ("value", "note"),
    [("-5", ""), ("1" + "0" * 20, ""), ("สิบ", ""), ("5", "<script>alert(1)</script>"), ("5", "ก" * 10_000),
     ("NaN", ""), ("1e5x", ""), ("1e400", "")],
)  # fmt: skip
def test_hostile_results_are_refused_and_nothing_is_saved(officer_client, advised, value, note):
    response = officer_client.post(
        reverse("reports:monthly_entry"),
        {"month": "2569-11", f"value_{advised.pk}": value, f"note_{advised.pk}": note},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert IndicatorResult.objects.get(indicator=advised, month=NOV).value == D("3")


def test_a_supervisor_cannot_enter_results(supervisor_client, advised):
    assert supervisor_client.get(reverse("reports:monthly_entry")).status_code == 403
    response = supervisor_client.post(
        reverse("reports:monthly_entry"), {"month": "2569-11", f"value_{advised.pk}": "9"}
    )
    assert response.status_code == 403
    assert IndicatorResult.objects.get(indicator=advised, month=NOV).value == D("3")


def test_results_for_a_month_not_yet_started_are_refused(officer_client, advised):
    response = officer_client.post(
        reverse("reports:monthly_entry"), {"month": "2569-12", f"value_{advised.pk}": "9"}
    )
    assert response.status_code == 200
    assert not IndicatorResult.objects.filter(month=date(2026, 12, 1)).exists()


# ---------------------------------------------------------------- sign-off view


def test_a_supervisor_signs_off_from_the_report_page(supervisor_client, office, supervisor, advised):
    page = supervisor_client.get(report_url()).content.decode()
    assert reverse("reports:monthly_signoff") in page
    response = supervisor_client.post(
        reverse("reports:monthly_signoff"), {"month": "2569-11", "note": "ถูกต้อง"}
    )
    assert response.status_code == 302
    signoff = MonthlySignOff.objects.get(office=office, month=NOV)
    assert signoff.signed_by == supervisor and signoff.note == "ถูกต้อง"


def test_an_officer_cannot_sign_off(officer_client, office):
    assert officer_client.post(reverse("reports:monthly_signoff"), {"month": "2569-11"}).status_code == 403
    assert not MonthlySignOff.objects.exists()


def test_a_hostile_sign_off_note_is_refused(supervisor_client):
    supervisor_client.post(
        reverse("reports:monthly_signoff"), {"month": "2569-11", "note": "<script>x</script>"}
    )
    assert not MonthlySignOff.objects.exists()


# ---------------------------------------------------------------- the PDF


def test_asking_for_the_pdf_queues_a_monthly_document(officer_client, office, officer, advised):
    response = officer_client.post(reverse("reports:monthly_report_pdf"), {"month": "2569-11"})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:document_detail", args=[document.pk]
    )
    assert document.kind == renderers.MONTHLY_REPORT and document.office == office
    assert document.params == {"office_id": office.pk, "month": "2026-11-01", "prepared_by": officer.pk}


def test_a_supervisor_may_print_the_report(supervisor_client, advised):
    assert (
        supervisor_client.post(reverse("reports:monthly_report_pdf"), {"month": "2569-11"}).status_code == 302
    )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_the_pdf_shows_the_same_numbers_as_the_page(
    officer_client, office, officer, supervisor, advised, registered, tmp_path
):
    services.sign_off_month(office=office, month=NOV, by=supervisor, today=TODAY)
    page = officer_client.get(report_url()).content.decode()
    cells = re.findall(r'<td class="num text-end">([^<]*)</td>', page)
    assert len(cells) == 2 * 8 and "150.00 %" in cells

    content, filename = renderers.get(renderers.MONTHLY_REPORT)(
        {"office_id": office.pk, "month": "2026-11-01", "prepared_by": officer.pk}
    )
    assert filename == "รายงานผลการปฏิบัติงาน-50-2569-11.pdf"
    (tmp_path / "r.pdf").write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True
    ).stdout
    text = unicodedata.normalize("NFKC", text)
    marks = [unicodedata.normalize("NFKC", w) for w in ("แนะนำ", "จดทะเบียน")]
    rows = [ln for ln in text.splitlines() if any(m in ln for m in marks)]
    joined = " ".join(" ".join(re.findall(r"[\d,]+\.\d\d %|–|\b[\d,]+(?:\.\d\d)?\b", ln)) for ln in rows)
    assert " ".join(cells[:8]) in joined and " ".join(cells[8:]) in joined
    for words in ("สมชาย ใจดี", "ผู้รายงาน", "ผู้รับรอง", "พฤศจิกายน 2569", "หน้า 1 / 1"):
        assert unicodedata.normalize("NFKC", words) in " ".join(text.split()), words


# ---------------------------------------------------------------- indicators


def indicator_post(**overrides):
    data = {"fiscal_year_be": "2570", "order": "1", "code": "1.1", "name": "จำนวนสหกรณ์ที่จัดทำแผนกลยุทธ์",
            "unit": "แห่ง", "annual_target": "12", "source": "manual", "auto_metric": "", "is_active": "on"}  # fmt: skip
    data.update(overrides)
    return data


def test_an_officer_adds_an_indicator_with_a_monthly_plan(officer_client, office):
    targets = {f"target_{m:%Y_%m}": "1" for m in measures.fiscal_months(2570)}
    response = officer_client.post(reverse("reports:indicator_create"), indicator_post(**targets))
    assert response.status_code == 302, response.context["form"].errors
    indicator = Indicator.objects.get()
    assert indicator.office == office and indicator.monthly_targets == ["1.00"] * 12
    assert indicator.fiscal_year_be == 2570


def test_thai_digits_are_accepted_for_the_year_and_target(officer_client):
    response = officer_client.post(
        reverse("reports:indicator_create"), indicator_post(fiscal_year_be="๒๕๗๐", annual_target="๑,๒๐๐")
    )
    assert response.status_code == 302
    assert Indicator.objects.get().annual_target == D("1200")


@pytest.mark.parametrize(
    "overrides",
    [{"fiscal_year_be": "2026x"}, {"fiscal_year_be": "31/02/2570"}, {"fiscal_year_be": "99999"},
     {"annual_target": "1" + "0" * 20}, {"annual_target": "1e400"}, {"annual_target": "-1"},
     {"annual_target": ""},
     {"name": "<script>alert(1)</script>"}, {"name": "ก" * 10_000}, {"name": ""},
     {"source": "auto", "auto_metric": ""}, {"target_2026_10": "5"}],
)  # fmt: skip
def test_hostile_indicators_are_refused(officer_client, overrides):
    response = officer_client.post(reverse("reports:indicator_create"), indicator_post(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Indicator.objects.exists()


def test_an_indicator_name_already_used_that_year_is_a_form_error_not_a_500(officer_client, office):
    assert officer_client.post(reverse("reports:indicator_create"), indicator_post()).status_code == 302
    response = officer_client.post(reverse("reports:indicator_create"), indicator_post(code="1.2"))
    assert response.status_code == 200
    assert "หน่วยงานนี้มีตัวชี้วัดชื่อนี้" in response.context["form"].errors["name"][0]
    assert Indicator.objects.count() == 1


def test_a_supervisor_cannot_add_or_edit_indicators(supervisor_client, advised):
    assert supervisor_client.get(reverse("reports:indicator_create")).status_code == 403
    assert supervisor_client.post(reverse("reports:indicator_create"), indicator_post()).status_code == 403
    url = reverse("reports:indicator_update", args=[advised.pk])
    assert supervisor_client.post(url, indicator_post(name="เปลี่ยน")).status_code == 403
    advised.refresh_from_db()
    assert advised.name != "เปลี่ยน"


def test_an_officer_edits_an_indicator(officer_client, advised):
    response = officer_client.post(
        reverse("reports:indicator_update", args=[advised.pk]), indicator_post(name="ชื่อใหม่")
    )
    assert response.status_code == 302
    advised.refresh_from_db()
    assert advised.name == "ชื่อใหม่" and advised.monthly_targets == []


def test_another_provinces_officer_gets_404_on_this_offices_indicator(other_client, advised):
    url = reverse("reports:indicator_update", args=[advised.pk])
    assert other_client.get(url).status_code == 404
    assert other_client.post(url, indicator_post(name="x")).status_code == 404


def test_the_indicator_list_is_scoped_and_filtered(officer_client, advised, other_office):
    IndicatorFactory(office=other_office, name="ของขอนแก่น")
    IndicatorFactory(office=advised.office, name="ปีก่อน", fiscal_year_be=2569)
    page = officer_client.get(reverse("reports:indicator_list"), {"fiscal_year_be": "2570"}).content.decode()
    assert advised.name in page and "ของขอนแก่น" not in page and "ปีก่อน" not in page


def test_the_indicator_list_query_count_does_not_grow_with_rows(officer_client, office):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert officer_client.get(reverse("reports:indicator_list")).status_code == 200
        return len(ctx)

    IndicatorFactory.create_batch(20, office=office)
    few = count()
    IndicatorFactory.create_batch(180, office=office)
    assert count() == few


# ---------------------------------------------------------------- demo


def test_the_demo_seeds_fy_2570_indicators_once(geo, officer, supervisor):
    import random

    from reports import demo

    kwargs = {"offices": [geo.office_a], "officers_by_office": {geo.office_a.pk: [officer]},
              "institutions_by_office": {}, "today": TODAY}  # fmt: skip
    demo.seed_demo(rng=random.Random(1), **kwargs)
    count = Indicator.objects.count()
    demo.seed_demo(rng=random.Random(1), **kwargs)
    assert Indicator.objects.count() == count >= 5
    assert set(IndicatorResult.objects.values_list("month", flat=True)) == {OCT, NOV}
    assert MonthlySignOff.objects.filter(office=geo.office_a, month=OCT).exists()
    report = monthly_report_data(geo.office_a, NOV)
    assert all(line.result_cumulative >= 0 for line in report.lines)
