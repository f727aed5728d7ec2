"""Reading a contract's state (one replay through loans.arrears) and writing its derived rows:
payment allocations and the snapshot columns on Loan."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from loans import arrears, ledger
from loans.models import (
    DebtorEvent,
    Loan,
    Payment,
    PaymentAllocation,
    ScheduleVersion,
)
from loans.services.checks import NEW_PAYMENT, ZERO, _check_overpayment, _check_payment, _clean_amount

# ------------------------------------------------------------------ reading


def _prefetched(queryset):
    return queryset.select_related("fund", "borrower").prefetch_related(
        Prefetch("schedule_versions", queryset=ScheduleVersion.objects.prefetch_related("installment_rows")),
        "disbursements",
        "rate_changes",
        "penalty_waivers",
        Prefetch("payments", queryset=Payment.objects.filter(is_reversed=False)),
    )


def _fresh(loan: Loan) -> Loan:
    return _prefetched(Loan.objects.all()).get(pk=loan.pk)


def loan_replay(loan: Loan, as_of: date, *, extra: Iterable[arrears.PaymentIn] = ()) -> ledger.Replay:
    """Replay a contract from the database (plus ``extra`` unsaved payments) to the end of ``as_of``."""
    loan = _fresh(loan)
    payments = ledger.payment_inputs(loan.payments.all()) + tuple(extra)
    return ledger.replay(ledger.load_inputs(loan), payments, as_of)


def loan_state(loan: Loan, as_of: date) -> arrears.ContractState:
    """What the contract owes at the end of ``as_of`` — the one source for pages, statements and
    dashboards (PDFs and HTML call this same function so they never disagree)."""
    return loan_replay(loan, as_of).state


def loan_states(loans, as_of: date) -> dict[int, arrears.ContractState]:
    """States of many contracts with a fixed number of queries (for dashboards and reports)."""
    out = {}
    for loan in _prefetched(loans):
        payments = ledger.payment_inputs(loan.payments.all())
        out[loan.pk] = ledger.replay(ledger.load_inputs(loan), payments, as_of).state
    return out


@dataclass(frozen=True)
class PaymentPreview:
    """What a payment would do, for the confirmation page."""

    allocation: arrears.Allocation
    before: arrears.ContractState
    after: arrears.ContractState
    finishes_loan: bool  # the payment pays everything off
    finishes_early: bool  # … before the last installment's due date
    installment_numbers: dict  # engine installment number -> Installment pk


def preview_payment(*, loan: Loan, amount, paid_on: date, today: date | None = None) -> PaymentPreview:
    """Validate a payment as ``record_payment`` would, and show its allocation without saving."""
    today = today or timezone.localdate()
    amount = _clean_amount(amount)
    _check_payment(loan, paid_on, today)
    as_of = max(paid_on, today)
    before = loan_replay(loan, paid_on)
    trial = loan_replay(loan, as_of, extra=[arrears.PaymentIn(NEW_PAYMENT, paid_on, amount)])
    allocation, numbers = trial.allocations[NEW_PAYMENT]
    _check_overpayment(trial, paid_on, before.state.payoff_amount)
    after = loan_replay(loan, paid_on, extra=[arrears.PaymentIn(NEW_PAYMENT, paid_on, amount)]).state
    last_due = max(i.due_on for i in after.installments)
    finishes = after.payoff_amount == 0
    return PaymentPreview(allocation, before.state, after, finishes, finishes and paid_on < last_due, numbers)


# ------------------------------------------------------------------ derived rows


def _write_allocations(loan: Loan, replay: ledger.Replay) -> None:
    """Rewrite the allocation rows of every live payment from the replay."""
    live_ids = list(Payment.objects.filter(loan=loan, is_reversed=False).values_list("pk", flat=True))
    PaymentAllocation.objects.filter(payment_id__in=live_ids).delete()
    rows = []
    for payment_id in live_ids:
        allocation, numbers = replay.allocations[payment_id]
        if allocation.penalty:
            rows.append(
                PaymentAllocation(payment_id=payment_id, component="penalty", amount=allocation.penalty)
            )
        if allocation.interest:
            rows.append(
                PaymentAllocation(payment_id=payment_id, component="interest", amount=allocation.interest)
            )
        for part in allocation.principal:
            rows.append(
                PaymentAllocation(
                    payment_id=payment_id,
                    component=part.component.value,
                    installment_id=numbers[part.installment],
                    amount=part.amount,
                )
            )
    PaymentAllocation.objects.bulk_create(rows)


def _snapshot_fields(loan: Loan, state: arrears.ContractState, as_of: date) -> dict:
    unpaid = [i.due_on for i in state.installments if i.principal_outstanding > 0]
    late = state.days_past_due > 0
    return {
        "snapshot_on": as_of,
        "disbursed_amount": sum(
            (d.amount for d in loan.disbursements.all() if d.disbursed_on <= as_of), ZERO
        ),
        "outstanding_principal": state.outstanding_principal,
        "overdue_principal": state.overdue_principal,
        "accrued_interest": state.accrued_interest,
        "accrued_penalty": state.accrued_penalty,
        "overdue_amount": (state.accrued_penalty + state.accrued_interest + state.overdue_principal)
        if late
        else ZERO,
        "payoff_amount": state.payoff_amount,
        "days_past_due": state.days_past_due,
        "next_due_on": state.next_due.due_on if state.next_due else None,
        "next_due_amount": state.next_due.total_due if state.next_due else ZERO,
        "oldest_unpaid_due_on": min(unpaid) if unpaid else None,
    }


def _automatic_status(loan: Loan, state: arrears.ContractState, as_of: date) -> tuple[str, date] | None:
    """current <-> overdue follow days past due; a settled contract closes; a reversal reopens it."""
    if loan.status == Loan.Status.WRITTEN_OFF:
        return None
    if state.is_settled:
        return None if loan.status == Loan.Status.CLOSED else (Loan.Status.CLOSED, as_of)
    if loan.status == Loan.Status.CLOSED:
        previous = (
            DebtorEvent.objects.filter(loan=loan)
            .exclude(status__in=Loan.CLOSED_STATUSES)
            .order_by("-effective_on", "-id")
            .values_list("status", flat=True)
            .first()
        )
        status = previous or Loan.Status.CURRENT
        if status in Loan.AUTOMATIC_STATUSES:
            status = Loan.Status.OVERDUE if state.days_past_due else Loan.Status.CURRENT
        return status, as_of
    if loan.status in Loan.AUTOMATIC_STATUSES:
        wanted = Loan.Status.OVERDUE if state.days_past_due else Loan.Status.CURRENT
        if wanted != loan.status:
            day = as_of - timedelta(days=state.days_past_due - 1) if state.days_past_due else as_of
            return wanted, day
    return None


def refresh_loan_snapshot(loan: Loan, *, as_of: date, replay: ledger.Replay | None = None) -> Loan:
    """Store the contract's figures on ``as_of`` in its snapshot columns; move its automatic status."""
    fresh = _fresh(loan)
    if replay is None:
        replay = ledger.replay(ledger.load_inputs(fresh), ledger.payment_inputs(fresh.payments.all()), as_of)
    fields = _snapshot_fields(fresh, replay.state, as_of)
    change = _automatic_status(fresh, replay.state, as_of)
    if change is not None:
        status, day = change
        fields["status"] = status
        fields["is_paused"] = False
        note = (
            _("Paid in full.") if status == Loan.Status.CLOSED else _("Set automatically from the payments.")
        )
        DebtorEvent.objects.create(loan=fresh, status=status, effective_on=day, note=note, is_automatic=True)
    Loan.objects.filter(pk=fresh.pk).update(**fields)
    for name, value in fields.items():
        setattr(loan, name, value)
    return loan


def refresh_loan_snapshots(*, as_of: date, loans=None) -> int:
    """Daily job (``manage.py refresh_loan_snapshots``): refresh every open contract. Returns the count."""
    queryset = loans if loans is not None else Loan.objects.exclude(status=Loan.Status.WRITTEN_OFF)
    count = 0
    for pk in queryset.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            refresh_loan_snapshot(Loan.objects.select_for_update().get(pk=pk), as_of=as_of)
        count += 1
    return count


def _rederive(loan: Loan, today: date) -> ledger.Replay:
    """Replay after a write: rewrite allocations and the snapshot (raises ValidationError if the
    data no longer replays, which rolls the write back)."""
    as_of = max([today, *Payment.objects.filter(loan=loan).values_list("paid_on", flat=True)])
    try:
        replay = loan_replay(loan, as_of)
    except ValueError as exc:
        raise ValidationError(
            _("The contract's figures do not add up: %(reason)s") % {"reason": exc}
        ) from None
    if any(a.overpaid > 0 for a, _numbers in replay.allocations.values()):
        raise ValidationError(_("This change would make a later payment more than everything owed."))
    _write_allocations(loan, replay)
    refresh_loan_snapshot(loan, as_of=today, replay=None if as_of != today else replay)
    return replay
