"""Home-page panels: key numbers for supervisors and central staff; everyone's recent documents."""

from __future__ import annotations

from django.db.models import Q

from reports import queries
from reports.models import Document

RECENT = 5


def home_panels(request, *, today) -> list[dict]:
    user = request.user
    panels = []
    if user.role in (user.Role.SUPERVISOR, user.Role.CENTRAL) or user.sees_all_offices:
        office = None if user.sees_all_offices else user.office
        data = queries.dashboard_data(user, office=office, fiscal_year_be=_fy(today), today=today)
        # Key numbers come first for those who review rather than enter (see HomeView's ordering).
        panels.append(
            {"template": "reports/panels/key_numbers.html", "css": "col-lg-8", "data": data, "order": 10}
        )
    documents = (
        Document.objects.for_user(user)
        .filter(Q(requested_by=user) | Q(requested_by__isnull=True))
        .select_related("office")
        .order_by("-created_at")[:RECENT]
    )
    panels.append(
        {
            "template": "reports/panels/recent_documents.html",
            "css": "col-lg-4",
            "documents": list(documents),
            "order": 20 if panels else 90,
        }
    )
    return panels


def _fy(today) -> int:
    from coopsupport.thai import fiscal_year

    return fiscal_year(today)
