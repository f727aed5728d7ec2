"""Every view of the register, for every persona: works; out of scope 404; read-only write 403;
anonymous to the login page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cooperatives.models import Institution
from cooperatives.views.imports import SESSION_KEY

pytestmark = pytest.mark.django_db


def _urls(inst) -> dict[str, str]:
    contact = inst.contacts.first()
    person = inst.people.first()
    figure = inst.yearly_figures.first()
    r = reverse
    return {
        "institution_list": r("cooperatives:institution_list"),
        "institution_detail": r("cooperatives:institution_detail", args=[inst.pk]),
        "institution_create": r("cooperatives:institution_create"),
        "institution_update": r("cooperatives:institution_update", args=[inst.pk]),
        "institution_status": r("cooperatives:institution_status", args=[inst.pk]),
        "contact_create": r("cooperatives:contact_create", args=[inst.pk]),
        "contact_update": r("cooperatives:contact_update", args=[contact.pk]),
        "contact_delete": r("cooperatives:contact_delete", args=[contact.pk]),
        "person_create": r("cooperatives:person_create", args=[inst.pk]),
        "person_update": r("cooperatives:person_update", args=[person.pk]),
        "person_delete": r("cooperatives:person_delete", args=[person.pk]),
        "person_reveal": r("cooperatives:person_reveal", args=[person.pk]),
        "figure_create": r("cooperatives:figure_create", args=[inst.pk]),
        "figure_update": r("cooperatives:figure_update", args=[figure.pk]),
        "figure_delete": r("cooperatives:figure_delete", args=[figure.pk]),
        "institution_import": r("cooperatives:institution_import"),
        "institution_import_template": r("cooperatives:institution_import_template"),
        "type_options": r("cooperatives:type_options") + "?kind=cooperative",
        "subdistrict_options": r("cooperatives:subdistrict_options") + f"?district={inst.district_id}",
        "postcode": r("cooperatives:postcode") + f"?subdistrict={inst.subdistrict_id}",
    }


GET_VIEWS = [
    "institution_list", "institution_detail", "institution_create", "institution_update", "institution_status",
    "contact_create", "contact_update", "contact_delete", "person_create", "person_update", "person_delete",
    "figure_create", "figure_update", "figure_delete", "institution_import", "institution_import_template",
    "type_options", "subdistrict_options", "postcode",
]  # fmt: skip
OBJECT_VIEWS = [
    "institution_detail", "institution_update", "institution_status", "contact_create", "contact_update",
    "contact_delete", "person_create", "person_update", "person_delete", "person_reveal", "figure_create",
    "figure_update", "figure_delete",
]  # fmt: skip
WRITE_VIEWS = [
    "institution_create", "institution_update", "institution_status", "contact_create", "contact_update",
    "contact_delete", "person_create", "person_update", "person_delete", "person_reveal", "figure_create",
    "figure_update", "figure_delete", "institution_import",
]  # fmt: skip


@pytest.mark.parametrize("view", GET_VIEWS)
def test_the_officer_can_open_every_page(officer_client, inst, view):
    response = officer_client.get(_urls(inst)[view])
    assert response.status_code == 200, view


@pytest.mark.parametrize("view", OBJECT_VIEWS)
def test_an_officer_of_another_province_gets_404_for_every_record_page(other_client, inst, view):
    url = _urls(inst)[view]
    response = other_client.post(url) if view == "person_reveal" else other_client.get(url)
    assert response.status_code == 404, view


@pytest.mark.parametrize("view", WRITE_VIEWS)
def test_a_supervisor_gets_403_when_posting_to_any_write_view(supervisor_client, inst, view):
    response = supervisor_client.post(_urls(inst)[view], {"name": "x"})
    assert response.status_code == 403, view
    assert inst.contacts.count() == 1 and inst.people.count() == 1 and inst.yearly_figures.count() == 2


@pytest.mark.parametrize("view", [*GET_VIEWS, "person_reveal"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(inst, view):
    url = _urls(inst)[view]
    client = Client()
    response = client.post(url) if view == "person_reveal" else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_supervisor_and_central_staff_can_read_the_list_and_the_detail(
    supervisor_client, central_client, inst
):
    for client in (supervisor_client, central_client):
        assert client.get(reverse("cooperatives:institution_list")).status_code == 200
        response = client.get(inst.get_absolute_url())
        assert response.status_code == 200
        assert reverse("cooperatives:institution_update", args=[inst.pk]).encode() not in response.content


def test_the_import_preview_of_someone_else_is_404(officer_client, other_client, inst):
    session = officer_client.session
    session[SESSION_KEY] = {"token": "abc", "office": inst.office_id, "filename": "x.xlsx", "rows": []}
    session.save()
    url = reverse("cooperatives:institution_import_preview", args=["abc"])
    assert officer_client.get(url).status_code == 200
    assert other_client.get(url).status_code == 404
    assert (
        officer_client.get(reverse("cooperatives:institution_import_preview", args=["wrong"])).status_code
        == 404
    )


def test_the_admin_sees_and_edits_every_office(admin_client_, inst, inst_b):
    assert admin_client_.get(inst_b.get_absolute_url()).status_code == 200
    assert admin_client_.get(reverse("cooperatives:institution_update", args=[inst.pk])).status_code == 200
    assert Institution.objects.count() == 2
