"""Funds, loan contracts, schedules, payments, debtor events, follow-ups and reminders.

Money columns come from ``coopsupport.money`` (14,2); rates are annual percents (``*_pct``).
The money math lives in the pure modules ``loans.schedule`` and ``loans.arrears``; the only code
that writes these tables is ``loans.services``. Posted payments are never edited or deleted:
a ``PaymentReversal`` row records the reversal and the payment's ``is_reversed`` flag (set by the
service only) keeps lists cheap.

Every model has ``objects.for_user(user)``. Funds, schemes and reminder levels are national
configuration: every signed-in user may read them (admins edit them in the Django admin).
"""

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


# ------------------------------------------------------------------ choices shared by models


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


# ------------------------------------------------------------------ configuration


class Fund(models.Model):
    """A lending fund (กองทุน) with its default terms; contracts copy them and may override."""

    class Kind(models.TextChoices):
        DEVELOPMENT = "development", _("Cooperative Development Fund")
        FARMER_WELFARE = "farmer_welfare", _("Farmer Welfare Fund")
        OTHER = "other", _("Other fund")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(pgettext_lazy("loans", "kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    rate_pct = RatePctField(_("default interest rate (% a year)"), default=Decimal("0"))
    penalty_rate_pct = RatePctField(_("penalty rate on overdue principal (% a year)"), default=Decimal("0"))
    day_count = models.CharField(
        _("day count"), max_length=20, choices=DayCountChoices.choices, default=DayCountChoices.ACTUAL_365
    )
    method = models.CharField(
        _("repayment method"), max_length=20, choices=MethodChoices.choices, default=MethodChoices.EQUAL_PRINCIPAL
    )
    period_months = models.PositiveSmallIntegerField(_("repayment period"), choices=PERIOD_CHOICES, default=12)
    max_term_months = models.PositiveSmallIntegerField(
        _("maximum term (months)"), default=180, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    allocation_order = models.CharField(
        _("payment allocation order"),
        max_length=100,
        choices=AllocationOrder.choices,
        default=AllocationOrder.PENALTY_FIRST,
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)

    objects = ConfigQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self) -> str:
        return self.name


class Scheme(models.Model):
    """A scheme or project under a fund; blank overrides take the fund's defaults."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="schemes", verbose_name=_("fund"))
    name = models.CharField(_("name"), max_length=200)
    rate_pct = RatePctField(_("interest rate (% a year)"), null=True, blank=True)
    penalty_rate_pct = RatePctField(_("penalty rate (% a year)"), null=True, blank=True)
    max_term_months = models.PositiveSmallIntegerField(
        _("maximum term (months)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ConfigQuerySet.as_manager()

    class Meta:
        ordering = ["fund", "name"]
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")
        constraints = [
            models.UniqueConstraint(fields=["fund", "name"], name="loans_scheme_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_rate_pct(self) -> Decimal:
        return self.fund.rate_pct if self.rate_pct is None else self.rate_pct

    @property
    def effective_penalty_rate_pct(self) -> Decimal:
        return self.fund.penalty_rate_pct if self.penalty_rate_pct is None else self.penalty_rate_pct

    @property
    def effective_max_term_months(self) -> int:
        return self.max_term_months or self.fund.max_term_months


class ReminderLevel(models.Model):
    """A reminder sent ``offset_days`` from a due date (negative = before): notice or demand."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("Notice before due")
        DEMAND = "demand", _("Demand after due")

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="reminder_levels", verbose_name=_("fund"))
    offset_days = models.SmallIntegerField(
        _("days from the due date"),
        validators=[MinValueValidator(-60), MaxValueValidator(60)],
        help_text=_("Negative before the due date, positive after it (−60 … +60)."),
    )
    kind = models.CharField(pgettext_lazy("loans", "kind"), max_length=10, choices=Kind.choices)
    by_email = models.BooleanField(_("send by email"), default=True)
    by_letter = models.BooleanField(_("print a letter"), default=True)
    subject_template = models.CharField(_("subject template"), max_length=255)
    body_template = models.TextField(
        _("body template"),
        help_text=_(
            "Django template text. Available: institution, loan, installment, due_on, amount, "
            "amount_text, days, office."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ConfigQuerySet.as_manager()

    class Meta:
        ordering = ["fund", "offset_days"]
        verbose_name = _("reminder level")
        verbose_name_plural = _("reminder levels")
        constraints = [
            models.UniqueConstraint(fields=["fund", "offset_days"], name="loans_reminderlevel_unique_offset"),
            models.CheckConstraint(
                condition=Q(offset_days__gte=-60) & Q(offset_days__lte=60),
                name="loans_reminderlevel_offset_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund.code} {self.offset_days:+d}"

    @property
    def channels(self) -> list[str]:
        out = []
        if self.by_email:
            out.append(Reminder.Channel.EMAIL)
        if self.by_letter:
            out.append(Reminder.Channel.LETTER)
        return out


# ------------------------------------------------------------------ the contract


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
        Scheme, on_delete=models.PROTECT, null=True, blank=True, related_name="loans", verbose_name=_("scheme")
    )
    contract_number = models.CharField(_("contract number"), max_length=50, unique=True)
    signed_on = models.DateField(_("signed on"))
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    approved_amount = MoneyField(_("approved amount"))
    committee = models.CharField(_("approving committee"), max_length=255, blank=True)
    resolution_number = models.CharField(_("resolution number"), max_length=100, blank=True)
    resolution_on = models.DateField(_("resolution date"), null=True, blank=True)
    method = models.CharField(_("repayment method"), max_length=20, choices=MethodChoices.choices)
    period_months = models.PositiveSmallIntegerField(_("repayment period"), choices=PERIOD_CHOICES, default=12)
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
        _("paused (deferral)"), default=False, help_text=_("No reminders are sent while a deferral is in force.")
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
        help_text=_("What must be paid now to be current (penalty, interest and overdue principal); 0 if not late."),
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
            models.CheckConstraint(condition=Q(approved_amount__gt=0), name="loans_loan_approved_amount_positive"),
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

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="disbursements", verbose_name=_("loan"))
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

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="rate_changes", verbose_name=_("loan"))
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

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="penalty_waivers", verbose_name=_("loan"))
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

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="guarantors", verbose_name=_("loan"))
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

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="collaterals", verbose_name=_("loan"))
    kind = models.CharField(pgettext_lazy("loans", "kind"), max_length=20, choices=Kind.choices, default=Kind.LAND)
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

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("loan"))
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


