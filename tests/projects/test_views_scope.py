"""Every projects view: works for the officer, 404 out of scope, 403 for read-only roles, login for anonymous."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# (url name, object the pk comes from or None, "read" | "write")
GET_VIEWS = [
    ("projects:plan_list", None, "read"),
    ("projects:project_list", None, "read"),
    ("projects:assessment_list", None, "read"),
    ("projects:plan_create", None, "write"),
    ("projects:project_create", None, "write"),
    ("projects:assessment_create", None, "write"),
    ("projects:plan_detail", "plan", "read"),
    ("projects:plan_update", "plan", "write"),
    ("projects:plan_strategies", "plan", "write"),
    ("projects:plan_targets", "plan", "write"),
    ("projects:project_detail", "project", "read"),
    ("projects:project_update", "project", "write"),
    ("projects:project_status", "project", "write"),
    ("projects:project_progress", "project", "write"),
    ("projects:project_indicators", "project", "write"),
    ("projects:assessment_detail", "assessment", "read"),
    ("projects:assessment_update", "assessment", "write"),
    ("projects:assessment_grid_template", "assessment", "read"),
    ("projects:assessment_export", "assessment", "read"),
    ("projects:institution_tab", "institution", "read"),
]
POST_VIEWS = [
    ("projects:plan_update", "plan"),
    ("projects:plan_strategies", "plan"),
    ("projects:plan_targets", "plan"),
    ("projects:project_update", "project"),
    ("projects:project_status", "project"),
    ("projects:project_progress", "project"),
    ("projects:project_indicators", "project"),
    ("projects:assessment_update", "assessment"),
    ("projects:assessment_submit", "assessment"),
    ("projects:assessment_approve", "assessment"),
    ("projects:assessment_reject", "assessment"),
    ("projects:assessment_grid_upload", "assessment"),
]
CREATE_POSTS = ["projects:plan_create", "projects:project_create", "projects:assessment_create"]


def _url(world, name, attr):
    return reverse(name, args=[getattr(world, attr).pk]) if attr else reverse(name)


@pytest.mark.parametrize(("name", "attr", "_kind"), GET_VIEWS)
def test_every_page_works_for_the_officer(officer_client, world, name, attr, _kind):
    response = officer_client.get(_url(world, name, attr))
    assert response.status_code == 200, response.content[:500]


@pytest.mark.parametrize(("name", "attr", "kind"), GET_VIEWS)
def test_the_supervisor_reads_but_gets_403_on_write_pages(supervisor_client, world, name, attr, kind):
    response = supervisor_client.get(_url(world, name, attr))
    assert response.status_code == (200 if kind == "read" else 403)


@pytest.mark.parametrize(("name", "attr", "_kind"), [v for v in GET_VIEWS if v[1]])
def test_an_officer_of_another_province_gets_404_on_province_a_records(
    other_client, world, name, attr, _kind
):
    assert other_client.get(_url(world, name, attr)).status_code == 404


@pytest.mark.parametrize(("name", "attr"), [*POST_VIEWS, ("projects:assessment_pdf", "assessment")])
def test_an_officer_of_another_province_cannot_post_to_province_a_records(other_client, world, name, attr):
    assert other_client.post(_url(world, name, attr), {}).status_code == 404


@pytest.mark.parametrize(("name", "attr"), [*POST_VIEWS, *((n, None) for n in CREATE_POSTS)])
def test_a_supervisor_post_is_forbidden(supervisor_client, world, name, attr):
    assert supervisor_client.post(_url(world, name, attr), {}).status_code == 403


def test_central_staff_cannot_approve_either(central_client, world):
    url = reverse("projects:assessment_approve", args=[world.assessment.pk])
    assert central_client.post(url, {}).status_code == 403
    world.assessment.refresh_from_db()
    assert world.assessment.status == "submitted"


@pytest.mark.parametrize(("name", "attr", "_kind"), GET_VIEWS)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, name, attr, _kind):
    response = client.get(_url(world, name, attr))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize(("name", "attr"), [*POST_VIEWS, ("projects:assessment_pdf", "assessment")])
def test_anonymous_posts_are_sent_to_sign_in(client, world, name, attr):
    response = client.post(_url(world, name, attr), {})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_central_staff_see_every_province(central_client, world):
    assert (
        central_client.get(reverse("projects:assessment_detail", args=[world.assessment.pk])).status_code
        == 200
    )


def test_the_officer_sees_only_his_provinces_assessments_in_the_list(other_client, world):
    response = other_client.get(reverse("projects:assessment_list"))
    assert world.assessment.title not in response.content.decode()
