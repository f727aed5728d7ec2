"""Projects: status history, indicators with their periods, progress updates."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coopsupport.money import MoneyField
from coopsupport.scoping import ScopedQuerySet, scoped_manager
from projects.models.plans import StrategicPlan, Strategy


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
