"""Home-page panel counts, the admin registration and the demo data."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from stdnum.th import pin

from cooperatives import demo, panels
from cooperatives.models import Contact, Institution, Person, StatusEvent, YearlyFigure
from tests.cooperatives.factories import InstitutionFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


def _panels(user):
    request = RequestFactory().get("/")
    request.user = user
    with CaptureQueriesContext(connection) as ctx:
        result = panels.home_panels(request, today=TODAY)
    return result, len(ctx.captured_queries)


def test_an_officer_sees_their_own_institutions_and_their_offices_in_one_query(geo, officer, officer2):
    InstitutionFactory(office=geo.office_a, responsible_officer=officer)
    InstitutionFactory(office=geo.office_a, responsible_officer=officer, status="dormant")
    InstitutionFactory(office=geo.office_a, responsible_officer=officer2, kind="farmer_group", type="fg_rice")
    InstitutionFactory(office=geo.office_b)
    (mine, office), queries = _panels(officer)
    assert queries == 1
    assert mine["matrix"]["total"] == 2 and office["matrix"]["total"] == 3
    coop_line = next(line for line in mine["matrix"]["lines"] if line["kind"] == "cooperative")
    assert coop_line["cells"][:2] == [1, 1]  # operating, dormant


def test_a_supervisor_sees_the_office_and_central_staff_see_everything(geo, supervisor, central):
    InstitutionFactory(office=geo.office_a)
    InstitutionFactory(office=geo.office_b)
    (office,), _ = _panels(supervisor)
    (everything,), _ = _panels(central)
    assert office["matrix"]["total"] == 1 and everything["matrix"]["total"] == 2


def test_the_home_page_renders_the_panels(officer_client, inst):
    html = officer_client.get("/").content.decode()
    assert "สถาบันที่ฉันรับผิดชอบ" in html


def test_every_model_is_in_the_admin():
    for model in (Institution, StatusEvent, Contact, Person, YearlyFigure):
        assert admin.site.is_registered(model)


def test_the_admin_pages_open(admin_client_, inst):
    assert admin_client_.get(f"/admin/cooperatives/institution/{inst.pk}/change/").status_code == 200
    assert admin_client_.get(f"/admin/cooperatives/institution/{inst.pk}/history/").status_code == 200


def _seed(geo, officers, seed=7):
    by_office: dict = {}
    demo.seed_demo(
        offices=[geo.office_a, geo.office_b],
        officers_by_office={geo.office_a.pk: officers, geo.office_b.pk: []},
        institutions_by_office=by_office,
        rng=random.Random(seed),
        today=TODAY,
    )
    return by_office


def test_the_demo_creates_about_sixty_institutions_of_every_kind_per_office(geo, officer, officer2):
    by_office = _seed(geo, [officer, officer2])
    assert len(by_office[geo.office_a.pk]) == 60 and len(by_office[geo.office_b.pk]) == 60
    a = Institution.objects.filter(office=geo.office_a)
    assert set(a.values_list("kind", flat=True)) == set(Institution.Kind.values)
    assert set(a.values_list("type", flat=True)) == set(Institution.Type.values)
    assert set(a.values_list("responsible_officer", flat=True)) == {officer.pk, officer2.pk}
    assert a.exclude(status="operating").exists() and a.filter(parent__isnull=False).exists()
    assert all(i.district.province_id == geo.province_a.pk for i in a)
    assert all(pin.is_valid(n) for n in Person.objects.values_list("national_id", flat=True))
    assert all(e.endswith("@example.coop") for e in Contact.objects.values_list("email", flat=True))
    for inst in a.exclude(status="operating"):
        assert inst.status_events.filter(status=inst.status, effective_on=inst.status_since).exists()
    assert YearlyFigure.objects.filter(institution__office=geo.office_a).count() == 180
    boards = [inst.people.filter(kind="board").count() for inst in a]
    assert min(boards) >= 5 and max(boards) <= 15


def test_the_demo_is_idempotent(geo, officer):
    first = _seed(geo, [officer])
    again = _seed(geo, [officer], seed=99)
    assert Institution.objects.count() == 120
    assert [i.pk for i in again[geo.office_a.pk]] == [i.pk for i in first[geo.office_a.pk]]


def _snapshot_after_seed(geo, officer, seed):
    with transaction.atomic():
        _seed(geo, [officer], seed=seed)
        snapshot = (
            sorted(
                Institution.objects.values_list(
                    "name", "registration_number", "status", "subdistrict__name_th"
                )
            ),
            sorted(Person.objects.values_list("name", "national_id")),
        )
        transaction.set_rollback(True)
    return snapshot


def test_the_demo_is_deterministic_for_a_given_random_generator(geo, officer):
    assert _snapshot_after_seed(geo, officer, 7) == _snapshot_after_seed(geo, officer, 7)
    assert _snapshot_after_seed(geo, officer, 7) != _snapshot_after_seed(geo, officer, 8)


def test_panel_totals_leave_out_dissolved_institutions_like_the_key_numbers(geo, supervisor):
    from reports.queries import dashboard_data

    InstitutionFactory(office=geo.office_a)
    InstitutionFactory(office=geo.office_a, status="dormant")
    InstitutionFactory(office=geo.office_a, status="dissolved")
    (office,), _ = _panels(supervisor)
    m = office["matrix"]
    assert m["total"] == 2 and m["dissolved"] == 1  # the dissolved one in its own column
    assert "dissolved" not in [s for s, _label in m["statuses"]]
    key_numbers = dashboard_data(supervisor, office=supervisor.office, fiscal_year_be=2570, today=TODAY)
    assert key_numbers.institutions_total == m["total"]


def test_a_kind_with_only_dissolved_institutions_still_shows_its_line(geo, supervisor):
    InstitutionFactory(office=geo.office_a, status="dissolved")
    (office,), _ = _panels(supervisor)
    (line,) = office["matrix"]["lines"]
    assert line["total"] == 0 and line["dissolved"] == 1
