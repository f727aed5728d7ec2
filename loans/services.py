"""Loan services: the only code that writes contracts, schedules, payments and events.

Every write is ``@transaction.atomic`` with keyword-only arguments, locks the contract row
(``SELECT … FOR UPDATE`` on PostgreSQL) before reading its money, replays the whole contract through
``loans.arrears`` (via ``loans.ledger``) and stores the derived rows (payment allocations, the
snapshot columns on ``Loan``). Rejections are ``ValidationError`` with Thai messages (gettext).

``today`` is a parameter wherever the clock matters; callers pass ``timezone.localdate()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from coopsupport.money import MAX_MONEY
from coopsupport.thai import format_date, format_money
from loans import arrears, ledger
from loans.models import (
    DebtorEvent,
    Disbursement,
    FollowUp,
    Installment,
    Loan,
    Payment,
    PaymentAllocation,
    PaymentReversal,
    PenaltyWaiver,
    RateChange,
    ScheduleVersion,
)
from loans.schedule import CENT, build_schedule, rebuild_schedule_for_remaining

ZERO = Decimal("0.00")
MAX_RATE = Decimal("100")
NEW_PAYMENT = "new"

__all__ = [
    "CollectionRow",
    "CollectionSheetError",
    "PaymentPreview",
    "RestructureTerms",
    "add_disbursement",
    "add_follow_up",
    "change_rate",
    "complete_follow_up",
    "create_loan",
    "loan_replay",
    "loan_state",
    "loan_states",
    "preview_payment",
    "record_collection_sheet",
    "record_event",
    "record_payment",
    "refresh_loan_snapshot",
    "refresh_loan_snapshots",
    "reverse_payment",
    "update_loan",
    "waive_penalty",
]


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


# ------------------------------------------------------------------ contracts


def _to_schedule_error(exc: ValueError) -> ValidationError:
    return ValidationError(
        _("The repayment schedule cannot be built: %(reason)s") % {"reason": exc}, code="schedule"
    )


def _store_schedule(*, loan: Loan, rows, number: int, reason: str, created_on: date, principal: Decimal,
                    rate_pct: Decimal, method: str, period_months: int, starts_on: date, first_due_on: date,
                    by, note: str = "") -> ScheduleVersion:  # fmt: skip
    ScheduleVersion.objects.filter(loan=loan, is_active=True).update(is_active=False)
    version = ScheduleVersion.objects.create(
        loan=loan, number=number, created_on=created_on, reason=reason, note=note, is_active=True,
        principal=principal, rate_pct=rate_pct, method=method, period_months=period_months,
        starts_on=starts_on, first_due_on=first_due_on, created_by=by,
    )  # fmt: skip
    Installment.objects.bulk_create(
        Installment(version=version, number=r.number, due_on=r.due_on, principal=r.principal,
                    interest=r.interest, total=r.total, balance=r.balance)
        for r in rows
    )  # fmt: skip
    return version


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


@transaction.atomic
def create_loan(
    *,
    by,
    borrower,
    fund,
    contract_number: str,
    signed_on: date,
    purpose: str,
    approved_amount,
    annual_rate_pct,
    method: str,
    period_months: int,
    installments: int,
    first_due_on: date,
    day_count: str,
    penalty_rate_pct,
    disbursed_on: date | None = None,
    disbursed_amount=None,
    scheme=None,
    committee: str = "",
    resolution_number: str = "",
    resolution_on: date | None = None,
    responsible_officer=None,
    note: str = "",
    allocation_order: str | None = None,
    debtor_class: str = "",
    today: date | None = None,
) -> Loan:
    """A new contract with its first disbursement, the rate at signing and schedule version 1."""
    from cooperatives.models import Institution

    today = today or timezone.localdate()
    if by is None or not by.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))
    if not Institution.objects.for_user(by).filter(pk=borrower.pk).exists():
        raise PermissionDenied(_("This institution is not in your office."))
    approved = _clean_amount(approved_amount, field="approved_amount")
    disbursed = _clean_amount(disbursed_amount if disbursed_amount not in (None, "") else approved,
                              field="disbursed_amount")  # fmt: skip
    rate = _check_rate(annual_rate_pct)
    penalty = _check_rate(penalty_rate_pct, "penalty_rate_pct")
    disbursed_on = disbursed_on or signed_on
    errors = {}
    if disbursed > approved:
        errors["disbursed_amount"] = _("The disbursement is more than the approved amount.")
    if disbursed_on < signed_on:
        errors["disbursed_on"] = _("The money cannot be paid out before the contract is signed.")
    if disbursed_on > today:
        errors["disbursed_on"] = _(
            "Record the contract once the money has been paid out (the date is in the future)."
        )
    if scheme is not None and scheme.fund_id != fund.pk:
        errors["scheme"] = _("The scheme belongs to another fund.")
    max_term = scheme.effective_max_term_months if scheme is not None else fund.max_term_months
    if installments and period_months and installments * period_months > max_term:
        errors["installments"] = _("The term is longer than the fund allows (%(months)s months).") % {
            "months": max_term
        }
    if Loan.objects.filter(contract_number=contract_number).exists():
        errors["contract_number"] = _("A contract with this number already exists.")
    if errors:
        raise ValidationError(errors)
    try:
        rows = build_schedule(
            principal=disbursed, annual_rate_pct=rate, disbursed_on=disbursed_on, first_due_on=first_due_on,
            installments=installments, period_months=period_months, method=method, day_count=day_count,
        )  # fmt: skip
    except ValueError as exc:
        raise _to_schedule_error(exc) from None
    try:
        with transaction.atomic():
            loan = Loan.objects.create(
                borrower=borrower, fund=fund, scheme=scheme, contract_number=contract_number, signed_on=signed_on,
                purpose=purpose, approved_amount=approved, committee=committee,
                resolution_number=resolution_number, resolution_on=resolution_on, method=method,
                period_months=period_months, installments=installments, first_due_on=first_due_on,
                day_count=day_count, penalty_rate_pct=penalty,
                allocation_order=allocation_order or fund.allocation_order,
                responsible_officer=responsible_officer, note=note, created_by=by,
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError({"contract_number": _("A contract with this number already exists.")}) from None
    Disbursement.objects.create(loan=loan, disbursed_on=disbursed_on, amount=disbursed, created_by=by)
    RateChange.objects.create(
        loan=loan, effective_on=min(signed_on, disbursed_on), rate_pct=rate, debtor_class=debtor_class,
        reason=_("Rate at signing"), created_by=by,
    )  # fmt: skip
    _store_schedule(
        loan=loan, rows=rows, number=1, reason=ScheduleVersion.Reason.ORIGINAL, created_on=disbursed_on,
        principal=disbursed, rate_pct=rate, method=method, period_months=period_months, starts_on=disbursed_on,
        first_due_on=first_due_on, by=by,
    )  # fmt: skip
    DebtorEvent.objects.create(
        loan=loan, status=Loan.Status.CURRENT, effective_on=signed_on, committee=_committee_ref(loan),
        note=_("Contract signed."), recorded_by=by,
    )  # fmt: skip
    refresh_loan_snapshot(loan, as_of=today)
    _check_writer(loan, by)
    return loan


def _committee_ref(loan: Loan) -> str:
    parts = [loan.committee, loan.resolution_number]
    if loan.resolution_on:
        parts.append(format_date(loan.resolution_on))
    return " ".join(p for p in parts if p)


EDITABLE_FIELDS = (
    "contract_number", "purpose", "committee", "resolution_number", "resolution_on", "responsible_officer",
    "note", "scheme",
)  # fmt: skip


@transaction.atomic
def update_loan(*, loan: Loan, by, **fields) -> Loan:
    """Change a contract's descriptive fields (money terms change through their own services)."""
    loan = _lock(loan)
    _check_writer(loan, by)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {', '.join(sorted(unknown))}")
    if "scheme" in fields and fields["scheme"] is not None and fields["scheme"].fund_id != loan.fund_id:
        raise ValidationError({"scheme": _("The scheme belongs to another fund.")})
    if (
        "contract_number" in fields
        and Loan.objects.filter(contract_number=fields["contract_number"]).exclude(pk=loan.pk).exists()
    ):
        raise ValidationError({"contract_number": _("A contract with this number already exists.")})
    for name, value in fields.items():
        setattr(loan, name, value)
    loan.save(update_fields=[*fields, "updated_at"])
    return loan


