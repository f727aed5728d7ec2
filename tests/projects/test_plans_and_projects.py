"""Strategic plans and projects through the pages: SWOT, strategies, targets, status, progress."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import (
    IndicatorTarget,
    ProgressUpdate,
    Project,
    ProjectStatusEvent,
    StrategicPlan,
    Strategy,
)
from tests.projects.factories import make_institution, make_plan, make_project

pytestmark = pytest.mark.django_db


def _empty(prefix):
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}


def _plan_data(inst, **changes):
    data = {
        "institution": inst.pk,
        "title": "แผนกลยุทธ์สหกรณ์",
        "start_year_be": "๒๕๖๙",
        "end_year_be": "2573",
        "vision": "มั่นคง",
        "mission": "บริการสมาชิก",
        "status": "draft",
        **_empty("goals"),
        **_empty("indicators"),
        "swot-TOTAL_FORMS": "2",
        "swot-INITIAL_FORMS": "0",
        "swot-0-kind": "S",
        "swot-0-text": "สมาชิกเหนียวแน่น",
        "swot-0-order": "1",
        "swot-1-kind": "O",
        "swot-1-text": "ตลาดข้าวอินทรีย์โต",
        "swot-1-order": "2",
    }
    data.update(changes)
    return data


def test_an_officer_creates_a_plan_with_its_swot_items(officer_client, geo, officer):
    inst = make_institution(geo.office_a)
    response = officer_client.post(reverse("projects:plan_create"), _plan_data(inst))
    assert response.status_code == 302
    plan = StrategicPlan.objects.get()
    assert (plan.start_year_be, plan.end_year_be, plan.created_by) == (2569, 2573, officer)
    assert sorted(plan.swot_items.values_list("kind", flat=True)) == ["O", "S"]
    page = officer_client.get(plan.get_absolute_url()).content.decode()
    assert "ตลาดข้าวอินทรีย์โต" in page and "โอกาส" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("start_year_be", "2025"),
        ("end_year_be", "2568"),
        ("end_year_be", "2590"),
        ("title", "<b>x</b>"),
        ("vision", "ก" * 10_000),
        ("start_year_be", "10000000000000000000000"),
        ("swot-0-text", "<script>x</script>"),
    ],
)
def test_bad_plan_input_is_a_form_error_and_nothing_is_saved(officer_client, geo, field, value):
    inst = make_institution(geo.office_a)
    response = officer_client.post(reverse("projects:plan_create"), _plan_data(inst, **{field: value}))
    assert response.status_code == 200
    assert not StrategicPlan.objects.exists()


def test_a_plan_cannot_be_made_for_another_provinces_institution(officer_client, geo):
    other = make_institution(geo.office_b, name="สหกรณ์ขอนแก่น")
    officer_client.post(reverse("projects:plan_create"), _plan_data(other))
    assert not StrategicPlan.objects.exists()


def test_strategies_answer_swot_items_of_their_plan(officer_client, geo):
    plan = make_plan(make_institution(geo.office_a))
    s_item = plan.swot_items.get(kind="S")
    data = {
        "strategies-TOTAL_FORMS": "1",
        "strategies-INITIAL_FORMS": "0",
        "strategies-0-text": "ขยายตลาดข้าวอินทรีย์",
        "strategies-0-order": "1",
        "strategies-0-answers": [s_item.pk],
    }
    assert officer_client.post(reverse("projects:plan_strategies", args=[plan.pk]), data).status_code == 302
    assert list(Strategy.objects.get().answers.all()) == [s_item]


def test_a_strategy_cannot_answer_another_plans_swot_item(officer_client, geo):
    inst = make_institution(geo.office_a)
    plan, other = make_plan(inst), make_plan(inst, title="แผนเก่า")
    data = {
        "strategies-TOTAL_FORMS": "1",
        "strategies-INITIAL_FORMS": "0",
        "strategies-0-text": "x",
        "strategies-0-order": "1",
        "strategies-0-answers": [other.swot_items.first().pk],
    }
    assert officer_client.post(reverse("projects:plan_strategies", args=[plan.pk]), data).status_code == 200
    assert not Strategy.objects.exists()


def test_the_indicator_grid_saves_targets_and_actuals_by_year(officer_client, geo):
    plan = make_plan(make_institution(geo.office_a))
    ind = plan.indicators.get()
    data = {f"target_{ind.pk}_2569": "15", f"actual_{ind.pk}_2569": "16.5", f"target_{ind.pk}_2570": "๑๘"}
    assert officer_client.post(reverse("projects:plan_targets", args=[plan.pk]), data).status_code == 302
    rows = {t.year_be: (t.target, t.actual) for t in IndicatorTarget.objects.all()}
    assert rows == {2569: (Decimal("15"), Decimal("16.5")), 2570: (Decimal("18"), None)}
    page = officer_client.get(plan.get_absolute_url()).content.decode()
    assert "16.50" in page


def test_a_bad_number_in_the_indicator_grid_saves_nothing(officer_client, geo):
    plan = make_plan(make_institution(geo.office_a))
    ind = plan.indicators.get()
    data = {f"target_{ind.pk}_2569": "15", f"actual_{ind.pk}_2569": "abc"}
    assert officer_client.post(reverse("projects:plan_targets", args=[plan.pk]), data).status_code == 200
    assert not IndicatorTarget.objects.exists()


def _project_data(inst, **changes):
    data = {
        "institution": inst.pk,
        "plan": "",
        "strategy": "",
        "name": "โครงการโรงสีข้าวชุมชน",
        "objectives": "เพิ่มมูลค่าข้าว",
        "activities": "ก่อสร้างโรงสี",
        "budget": "1,500,000",
        "funding_sources": "เงินกู้กองทุนพัฒนาสหกรณ์",
        "start_on": "1/10/2569",
        "end_on": "30/09/2570",
        "responsible_people": "ผู้จัดการสหกรณ์",
    }
    data.update(changes)
    return data


def test_a_new_project_is_proposed_with_a_dated_event(officer_client, geo):
    inst = make_institution(geo.office_a)
    assert officer_client.post(reverse("projects:project_create"), _project_data(inst)).status_code == 302
    project = Project.objects.get()
    assert project.status == "proposed" and project.start_on == date(2026, 10, 1)
    assert project.budget == Decimal("1500000.00")
    assert project.status_events.get().status == "proposed"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("start_on", "31/02/2569"),
        ("budget", "-1"),
        ("budget", "1e20"),
        ("name", "<script>x</script>"),
        ("end_on", "1/1/2569"),
        ("name", ""),
        ("objectives", "ก" * 10_000),
    ],
)
def test_bad_project_input_is_a_form_error_and_nothing_is_saved(officer_client, geo, field, value):
    inst = make_institution(geo.office_a)
    response = officer_client.post(reverse("projects:project_create"), _project_data(inst, **{field: value}))
    assert response.status_code == 200
    assert not Project.objects.exists()


def test_a_project_may_not_use_another_institutions_plan(officer_client, geo):
    inst = make_institution(geo.office_a)
    plan = make_plan(make_institution(geo.office_a, name="สหกรณ์อื่น"))
    response = officer_client.post(reverse("projects:project_create"), _project_data(inst, plan=plan.pk))
    assert response.status_code == 200
    assert not Project.objects.exists()


def test_the_status_moves_forward_with_dated_events(officer_client, geo):
    project = make_project(make_institution(geo.office_a))
    url = reverse("projects:project_status", args=[project.pk])
    for status, on in (("appraised", "10/01/2569"), ("approved", "1/2/2569"), ("in_progress", "๑/๓/๒๕๖๙")):
        assert officer_client.post(url, {"status": status, "on": on, "note": ""}).status_code == 302
    project.refresh_from_db()
    assert project.status == "in_progress" and project.status_on == date(2026, 3, 1)
    assert list(
        ProjectStatusEvent.objects.filter(project=project).order_by("on").values_list("status", flat=True)
    ) == ["proposed", "appraised", "approved", "in_progress"]


def test_the_status_cannot_go_backwards_or_leave_a_finished_project(officer_client, geo):
    project = make_project(make_institution(geo.office_a), status=Project.Status.COMPLETED)
    url = reverse("projects:project_status", args=[project.pk])
    assert officer_client.post(url, {"status": "in_progress", "on": "1/3/2569"}).status_code == 200
    project.refresh_from_db()
    assert project.status == "completed"


def test_a_status_date_before_the_previous_change_is_refused(officer_client, geo):
    project = make_project(make_institution(geo.office_a))  # proposed on 5 Jan 2026
    response = officer_client.post(
        reverse("projects:project_status", args=[project.pk]), {"status": "cancelled", "on": "1/1/2569"}
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.status == "proposed"


def test_progress_updates_are_recorded_and_shown(officer_client, officer, geo):
    project = make_project(make_institution(geo.office_a), status=Project.Status.IN_PROGRESS)
    url = reverse("projects:project_progress", args=[project.pk])
    assert (
        officer_client.post(url, {"on": "15/3/2569", "percent": "40", "text": "ก่อสร้างฐานรากแล้ว"}).status_code
        == 302
    )
    assert officer_client.post(url, {"on": "15/3/2569", "percent": "140", "text": "x"}).status_code == 200
    update = ProgressUpdate.objects.get()
    assert (update.percent, update.by, update.on) == (40, officer, date(2026, 3, 15))
    assert "ก่อสร้างฐานรากแล้ว" in officer_client.get(project.get_absolute_url()).content.decode()


def test_project_indicators_and_their_periods(officer_client, geo):
    project = make_project(make_institution(geo.office_a))
    url = reverse("projects:project_indicators", args=[project.pk])
    data = {
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-name": "ข้าวสารที่ผลิต",
        "indicators-0-unit": "ตัน",
        "indicators-0-baseline": "0",
        "indicators-0-order": "1",
        "periods-TOTAL_FORMS": "0",
        "periods-INITIAL_FORMS": "0",
    }
    assert officer_client.post(url, data).status_code == 302
    ind = project.indicators.get()
    data = {
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "1",
        "indicators-0-id": ind.pk,
        "indicators-0-project": project.pk,
        "indicators-0-name": ind.name,
        "indicators-0-unit": "ตัน",
        "indicators-0-baseline": "0",
        "indicators-0-order": "1",
        "periods-TOTAL_FORMS": "1",
        "periods-INITIAL_FORMS": "0",
        "periods-0-indicator": ind.pk,
        "periods-0-label": "ไตรมาส 1/2570",
        "periods-0-period_end_on": "31/12/2569",
        "periods-0-target": "100",
        "periods-0-actual": "80",
    }
    assert officer_client.post(url, data).status_code == 302
    period = ind.periods.get()
    assert (period.target, period.actual, period.period_end_on) == (
        Decimal("100"),
        Decimal("80"),
        date(2026, 12, 31),
    )


def test_the_institution_tab_lists_plans_projects_and_assessments(officer_client, world):
    html = officer_client.get(
        reverse("projects:institution_tab", args=[world.institution.pk])
    ).content.decode()
    assert world.plan.title in html and world.project.name in html and world.assessment.title in html
    assert "<html" not in html  # a fragment


def test_the_institution_tabs_entry_points_to_the_fragment(rf, officer, world):
    from projects.panels import institution_tabs

    request = rf.get("/")
    request.user = officer
    (tab,) = institution_tabs(request, world.institution)
    assert tab["slug"] == "plans-projects"
    assert tab["url"] == reverse("projects:institution_tab", args=[world.institution.pk])


def test_the_home_panel_shows_assessments_awaiting_a_decision_and_projects_in_progress(officer_client, world):
    html = officer_client.get(reverse("home")).content.decode()
    assert world.assessment.title in html and world.project.name in html


def test_the_home_panel_shows_nothing_of_another_province(other_client, world):
    html = other_client.get(reverse("home")).content.decode()
    assert world.assessment.title not in html and world.project.name not in html
