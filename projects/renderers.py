"""The appraisal PDF, rendered by the reports app's Celery task (kind "projects.appraisal").

Imported by ReportsConfig.ready() (web process and worker alike).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from projects import charts
from projects.models import FeasibilityAssessment
from projects.report import assessment_report
from reports.pdf import render_pdf
from reports.renderers import register

APPRAISAL_KIND = "projects.appraisal"


def appraisal_context(assessment: FeasibilityAssessment) -> dict:
    """The PDF's context: the same report the page shows, plus the chart as inline SVG."""
    report = assessment_report(assessment)
    chart_svg = ""
    if report["ok"]:
        c = report["chart"]
        chart_svg = charts.cash_flow_svg(
            c["labels"],
            c["net"],
            c["cumulative"],
            series_labels=(c["series_labels"][0], c["series_labels"][1]),
        )
    office = assessment.institution.office
    preparer = assessment.created_by
    signatures = [
        {
            "label": _("Prepared by"),
            "name": preparer.get_full_name() if preparer else "",
            "position": getattr(preparer, "position", ""),
        },
        {
            "label": _("Approved by"),
            "name": office.head_name,
            "position": office.head_title or _("Provincial Cooperative Officer"),
        },
    ]
    return {
        "assessment": assessment,
        "signatures": signatures,
        "institution": assessment.institution,
        "office": assessment.institution.office,
        "report": report,
        "chart_svg": chart_svg,
        "printed_on": timezone.localdate(),
    }


@register(APPRAISAL_KIND)
def render_appraisal(params: dict) -> tuple[bytes, str]:
    assessment = (
        FeasibilityAssessment.objects.select_related(
            "institution__office", "project", "created_by", "decided_by"
        )
        .prefetch_related("investments", "lines", "scenarios")
        .get(pk=params["assessment_pk"])
    )
    pdf = render_pdf("projects/pdf/appraisal.html", appraisal_context(assessment))
    return pdf, f"appraisal-{assessment.pk}.pdf"
