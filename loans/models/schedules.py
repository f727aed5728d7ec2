"""Repayment schedules: versions (restructuring adds one and keeps the old) and their installments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coopsupport.money import MoneyField, RatePctField
from coopsupport.scoping import scoped_manager
from loans.models.common import PERIOD_CHOICES, ZERO, MethodChoices
from loans.models.contracts import Loan


class ScheduleVersion(models.Model):
    """One repayment schedule of a contract; restructuring adds a version and keeps the old one."""

    class Reason(models.TextChoices):
        ORIGINAL = "original", _("Original schedule")
        DISBURSEMENT = "disbursement", _("Additional disbursement")
        RESTRUCTURE = "restructure", _("Debt restructuring")

    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="schedule_versions", verbose_name=_("loan")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    created_on = models.DateField(_("effective from"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, default=Reason.ORIGINAL)
    note = models.CharField(_("note"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The terms the schedule was built from (loans.schedule.build_schedule).
    principal = MoneyField(_("principal"))
    rate_pct = RatePctField(_("interest rate (% a year)"))
    method = models.CharField(_("repayment method"), max_length=20, choices=MethodChoices.choices)
    period_months = models.PositiveSmallIntegerField(_("repayment period"), choices=PERIOD_CHOICES)
    starts_on = models.DateField(_("interest from"))
    first_due_on = models.DateField(_("first due date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("loan__borrower__office")

    class Meta:
        ordering = ["loan", "-number"]
        verbose_name = _("schedule version")
        verbose_name_plural = _("schedule versions")
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="loans_scheduleversion_unique_number"),
            models.UniqueConstraint(
                fields=["loan"], condition=Q(is_active=True), name="loans_scheduleversion_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan} v{self.number}"


class Installment(models.Model):
    """A scheduled installment: principal and the interest the schedule expects."""

    version = models.ForeignKey(
        ScheduleVersion,
        on_delete=models.CASCADE,
        related_name="installment_rows",
        verbose_name=_("schedule version"),
    )
    number = models.PositiveSmallIntegerField(_("installment"))
    due_on = models.DateField(_("due on"), db_index=True)
    principal = MoneyField(_("principal"))
    interest = MoneyField(_("scheduled interest"))
    total = MoneyField(_("total"))
    balance = MoneyField(_("balance after"), default=ZERO)

    objects = scoped_manager("version__loan__borrower__office")

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("installment")
        verbose_name_plural = _("installments")
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="loans_installment_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.version} #{self.number}"