# ------------------------------------------------------------------ schedules


class ScheduleVersion(models.Model):
    """One repayment schedule of a contract; restructuring adds a version and keeps the old one."""

    class Reason(models.TextChoices):
        ORIGINAL = "original", _("Original schedule")
        DISBURSEMENT = "disbursement", _("Additional disbursement")
        RESTRUCTURE = "restructure", _("Debt restructuring")

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="schedule_versions", verbose_name=_("loan"))
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
        ScheduleVersion, on_delete=models.CASCADE, related_name="installment_rows", verbose_name=_("schedule version")
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


# ------------------------------------------------------------------ payments


class Payment(models.Model):
    """Money received on a contract. Never edited or deleted: reversed with a PaymentReversal."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="payments", verbose_name=_("loan"))
    paid_on = models.DateField(_("paid on"))
    amount = MoneyField(_("amount"))
    receipt_number = models.CharField(_("receipt number"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("posted by")
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    # Set only by services.reverse_payment, together with the PaymentReversal row.
    is_reversed = models.BooleanField(_("reversed"), default=False)

    objects = scoped_manager("loan__borrower__office")

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loans_payment_amount_positive"),
            models.UniqueConstraint(
                fields=["loan", "receipt_number"],
                condition=Q(is_reversed=False) & ~Q(receipt_number=""),
                name="loans_payment_unique_receipt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan} {self.paid_on} {self.amount}"


class PaymentReversal(models.Model):
    """The reversal of a posted payment: who, when and why."""

    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, related_name="reversal", verbose_name=_("payment")
    )
    reason = models.CharField(_("reason"), max_length=500)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reversed by")
    )
    reversed_at = models.DateTimeField(_("reversed at"), auto_now_add=True)

    objects = scoped_manager("payment__loan__borrower__office")

    class Meta:
        ordering = ["-reversed_at"]
        verbose_name = _("payment reversal")
        verbose_name_plural = _("payment reversals")

    def __str__(self) -> str:
        return f"{self.payment} ({self.reason})"


class PaymentAllocation(models.Model):
    """Part of a payment applied to penalty, interest or an installment's principal (from arrears.py).

    Derived data: rewritten for every live payment of the contract after each post or reversal;
    a reversed payment keeps the rows it had when it was reversed.
    """

    class Component(models.TextChoices):
        PENALTY = "penalty", _("Penalty")
        INTEREST = "interest", _("Interest")
        OVERDUE_PRINCIPAL = "overdue_principal", _("Overdue principal")
        CURRENT_PRINCIPAL = "current_principal", _("Principal now due")
        PREPAYMENT = "prepayment", _("Prepayment (last installments)")

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="allocations")
    component = models.CharField(_("applied to"), max_length=20, choices=Component.choices)
    installment = models.ForeignKey(
        Installment, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    amount = MoneyField(_("amount"))

    objects = scoped_manager("payment__loan__borrower__office")

    class Meta:
        ordering = ["payment", "id"]
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")

    def __str__(self) -> str:
        return f"{self.payment_id} {self.component} {self.amount}"


# ------------------------------------------------------------------ debtor events, follow-up


class DebtorEvent(models.Model):
    """A dated step in the debtor-status timeline, usually backed by a committee resolution."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="events", verbose_name=_("loan"))
    status = models.CharField(_("status"), max_length=20, choices=Loan.Status.choices)
    effective_on = models.DateField(_("effective on"))
    committee = models.CharField(_("committee reference"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    schedule_version = models.ForeignKey(
        ScheduleVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("new schedule"),
    )  # fmt: skip
    is_automatic = models.BooleanField(_("automatic"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("loan__borrower__office")

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = _("debtor status event")
        verbose_name_plural = _("debtor status events")

    def __str__(self) -> str:
        return f"{self.loan} {self.status} {self.effective_on}"


class MoratoriumQuerySet(ScopedQuerySet):
    office_lookup = "office"

    def covering(self, institution, day):
        """Moratoria in force on ``day`` for the institution's province or district."""
        area = Q(district__isnull=True, province_id=institution.province_id)
        if institution.district_id:
            area |= Q(district_id=institution.district_id)
        return self.filter(area, starts_on__lte=day, ends_on__gte=day)


class Moratorium(models.Model):
    """A declared pause on reminders (e.g. after a flood) for a province or a district."""

    office = models.ForeignKey(
        "coopsupport.Office", on_delete=models.CASCADE, related_name="moratoria", verbose_name=_("office")
    )
    province = models.ForeignKey(
        "coopsupport.Province", on_delete=models.PROTECT, verbose_name=_("province"), related_name="+"
    )
    district = models.ForeignKey(
        "coopsupport.District", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district"),
        related_name="+", help_text=_("Leave empty for the whole province."),
    )  # fmt: skip
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MoratoriumQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("moratorium")
        verbose_name_plural = _("moratoria")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="loans_moratorium_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.district or self.province} {self.starts_on}–{self.ends_on}"


class FollowUpQuerySet(ScopedQuerySet):
    office_lookup = "loan__borrower__office"

    def promises_due(self, day):
        return self.filter(kind=FollowUp.Kind.PROMISE, is_done=False, promise_on__lte=day)


class FollowUp(models.Model):
    """A collection action: call, visit, letter or promise to pay (which reminds the officer)."""

    class Kind(models.TextChoices):
        CALL = "call", _("Phone call")
        VISIT = "visit", _("Visit")
        LETTER = "letter", _("Letter")
        PROMISE = "promise", _("Promise to pay")

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("loan"))
    kind = models.CharField(pgettext_lazy("loans", "kind"), max_length=10, choices=Kind.choices)
    contacted_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    promise_amount = MoneyField(_("promised amount"), null=True, blank=True)
    promise_on = models.DateField(_("promised payment date"), null=True, blank=True)
    is_done = models.BooleanField(_("done"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-contacted_on", "-id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.loan} {self.kind} {self.contacted_on}"


# ------------------------------------------------------------------ reminders (sent by the reminders module)


class Reminder(models.Model):
    """One reminder of one installment at one level through one channel: sent at most once.

    The sender claims a row with ``UPDATE … SET status='sending' WHERE status='pending'`` and sends
    only if exactly one row changed.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        LETTER = "letter", _("Letter")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    installment = models.ForeignKey(
        Installment, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("installment")
    )
    level = models.ForeignKey(
        ReminderLevel, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("reminder level")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    scheduled_on = models.DateField(_("due to send on"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients = models.TextField(_("recipients"), blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    amount = MoneyField(_("amount"), null=True, blank=True)
    letter_number = models.CharField(_("letter number"), max_length=50, blank=True)
    error = models.TextField(_("error"), blank=True)
    # reports.Document id of the rendered letter; a plain id keeps loans free of a reports dependency.
    document_id = models.PositiveBigIntegerField(_("document"), null=True, blank=True)
    # The letter (printed, or attached to the email): its date, and its running number per office
    # and B.E. calendar year. Both channels of one installment and level share one letter number.
    issued_on = models.DateField(_("letter date"), null=True, blank=True)
    letter_year = models.PositiveSmallIntegerField(_("letter year (B.E.)"), null=True, blank=True)
    letter_seq = models.PositiveIntegerField(_("letter running number"), null=True, blank=True)
    # What the letter says, frozen when it is issued (so a reprint shows the same figures):
    # JSON-safe (amounts as strings, dates ISO) — see loans.reminders.figures_for.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("installment__version__loan__borrower__office")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["installment", "level", "channel"], name="loans_reminder_unique_installment_level_channel"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["channel", "issued_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.installment} {self.level} {self.channel}"
