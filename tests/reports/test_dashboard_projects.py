"""The dashboard's projects and feasibility section: numbers, office scope, query counts."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.models import FeasibilityAssessment, Project
from tests.projects.factories import make_institution

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)  # fiscal year 2570
D = Decimal
S, V = FeasibilityAssessment.Status, FeasibilityAssessment.Verdict
_numbers = itertools.count(1)
HUNDRED_THOUSAND = D("100000.00")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def projects(institution, n, status, budget=HUNDRED_THOUSAND):
    return Project.objects.bulk_create(
        Project(institution=institution, name=f"โครงการ {next(_numbers)}", status=status, budget=budget)
        for _ in range(n)
    )


def assessment(institution, status, verdict="", npv=None, created=date(2026, 11, 20)):
    """Dated explicitly (not by the clock), so the fiscal year is the test's, not today's."""
    a = FeasibilityAssessment.objects.create(
        institution=institution, title=f"ประเมิน {next(_numbers)}", status=status, verdict=verdict, npv=npv
    )
    at = timezone.make_aware(datetime(created.year, created.month, created.day, 10))
    FeasibilityAssessment.objects.filter(pk=a.pk).update(created_at=at, updated_at=at)
    return a


@pytest.fixture
def portfolio(geo):
    """Office A: 7 projects (2 in progress), 6 assessments; office B: lots that must not count."""
    a1 = make_institution(geo.office_a, name="สหกรณ์การเกษตรแม่ริม จำกัด")
    a2 = make_institution(geo.office_a, name="สหกรณ์การเกษตรเชียงดาว จำกัด")
    b = make_institution(geo.office_b, name="สหกรณ์การเกษตรขอนแก่น จำกัด")
    projects(a1, 2, Project.Status.PROPOSED)
    projects(a1, 1, Project.Status.APPROVED)
    projects(a1, 1, Project.Status.IN_PROGRESS, D("500000.00"))
    projects(a2, 1, Project.Status.IN_PROGRESS, D("250000.00"))
    projects(a2, 1, Project.Status.COMPLETED, D("900000.00"))
    projects(a2, 1, Project.Status.CANCELLED)
    projects(b, 3, Project.Status.IN_PROGRESS, D("9999999.00"))
    projects(b, 4, Project.Status.PROPOSED)
    waiting = {
        "new": assessment(a1, S.SUBMITTED, V.FEASIBLE, D("120000.00")),
        "old": assessment(a2, S.SUBMITTED, created=date(2026, 3, 1)),  # last fiscal year, still waiting
    }
    assessment(a1, S.APPROVED, V.FEASIBLE, D("300000.00"))
    assessment(a2, S.APPROVED, V.NOT_FEASIBLE, D("-50000.00"))
    assessment(a2, S.REJECTED, V.NOT_FEASIBLE, D("-80000.00"))
    assessment(a1, S.DRAFT)
    assessment(a1, S.APPROVED, V.FEASIBLE, D("700000.00"), created=date(2026, 9, 30))  # FY 2569
    waiting["b"] = assessment(b, S.SUBMITTED, V.FEASIBLE, D("1.00"))
    assessment(b, S.APPROVED, V.FEASIBLE, D("5000000.00"))
    return waiting


def test_the_dashboard_counts_projects_by_status_and_the_budget_in_progress(supervisor_client, portfolio):
    pj = supervisor_client.get(reverse("reports:dashboard")).context["data"].projects
    assert {t.key: t.count for t in pj.by_status} == {
        "proposed": 2, "appraised": 0, "approved": 1, "in_progress": 2, "completed": 1, "cancelled": 1,
    }  # fmt: skip
    assert [t.key for t in pj.by_status][:4] == ["proposed", "appraised", "approved", "in_progress"]
    assert pj.projects_total == 7 and pj.in_progress_count == 2
    assert pj.in_progress_budget == D("750000.00")


def test_the_fiscal_years_assessments_are_split_by_decision_and_verdict(supervisor_client, portfolio):
    pj = supervisor_client.get(reverse("reports:dashboard")).context["data"].projects
    rows = {r.key: (r.count, r.feasible, r.not_feasible, r.not_computed) for r in pj.assessments_by_status}
    assert rows == {
        "draft": (1, 0, 0, 1),
        "submitted": (1, 1, 0, 0),  # the one from fiscal year 2569 is not counted here
        "approved": (2, 1, 1, 0),
        "rejected": (1, 0, 1, 0),
    }
    assert (pj.assessments_in_fy, pj.assessments_feasible, pj.assessments_not_feasible) == (5, 2, 2)
    assert pj.assessments_not_computed == 1
    assert pj.approved_npv == D("250000.00")


def test_the_awaiting_list_holds_every_waiting_assessment_longest_waiting_first(supervisor_client, portfolio):
    response = supervisor_client.get(reverse("reports:dashboard"))
    pj = response.context["data"].projects
    assert pj.awaiting_count == 2
    assert [a.pk for a in pj.awaiting] == [portfolio["old"].pk, portfolio["new"].pk]
    assert pj.awaiting[0].since == date(2026, 3, 1) and pj.awaiting[0].npv is None
    assert pj.awaiting[1].npv == D("120000.00") and pj.awaiting[1].verdict == V.FEASIBLE
    html = response.content.decode()
    assert reverse("projects:assessment_detail", args=[portfolio["new"].pk]) in html
    assert reverse("projects:assessment_detail", args=[portfolio["b"].pk]) not in html
    assert "1 มี.ค. 2569" in html  # B.E. date of the old one
    assert "การประเมินที่รอพิจารณา" in html and "750,000" in html


def test_another_offices_projects_and_assessments_are_not_counted(
    officer_client, central_client, geo, portfolio
):
    mine = officer_client.get(reverse("reports:dashboard"), {"office": geo.office_b.pk}).context["data"]
    assert mine.projects.projects_total == 7 and mine.projects.awaiting_count == 2
    only_b = central_client.get(reverse("reports:dashboard"), {"office": geo.office_b.pk}).context["data"]
    assert only_b.projects.projects_total == 7 and only_b.projects.in_progress_budget == D("29999997.00")
    assert [a.pk for a in only_b.projects.awaiting] == [portfolio["b"].pk]
    assert only_b.projects.approved_npv == D("5000000.00")
    everything = central_client.get(reverse("reports:dashboard")).context["data"].projects
    assert everything.projects_total == 14 and everything.awaiting_count == 3


def test_the_dashboard_query_count_is_the_same_with_2_and_20_projects(supervisor_client, geo):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert supervisor_client.get(reverse("reports:dashboard")).status_code == 200
        return len(ctx)

    inst = make_institution(geo.office_a)
    projects(inst, 2, Project.Status.IN_PROGRESS)
    for _ in range(2):
        assessment(inst, S.SUBMITTED, V.FEASIBLE, D("1000.00"))
    few = count()
    projects(inst, 18, Project.Status.PROPOSED)
    for status in (S.SUBMITTED, S.APPROVED, S.REJECTED, S.DRAFT) * 5:
        assessment(inst, status, V.NOT_FEASIBLE, D("-1.00"))
    assert count() == few
