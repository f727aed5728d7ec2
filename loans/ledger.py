"""The one place that turns a contract's rows into ``loans.arrears`` inputs and replays them.

A contract's life is split into *phases* at each debt restructuring (``ScheduleVersion`` with
reason ``restructure``, effective on day R). Phase 0 runs on the latest non-restructure schedule
(the original, or its rebuild after an extra tranche) with every disbursement. Phase k starts on
R_k: the payoff of phase k-1 at the end of R_k (principal + interest + penalty: accrued amounts are
capitalised) is its only disbursement, the restructured schedule its installments, and the rate in
force on R_k its first rate. Payments dated on or before R_k belong to the earlier phase.

Because the restructuring fixed the balance by resolution, services refuse any write dated on or
before the latest restructuring (payments, reversals, rate changes, waivers, tranches); the replay
checks that each restructured principal still equals the earlier phase's payoff.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from loans import arrears
from loans.arrears import ContractState, ContractTerms, PaymentIn, RatePeriod, ScheduledInstallment

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class VersionInput:
    pk: int
    number: int
    reason: str
    created_on: date
    principal: Decimal
    installments: tuple[tuple[int, int, date, Decimal], ...]  # (installment pk, number, due_on, principal)


@dataclass(frozen=True)
class LoanInputs:
    """Plain data loaded from the database for one contract (no live payments)."""

    loan_id: int
    penalty_rate_pct: Decimal
    day_count: str
    allocation_order: tuple[arrears.Component, ...]
    disbursements: tuple[tuple[date, Decimal], ...]
    rates: tuple[tuple[date, Decimal], ...]
    waivers: tuple[tuple[date, Decimal], ...]
    versions: tuple[VersionInput, ...]

    @property
    def restructure_dates(self) -> tuple[date, ...]:
        return tuple(v.created_on for v in self.versions if v.reason == "restructure")

    @property
    def first_disbursed_on(self) -> date | None:
        return min((d for d, _ in self.disbursements), default=None)


@dataclass
class Phase:
    index: int
    starts_on: date | None  # R_k (None for phase 0)
    ends_on: date | None  # the next R, or None for the last phase
    version: VersionInput
    terms: ContractTerms
    state: ContractState
    payments: tuple[PaymentIn, ...]


@dataclass
class Replay:
    """The contract's state on ``as_of`` and where each payment went."""

    as_of: date
    state: ContractState  # the current phase's state, with allocations and totals of every phase
    phases: list[Phase] = field(default_factory=list)
    # payment id -> (allocation, {engine installment number: Installment pk}) for every phase
    allocations: dict = field(default_factory=dict)

    @property
    def phase(self) -> Phase:
        return self.phases[-1]


def load_inputs(loan) -> LoanInputs:
    """Read a loan's terms from the database (uses prefetched relations when present)."""
    versions = []
    for v in sorted(loan.schedule_versions.all(), key=lambda v: v.number):
        rows = sorted(v.installment_rows.all(), key=lambda r: r.number)
        versions.append(
            VersionInput(
                v.pk, v.number, v.reason, v.created_on, v.principal,
                tuple((r.pk, r.number, r.due_on, r.principal) for r in rows),
            )
        )  # fmt: skip
    return LoanInputs(
        loan_id=loan.pk,
        penalty_rate_pct=loan.penalty_rate_pct,
        day_count=loan.day_count,
        allocation_order=loan.allocation_components,
        disbursements=tuple(sorted((d.disbursed_on, d.amount) for d in loan.disbursements.all())),
        rates=tuple(sorted((r.effective_on, r.rate_pct) for r in loan.rate_changes.all())),
        waivers=tuple(sorted((w.waived_on, w.amount) for w in loan.penalty_waivers.all())),
        versions=tuple(versions),
    )


def payment_inputs(payments: Iterable) -> tuple[PaymentIn, ...]:
    """Live payments (not reversed) as engine input, in posting order."""
    live = sorted((p for p in payments if not p.is_reversed), key=lambda p: (p.paid_on, p.pk))
    return tuple(PaymentIn(p.pk, p.paid_on, p.amount) for p in live)


