"""Saving a grid costs the same number of queries whatever its size (no query per cell)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import IndicatorTarget, PlanIndicator
from tests.projects.factories import make_institution, make_plan

pytestmark = pytest.mark.django_db


def _save_grid(client, plan, value):
    data = {
        f"{part}_{ind.pk}_{year}": value
        for ind in plan.indicators.all()
        for year in plan.years
        for part in ("target", "actual")
    }
    with CaptureQueriesContext(connection) as ctx:
        assert client.post(reverse("projects:plan_targets", args=[plan.pk]), data).status_code == 302
    return len(ctx.captured_queries)


def test_the_indicator_grid_is_saved_in_the_same_number_of_queries_for_1_or_8_indicators(officer_client, geo):
    small = make_plan(make_institution(geo.office_a))
    big = make_plan(make_institution(geo.office_a, name="สหกรณ์ใหญ่"))
    for i in range(7):
        PlanIndicator.objects.create(plan=big, name=f"ตัวชี้วัด {i}", unit="ราย")
    assert _save_grid(officer_client, small, "10") == _save_grid(officer_client, big, "10")  # all new
    assert _save_grid(officer_client, small, "12") == _save_grid(officer_client, big, "12")  # all changed
    assert IndicatorTarget.objects.filter(indicator__plan=big).count() == 8 * len(big.years)
    assert set(IndicatorTarget.objects.values_list("target", flat=True)) == {12}
