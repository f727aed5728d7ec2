"""What the loan models share: national-configuration querysets, the choices of repayment method,
day count, period and payment allocation order, and ``ZERO``."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from loans.arrears import DEFAULT_ALLOCATION_ORDER, Component
from loans.schedule import DayCount, Method

ZERO = Decimal("0.00")


class ConfigQuerySet(models.QuerySet):
    """National configuration: readable by every active signed-in user."""

    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.all()

    def active(self):
        return self.filter(is_active=True)


class MethodChoices(models.TextChoices):
    EQUAL_PRINCIPAL = Method.EQUAL_PRINCIPAL.value, _("Equal principal")
    ANNUITY = Method.ANNUITY.value, _("Equal installments (annuity)")
    FLAT = Method.FLAT.value, _("Flat rate")
    BULLET = Method.BULLET.value, _("Principal at maturity (bullet)")


class DayCountChoices(models.TextChoices):
    ACTUAL_365 = DayCount.ACTUAL_365.value, _("Actual days / 365")
    THIRTY_360 = DayCount.THIRTY_360.value, _("30 / 360")


PERIOD_CHOICES = [
    (1, _("Monthly")),
    (3, _("Quarterly")),
    (6, _("Every 6 months")),
    (12, _("Yearly")),
]

DEFAULT_ORDER_TEXT = ",".join(c.value for c in DEFAULT_ALLOCATION_ORDER)


class AllocationOrder(models.TextChoices):
    """Orders a fund may apply a payment in (prepayment of the last installments is always last)."""

    PENALTY_FIRST = DEFAULT_ORDER_TEXT, _("Penalty, interest, overdue principal, principal now due")
    INTEREST_FIRST = (
        "interest,penalty,overdue_principal,current_principal",
        _("Interest, penalty, overdue principal, principal now due"),
    )
    PRINCIPAL_FIRST = (
        "overdue_principal,current_principal,penalty,interest",
        _("Overdue principal, principal now due, penalty, interest"),
    )


def allocation_components(text: str) -> tuple[Component, ...]:
    return tuple(Component(part) for part in text.split(","))