def _rate_on(rates: tuple[tuple[date, Decimal], ...], day: date) -> Decimal:
    in_force = [rate for on, rate in rates if on <= day]
    if not in_force:
        raise ValueError(f"no interest rate in force on {day.isoformat()}")
    return in_force[-1]


def _phase_plan(inputs: LoanInputs) -> list[tuple[date | None, date | None, VersionInput]]:
    plan: list[tuple[date | None, date | None, VersionInput]] = []
    restructures = [v for v in inputs.versions if v.reason == "restructure"]
    first_r = restructures[0].number if restructures else None
    base = [
        v for v in inputs.versions if v.reason != "restructure" and (first_r is None or v.number < first_r)
    ]
    if not base:
        raise ValueError("the contract has no repayment schedule")
    starts = [None, *(v.created_on for v in restructures)]
    versions = [base[-1], *restructures]
    for i, version in enumerate(versions):
        ends = starts[i + 1] if i + 1 < len(starts) else None
        plan.append((starts[i], ends, version))
    return plan


def replay(inputs: LoanInputs, payments: Iterable[PaymentIn], as_of: date) -> Replay:
    """Replay every phase up to ``as_of``. Raises ValueError on inconsistent data."""
    payments = tuple(payments)
    result = Replay(as_of=as_of, state=None)  # type: ignore[arg-type]
    carried: Decimal | None = None
    for index, (starts_on, ends_on, version) in enumerate(_phase_plan(inputs)):
        if starts_on is not None and as_of < starts_on:
            break
        if starts_on is None:
            disbursements = tuple(arrears.Disbursement(on, amount) for on, amount in inputs.disbursements)
            rates = tuple(RatePeriod(on, rate) for on, rate in inputs.rates)
        else:
            if carried != version.principal:
                raise ValueError(
                    f"restructured principal {version.principal} differs from the balance {carried} "
                    f"on {starts_on.isoformat()}"
                )
            disbursements = (arrears.Disbursement(starts_on, version.principal),)
            rates = (RatePeriod(starts_on, _rate_on(inputs.rates, starts_on)),) + tuple(
                RatePeriod(on, rate) for on, rate in inputs.rates if on > starts_on
            )

        def in_phase(day: date, s=starts_on, e=ends_on) -> bool:
            return (s is None or day > s) and (e is None or day <= e)

        waived = sum((amount for on, amount in inputs.waivers if in_phase(on)), ZERO)
        terms = ContractTerms(
            installments=tuple(
                ScheduledInstallment(n, due, principal) for _, n, due, principal in version.installments
            ),
            disbursements=disbursements,
            rates=rates,
            penalty_rate_pct=inputs.penalty_rate_pct,
            day_count=inputs.day_count,
            allocation_order=inputs.allocation_order,
            waived_penalty=waived,
        )
        phase_payments = tuple(p for p in payments if in_phase(p.paid_on))
        phase_as_of = as_of if ends_on is None or as_of < ends_on else ends_on
        state = arrears.evaluate(terms, phase_payments, phase_as_of)
        result.phases.append(Phase(index, starts_on, ends_on, version, terms, state, phase_payments))
        numbers = {n: pk for pk, n, _, _ in version.installments}
        for allocation in state.allocations:
            result.allocations[allocation.payment_id] = (allocation, numbers)
        carried = state.payoff_amount
        if ends_on is None or as_of < ends_on:
            break
    if not result.phases:
        raise ValueError("the contract has no repayment schedule")
    result.state = _combined_state(result)
    return result


def _combined_state(result: Replay) -> ContractState:
    """The current phase's state, carrying every phase's allocations and paid totals."""
    current = result.phases[-1].state
    if len(result.phases) == 1:
        return current
    states = [p.state for p in result.phases]
    return dataclasses.replace(
        current,
        allocations=tuple(a for s in states for a in s.allocations),
        principal_paid=sum((s.principal_paid for s in states), ZERO),
        interest_paid=sum((s.interest_paid for s in states), ZERO),
        penalty_paid=sum((s.penalty_paid for s in states), ZERO),
        overpaid=sum((s.overpaid for s in states), ZERO),
    )