@transaction.atomic
def add_disbursement(*, loan: Loan, disbursed_on: date, amount, note: str = "", by,
                     today: date | None = None) -> Disbursement:  # fmt: skip
    """A further tranche: the schedule is rebuilt on the total disbursed (a new schedule version)."""
    today = today or timezone.localdate()
    loan = _lock(loan)
    _check_writer(loan, by)
    amount = _clean_amount(amount)
    if loan.is_closed:
        raise ValidationError(_("This contract is %(status)s.") % {"status": loan.get_status_display()})
    if _last_restructure_on(loan) is not None:
        raise ValidationError(_("A restructured contract takes no further disbursements."))
    disbursements = list(Disbursement.objects.filter(loan=loan))
    total = sum((d.amount for d in disbursements), ZERO) + amount
    if total > loan.approved_amount:
        raise ValidationError({"amount": _("The total disbursed would be more than the approved amount.")})
    if disbursed_on > today:
        raise ValidationError({"disbursed_on": _("The date cannot be in the future.")})
    first_on = min(d.disbursed_on for d in disbursements)
    if disbursed_on < first_on or disbursed_on >= loan.first_due_on:
        raise ValidationError(
            {
                "disbursed_on": _(
                    "A further tranche is paid between the first disbursement and the first due date."
                )
            }
        )
    disbursement = Disbursement.objects.create(
        loan=loan, disbursed_on=disbursed_on, amount=amount, note=note, created_by=by
    )
    rate = RateChange.objects.filter(loan=loan, effective_on__lte=first_on).order_by("-effective_on").first()
    try:
        rows = build_schedule(
            principal=total, annual_rate_pct=rate.rate_pct, disbursed_on=first_on, first_due_on=loan.first_due_on,
            installments=loan.installments, period_months=loan.period_months, method=loan.method,
            day_count=loan.day_count,
        )  # fmt: skip
    except ValueError as exc:
        raise _to_schedule_error(exc) from None
    number = ScheduleVersion.objects.filter(loan=loan).aggregate(n=Max("number"))["n"] + 1
    _store_schedule(
        loan=loan, rows=rows, number=number, reason=ScheduleVersion.Reason.DISBURSEMENT, created_on=disbursed_on,
        principal=total, rate_pct=rate.rate_pct, method=loan.method, period_months=loan.period_months,
        starts_on=first_on, first_due_on=loan.first_due_on, by=by,
    )  # fmt: skip
    _rederive(loan, today)
    return disbursement


