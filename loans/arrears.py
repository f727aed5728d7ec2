"""Arrears replay engine: the state of a loan contract on any day (pure: no Django, no clock).

``evaluate(terms, payments, as_of)`` replays disbursements, rate changes and posted payments from
the first disbursement up to ``as_of`` and reports what is owed. Same inputs -> same state.

Units and rounding
------------------
* Money is ``Decimal`` baht, rounded ROUND_HALF_UP to 0.01 (satang); rates are annual percents
  (``*_pct``). Payment and disbursement amounts must be whole satang.
* Interest and penalty accrue EXACTLY (``fractions.Fraction``) and are rounded to satang only at
  two boundaries: when a payment is allocated (the rounded accrued amount is what is payable) and
  when a state is reported. A payment that covers the rounded amount in full settles the accrual
  to that day (the sub-satang remainder is dropped), exactly as ``loans.schedule`` rounds each
  period's interest once, so paying a schedule on its due dates reproduces its interest to the
  satang. A partial payment is subtracted from the exact accrual.
* Interest accrues daily on the actual outstanding principal (disbursed - principal repaid) from
  the disbursement day, at the rate in force that day (latest ``RatePeriod.effective_on <= day``):
  - ACTUAL_365: each day accrues outstanding x rate/100 x 1/365 (leap years too);
  - THIRTY_360: each day accrues outstanding x rate/100 x d/360 where d is the 30E/360 day-number
    step (see ``loans.schedule``): 1 most days, 0 on a 31st, 3 (or 2) from the end of February.
  Sums over a period equal the schedule's day count, so the engine and the schedule agree.
* Penalty accrues on overdue principal at ``penalty_rate_pct``, always actual days / 365 (the
  DOMAIN example; it is a charge per day late, whatever the contract's day count). An installment
  due on day D and still unpaid at the end of D accrues penalty from D+1 on: evaluated on D+45 it
  has 45 days (200,000 x 3 % x 45/365 = 739.73). ``waived_penalty`` is a credit that absorbs
  penalty as it accrues (earliest first) before any payment sees it; unused credit is ignored.
* Day convention: a payment on day t pays interest and penalty accrued for the days BEFORE t;
  principal repaid on t stops accruing from t. Events of one day run in this order:
  disbursements, then payments by ``paid_on`` and, within a day, in posting order.
  Payments dated after ``as_of`` are ignored.

Allocation of a payment (``Component``; order configurable, default below)
-------------------------------------------------------------------------
1. PENALTY: accrued unpaid penalty;  2. INTEREST: accrued interest to the payment date;
3. OVERDUE_PRINCIPAL: principal of installments due before the payment date, oldest first;
4. CURRENT_PRINCIPAL: principal of the next unpaid installment (due on or after the payment
   date; several if they share that due date);
5. PREPAYMENT (always last): whatever remains reduces the principal of the LAST installments,
   latest first, so the borrower finishes early;
6. anything beyond penalty + interest + all outstanding principal is ``overpaid`` (the caller
   rejects it). Principal allocations are capped by the principal actually disbursed.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

# Portfolio measures, aging buckets and fiscal years live in loans.portfolio; re-exported here so
# ``from loans.arrears import portfolio_measures`` (and the rest) keeps working.
from loans.portfolio import RATIO as RATIO
from loans.portfolio import Bucket as Bucket
from loans.portfolio import BucketTotal as BucketTotal
from loans.portfolio import PortfolioMeasures as PortfolioMeasures
from loans.portfolio import aging_bucket as aging_bucket
from loans.portfolio import collection_rate as collection_rate
from loans.portfolio import fiscal_year_bounds as fiscal_year_bounds
from loans.portfolio import fiscal_year_of as fiscal_year_of
from loans.portfolio import portfolio_measures as portfolio_measures
from loans.schedule import CENT, DayCount, ScheduleRow, days_between, quantize_money, to_decimal
from loans.schedule import penalty_amount as penalty_amount  # re-exported
from loans.schedule import simple_interest as simple_interest  # re-exported

ZERO = Decimal("0.00")
PREVIEW_ID = "preview"


class Component(StrEnum):
    """What a part of a payment pays for."""

    PENALTY = "penalty"
    INTEREST = "interest"
    OVERDUE_PRINCIPAL = "overdue_principal"
    CURRENT_PRINCIPAL = "current_principal"
    PREPAYMENT = "prepayment"  # always applied last; not allowed in allocation_order


DEFAULT_ALLOCATION_ORDER = tuple(Component)[:4]  # PENALTY, INTEREST, OVERDUE_PRINCIPAL, CURRENT_PRINCIPAL


class InstallmentStatus(StrEnum):
    PAID = "paid"  # no principal outstanding
    OVERDUE = "overdue"  # due before as_of, principal outstanding (even if partly paid)
    DUE = "due"  # due on as_of, principal outstanding
    PARTLY_PAID = "partly_paid"  # not yet due, partly prepaid
    NOT_DUE = "not_due"  # not yet due, nothing paid


# ---------------------------------------------------------------- validation helpers


def _date(d: object, name: str) -> date:
    if isinstance(d, datetime) or not isinstance(d, date):
        raise ValueError(f"{name} must be a datetime.date (not a datetime), got {d!r}")
    return d


def _money(value: object, name: str, *, positive: bool = False) -> Decimal:
    amount = to_decimal(value, name)
    if amount != amount.quantize(CENT):
        raise ValueError(f"{name} must be in whole satang (2 decimal places), got {amount}")
    if amount < 0 or (positive and amount == 0):
        raise ValueError(
            f"{name} must be {'greater than zero' if positive else 'zero or more'}, got {amount}"
        )
    return amount.quantize(CENT)


def _rate(value: object, name: str) -> Decimal:
    rate = to_decimal(value, name)
    if rate < 0:
        raise ValueError(f"{name} must not be negative, got {rate}")
    return rate


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class ScheduledInstallment:
    """Principal due on ``due_on`` (interest is not scheduled here: it accrues daily)."""

    number: int
    due_on: date
    principal: Decimal

    def __post_init__(self) -> None:
        if isinstance(self.number, bool) or not isinstance(self.number, int) or self.number < 1:
            raise ValueError(f"installment number must be an int >= 1, got {self.number!r}")
        _date(self.due_on, "due_on")
        _set(self, "principal", _money(self.principal, f"principal of installment {self.number}"))


@dataclass(frozen=True)
class Disbursement:
    on: date
    amount: Decimal

    def __post_init__(self) -> None:
        _date(self.on, "disbursement date")
        _set(self, "amount", _money(self.amount, "disbursement amount", positive=True))


@dataclass(frozen=True)
class RatePeriod:
    """``annual_rate_pct`` applies from ``effective_on`` until the next RatePeriod."""

    effective_on: date
    annual_rate_pct: Decimal

    def __post_init__(self) -> None:
        _date(self.effective_on, "effective_on")
        _set(self, "annual_rate_pct", _rate(self.annual_rate_pct, "annual_rate_pct"))


@dataclass(frozen=True)
class PaymentIn:
    """A posted (not reversed) payment. ``id`` is any hashable key, unique per contract."""

    id: Hashable
    paid_on: date
    amount: Decimal

    def __post_init__(self) -> None:
        _date(self.paid_on, "paid_on")
        _set(self, "amount", _money(self.amount, f"amount of payment {self.id!r}", positive=True))


@dataclass(frozen=True)
class ContractTerms:
    """Everything about a contract except its payments. Sequences are stored as tuples;
    installments are sorted by (due_on, number)."""

    installments: tuple[ScheduledInstallment, ...]
    disbursements: tuple[Disbursement, ...]
    rates: tuple[RatePeriod, ...]
    penalty_rate_pct: Decimal = Decimal("0")
    day_count: DayCount = DayCount.ACTUAL_365
    allocation_order: tuple[Component, ...] = DEFAULT_ALLOCATION_ORDER
    waived_penalty: Decimal = ZERO

    def __post_init__(self) -> None:
        for name, kind in (("installments", ScheduledInstallment), ("disbursements", Disbursement),
                           ("rates", RatePeriod)):  # fmt: skip
            items = tuple(getattr(self, name))
            if not items or not all(isinstance(x, kind) for x in items):
                raise ValueError(f"{name}: give one or more {kind.__name__} (a 0 % rate for interest-free)")
        insts = tuple(sorted(self.installments, key=lambda i: (i.due_on, i.number)))
        disbs = tuple(sorted(self.disbursements, key=lambda d: d.on))
        rates = tuple(sorted(self.rates, key=lambda r: r.effective_on))
        numbers = [i.number for i in insts]
        if len(set(numbers)) != len(numbers):
            raise ValueError("installment numbers must be unique")
        if len({r.effective_on for r in rates}) != len(rates):
            raise ValueError("two interest rates are effective on the same day")
        if rates[0].effective_on > disbs[0].on:
            raise ValueError(
                f"no interest rate in force on the first disbursement {disbs[0].on.isoformat()}; "
                f"the earliest rate starts {rates[0].effective_on.isoformat()}"
            )
        scheduled = sum((i.principal for i in insts), ZERO)
        disbursed = sum((d.amount for d in disbs), ZERO)
        if scheduled != disbursed:
            raise ValueError(f"scheduled principal {scheduled} does not equal total disbursed {disbursed}")
        try:
            day_count = DayCount(self.day_count)
            order = tuple(Component(c) for c in self.allocation_order)
        except ValueError as exc:
            raise ValueError(f"bad contract terms: {exc}") from None
        if sorted(order) != sorted(DEFAULT_ALLOCATION_ORDER):
            names = ", ".join(c.value for c in DEFAULT_ALLOCATION_ORDER)
            raise ValueError(f"allocation_order must list each of {names} exactly once")
        _set(self, "installments", insts)
        _set(self, "disbursements", disbs)
        _set(self, "rates", rates)
        _set(self, "day_count", day_count)
        _set(self, "allocation_order", order)
        _set(self, "penalty_rate_pct", _rate(self.penalty_rate_pct, "penalty_rate_pct"))
        _set(self, "waived_penalty", _money(self.waived_penalty, "waived_penalty"))


def installments_from_schedule(rows: Iterable[ScheduleRow]) -> tuple[ScheduledInstallment, ...]:
    """The principal part of a ``loans.schedule`` schedule, as engine input."""
    return tuple(ScheduledInstallment(r.number, r.due_on, r.principal) for r in rows)


# ---------------------------------------------------------------- outputs


@dataclass(frozen=True)
class PrincipalAllocation:
    installment: int  # installment number
    due_on: date
    component: Component  # OVERDUE_PRINCIPAL, CURRENT_PRINCIPAL or PREPAYMENT
    amount: Decimal


@dataclass(frozen=True)
class Allocation:
    """How one payment was (or would be) applied."""

    payment_id: Hashable
    paid_on: date
    amount: Decimal
    penalty: Decimal
    interest: Decimal
    principal: tuple[PrincipalAllocation, ...]
    overpaid: Decimal  # excess over everything owed: the caller rejects it
    # derived from ``principal``:
    overdue_principal: Decimal = field(init=False)
    current_principal: Decimal = field(init=False)
    prepaid_principal: Decimal = field(init=False)  # reduces the LAST installments
    note: str = field(init=False)  # human-readable prepayment / overpayment message, '' if neither

    def __post_init__(self) -> None:
        parts = {c: sum((p.amount for p in self.principal if p.component is c), ZERO) for c in Component}
        _set(self, "overdue_principal", parts[Component.OVERDUE_PRINCIPAL])
        _set(self, "current_principal", parts[Component.CURRENT_PRINCIPAL])
        _set(self, "prepaid_principal", parts[Component.PREPAYMENT])
        note = []
        if self.prepaid_principal:
            nums = ", ".join(str(n) for n in self.reduced_installments)
            note.append(f"Prepayment of {self.prepaid_principal:,.2f} reduces the last installments ({nums})")
        if self.overpaid:
            note.append(f"Overpaid by {self.overpaid:,.2f}: more than everything owed")
        _set(self, "note", "; ".join(note))

    @property
    def principal_total(self) -> Decimal:
        return self.overdue_principal + self.current_principal + self.prepaid_principal

    @property
    def applied(self) -> Decimal:
        """penalty + interest + principal == amount - overpaid."""
        return self.penalty + self.interest + self.principal_total

    @property
    def prepayment(self) -> bool:
        return self.prepaid_principal > 0

    @property
    def reduced_installments(self) -> tuple[int, ...]:
        """Installment numbers whose principal the prepayment reduced, latest first."""
        return tuple(p.installment for p in self.principal if p.component is Component.PREPAYMENT)


@dataclass(frozen=True)
class InstallmentState:
    number: int
    due_on: date
    principal_due: Decimal
    principal_paid: Decimal
    principal_outstanding: Decimal
    days_past_due: int  # as of as_of; 0 unless overdue
    status: InstallmentStatus


@dataclass(frozen=True)
class NextDue:
    """The next unpaid installment due on or after as_of, and what would be owed on its due date
    if nothing more is paid (penalty + interest + overdue principal + its principal)."""

    number: int
    due_on: date
    principal: Decimal
    total_due: Decimal


@dataclass(frozen=True)
class ContractState:
    as_of: date
    outstanding_principal: Decimal  # disbursed to as_of - principal repaid
    accrued_interest: Decimal  # unpaid, to as_of
    accrued_penalty: Decimal  # unpaid, to as_of, after the waiver
    penalty_waived: Decimal  # waiver credit used so far
    overdue_principal: Decimal  # installments due before as_of, unpaid
    principal_due_today: Decimal  # installments due on as_of, unpaid
    total_due_now: Decimal  # penalty + interest + overdue principal + principal due today
    payoff_amount: Decimal  # penalty + interest + all outstanding principal
    days_past_due: int  # max over installments
    bucket: Bucket
    installments: tuple[InstallmentState, ...]
    next_due: NextDue | None
    allocations: tuple[Allocation, ...]
    principal_paid: Decimal
    interest_paid: Decimal
    penalty_paid: Decimal
    overpaid: Decimal

    @property
    def prepayment(self) -> bool:
        """True if any payment reduced the last installments (borrower finishing early)."""
        return any(a.prepayment for a in self.allocations)

    @property
    def prepayment_note(self) -> str:
        total = sum((a.prepaid_principal for a in self.allocations), ZERO)
        return f"Prepaid {total:,.2f} of principal: the last installments are reduced" if total else ""

    @property
    def is_settled(self) -> bool:
        """Everything disbursed and scheduled is repaid and nothing is owed."""
        return self.payoff_amount == 0 and all(i.status is InstallmentStatus.PAID for i in self.installments)


# ---------------------------------------------------------------- the engine


def _payable(exact: Fraction) -> Decimal:
    return max(quantize_money(exact), ZERO)


def _settle(exact: Fraction, available: Decimal) -> tuple[Decimal, Fraction]:
    """Pay an exact accrual from ``available``: (amount paid, exact accrual left). Paying the
    rounded amount in full settles it to zero (the sub-satang remainder is dropped)."""
    due = _payable(exact)
    paid = min(available, due)
    return paid, (Fraction(0) if paid == due else exact - Fraction(paid))


class _Ledger:
    """Mutable replay state; never leaves this module."""

    def __init__(self, terms: ContractTerms) -> None:
        self.terms = terms
        self.insts = terms.installments
        self.paid = [ZERO] * len(self.insts)
        self.disbursed = self.repaid = self.interest_paid = self.penalty_paid = self.overpaid = ZERO
        self.interest = self.penalty = self.waived = Fraction(0)  # exact, unpaid / used
        self.waiver_left = Fraction(terms.waived_penalty)
        self.allocations: list[Allocation] = []
        self._rate_days = [r.effective_on for r in terms.rates]

    def outstanding(self) -> Decimal:
        return self.disbursed - self.repaid

    def owed(self, i: int) -> Decimal:
        return self.insts[i].principal - self.paid[i]

    def rate_on(self, day: date) -> Decimal:
        k = bisect.bisect_right(self._rate_days, day) - 1
        if k < 0:
            raise ValueError(f"no interest rate in force on {day.isoformat()}")
        return self.terms.rates[k].annual_rate_pct

    def overdue_on(self, day: date) -> Decimal:
        """Principal of installments due on or before ``day`` and unpaid at its end."""
        owed = sum((self.owed(i) for i, inst in enumerate(self.insts) if inst.due_on <= day), ZERO)
        return min(owed, self.outstanding())

    def accrue(self, start: date, end: date) -> None:
        """Accrue interest and penalty for the days start .. end-1 (state is constant in between)."""
        outstanding = self.outstanding()
        if outstanding > 0:
            rate = Fraction(self.rate_on(start))
            dc = self.terms.day_count
            self.interest += Fraction(outstanding) * rate * days_between(start, end, dc) / (100 * dc.basis)
        overdue = self.overdue_on(start)
        if overdue > 0 and self.terms.penalty_rate_pct > 0:
            accrued = Fraction(overdue) * Fraction(self.terms.penalty_rate_pct) * (end - start).days / 36500
            waived = min(accrued, self.waiver_left)
            self.waiver_left -= waived
            self.waived += waived
            self.penalty += accrued - waived

    def _pay_principal(
        self, indexes: Iterable[int], remaining: Decimal, component: Component, out: list[PrincipalAllocation]
    ) -> Decimal:
        for i in indexes:
            if remaining <= 0:
                break
            take = min(remaining, self.owed(i), self.outstanding())
            if take > 0:
                self.paid[i] += take
                self.repaid += take
                remaining -= take
                out.append(PrincipalAllocation(self.insts[i].number, self.insts[i].due_on, component, take))
        return remaining

    def pay(self, payment: PaymentIn) -> None:
        day = payment.paid_on
        remaining = payment.amount
        penalty = interest = ZERO
        principal: list[PrincipalAllocation] = []
        n = len(self.insts)
        for component in self.terms.allocation_order:
            if remaining <= 0:
                break
            if component is Component.PENALTY:
                penalty, self.penalty = _settle(self.penalty, remaining)
                remaining -= penalty
            elif component is Component.INTEREST:
                interest, self.interest = _settle(self.interest, remaining)
                remaining -= interest
            elif component is Component.OVERDUE_PRINCIPAL:
                late = [i for i in range(n) if self.insts[i].due_on < day]
                remaining = self._pay_principal(late, remaining, component, principal)
            else:  # CURRENT_PRINCIPAL
                upcoming = [i for i in range(n) if self.insts[i].due_on >= day and self.owed(i) > 0]
                if upcoming:
                    first_due = self.insts[upcoming[0]].due_on
                    group = [i for i in upcoming if self.insts[i].due_on == first_due]
                    remaining = self._pay_principal(group, remaining, component, principal)
        if remaining > 0:
            remaining = self._pay_principal(reversed(range(n)), remaining, Component.PREPAYMENT, principal)
        self.penalty_paid += penalty
        self.interest_paid += interest
        self.overpaid += remaining
        self.allocations.append(
            Allocation(payment.id, day, payment.amount, penalty, interest, tuple(principal), remaining)
        )


def _replay(terms: ContractTerms, payments: Sequence[PaymentIn], until: date) -> _Ledger:
    """Run every event dated on or before ``until``; accrual is brought up to ``until``."""
    todo = sorted((p for p in payments if p.paid_on <= until), key=lambda p: p.paid_on)  # stable
    disbs = [d for d in terms.disbursements if d.on <= until]
    days = {until}
    days.update(p.paid_on for p in todo)
    days.update(d.on for d in disbs)
    days.update(r.effective_on for r in terms.rates if r.effective_on <= until)
    days.update(i.due_on for i in terms.installments if i.due_on <= until)
    ledger = _Ledger(terms)
    previous: date | None = None
    di = pi = 0
    for day in sorted(days):
        if previous is not None:
            ledger.accrue(previous, day)
        while di < len(disbs) and disbs[di].on == day:
            ledger.disbursed += disbs[di].amount
            di += 1
        while pi < len(todo) and todo[pi].paid_on == day:
            ledger.pay(todo[pi])
            pi += 1
        previous = day
    return ledger


def _check_payments(payments: Iterable[PaymentIn]) -> tuple[PaymentIn, ...]:
    items = tuple(payments)
    for p in items:
        if not isinstance(p, PaymentIn):
            raise ValueError(f"payments must be PaymentIn objects, got {p!r}")
    ids = [p.id for p in items]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate payment id: a payment may be posted only once")
    return items


def _due_amounts(ledger: _Ledger, as_of: date) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal]:
    """(penalty, interest, overdue principal, principal due today, total due now)."""
    outstanding = ledger.outstanding()
    late = sum((ledger.owed(i) for i, x in enumerate(ledger.insts) if x.due_on < as_of), ZERO)
    today = sum((ledger.owed(i) for i, x in enumerate(ledger.insts) if x.due_on == as_of), ZERO)
    overdue = min(late, outstanding)
    due_today = min(today, outstanding - overdue)
    penalty, interest = _payable(ledger.penalty), _payable(ledger.interest)
    return penalty, interest, overdue, due_today, penalty + interest + overdue + due_today


def evaluate(terms: ContractTerms, payments: Iterable[PaymentIn], as_of: date) -> ContractState:
    """The state of the contract at the end of ``as_of`` (payments dated after it are ignored)."""
    if not isinstance(terms, ContractTerms):
        raise ValueError("terms must be a ContractTerms")
    _date(as_of, "as_of")
    posted = tuple(p for p in _check_payments(payments) if p.paid_on <= as_of)
    ledger = _replay(terms, posted, as_of)
    penalty, interest, overdue, due_today, total_now = _due_amounts(ledger, as_of)

    states = []
    next_due = None
    for i, inst in enumerate(ledger.insts):
        owed = ledger.owed(i)
        late = owed > 0 and inst.due_on < as_of
        dpd = (as_of - inst.due_on).days if late else 0
        if owed == 0:
            status = InstallmentStatus.PAID
        elif late:
            status = InstallmentStatus.OVERDUE
        elif inst.due_on == as_of:
            status = InstallmentStatus.DUE
        elif ledger.paid[i] > 0:
            status = InstallmentStatus.PARTLY_PAID
        else:
            status = InstallmentStatus.NOT_DUE
        states.append(
            InstallmentState(inst.number, inst.due_on, inst.principal, ledger.paid[i], owed, dpd, status)
        )
        if next_due is None and owed > 0 and inst.due_on >= as_of:
            if inst.due_on == as_of:
                projected = total_now
            else:
                projected = _due_amounts(_replay(terms, posted, inst.due_on), inst.due_on)[4]
            next_due = NextDue(inst.number, inst.due_on, owed, projected)

    dpd_max = max((s.days_past_due for s in states), default=0)
    return ContractState(
        as_of=as_of,
        outstanding_principal=ledger.outstanding(),
        accrued_interest=interest,
        accrued_penalty=penalty,
        penalty_waived=quantize_money(ledger.waived),
        overdue_principal=overdue,
        principal_due_today=due_today,
        total_due_now=total_now,
        payoff_amount=penalty + interest + ledger.outstanding(),
        days_past_due=dpd_max,
        bucket=aging_bucket(dpd_max),
        installments=tuple(states),
        next_due=next_due,
        allocations=tuple(ledger.allocations),
        principal_paid=ledger.repaid,
        interest_paid=ledger.interest_paid,
        penalty_paid=ledger.penalty_paid,
        overpaid=ledger.overpaid,
    )


def preview_payment(
    terms: ContractTerms,
    payments: Iterable[PaymentIn],
    paid_on: date,
    amount: object,
    payment_id: Hashable = PREVIEW_ID,
) -> Allocation:
    """What a new payment of ``amount`` on ``paid_on`` would do, given the posted ``payments``
    (for the confirmation page). See ``Allocation.note`` / ``.prepayment`` / ``.overpaid``."""
    posted = _check_payments(payments)
    if any(p.id == payment_id for p in posted):
        raise ValueError(f"payment id {payment_id!r} is already posted; pass another payment_id")
    new = PaymentIn(payment_id, _date(paid_on, "paid_on"), amount)
    as_of = max([paid_on, *(p.paid_on for p in posted)])
    state = evaluate(terms, [*posted, new], as_of)
    return next(a for a in state.allocations if a.payment_id == payment_id)
