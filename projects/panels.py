"""Home-page panel and the institution page's "plans and projects" tab."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from projects.models import FeasibilityAssessment, Project

PANEL_ROWS = 8


def home_panels(request, *, today) -> list[dict]:
    user = request.user
    awaiting = list(
        FeasibilityAssessment.objects.for_user(user)
        .awaiting_decision()
        .select_related("institution")
        .defer("results")
        .order_by("updated_at")[:PANEL_ROWS]
    )
    in_progress = list(
        Project.objects.for_user(user)
        .in_progress()
        .select_related("institution")
        .order_by("end_on", "name")[: PANEL_ROWS + 1]
    )
    return [
        {
            "template": "projects/panels/home.html",
            "css": "col-lg-6",
            "awaiting": awaiting,
            "in_progress": in_progress[:PANEL_ROWS],
            "more_in_progress": len(in_progress) > PANEL_ROWS,
            "today": today,
        }
    ]


def institution_tabs(request, institution) -> list[dict]:
    return [
        {
            "slug": "plans-projects",
            "label": _("Plans and projects"),
            "url": reverse("projects:institution_tab", args=[institution.pk]),
        }
    ]
