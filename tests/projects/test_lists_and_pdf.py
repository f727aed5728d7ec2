"""Lists cost the same number of queries with 20 or 200 rows; the appraisal PDF renders in Thai."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import FeasibilityAssessment, Project, StrategicPlan
from tests.projects.factories import make_institution

pytestmark = pytest.mark.django_db


def _seed(inst, n):
    StrategicPlan.objects.bulk_create(
        StrategicPlan(institution=inst, title=f"แผน {i}", start_year_be=2569, end_year_be=2571)
        for i in range(n)
    )
    Project.objects.bulk_create(
        Project(institution=inst, name=f"โครงการ {i}", budget=Decimal(i)) for i in range(n)
    )
    FeasibilityAssessment.objects.bulk_create(
        FeasibilityAssessment(
            institution=inst,
            title=f"ประเมิน {i}",
            npv=Decimal(i) - 5,
            irr=Decimal("0.1"),
            bcr=Decimal("1.1"),
            min_dscr=Decimal("1.3"),
            verdict="FEASIBLE",
            results={"big": "x" * 5000},
        )
        for i in range(n)
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("name", ["projects:plan_list", "projects:project_list", "projects:assessment_list"])
def test_a_list_costs_the_same_queries_for_20_and_200_rows(officer_client, geo, name):
    inst = make_institution(geo.office_a)
    _seed(inst, 20)
    few = _queries(officer_client, reverse(name))
    _seed(make_institution(geo.office_a, name="สหกรณ์สอง"), 180)
    many = _queries(officer_client, reverse(name))
    assert few == many


@pytest.mark.parametrize("name", ["projects:plan_list", "projects:project_list", "projects:assessment_list"])
def test_a_list_exports_the_filtered_rows_with_thai_headers(officer_client, geo, name):
    _seed(make_institution(geo.office_a), 3)
    response = officer_client.get(reverse(name) + "?export=csv&q=2")
    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert len(body.strip().splitlines()) == 2  # header + the one row matching "2"
    assert "สถานะ" in body.splitlines()[0]


def test_the_appraisal_kind_is_registered_with_the_reports_app():
    from reports import renderers

    assert "projects.appraisal" in renderers.kinds()


def test_asking_for_the_pdf_queues_a_document_and_goes_to_its_page(officer_client, world, settings, tmp_path):
    from reports.models import Document

    response = officer_client.post(reverse("projects:assessment_pdf", args=[world.assessment.pk]))
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:document_detail", args=[document.pk])
    assert document.kind == "projects.appraisal" and document.office == world.institution.office


def test_a_supervisor_may_print_the_appraisal(supervisor_client, world):
    response = supervisor_client.post(reverse("projects:assessment_pdf", args=[world.assessment.pk]))
    assert response.status_code == 302


def test_the_appraisal_pdf_puts_the_decision_on_page_one(world):
    from reports import renderers

    content, filename = renderers.get("projects.appraisal")({"assessment_pk": world.assessment.pk})
    assert content.startswith(b"%PDF") and filename.endswith(".pdf")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed")
    import unicodedata

    def page(n):
        out = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-layout", "-", "-"],
            input=content,
            capture_output=True,
            check=True,
        ).stdout.decode()
        return unicodedata.normalize("NFKC", out)

    first = page(1)
    assert "ผ่านเกณฑ์" in first
    assert "มูลค่าปัจจุบันสุทธิ" in first and "230,059.23" in first
    assert "15.24 %" in first
    assert unicodedata.normalize("NFKC", world.institution.name) in first  # SARA AM reads decomposed
    rest = page(2) + page(3)
    assert "กระแสเงินสด" in rest


def test_the_pdf_chart_is_inline_svg_without_scripts(world):
    from projects.renderers import appraisal_context

    ctx = appraisal_context(world.assessment)
    assert ctx["chart_svg"].startswith("<svg") and "<script" not in ctx["chart_svg"]
