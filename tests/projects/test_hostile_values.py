"""Values no person would type (10^20 ids, 1e400 baht) give a form error, not a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects.models import Project, Strategy

pytestmark = pytest.mark.django_db


def _management(prefix, total=1):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_a_huge_swot_id_ticked_for_a_strategy_is_refused_and_nothing_is_saved(officer_client, world):
    data = {
        **_management("strategies"),
        "strategies-0-text": "ขยายตลาด",
        "strategies-0-answers": "1" + "0" * 20,
    }
    response = officer_client.post(reverse("projects:plan_strategies", args=[world.plan.pk]), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["answers"]
    assert not Strategy.objects.exists()


@pytest.mark.parametrize("budget", ["1e400", "1E30", "9" * 40])
def test_an_absurd_budget_is_refused_in_thai_and_nothing_changes(officer_client, world, budget):
    data = {"institution": world.institution.pk, "name": "โครงการใหม่", "budget": budget}
    response = officer_client.post(reverse("projects:project_update", args=[world.project.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["budget"]
    assert Project.objects.get(pk=world.project.pk).name == world.project.name


def test_a_grid_cell_of_1e300_is_named_as_a_row_error_not_a_server_error(officer_client, world):
    from tests.projects.test_grid_excel import _upload, _xlsx

    a = world.assessment
    before = list(a.lines.values_list("pk", flat=True))
    response = _upload(officer_client, a, _xlsx([("รายได้", "รายรับ", 1e300, 0, 0, 0, 0)]))
    assert response.status_code == 400
    assert "มากเกินไป" in response.content.decode()
    assert list(a.lines.values_list("pk", flat=True)) == before
