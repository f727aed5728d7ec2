"""The institution page: tabs, masked national IDs and the logged reveal, history, other apps' tabs."""

from __future__ import annotations

import sys
import types
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperatives import services
from cooperatives.models import Institution, Person, StatusEvent
from coopsupport.models import PersonalDataAccess
from tests.cooperatives.factories import (
    ContactFactory,
    InstitutionFactory,
    PersonFactory,
    YearlyFigureFactory,
)

pytestmark = pytest.mark.django_db


def page(client, inst) -> str:
    response = client.get(inst.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_every_tab_and_the_overview_fields(officer_client, inst):
    html = page(officer_client, inst)
    for slug in ("overview", "contacts", "people", "figures", "status", "history"):
        assert f'id="pane-{slug}"' in html
    assert inst.name in html and "ชม.001/2530" in html
    assert "สหกรณ์การเกษตร" in html and "ภาคการเกษตร" in html
    assert "ศรีภูมิ" in html and "50200" in html
    assert "malee@example.coop" in html
    assert "1,100" in html  # members of the newest year


def test_national_ids_are_masked_on_the_page(officer_client, inst):
    html = page(officer_client, inst)
    assert "1-2345-xxxxx-xx-1" in html
    assert "1234567890121" not in html and "67890" not in html


def test_revealing_a_national_id_logs_who_saw_it_and_shows_it_once(officer_client, officer, inst):
    person = inst.people.get()
    url = reverse("cooperatives:person_reveal", args=[person.pk])
    response = officer_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "1-2345-67890-12-1" in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.object_type, log.object_id, log.field) == (
        officer,
        "cooperatives.person",
        str(person.pk),
        "national_id",
    )
    assert "1234567890121" not in page(officer_client, inst)  # the page itself stays masked


def test_revealing_works_without_htmx_too(officer_client, inst):
    response = officer_client.post(reverse("cooperatives:person_reveal", args=[inst.people.get().pk]))
    assert "1-2345-67890-12-1" in response.content.decode()
    assert PersonalDataAccess.objects.count() == 1


def test_revealing_needs_post_and_logs_nothing_on_get(officer_client, inst):
    response = officer_client.get(reverse("cooperatives:person_reveal", args=[inst.people.get().pk]))
    assert response.status_code == 405
    assert not PersonalDataAccess.objects.exists()


def test_a_supervisor_cannot_reveal_and_nothing_is_logged(supervisor_client, inst):
    response = supervisor_client.post(reverse("cooperatives:person_reveal", args=[inst.people.get().pk]))
    assert response.status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_the_status_tab_lists_status_events_as_a_timeline(officer_client, officer, inst):
    services.change_status(institution=inst, status="dormant", effective_on=date(2026, 1, 5),
                           reference="มติที่ประชุมใหญ่ 1/2569", note="", by=officer)  # fmt: skip
    html = page(officer_client, inst)
    assert "5 มกราคม 2569" in html and "มติที่ประชุมใหญ่ 1/2569" in html and "หยุดดำเนินการ" in html


def test_the_change_history_shows_who_changed_which_field_from_what_to_what(officer_client, officer, inst):
    services.update_institution(
        institution=inst, by=officer, name="สหกรณ์การเกษตรเมืองใหม่ จำกัด", phone="053-111222"
    )
    html = page(officer_client, Institution.objects.get(pk=inst.pk))
    history = html[html.index('id="pane-history"') :]
    assert "สมชาย ใจดี" in history
    assert "สหกรณ์การเกษตรเมืองเชียงใหม่ จำกัด" in history and "สหกรณ์การเกษตรเมืองใหม่ จำกัด" in history
    assert "053-111222" in history


def test_the_change_history_masks_national_ids(officer_client, officer, inst):
    person = inst.people.get()
    person.national_id = "3100600445635"
    services.save_related(person, by=officer)
    history = page(officer_client, inst).split('id="pane-history"')[1]
    assert "3-1006-xxxxx-xx-5" in history and "3100600445635" not in history


def test_groups_attached_to_a_cooperative_are_listed_both_ways(officer_client, geo, inst):
    group = InstitutionFactory(office=geo.office_a, kind="women_group", type="general", registration_number="",
                               name="กลุ่มสตรีสหกรณ์การเกษตรเมืองเชียงใหม่", parent=inst)  # fmt: skip
    assert group.name in page(officer_client, inst)
    assert inst.name in page(officer_client, group)


def _grow(inst, officer, n):
    for i in range(n):
        ContactFactory(institution=inst)
        PersonFactory(institution=inst, kind=Person.Kind.STAFF if i % 2 else Person.Kind.BOARD)
        YearlyFigureFactory(institution=inst, year_be=2400 + len(inst.yearly_figures.all()) + i)
        InstitutionFactory(office=inst.office, kind="occupational_group", type="general", registration_number="",
                           parent=inst)  # fmt: skip
        services.update_institution(institution=inst, by=officer, phone=f"053-{i:06d}")
        services.change_status(institution=inst, status="dormant" if inst.status == "operating" else "operating",
                               effective_on=date(2026, 1, 1), by=officer)  # fmt: skip


def test_the_page_makes_the_same_number_of_queries_however_much_it_shows(officer_client, officer, inst):
    _grow(inst, officer, 3)
    with CaptureQueriesContext(connection) as small:
        page(officer_client, inst)
    _grow(inst, officer, 30)
    with CaptureQueriesContext(connection) as big:
        page(officer_client, inst)
    assert len(big.captured_queries) == len(small.captured_queries)


@pytest.fixture
def loans_tab(monkeypatch):
    module = types.ModuleType("loans.panels")

    def institution_tabs(request, institution):
        return [{"slug": "loans", "label": "สินเชื่อ", "url": f"/loans/fragment/{institution.pk}/"}]

    module.institution_tabs = institution_tabs
    monkeypatch.setitem(sys.modules, "loans.panels", module)
    return module


def test_tabs_from_other_apps_load_their_fragment_with_htmx_when_shown(officer_client, inst, loans_tab):
    html = page(officer_client, inst)
    assert 'id="tab-loans"' in html and "สินเชื่อ" in html
    assert f'hx-get="/loans/fragment/{inst.pk}/"' in html
    assert 'hx-trigger="shown.bs.tab once"' in html
    assert 'id="pane-loans"' in html


def test_the_edit_buttons_are_hidden_from_read_only_roles(supervisor_client, inst):
    html = page(supervisor_client, inst)
    assert reverse("cooperatives:contact_create", args=[inst.pk]) not in html
    assert reverse("cooperatives:person_reveal", args=[inst.people.get().pk]) not in html


def test_the_page_copes_with_a_bare_record(officer_client, geo):
    bare = InstitutionFactory(office=geo.office_a, kind="other", type="general", registration_number="")
    StatusEvent.objects.create(
        institution=bare, status="operating", effective_on=date(2020, 1, 1)
    )  # no recorder
    html = page(officer_client, bare)
    assert "1 มกราคม 2563" in html and "บันทึกโดย –" in html
