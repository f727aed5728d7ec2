"""Rendered documents (PDFs made in Celery), performance indicators and monthly reports."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coopsupport.models import Office
from coopsupport.scoping import ScopedQuerySet, scoped_manager


class DocumentQuerySet(ScopedQuerySet):
    """Documents of an office; documents without an office (national) only for central/admin."""

    office_lookup = "office"


class Document(models.Model):
    """A file (usually a PDF) rendered in the background by a registered renderer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=100, db_index=True)
    title = models.CharField(_("title"), max_length=255)
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("office"),
        help_text=_("Empty for national documents (central staff only)."),
    )
    # Natural key of scheduled documents (e.g. "2026-10" for a monthly report); empty on demand.
    period = models.CharField(_("period"), max_length=20, blank=True, default="")
    params = models.JSONField(_("parameters"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True, max_length=255)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "office", "period"],
                condition=~Q(period=""),
                name="reports_document_unique_period",
            ),
        ]
        indexes = [models.Index(fields=["office", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        """Still waiting or rendering: the detail page keeps polling."""
        return self.status in (self.Status.PENDING, self.Status.RUNNING)


class Indicator(models.Model):
    """A performance indicator of an office for one fiscal year, with its annual plan target."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        AUTO = "auto", _("Counted by the system")

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("office")
    )
    fiscal_year_be = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"), db_index=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("number"), max_length=20, blank=True, help_text=_("e.g. 1.2"))
    name = models.CharField(_("indicator"), max_length=255)
    unit = models.CharField(_("unit"), max_length=50)
    annual_target = models.DecimalField(
        _("annual plan target"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    # Twelve optional monthly targets, October first, as decimal strings ([] = no monthly plan).
    monthly_targets = models.JSONField(_("monthly plan targets"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    auto_metric = models.CharField(_("counted from"), max_length=50, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager("office")

    class Meta:
        ordering = ["office", "fiscal_year_be", "order", "code", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "fiscal_year_be", "name"], name="reports_indicator_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class IndicatorResult(models.Model):
    """What an indicator achieved in one month (``month`` is the first day of the month)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="results", verbose_name=_("indicator")
    )
    month = models.DateField(_("month"))
    value = models.DecimalField(
        _("result"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager("indicator__office")

    class Meta:
        ordering = ["indicator", "month"]
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "month"], name="reports_indicatorresult_one_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%Y-%m}: {self.value}"


class MonthlySignOff(models.Model):
    """A supervisor's sign-off of an office's monthly performance report (freezes its numbers)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    month = models.DateField(_("month"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed by")
    )
    signed_at = models.DateTimeField(_("signed at"))
    note = models.TextField(_("note"), blank=True)

    objects = scoped_manager("office")

    class Meta:
        ordering = ["-month"]
        verbose_name = _("monthly report sign-off")
        verbose_name_plural = _("monthly report sign-offs")
        constraints = [
            models.UniqueConstraint(fields=["office", "month"], name="reports_monthlysignoff_one_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.month:%Y-%m}"
