"""Strategic plans: SWOT items, strategies answering them, goals, indicators with yearly targets."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coopsupport.scoping import ScopedQuerySet, scoped_manager

YEAR_BE_VALIDATORS = [MinValueValidator(2500), MaxValueValidator(2700)]


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
