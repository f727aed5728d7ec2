"""Validation shared by the loan services (Thai ValidationErrors), the row lock, constants."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from coopsupport.money import MAX_MONEY
from coopsupport.thai import format_date, format_money
from loans import ledger
from loans.models import (
    Disbursement,
    Loan,
    ScheduleVersion,
)
from loans.schedule import CENT

ZERO = Decimal("0.00")
MAX_RATE = Decimal("100")
NEW_PAYMENT = "new"


# ------------------------------------------------------------------ validation helpers


def _clean_amount(value, *, field: str = "amount") -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(
            {field: ValidationError(_("Enter an amount in baht, e.g. 1,234.50"), code="invalid")}
        ) from None
    if not amount.is_finite():
        raise ValidationError(
            {field: ValidationError(_("Enter an amount in baht, e.g. 1,234.50"), code="invalid")}
        )
    if amount != amount.quantize(CENT):
        raise ValidationError(
            {field: ValidationError(_("An amount has at most two decimal places (satang)."), code="satang")}
        )
    if amount <= 0:
        raise ValidationError(
            {field: ValidationError(_("The amount must be greater than zero"), code="positive")}
        )
    if amount > MAX_MONEY:
        raise ValidationError({field: ValidationError(_("The amount is too large"), code="too_large")})
    return amount.quantize(CENT)


def _check_writer(loan: Loan, by) -> None:
    """The user may write this contract (inside the transaction, after the lock)."""
    if by is None or not by.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))
    if not Loan.objects.for_user(by).filter(pk=loan.pk).exists():
        raise PermissionDenied(_("This contract is not in your office."))


def _lock(loan: Loan) -> Loan:
    return Loan.objects.select_for_update().get(pk=loan.pk)


def _last_restructure_on(loan: Loan) -> date | None:
    return ScheduleVersion.objects.filter(loan=loan, reason=ScheduleVersion.Reason.RESTRUCTURE).aggregate(
        last=Max("created_on")
    )["last"]


def _check_open_period(loan: Loan, day: date, field: str) -> None:
    """Nothing may be dated on or before the latest restructuring: it fixed the balance."""
    last = _last_restructure_on(loan)
    if last is not None and day <= last:
        message = _("The date must be after the debt restructuring of %(date)s.") % {
            "date": format_date(last)
        }
        raise ValidationError({field: ValidationError(message, code="restructured")})


def _check_payment(loan: Loan, paid_on: date, today: date) -> None:
    if not isinstance(paid_on, date):
        raise ValidationError({"paid_on": ValidationError(_("Enter a valid date."), code="invalid")})
    if loan.status in Loan.CLOSED_STATUSES:
        raise ValidationError(
            _("This contract is %(status)s: payments cannot be recorded.")
            % {"status": loan.get_status_display()},
            code="closed",
        )
    if paid_on > today:
        raise ValidationError(
            {"paid_on": ValidationError(_("The payment date cannot be in the future."), code="future")}
        )
    first = (
        Disbursement.objects.filter(loan=loan).order_by("disbursed_on").values_list("disbursed_on", flat=True)
    )
    first = first.first()
    if first is None or paid_on < first:
        message = _("The payment date is before the first disbursement (%(date)s).") % {
            "date": format_date(first) if first else "–"
        }
        raise ValidationError({"paid_on": ValidationError(message, code="before_disbursement")})
    _check_open_period(loan, paid_on, "paid_on")


def _check_overpayment(trial: ledger.Replay, paid_on: date, payoff: Decimal) -> None:
    if any(a.overpaid > 0 for a, _numbers in trial.allocations.values()):
        message = _("The payment is more than everything owed on %(date)s (%(payoff)s baht).") % {
            "date": format_date(paid_on),
            "payoff": format_money(payoff),
        }
        raise ValidationError({"amount": ValidationError(message, code="overpayment")})


def _to_schedule_error(exc: ValueError) -> ValidationError:
    return ValidationError(
        _("The repayment schedule cannot be built: %(reason)s") % {"reason": exc}, code="schedule"
    )


def _check_rate(rate_pct, field: str = "annual_rate_pct") -> Decimal:
    try:
        rate = Decimal(str(rate_pct))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: ValidationError(_("Enter a rate in percent a year, e.g. 2.5"), code="invalid")}
        ) from None
    if not rate.is_finite() or rate < 0 or rate > MAX_RATE:
        raise ValidationError(
            {field: ValidationError(_("A rate is between 0 and 100 percent a year."), code="range")}
        )
    return rate
