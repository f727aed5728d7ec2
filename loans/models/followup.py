"""The debtor-status timeline, moratoria on reminders, and collection follow-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coopsupport.money import MoneyField
from coopsupport.scoping import ScopedQuerySet, scoped_manager
from loans.models.contracts import Loan
from loans.models.schedules import ScheduleVersion


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
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="loans_moratorium_dates"
            ),
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

    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("loan")
    )
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
