"""Feasibility assessments: investments, yearly cash-flow lines and scenarios; results cached."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coopsupport.money import MoneyField, RatePctField
from coopsupport.scoping import ScopedQuerySet, scoped_manager
from projects.models.projects import Project

PCT_CHANGE_VALIDATORS = [MinValueValidator(Decimal(-100)), MaxValueValidator(Decimal(1000))]


def _ratio_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=6, **kwargs)


class FeasibilityAssessmentQuerySet(ScopedQuerySet):
    office_lookup = "institution__office"

    def awaiting_decision(self):
        return self.filter(status=FeasibilityAssessment.Status.SUBMITTED)


class LoanMethod(models.TextChoices):
    """Mirrors loans.schedule.Method (the values are the same strings)."""

    EQUAL_PRINCIPAL = "equal_principal", _("Equal principal")
    ANNUITY = "annuity", _("Equal installments (annuity)")
    FLAT = "flat", _("Flat rate")
    BULLET = "bullet", _("Principal at maturity")


# The same periods as loans.models.PERIOD_CHOICES, so an approved assessment pre-fills a valid contract.
PERIOD_CHOICES = [
    (1, _("Monthly")),
    (3, _("Quarterly")),
    (6, _("Every 6 months")),
    (12, _("Yearly")),
]


class FeasibilityAssessment(models.Model):
    """A cash-flow appraisal of a proposed investment, with its computed results cached."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class Verdict(models.TextChoices):
        FEASIBLE = "FEASIBLE", _("Feasible")
        NOT_FEASIBLE = "NOT_FEASIBLE", _("Not feasible")

    institution = models.ForeignKey(
        "cooperatives.Institution",
        on_delete=models.PROTECT,
        related_name="feasibility_assessments",
        verbose_name=_("institution"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("project"),
    )
    title = models.CharField(_("title"), max_length=255)
    horizon_years = models.PositiveSmallIntegerField(
        _("horizon (years)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    discount_rate_pct = models.DecimalField(
        _("discount rate (% a year)"),
        max_digits=7,
        decimal_places=4,
        default=Decimal("7"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    working_capital = MoneyField(_("working capital"), default=0)
    working_capital_year = models.PositiveSmallIntegerField(
        _("working capital needed in year"), default=0, validators=[MaxValueValidator(30)]
    )
    own_funds = MoneyField(_("own funds"), default=0)
    grants = MoneyField(_("grants"), default=0)
    fund_loan_amount = MoneyField(_("fund loan amount"), default=0)
    fund_loan_rate_pct = RatePctField(_("fund loan interest (% a year)"), default=Decimal("0"))
    fund_loan_years = models.PositiveSmallIntegerField(
        _("fund loan term (years)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    fund_loan_method = models.CharField(
        _("repayment method"), max_length=20, choices=LoanMethod.choices, default=LoanMethod.EQUAL_PRINCIPAL
    )
    fund_loan_period_months = models.PositiveSmallIntegerField(
        _("installment every"), choices=PERIOD_CHOICES, default=12
    )
    other_loans_amount = MoneyField(_("other loans amount"), default=0)
    other_loans_rate_pct = RatePctField(_("other loans interest (% a year)"), default=Decimal("0"))
    other_loans_years = models.PositiveSmallIntegerField(
        _("other loans term (years)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    npv_min = MoneyField(_("minimum NPV"), allow_negative=True, default=0)
    bcr_min = models.DecimalField(
        _("minimum benefit–cost ratio"),
        max_digits=8,
        decimal_places=4,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal(0))],
    )
    dscr_min = models.DecimalField(
        _("minimum debt-service coverage"),
        max_digits=8,
        decimal_places=4,
        default=Decimal("1.2"),
        validators=[MinValueValidator(Decimal(0))],
    )
    irr_min_pct = models.DecimalField(
        _("minimum IRR (%)"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-99)), MaxValueValidator(Decimal(1000))],
        help_text=_("Leave empty to require IRR at least the discount rate."),
    )
    recommendation = models.TextField(_("officer's recommendation"), blank=True)
    # Set when a loan contract is opened from this (approved) assessment; migration 0002.
    loan = models.ForeignKey(
        "loans.Loan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("loan contract"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=1000, blank=True)
    # ---- results cache (written by services.recompute_assessment on every save)
    results = models.JSONField(_("results"), default=dict, blank=True)
    npv = MoneyField(_("NPV"), allow_negative=True, null=True, blank=True)
    irr = models.DecimalField(_("IRR"), max_digits=20, decimal_places=10, null=True, blank=True)
    bcr = _ratio_field(_("BCR"), null=True, blank=True)
    min_dscr = _ratio_field(_("minimum DSCR"), null=True, blank=True)
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FeasibilityAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("feasibility assessment")
        verbose_name_plural = _("feasibility assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(horizon_years__gte=1, horizon_years__lte=30),
                name="projects_feasibilityassessment_horizon_1_30",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:assessment_detail", args=[self.pk])

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.REJECTED)


class InvestmentItem(models.Model):
    """A capital outlay of an assessment (year, amount, useful life, salvage value)."""

    assessment = models.ForeignKey(
        FeasibilityAssessment, on_delete=models.CASCADE, related_name="investments"
    )
    name = models.CharField(_("item"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"), default=0, validators=[MaxValueValidator(30)])
    amount = MoneyField(_("amount"))
    useful_life_years = models.PositiveSmallIntegerField(
        _("useful life (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Leave empty for land (kept at its value)."),
    )
    salvage_value = MoneyField(_("salvage value"), default=0)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = scoped_manager("assessment__institution__office")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("investment item")
        verbose_name_plural = _("investment items")

    def __str__(self) -> str:
        return self.name


class CashFlowLine(models.Model):
    """A revenue or operating-cost line: year 1 + growth, or an amount for every year."""

    class Kind(models.TextChoices):
        REVENUE = "revenue", _("Revenue")
        COST = "cost", _("Cost")

    class Mode(models.TextChoices):
        GROWTH = "growth", _("Year 1 and growth")
        PER_YEAR = "per_year", _("Every year")

    assessment = models.ForeignKey(FeasibilityAssessment, on_delete=models.CASCADE, related_name="lines")
    name = models.CharField(_("line"), max_length=255)
    kind = models.CharField(_("revenue or cost"), max_length=10, choices=Kind.choices)
    mode = models.CharField(_("entry"), max_length=10, choices=Mode.choices, default=Mode.GROWTH)
    first_year_amount = MoneyField(_("year 1 amount"), default=0)
    growth_pct = models.DecimalField(
        _("growth (% a year)"),
        max_digits=7,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("-99")), MaxValueValidator(Decimal("1000"))],
    )
    # Per-year mode: amounts for years 1..horizon as Decimal strings ("125000.00").
    amounts = models.JSONField(_("amounts by year"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = scoped_manager("assessment__institution__office")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("cash-flow line")
        verbose_name_plural = _("cash-flow lines")

    def __str__(self) -> str:
        return self.name


class Scenario(models.Model):
    """A named what-if: investment, revenue and costs changed by percentages together."""

    assessment = models.ForeignKey(FeasibilityAssessment, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(_("scenario"), max_length=255)
    investment_change_pct = models.DecimalField(
        _("investment change (%)"),
        max_digits=7,
        decimal_places=2,
        default=Decimal(0),
        validators=PCT_CHANGE_VALIDATORS,
    )
    revenue_change_pct = models.DecimalField(
        _("revenue change (%)"),
        max_digits=7,
        decimal_places=2,
        default=Decimal(0),
        validators=PCT_CHANGE_VALIDATORS,
    )
    cost_change_pct = models.DecimalField(
        _("cost change (%)"),
        max_digits=7,
        decimal_places=2,
        default=Decimal(0),
        validators=PCT_CHANGE_VALIDATORS,
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = scoped_manager("assessment__institution__office")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return self.name
