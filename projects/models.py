"""Strategic plans, projects with indicators and progress, and feasibility assessments."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coopsupport.money import MoneyField, RatePctField
from coopsupport.scoping import ScopedQuerySet, scoped_manager

YEAR_BE_VALIDATORS = [MinValueValidator(2500), MaxValueValidator(2700)]
PCT_CHANGE_VALIDATORS = [MinValueValidator(Decimal(-100)), MaxValueValidator(Decimal(1000))]


def _ratio_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=6, **kwargs)


# =========================================================================== strategic plans
class StrategicPlanQuerySet(ScopedQuerySet):
    office_lookup = "institution__office"


class StrategicPlan(models.Model):
    """A cooperative's or group's strategic plan for a period of Buddhist Era years."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("In force")
        CLOSED = "closed", _("Closed")

    institution = models.ForeignKey(
        "cooperatives.Institution",
        on_delete=models.PROTECT,
        related_name="strategic_plans",
        verbose_name=_("institution"),
    )
    title = models.CharField(_("title"), max_length=255)
    start_year_be = models.PositiveSmallIntegerField(_("first year (B.E.)"), validators=YEAR_BE_VALIDATORS)
    end_year_be = models.PositiveSmallIntegerField(_("last year (B.E.)"), validators=YEAR_BE_VALIDATORS)
    vision = models.TextField(_("vision"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StrategicPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year_be", "institution__name"]
        verbose_name = _("strategic plan")
        verbose_name_plural = _("strategic plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year_be__gte=F("start_year_be")), name="projects_strategicplan_years_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year_be}–{self.end_year_be})"

    def get_absolute_url(self) -> str:
        return reverse("projects:plan_detail", args=[self.pk])

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year_be, self.end_year_be + 1))


class SwotItem(models.Model):
    """One strength, weakness, opportunity or threat found with the board."""

    class Kind(models.TextChoices):
        STRENGTH = "S", _("Strength")
        WEAKNESS = "W", _("Weakness")
        OPPORTUNITY = "O", _("Opportunity")
        THREAT = "T", _("Threat")

    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="swot_items")
    kind = models.CharField(_("SWOT category"), max_length=1, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = scoped_manager("plan__institution__office")

    class Meta:
        ordering = ["kind", "order", "id"]
        verbose_name = _("SWOT item")
        verbose_name_plural = _("SWOT items")

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"


class Strategy(models.Model):
    """A strategy of the plan and the SWOT items it answers."""

    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="strategies")
    text = models.CharField(_("strategy"), max_length=500)
    answers = models.ManyToManyField(
        SwotItem, blank=True, related_name="strategies", verbose_name=_("answers")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = scoped_manager("plan__institution__office")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        return self.text


class Goal(models.Model):
    """A goal of the plan."""

    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = scoped_manager("plan__institution__office")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.text


class PlanIndicator(models.Model):
    """A measurable indicator of the plan with a baseline; targets and actuals per year."""

    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=255)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = scoped_manager("plan__institution__office")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("plan indicator")
        verbose_name_plural = _("plan indicators")

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(models.Model):
    """The target and the actual of a plan indicator for one B.E. year."""

    indicator = models.ForeignKey(PlanIndicator, on_delete=models.CASCADE, related_name="targets")
    year_be = models.PositiveSmallIntegerField(_("year (B.E.)"), validators=YEAR_BE_VALIDATORS)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(_("actual"), max_digits=16, decimal_places=2, null=True, blank=True)

    objects = scoped_manager("indicator__plan__institution__office")

    class Meta:
        ordering = ["year_be"]
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year_be"], name="projects_indicatortarget_one_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year_be}"


# =========================================================================== projects
class ProjectQuerySet(ScopedQuerySet):
    office_lookup = "institution__office"

    def in_progress(self):
        return self.filter(status=Project.Status.IN_PROGRESS)


class Project(models.Model):
    """A project of an institution, under a plan or standalone."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPRAISED = "appraised", _("Appraised")
        APPROVED = "approved", _("Approved")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    FLOW = (Status.PROPOSED, Status.APPRAISED, Status.APPROVED, Status.IN_PROGRESS, Status.COMPLETED)
    TERMINAL = (Status.COMPLETED, Status.CANCELLED)

    institution = models.ForeignKey(
        "cooperatives.Institution",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("institution"),
    )
    plan = models.ForeignKey(
        StrategicPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("strategic plan"),
    )
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("strategy"),
    )
    name = models.CharField(_("project name"), max_length=255)
    objectives = models.TextField(_("objectives"), blank=True)
    activities = models.TextField(_("activities"), blank=True)
    budget = MoneyField(_("budget (baht)"), default=0)
    funding_sources = models.TextField(_("funding sources"), blank=True)
    start_on = models.DateField(_("start date"), null=True, blank=True)
    end_on = models.DateField(_("end date"), null=True, blank=True)
    responsible_people = models.TextField(_("responsible people"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    status_on = models.DateField(_("status since"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(start_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="projects_project_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.pk])

    def allowed_next_statuses(self) -> list[str]:
        """Forward along the flow (skipping is allowed), or cancel while not finished."""
        if self.status in self.TERMINAL:
            return []
        later = list(self.FLOW[self.FLOW.index(self.status) + 1 :])
        return [*later, self.Status.CANCELLED]


class ProjectStatusEvent(models.Model):
    """A dated change of a project's status."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_events")
    status = models.CharField(_("status"), max_length=20, choices=Project.Status.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("project__institution__office")

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("project status event")
        verbose_name_plural = _("project status events")

    def __str__(self) -> str:
        return f"{self.project} {self.status} {self.on}"


class ProjectIndicator(models.Model):
    """An indicator of a project with its baseline; targets and actuals per period."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=255)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = scoped_manager("project__institution__office")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("project indicator")
        verbose_name_plural = _("project indicators")

    def __str__(self) -> str:
        return self.name


class ProjectIndicatorPeriod(models.Model):
    """Target and actual of a project indicator for a period ending on a date."""

    indicator = models.ForeignKey(ProjectIndicator, on_delete=models.CASCADE, related_name="periods")
    label = models.CharField(_("period"), max_length=100)
    period_end_on = models.DateField(_("period ends"))
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(_("actual"), max_digits=16, decimal_places=2, null=True, blank=True)

    objects = scoped_manager("indicator__project__institution__office")

    class Meta:
        ordering = ["period_end_on", "id"]
        verbose_name = _("indicator period")
        verbose_name_plural = _("indicator periods")

    def __str__(self) -> str:
        return f"{self.indicator} {self.label}"


class ProgressUpdate(models.Model):
    """A dated progress note on a project with the percent of work done."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress_updates")
    on = models.DateField(_("date"))
    percent = models.PositiveSmallIntegerField(_("work done (%)"), validators=[MaxValueValidator(100)])
    text = models.TextField(_("progress"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager("project__institution__office")

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="projects_progressupdate_percent_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.on} {self.percent}%"


# =========================================================================== feasibility
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
