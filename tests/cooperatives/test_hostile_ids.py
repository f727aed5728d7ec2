"""Ids far beyond a database integer (10^20) are refused like any wrong choice, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cooperatives.models import Institution
from tests.cooperatives.test_forms import good  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
HUGE = "1" + "0" * 20


@pytest.mark.parametrize("field", ["district", "business_lines"])
def test_a_huge_id_in_the_institution_form_is_a_form_error_and_nothing_is_saved(officer_client, good, field):  # noqa: F811
    response = officer_client.post(reverse("cooperatives:institution_create"), {**good, field: HUGE})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Institution.objects.exists()


@pytest.mark.parametrize(
    ("name", "param"), [("subdistrict_options", "district"), ("postcode", "subdistrict")]
)
def test_the_chained_selects_answer_empty_for_a_huge_id(officer_client, geo, name, param):
    response = officer_client.get(reverse(f"cooperatives:{name}"), {param: HUGE})
    assert response.status_code == 200
    assert '<option value="1' not in response.content.decode()
