"""National configuration: lending funds and the schemes under them (admins edit them)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coopsupport.money import RatePctField
from loans.models.common import (
    PERIOD_CHOICES,
    AllocationOrder,
    ConfigQuerySet,
    DayCountChoices,
    MethodChoices,
)


class Fund(models.Model):
    """A lending fund (กองทุน) with its default terms; contracts copy them and may override."""

    class Kind(models.TextChoices):
        DEVELOPMENT = "development", _("Cooperative Development Fund")
        FARMER_WELFARE = "farmer_welfare", _("Farmer Welfare Fund")
        OTHER = "other", _("Other fund")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        pgettext_lazy("loans", "kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER
    )
    rate_pct = RatePctField(_("default interest rate (% a year)"), default=Decimal("0"))
    penalty_rate_pct = RatePctField(_("penalty rate on overdue principal (% a year)"), default=Decimal("0"))
    day_count = models.CharField(
        _("day count"), max_length=20, choices=DayCountChoices.choices, default=DayCountChoices.ACTUAL_365
    )
    method = models.CharField(
        _("repayment method"),
        max_length=20,
        choices=MethodChoices.choices,
        default=MethodChoices.EQUAL_PRINCIPAL,
    )
    period_months = models.PositiveSmallIntegerField(
        _("repayment period"), choices=PERIOD_CHOICES, default=12
    )
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
        _("maximum term (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
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
