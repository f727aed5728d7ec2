"""The loan contract and what hangs on it: disbursements, rate history, penalty waivers,
guarantors, collateral and attachments."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coopsupport.money import MoneyField, RatePctField
from coopsupport.scoping import ScopedQuerySet, scoped_manager
from loans.arrears import Component
from loans.models.common import (
    PERIOD_CHOICES,
    ZERO,
    AllocationOrder,
    DayCountChoices,
    MethodChoices,
    allocation_components,
)
from loans.models.funds import Fund, Scheme


class LoanQuerySet(ScopedQuerySet):
    office_lookup = "borrower__office"

    def open(self):
        return self.exclude(status__in=Loan.CLOSED_STATUSES)

    def overdue(self):
        return self.open().filter(days_past_due__gt=0)


class Loan(models.Model):
    """A loan contract between a fund and a borrowing institution."""

    class Purpose(models.TextChoices):
        WORKING_CAPITAL = "working_capital", _("Working capital")
        ASSET_INVESTMENT = "asset_investment", _("Asset investment")
        DEBT_RESTRUCTURING = "debt_restructuring", _("Debt restructuring")
        PROJECT = "project", _("Project")

    class Status(models.TextChoices):
        CURRENT = "current", _("Current")
        OVERDUE = "overdue", _("Overdue")
        DEFAULT = "default", _("In default")
        DEFERRAL = "deferral", _("Deferral approved")
        RESTRUCTURED = "restructured", _("Restructured")
        LEGAL_ACTION = "legal_action", _("Legal action")
        JUDGMENT = "judgment", _("Judgment")
        COMPROMISE = "compromise", _("Compromise")
        ENFORCEMENT = "enforcement", _("Enforcement")
        CLOSED = "closed", pgettext_lazy("debtor status", "Closed")
        WRITTEN_OFF = "written_off", _("Written off")

    CLOSED_STATUSES = (Status.CLOSED, Status.WRITTEN_OFF)
    # Statuses the daily refresh may switch between by itself (days past due > 0 or not).
    AUTOMATIC_STATUSES = (Status.CURRENT, Status.OVERDUE)

    borrower = models.ForeignKey(
        "cooperatives.Institution", on_delete=models.PROTECT, related_name="loans", verbose_name=_("borrower")
    )
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="loans", verbose_name=_("fund"))
    scheme = models.ForeignKey(
        Scheme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loans",
        verbose_name=_("scheme"),
    )
    contract_number = models.CharField(_("contract number"), max_length=50, unique=True)
    signed_on = models.DateField(_("signed on"))
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    approved_amount = MoneyField(_("approved amount"))
    committee = models.CharField(_("approving committee"), max_length=255, blank=True)
    resolution_number = models.CharField(_("resolution number"), max_length=100, blank=True)
    resolution_on = models.DateField(_("resolution date"), null=True, blank=True)
    method = models.CharField(_("repayment method"), max_length=20, choices=MethodChoices.choices)
    period_months = models.PositiveSmallIntegerField(
        _("repayment period"), choices=PERIOD_CHOICES, default=12
    )
    installments = models.PositiveSmallIntegerField(
        _("number of installments"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    first_due_on = models.DateField(_("first due date"))
    day_count = models.CharField(_("day count"), max_length=20, choices=DayCountChoices.choices)
    penalty_rate_pct = RatePctField(_("penalty rate (% a year)"), default=Decimal("0"))
    allocation_order = models.CharField(
        _("payment allocation order"),
        max_length=100,
        choices=AllocationOrder.choices,
        default=AllocationOrder.PENALTY_FIRST,
    )
    status = models.CharField(
        _("debtor status"), max_length=20, choices=Status.choices, default=Status.CURRENT, db_index=True
    )
    is_paused = models.BooleanField(
        _("paused (deferral)"),
        default=False,
        help_text=_("No reminders are sent while a deferral is in force."),
    )
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_loans",
        verbose_name=_("responsible officer"),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Snapshot of loans.arrears state, written by services.refresh_loan_snapshot(s) after every
    # money write and daily by `manage.py refresh_loan_snapshots`; lists and dashboards read these
    # columns instead of replaying every contract (no per-row queries).
    snapshot_on = models.DateField(_("figures as of"), null=True, blank=True)
    disbursed_amount = MoneyField(_("disbursed"), default=ZERO)
    outstanding_principal = MoneyField(_("outstanding principal"), default=ZERO)
    overdue_principal = MoneyField(_("overdue principal"), default=ZERO)
    accrued_interest = MoneyField(_("accrued interest"), default=ZERO)
    accrued_penalty = MoneyField(_("accrued penalty"), default=ZERO)
    overdue_amount = MoneyField(
        _("overdue amount"),
        default=ZERO,
        help_text=_(
            "What must be paid now to be current (penalty, interest and overdue principal); 0 if not late."
        ),
    )
    payoff_amount = MoneyField(_("payoff amount"), default=ZERO)
    days_past_due = models.PositiveIntegerField(_("days past due"), default=0, db_index=True)
    next_due_on = models.DateField(_("next due date"), null=True, blank=True, db_index=True)
    next_due_amount = MoneyField(_("next due amount"), default=ZERO)
    oldest_unpaid_due_on = models.DateField(_("oldest unpaid due date"), null=True, blank=True)

    objects = LoanQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        indexes = [models.Index(fields=["fund", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(installments__gte=1), name="loans_loan_installments_positive"),
            models.CheckConstraint(
                condition=Q(approved_amount__gt=0), name="loans_loan_approved_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.contract_number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("loans:loan_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def allocation_components(self) -> tuple[Component, ...]:
        return allocation_components(self.allocation_order)


class Disbursement(models.Model):
    """Money paid out to the borrower on a day (a contract may be disbursed in tranches)."""

    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="disbursements", verbose_name=_("loan")
    )
    disbursed_on = models.DateField(_("disbursed on"))
    amount = MoneyField(_("amount"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("loan__borrower__office")

    class Meta:
        ordering = ["disbursed_on", "id"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loans_disbursement_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.loan} {self.disbursed_on} {self.amount}"


class RateChange(models.Model):
    """The contract's interest rate from ``effective_on`` (the rate at signing is the first row)."""

    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="rate_changes", verbose_name=_("loan")
    )
    effective_on = models.DateField(_("effective from"))
    rate_pct = RatePctField(_("interest rate (% a year)"))
    debtor_class = models.CharField(_("debtor class"), max_length=50, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("loan__borrower__office")

    class Meta:
        ordering = ["effective_on"]
        verbose_name = _("interest rate change")
        verbose_name_plural = _("interest rate history")
        constraints = [
            models.UniqueConstraint(fields=["loan", "effective_on"], name="loans_ratechange_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.loan} {self.effective_on} {self.rate_pct}%"


class PenaltyWaiver(models.Model):
    """Penalty a committee waived (absorbs penalty as it accrues, earliest first)."""

    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="penalty_waivers", verbose_name=_("loan")
    )
    waived_on = models.DateField(_("waived on"))
    amount = MoneyField(_("amount"))
    resolution = models.CharField(_("committee resolution"), max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("loan__borrower__office")

    class Meta:
        ordering = ["waived_on", "id"]
        verbose_name = _("penalty waiver")
        verbose_name_plural = _("penalty waivers")

    def __str__(self) -> str:
        return f"{self.loan} {self.amount}"


class Guarantor(models.Model):
    """A person who guarantees the contract (often each board member)."""

    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="guarantors", verbose_name=_("loan")
    )
    name = models.CharField(_("name"), max_length=200)
    # PDPA: validated by check digit (stdnum.th.pin), masked on screens, reveals logged.
    national_id = models.CharField(_("national ID number"), max_length=13, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    relation = models.CharField(_("relation to the borrower"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    objects = scoped_manager("loan__borrower__office")

    class Meta:
        ordering = ["id"]
        verbose_name = _("guarantor")
        verbose_name_plural = _("guarantors")

    def __str__(self) -> str:
        return self.name

    @property
    def national_id_masked(self) -> str:
        """x-xxxx-xxxxx-12-3: only the last four digits show."""
        nid = self.national_id
        if len(nid) != 13:
            return ""
        return f"x-xxxx-xxxxx-{nid[10:12]}-{nid[12]}"


class Collateral(models.Model):
    """An asset mortgaged or pledged for the contract."""

    class Kind(models.TextChoices):
        LAND = "land", _("Land")
        BUILDING = "building", _("Building")
        MACHINERY = "machinery", _("Machinery")
        VEHICLE = "vehicle", _("Vehicle")
        DEPOSIT = "deposit", _("Deposit or shares")
        OTHER = "other", _("Other")

    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="collaterals", verbose_name=_("loan")
    )
    kind = models.CharField(
        pgettext_lazy("loans", "kind"), max_length=20, choices=Kind.choices, default=Kind.LAND
    )
    description = models.CharField(_("description"), max_length=500)
    value = MoneyField(_("value"), default=ZERO)

    objects = scoped_manager("loan__borrower__office")

    class Meta:
        ordering = ["id"]
        verbose_name = _("collateral")
        verbose_name_plural = _("collateral")

    def __str__(self) -> str:
        return self.description


class Attachment(models.Model):
    """A scanned contract, resolution or other document."""

    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("loan")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="loans/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("loan__borrower__office")

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title
