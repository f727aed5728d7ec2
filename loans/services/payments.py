"""Payments: post (row lock + replay), reverse (replay without it), the collection sheet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loans import arrears
from loans.models import (
    Loan,
    Payment,
    PaymentReversal,
)
from loans.services.checks import (
    NEW_PAYMENT,
    _check_open_period,
    _check_overpayment,
    _check_payment,
    _check_writer,
    _clean_amount,
    _lock,
)
from loans.services.state import _rederive, loan_replay

# ------------------------------------------------------------------ payments


@transaction.atomic
def record_payment(*, loan: Loan, amount, paid_on: date, receipt_number: str = "", note: str = "", by,
                   today: date | None = None) -> Payment:  # fmt: skip
    """Post a payment. The contract row is locked, so two officers posting at once are serialised and
    the second sees the first (no double application). Rejects (ValidationError, nothing saved):
    amount <= 0 or malformed, paid_on in the future or before the first disbursement or on/before a
    restructuring, a closed or written-off contract, more than everything owed, a receipt number
    already used on this contract."""
    today = today or timezone.localdate()
    loan = _lock(loan)
    _check_writer(loan, by)
    amount = _clean_amount(amount)
    _check_payment(loan, paid_on, today)
    receipt_number = (receipt_number or "").strip()
    if (
        receipt_number
        and Payment.objects.filter(loan=loan, receipt_number=receipt_number, is_reversed=False).exists()
    ):
        raise ValidationError(
            {"receipt_number": _("This receipt number is already recorded on this contract.")}
        )
    trial = loan_replay(loan, today, extra=[arrears.PaymentIn(NEW_PAYMENT, paid_on, amount)])
    if any(a.overpaid > 0 for a, _numbers in trial.allocations.values()):
        _check_overpayment(trial, paid_on, loan_replay(loan, paid_on).state.payoff_amount)
    payment = Payment.objects.create(
        loan=loan, paid_on=paid_on, amount=amount, receipt_number=receipt_number, note=note, posted_by=by
    )
    _rederive(loan, today)
    return payment


@transaction.atomic
def reverse_payment(*, payment: Payment, reason: str, by, today: date | None = None) -> PaymentReversal:
    """Reverse a posted payment: the payment row stays, a reversal row records who and why, and the
    contract is replayed without it, so every figure (and later payments' allocations) is exactly as
    if it had never been posted."""
    today = today or timezone.localdate()
    loan = _lock(payment.loan)
    _check_writer(loan, by)
    payment = Payment.objects.get(pk=payment.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Give the reason for the reversal."), code="required")}
        )
    if payment.is_reversed:
        raise ValidationError(_("This payment has already been reversed."), code="reversed")
    if loan.status == Loan.Status.WRITTEN_OFF:
        raise ValidationError(_("This contract is %(status)s.") % {"status": loan.get_status_display()})
    _check_open_period(loan, payment.paid_on, "reason")
    reversal = PaymentReversal.objects.create(payment=payment, reason=reason, reversed_by=by)
    Payment.objects.filter(pk=payment.pk).update(is_reversed=True)
    _rederive(loan, today)
    return reversal


@dataclass(frozen=True)
class CollectionRow:
    loan: Loan
    amount: object
    receipt_number: str = ""
    note: str = ""


class CollectionSheetError(ValidationError):
    """Some rows of a collection sheet were rejected; ``row_errors`` maps row index -> error."""

    def __init__(self, row_errors: dict[int, ValidationError]):
        self.row_errors = row_errors
        super().__init__(_("Nothing was saved: %(count)s rows have errors.") % {"count": len(row_errors)})


@transaction.atomic
def record_collection_sheet(*, paid_on: date, rows: Sequence[CollectionRow], by,
                            today: date | None = None) -> list[Payment]:  # fmt: skip
    """Post a day's receipts for many contracts: all or nothing. Every row is checked (so the
    officer sees every error at once); if any fails, nothing is saved."""
    today = today or timezone.localdate()
    if not rows:
        raise ValidationError(_("The sheet has no rows."))
    # Lock every contract first, in primary-key order, so two sheets cannot deadlock.
    list(Loan.objects.select_for_update().filter(pk__in=[r.loan.pk for r in rows]).order_by("pk"))
    errors: dict[int, ValidationError] = {}
    payments = []
    for index, row in enumerate(rows):
        try:
            with transaction.atomic():
                payments.append(
                    record_payment(
                        loan=row.loan,
                        amount=row.amount,
                        paid_on=paid_on,
                        receipt_number=row.receipt_number,
                        note=row.note,
                        by=by,
                        today=today,
                    )  # fmt: skip
                )
        except (ValidationError, PermissionDenied) as exc:
            errors[index] = exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
    if errors:
        raise CollectionSheetError(errors)
    return payments
