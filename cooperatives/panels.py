"""The cooperatives app's contribution to the home page: institution counts by kind and status
(totals without dissolved institutions, which get their own column).

Officers see "my institutions" (those they are responsible for) next to their office's totals;
supervisors see their office, central staff and admins every office. One aggregate query."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from cooperatives.models import Institution
from coopsupport.models import User


def _matrix(rows, key: str) -> dict:
    """Counts by kind (rows) and status (columns). Totals are the register an officer works with:
    dissolved institutions are left out of them and counted in their own last column, the same
    rule as the supervisor's key numbers (reports.queries.dashboard_data)."""
    counts = {(r["kind"], r["status"]): r[key] for r in rows}
    dissolved = Institution.Status.DISSOLVED
    statuses = [(s, label) for s, label in Institution.Status.choices if s != dissolved]
    lines = []
    for kind, kind_label in Institution.Kind.choices:
        cells = [counts.get((kind, s), 0) for s, _label in statuses]
        gone = counts.get((kind, dissolved), 0)
        if any(cells) or gone:
            lines.append(
                {"kind": kind, "label": kind_label, "cells": cells, "total": sum(cells), "dissolved": gone}
            )
    totals = [sum(line["cells"][i] for line in lines) for i in range(len(statuses))]
    return {
        "statuses": statuses,
        "dissolved_label": dissolved.label,
        "lines": lines,
        "totals": totals,
        "total": sum(totals),
        "dissolved": sum(line["dissolved"] for line in lines),
    }


def home_panels(request, *, today) -> list[dict]:
    user = request.user
    qs = Institution.objects.for_user(user)
    is_officer = user.role == User.Role.OFFICER
    annotations = {"n": Count("id")}
    if is_officer:
        annotations["mine"] = Count("id", filter=Q(responsible_officer=user))
    rows = list(qs.order_by().values("kind", "status").annotate(**annotations))
    panels = []
    if is_officer:
        panels.append(
            {
                "template": "cooperatives/panels/institutions.html",
                "css": "col-lg-6",
                "title": _("My institutions"),
                "matrix": _matrix(rows, "mine"),
                "mine": True,
            }
        )
    scope_title = _("All offices") if user.sees_all_offices else (str(user.office) if user.office else "")
    panels.append(
        {
            "template": "cooperatives/panels/institutions.html",
            "css": "col-lg-6",
            "title": _("Institutions: %(scope)s") % {"scope": scope_title},
            "matrix": _matrix(rows, "n"),
            "mine": False,
        }
    )
    return panels
