"""The generic list page survives whatever ``?page=`` / ``?per_page=`` the address bar carries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.projects.factories import make_institution

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("per_page", ["-5", "0", "10000000"])
def test_an_odd_per_page_shows_a_page_instead_of_a_server_error(officer_client, geo, per_page):
    make_institution(geo.office_a)
    response = officer_client.get(reverse("cooperatives:institution_list"), {"per_page": per_page})
    assert response.status_code == 200
    assert 1 <= response.context["table"].paginator.per_page <= 200


def test_a_page_number_below_one_is_not_found_rather_than_a_server_error(officer_client, geo):
    make_institution(geo.office_a)
    response = officer_client.get(reverse("projects:project_list"), {"page": "-5"})
    assert response.status_code == 404
