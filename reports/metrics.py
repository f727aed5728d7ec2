"""What an automatic indicator counts: ``metric(office, start, end) -> {month: value}``.

Each metric runs ONE grouped query over the date range and returns totals per month (first day).
Metrics of apps that are not installed yet are simply not offered.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

Metric = Callable[[object, date, date], dict[date, Decimal]]


def _by_month(rows, value_key: str) -> dict[date, Decimal]:
    out: dict[date, Decimal] = {}
    for row in rows:
        month = row["m"]
        if month is None:
            continue
        month = month.date() if hasattr(month, "date") and callable(month.date) else month
        out[month.replace(day=1)] = Decimal(row[value_key] or 0).quantize(Decimal("0.01"))
    return out


def _monthly(queryset, date_field: str, value) -> dict[date, Decimal]:
    """One grouped query: the aggregate ``value`` per month of ``date_field``."""
    rows = queryset.annotate(m=TruncMonth(date_field)).values("m").annotate(month_value=value).order_by()
    return _by_month(rows, "month_value")


def institutions_registered(office, start: date, end: date) -> dict[date, Decimal]:
    from cooperatives.models import Institution

    registered = Institution.objects.filter(office=office, registered_on__range=(start, end))
    return _monthly(registered, "registered_on", Count("id"))


def loans_collected(office, start: date, end: date) -> dict[date, Decimal]:
    from loans.models import Payment

    paid = Payment.objects.filter(
        loan__borrower__office=office, is_reversed=False, paid_on__range=(start, end)
    )
    return _monthly(paid, "paid_on", Sum("amount"))


def loans_signed(office, start: date, end: date) -> dict[date, Decimal]:
    from loans.models import Loan

    signed = Loan.objects.filter(borrower__office=office, signed_on__range=(start, end))
    return _monthly(signed, "signed_on", Count("id"))


# code -> (label, unit hint, needed module, function)
_METRICS: dict[str, tuple[str, str, str, Metric]] = {
    "cooperatives.registered": (
        _("Institutions registered (count)"),
        _("institutions"),
        "cooperatives.models",
        institutions_registered,
    ),
    "loans.collected": (_("Loan repayments collected (baht)"), _("baht"), "loans.models", loans_collected),
    "loans.signed": (_("Loan contracts signed (count)"), _("contracts"), "loans.models", loans_signed),
}


def available() -> dict[str, tuple[str, str, str, Metric]]:
    return {code: m for code, m in _METRICS.items() if importlib.util.find_spec(m[2]) is not None}


def choices() -> list[tuple[str, str]]:
    return [(code, label) for code, (label, _unit, _mod, _f) in available().items()]


def count(code: str, office, start: date, end: date) -> dict[date, Decimal]:
    try:
        metric = available()[code][3]
    except KeyError:
        raise ValueError(f"unknown automatic indicator source {code!r}") from None
    return metric(office, start, end)
