"""Reminder levels (per fund: when, which channels, what text) and the reminders sent by
``loans.reminders``."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coopsupport.money import MoneyField
from coopsupport.scoping import scoped_manager
from loans.models.common import ConfigQuerySet
from loans.models.funds import Fund
from loans.models.schedules import Installment


class ReminderLevel(models.Model):
    """A reminder sent ``offset_days`` from a due date (negative = before): notice or demand."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("Notice before due")
        DEMAND = "demand", _("Demand after due")

    fund = models.ForeignKey(
        Fund, on_delete=models.CASCADE, related_name="reminder_levels", verbose_name=_("fund")
    )
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
                fields=["installment", "level", "channel"],
                name="loans_reminder_unique_installment_level_channel",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["channel", "issued_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.installment} {self.level} {self.channel}"