@transaction.atomic
def change_rate(*, loan: Loan, effective_on: date, rate_pct, debtor_class: str = "", reason: str = "", by,
                today: date | None = None) -> RateChange:  # fmt: skip
    """A new interest rate from ``effective_on`` (yearly re-grading of the debtor class)."""
    today = today or timezone.localdate()
    loan = _lock(loan)
    _check_writer(loan, by)
    rate = _check_rate(rate_pct, "rate_pct")
    if loan.is_closed:
        raise ValidationError(_("This contract is %(status)s.") % {"status": loan.get_status_display()})
    if effective_on < loan.signed_on:
        raise ValidationError({"effective_on": _("The date is before the contract was signed.")})
    _check_open_period(loan, effective_on, "effective_on")
    if RateChange.objects.filter(loan=loan, effective_on=effective_on).exists():
        raise ValidationError({"effective_on": _("A rate already starts on this date.")})
    change = RateChange.objects.create(
        loan=loan,
        effective_on=effective_on,
        rate_pct=rate,
        debtor_class=debtor_class,
        reason=reason,
        created_by=by,
    )
    _rederive(loan, today)
    return change


@transaction.atomic
def waive_penalty(*, loan: Loan, waived_on: date, amount, resolution: str = "", note: str = "", by,
                  today: date | None = None) -> PenaltyWaiver:  # fmt: skip
    """Record penalty a committee waived."""
    today = today or timezone.localdate()
    loan = _lock(loan)
    _check_writer(loan, by)
    amount = _clean_amount(amount)
    if waived_on > today:
        raise ValidationError({"waived_on": _("The date cannot be in the future.")})
    _check_open_period(loan, waived_on, "waived_on")
    state = loan_state(loan, waived_on)
    if amount > state.accrued_penalty:
        raise ValidationError(
            {"amount": _("Only %(amount)s baht of penalty is unpaid on that date.")
             % {"amount": format_money(state.accrued_penalty)}}
        )  # fmt: skip
    waiver = PenaltyWaiver.objects.create(
        loan=loan, waived_on=waived_on, amount=amount, resolution=resolution, note=note, created_by=by
    )
    _rederive(loan, today)
    return waiver


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
