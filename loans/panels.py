"""What the loans app puts on the home page and on an institution's page."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from loans.filtersets import BUCKET_CHOICES, bucket_q
from loans.models import FollowUp, Loan


def home_panels(request, *, today: date) -> list[dict]:
    """Due soon, overdue (counts and amounts by aging bucket) and promises to pay now due."""
    user = request.user
    loans = Loan.objects.for_user(user).open()
    aggregates = {
        "due_n": Count("pk", filter=Q(next_due_on__gte=today, next_due_on__lte=today + timedelta(days=30))),
        "due_total": Sum(
            "next_due_amount", filter=Q(next_due_on__gte=today, next_due_on__lte=today + timedelta(days=30))
        ),
        "overdue_n": Count("pk", filter=Q(days_past_due__gt=0)),
        "overdue_total": Sum("overdue_amount", filter=Q(days_past_due__gt=0)),
    }
    for value, _label in BUCKET_CHOICES[1:]:
        aggregates[f"n_{value}"] = Count("pk", filter=bucket_q(value))
        aggregates[f"a_{value}"] = Sum("overdue_amount", filter=bucket_q(value))
    totals = loans.aggregate(**aggregates)
    promises = list(
        FollowUp.objects.for_user(user)
        .promises_due(today)
        .select_related("loan__borrower")
        .order_by("promise_on")[:8]
    )
    return [
        {
            "template": "loans/panels/home.html",
            "css": "col-lg-6",
            "due": {"count": totals["due_n"], "amount": totals["due_total"]},
            "overdue": {"count": totals["overdue_n"], "amount": totals["overdue_total"]},
            "buckets": [
                {"label": label, "count": totals[f"n_{value}"], "amount": totals[f"a_{value}"]}
                for value, label in BUCKET_CHOICES[1:]
                if totals[f"n_{value}"]
            ],
            "promises": promises,
        }
    ]


def institution_tabs(request, institution) -> list[dict]:
    return [
        {"slug": "loans", "label": _("Loans"), "url": reverse("loans:institution_tab", args=[institution.pk])}
    ]
