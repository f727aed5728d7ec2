"""Debtor-status events (incl. restructuring into a new schedule version) and the follow-up log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coopsupport.thai import format_date, format_money
from loans.models import (
    DebtorEvent,
    FollowUp,
    Loan,
    Payment,
    PenaltyWaiver,
    RateChange,
    ScheduleVersion,
)
from loans.schedule import rebuild_schedule_for_remaining
from loans.services.checks import (
    _check_rate,
    _check_writer,
    _clean_amount,
    _last_restructure_on,
    _lock,
    _to_schedule_error,
)
from loans.services.contracts import _store_schedule
from loans.services.state import _rederive, loan_state

# ------------------------------------------------------------------ debtor events


@dataclass(frozen=True)
class RestructureTerms:
    """The new schedule of a restructured contract (accrued interest and penalty are capitalised,
    unless ``waive_penalty`` writes the unpaid penalty off first)."""

    installments: int
    period_months: int
    first_due_on: date
    method: str
    rate_pct: Decimal | None = None  # None keeps the rate in force
    waive_penalty: bool = False


@transaction.atomic
def record_event(*, loan: Loan, status: str, effective_on: date, committee: str = "", note: str = "", by,
                 restructure: RestructureTerms | None = None, today: date | None = None) -> DebtorEvent:  # fmt: skip
    """A dated debtor-status step. ``restructured`` needs ``restructure`` terms and builds a new
    schedule version for the balance (the old version stays, inactive); ``deferral`` pauses
    reminders and any later step resumes them; ``closed`` needs nothing left to pay."""
    today = today or timezone.localdate()
    loan = _lock(loan)
    _check_writer(loan, by)
    if status not in Loan.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if loan.is_closed:
        raise ValidationError(_("This contract is %(status)s.") % {"status": loan.get_status_display()})
    if effective_on > today:
        raise ValidationError({"effective_on": _("The date cannot be in the future.")})
    if effective_on < loan.signed_on:
        raise ValidationError({"effective_on": _("The date is before the contract was signed.")})
    version = None
    if status == Loan.Status.RESTRUCTURED:
        if restructure is None:
            raise ValidationError(_("A restructuring needs the new repayment terms."))
        version = _restructure(loan, effective_on, restructure, by, today)
    elif status == Loan.Status.CLOSED and loan_state(loan, today).payoff_amount > 0:
        raise ValidationError(
            {"status": _("The contract still owes money: record the payments, or write it off.")}
        )
    event = DebtorEvent.objects.create(
        loan=loan, status=status, effective_on=effective_on, committee=committee, note=note,
        schedule_version=version, recorded_by=by,
    )  # fmt: skip
    loan.status = status
    loan.is_paused = status == Loan.Status.DEFERRAL
    loan.save(update_fields=["status", "is_paused", "updated_at"])
    _rederive(loan, today)
    return event


def _restructure(loan: Loan, on: date, terms: RestructureTerms, by, today: date) -> ScheduleVersion:
    last = _last_restructure_on(loan)
    if last is not None and on <= last:
        raise ValidationError({"effective_on": _("The date must be after the debt restructuring of %(date)s.")
                               % {"date": format_date(last)}})  # fmt: skip
    if Payment.objects.filter(loan=loan, is_reversed=False, paid_on__gt=on).exists():
        raise ValidationError(
            {
                "effective_on": _(
                    "There are payments after this date: restructure on or after the last payment."
                )
            }
        )
    if terms.waive_penalty:
        penalty = loan_state(loan, on).accrued_penalty
        if penalty > 0:
            PenaltyWaiver.objects.create(
                loan=loan, waived_on=on, amount=penalty, resolution=_("Debt restructuring"), created_by=by
            )
    if terms.rate_pct is not None:
        rate = _check_rate(terms.rate_pct, "rate_pct")
        current = RateChange.objects.filter(loan=loan, effective_on__lte=on).order_by("-effective_on").first()
        if current is None or current.rate_pct != rate:
            if RateChange.objects.filter(loan=loan, effective_on=on).exists():
                raise ValidationError({"rate_pct": _("A rate already starts on this date.")})
            RateChange.objects.create(
                loan=loan, effective_on=on, rate_pct=rate, reason=_("Debt restructuring"), created_by=by
            )
    rate = (
        RateChange.objects.filter(loan=loan, effective_on__lte=on).order_by("-effective_on").first().rate_pct
    )
    balance = loan_state(loan, on).payoff_amount
    if balance <= 0:
        raise ValidationError(_("Nothing is owed on that date: there is nothing to restructure."))
    try:
        rows = rebuild_schedule_for_remaining(
            outstanding_principal=balance, annual_rate_pct=rate, from_date=on, first_due_on=terms.first_due_on,
            installments=terms.installments, period_months=terms.period_months, method=terms.method,
            day_count=loan.day_count,
        )  # fmt: skip
    except ValueError as exc:
        raise _to_schedule_error(exc) from None
    number = ScheduleVersion.objects.filter(loan=loan).aggregate(n=Max("number"))["n"] + 1
    return _store_schedule(
        loan=loan, rows=rows, number=number, reason=ScheduleVersion.Reason.RESTRUCTURE, created_on=on,
        principal=balance, rate_pct=rate, method=terms.method, period_months=terms.period_months, starts_on=on,
        first_due_on=terms.first_due_on, by=by,
        note=_("Balance %(amount)s baht incl. accrued interest and penalty") % {"amount": format_money(balance)},
    )  # fmt: skip


# ------------------------------------------------------------------ follow-up


@transaction.atomic
def add_follow_up(*, loan: Loan, kind: str, contacted_on: date, note: str = "", promise_amount=None,
                  promise_on: date | None = None, by, today: date | None = None) -> FollowUp:  # fmt: skip
    """Log a call, visit, letter or promise to pay (a promise reminds the officer on its date)."""
    today = today or timezone.localdate()
    loan = _lock(loan)
    _check_writer(loan, by)
    errors = {}
    if contacted_on > today:
        errors["contacted_on"] = _("The date cannot be in the future.")
    if kind == FollowUp.Kind.PROMISE:
        if promise_on is None:
            errors["promise_on"] = _("A promise needs the date the borrower will pay.")
        elif promise_on < contacted_on:
            errors["promise_on"] = _("The promised date is before the contact date.")
        if promise_amount in (None, ""):
            errors["promise_amount"] = _("A promise needs the amount.")
    if errors:
        raise ValidationError(errors)
    if promise_amount not in (None, ""):
        promise_amount = _clean_amount(promise_amount, field="promise_amount")
    return FollowUp.objects.create(
        loan=loan, kind=kind, contacted_on=contacted_on, note=note, promise_amount=promise_amount or None,
        promise_on=promise_on, recorded_by=by,
    )  # fmt: skip


@transaction.atomic
def complete_follow_up(*, follow_up: FollowUp, by) -> FollowUp:
    """Mark a follow-up (e.g. a promise) as dealt with; doing it twice changes nothing."""
    _check_writer(follow_up.loan, by)
    FollowUp.objects.filter(pk=follow_up.pk, is_done=False).update(is_done=True)
    follow_up.is_done = True
    return follow_up
