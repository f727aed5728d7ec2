"""Payments, their reversals, and how each payment was applied (never edited or deleted)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coopsupport.money import MoneyField
from coopsupport.scoping import scoped_manager
from loans.models.contracts import Loan
from loans.models.schedules import Installment


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
