"""loans.arrears: the replay engine, allocation, aging and portfolio measures."""

from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from loans.arrears import (
    DEFAULT_ALLOCATION_ORDER,
    Bucket,
    Component,
    ContractTerms,
    Disbursement,
    InstallmentStatus,
    PaymentIn,
    RatePeriod,
    ScheduledInstallment,
    aging_bucket,
    collection_rate,
    evaluate,
    fiscal_year_bounds,
    fiscal_year_of,
    installments_from_schedule,
    penalty_amount,
    portfolio_measures,
    preview_payment,
    simple_interest,
)
from loans.schedule import DayCount, Method, add_months, build_schedule

ROOT = Path(__file__).resolve().parents[2]
D = Decimal
OCT_2024 = date(2024, 10, 1)


def domain_rows():
    return build_schedule(
        principal=D("1000000.00"),
        annual_rate_pct=D("2.5"),
        disbursed_on=OCT_2024,
        first_due_on=date(2025, 10, 1),
        installments=5,
        period_months=12,
        method=Method.EQUAL_PRINCIPAL,
    )


def domain_terms(**changes) -> ContractTerms:
    """DOMAIN §4: 1,000,000 at 2.5 %, 5 annual installments of 200,000 due each 1 Oct, penalty 3 %."""
    base = dict(
        installments=installments_from_schedule(domain_rows()),
        disbursements=(Disbursement(OCT_2024, D("1000000.00")),),
        rates=(RatePeriod(OCT_2024, D("2.5")),),
        penalty_rate_pct=D("3"),
    )
    return ContractTerms(**{**base, **changes})


def pay(pid, on, amount) -> PaymentIn:
    return PaymentIn(pid, on, D(amount))


# ---------------------------------------------------------------- accrual


def test_interest_over_a_365_day_year_is_25000():
    state = evaluate(domain_terms(), [], date(2025, 10, 1))
    assert state.accrued_interest == D("25000.00")
    assert state.accrued_penalty == D("0.00")
    assert simple_interest(D("1000000"), D("2.5"), OCT_2024, date(2025, 10, 1)) == D("25000.00")


def test_penalty_45_days_on_200000_at_3_pct_is_739_73():
    assert penalty_amount(D("200000"), D("3"), 45) == D("739.73")
    state = evaluate(domain_terms(), [], date(2025, 10, 1) + timedelta(days=45))
    assert state.accrued_penalty == D("739.73")
    assert state.overdue_principal == D("200000.00")
    assert state.days_past_due == 45
    assert state.bucket is Bucket.D31_90
    assert state.accrued_interest == D("28082.19")  # 1,000,000 x 2.5 % x 410/365
    assert state.total_due_now == D("739.73") + D("28082.19") + D("200000.00")


def test_due_today_is_not_yet_overdue_and_penalty_starts_the_day_after():
    on_due = evaluate(domain_terms(), [], date(2025, 10, 1))
    first = on_due.installments[0]
    assert (first.status, first.days_past_due) == (InstallmentStatus.DUE, 0)
    assert on_due.principal_due_today == D("200000.00") and on_due.overdue_principal == 0
    assert on_due.total_due_now == D("225000.00")
    assert on_due.bucket is Bucket.CURRENT
    next_day = evaluate(domain_terms(), [], date(2025, 10, 2))
    assert next_day.installments[0].status is InstallmentStatus.OVERDUE
    assert next_day.days_past_due == 1
    assert next_day.accrued_penalty == D("16.44")


def test_rate_history_applies_each_rate_from_its_effective_day():
    terms = domain_terms(rates=(RatePeriod(OCT_2024, D("2.5")), RatePeriod(date(2025, 4, 1), D("5"))))
    # 1,000,000 x (2.5 % x 182 + 5 % x 183) / 365
    assert evaluate(terms, [], date(2025, 10, 1)).accrued_interest == D("37534.25")


def test_interest_accrues_only_on_what_was_disbursed():
    terms = domain_terms(
        disbursements=(Disbursement(OCT_2024, D("600000.00")), Disbursement(date(2025, 4, 1), D("400000.00")))
    )
    early = evaluate(terms, [], date(2025, 3, 1))
    assert early.outstanding_principal == D("600000.00")
    # (600,000 x 182 + 1,000,000 x 183) x 2.5 % / 365
    assert evaluate(terms, [], date(2025, 10, 1)).accrued_interest == D("20013.70")


def test_thirty_360_accrual_follows_30e_day_numbers():
    terms = ContractTerms(
        installments=(ScheduledInstallment(1, date(2025, 1, 31), D("1200.00")),),
        disbursements=(Disbursement(date(2024, 1, 31), D("1200.00")),),
        rates=(RatePeriod(date(2024, 1, 1), D("12")),),
        day_count=DayCount.THIRTY_360,
    )
    assert evaluate(terms, [], date(2024, 2, 29)).accrued_interest == D("12.00")  # 30 days
    assert evaluate(terms, [], date(2024, 3, 1)).accrued_interest == D("12.40")  # 31 days
    assert evaluate(terms, [], date(2024, 3, 31)).accrued_interest == D("24.00")  # 60 days
    assert evaluate(terms, [], date(2025, 1, 31)).accrued_interest == D("144.00")


def test_waived_penalty_is_a_credit_against_penalty():
    as_of = date(2025, 11, 15)
    part = evaluate(domain_terms(waived_penalty=D("500.00")), [], as_of)
    assert (part.accrued_penalty, part.penalty_waived) == (D("239.73"), D("500.00"))
    whole = evaluate(domain_terms(waived_penalty=D("1000.00")), [], as_of)
    assert (whole.accrued_penalty, whole.penalty_waived) == (D("0.00"), D("739.73"))


# ---------------------------------------------------------------- paying the schedule


def test_paying_the_domain_schedule_on_time_reproduces_its_interest_and_settles():
    rows = domain_rows()
    payments = [pay(r.number, r.due_on, r.total) for r in rows]
    state = evaluate(domain_terms(), payments, date(2030, 1, 1))
    assert [a.interest for a in state.allocations] == [r.interest for r in rows]
    assert all(a.current_principal == D("200000.00") and a.overpaid == 0 for a in state.allocations)
    assert state.is_settled and state.payoff_amount == 0 and not state.prepayment
    assert state.interest_paid == D("75027.40")


def test_paying_the_annuity_example_on_time_reproduces_it():
    rows = build_schedule(
        principal=D("100"),
        annual_rate_pct=D("7"),
        disbursed_on=date(2024, 1, 1),
        first_due_on=date(2024, 2, 1),
        installments=6,
        period_months=1,
        method=Method.ANNUITY,
        day_count=DayCount.THIRTY_360,
    )
    terms = ContractTerms(
        installments_from_schedule(rows),
        (Disbursement(date(2024, 1, 1), D("100.00")),),
        (RatePeriod(date(2024, 1, 1), D("7")),),
        day_count=DayCount.THIRTY_360,
    )
    state = evaluate(terms, [pay(r.number, r.due_on, r.total) for r in rows], date(2024, 7, 1))
    assert [a.interest for a in state.allocations] == [r.interest for r in rows]
    assert state.is_settled


def test_a_late_payment_costs_extra_interest_for_the_extra_days_and_penalty():
    on_time = preview_payment(domain_terms(), [], date(2025, 10, 1), D("225000.00"))
    late_on = date(2025, 10, 11)
    owed = evaluate(domain_terms(), [], late_on).total_due_now
    late = preview_payment(domain_terms(), [], late_on, owed)
    assert late.interest - on_time.interest == simple_interest(
        D("1000000"), D("2.5"), date(2025, 10, 1), late_on
    )
    assert late.interest - on_time.interest == D("684.93")
    assert late.penalty == penalty_amount(D("200000"), D("3"), 10) == D("164.38")
    assert on_time.penalty == 0
    assert late.current_principal == 0 and late.overdue_principal == D("200000.00")


def test_early_principal_saves_interest():
    early = [pay("early", date(2025, 4, 1), "250000.00")]
    with_early = evaluate(domain_terms(), early, date(2025, 10, 1))
    without = evaluate(domain_terms(), [], date(2025, 10, 1))
    (alloc,) = with_early.allocations
    assert alloc.interest == D("12465.75")  # 182 days on 1,000,000
    assert with_early.outstanding_principal == D("762465.75")
    assert with_early.accrued_interest == simple_interest(
        D("762465.75"), D("2.5"), date(2025, 4, 1), date(2025, 10, 1)
    )
    assert alloc.interest + with_early.accrued_interest < without.accrued_interest


# ---------------------------------------------------------------- allocation


def test_default_allocation_order_penalty_interest_then_overdue_principal():
    alloc = preview_payment(domain_terms(), [], date(2025, 11, 15), D("30000.00"))
    assert (alloc.penalty, alloc.interest) == (D("739.73"), D("28082.19"))
    assert [(p.installment, p.component, p.amount) for p in alloc.principal] == [
        (1, Component.OVERDUE_PRINCIPAL, D("1178.08"))
    ]
    assert alloc.overpaid == 0 and alloc.applied == alloc.amount and alloc.note == ""


@pytest.mark.parametrize(
    ("amount", "penalty", "interest"),
    [("100.00", "100.00", "0.00"), ("739.73", "739.73", "0.00"), ("1000.00", "739.73", "260.27")],
)
def test_penalty_is_paid_before_interest(amount, penalty, interest):
    alloc = preview_payment(domain_terms(), [], date(2025, 11, 15), D(amount))
    assert (alloc.penalty, alloc.interest, alloc.principal) == (D(penalty), D(interest), ())


def test_allocation_order_is_configurable():
    order = (Component.INTEREST, Component.PENALTY, Component.OVERDUE_PRINCIPAL, Component.CURRENT_PRINCIPAL)
    alloc = preview_payment(domain_terms(allocation_order=order), [], date(2025, 11, 15), D("28500.00"))
    assert (alloc.interest, alloc.penalty) == (D("28082.19"), D("417.81"))


def test_overdue_principal_is_paid_oldest_first():
    as_of = date(2026, 11, 15)
    state = evaluate(domain_terms(), [], as_of)
    amount = state.accrued_penalty + state.accrued_interest + D("250000.00")
    alloc = preview_payment(domain_terms(), [], as_of, amount)
    assert [(p.installment, p.component, p.amount) for p in alloc.principal] == [
        (1, Component.OVERDUE_PRINCIPAL, D("200000.00")),
        (2, Component.OVERDUE_PRINCIPAL, D("50000.00")),
    ]


def test_a_partial_payment_leaves_the_installment_overdue_with_penalty_on_the_rest():
    state = evaluate(domain_terms(), [pay(1, date(2025, 10, 1), "100000.00")], date(2025, 11, 15))
    first = state.installments[0]
    assert (first.principal_paid, first.principal_outstanding) == (D("75000.00"), D("125000.00"))
    assert first.status is InstallmentStatus.OVERDUE and first.days_past_due == 45
    assert state.accrued_penalty == penalty_amount(D("125000"), D("3"), 45) == D("462.33")
    assert state.accrued_interest == simple_interest(
        D("925000"), D("2.5"), date(2025, 10, 1), date(2025, 11, 15)
    )


def test_prepayment_reduces_the_last_installments_first():
    early = date(2025, 4, 1)
    alloc = preview_payment(domain_terms(), [], early, D("462465.75"))  # interest 12,465.75 + 450,000
    assert alloc.interest == D("12465.75")
    assert alloc.current_principal == D("200000.00")
    assert alloc.prepaid_principal == D("250000.00")
    assert alloc.reduced_installments == (5, 4)
    assert alloc.prepayment and "reduces the last installments (5, 4)" in alloc.note
    state = evaluate(domain_terms(), [pay("p", early, "462465.75")], early)
    outstanding = [i.principal_outstanding for i in state.installments]
    assert outstanding == [D("0.00"), D("200000.00"), D("200000.00"), D("150000.00"), D("0.00")]
    statuses = [i.status for i in state.installments]
    assert statuses[3] is InstallmentStatus.PARTLY_PAID and statuses[4] is InstallmentStatus.PAID
    assert state.prepayment and "last installments" in state.prepayment_note
    assert state.next_due.number == 2


def test_more_than_everything_owed_is_reported_as_overpaid():
    as_of = date(2025, 10, 1)
    payoff = evaluate(domain_terms(), [], as_of).payoff_amount
    assert payoff == D("1025000.00")
    alloc = preview_payment(domain_terms(), [], as_of, payoff + D("1.00"))
    assert alloc.overpaid == D("1.00") and "Overpaid by 1.00" in alloc.note
    state = evaluate(domain_terms(), [pay("all", as_of, payoff + D("1.00"))], date(2027, 1, 1))
    assert state.is_settled and state.overpaid == D("1.00") and state.accrued_interest == 0
    assert state.next_due is None and state.total_due_now == 0


def test_next_due_projects_what_will_be_owed_on_its_date():
    state = evaluate(domain_terms(), [], date(2025, 11, 15))
    assert state.next_due.number == 2 and state.next_due.due_on == date(2026, 10, 1)
    assert state.next_due.principal == D("200000.00")
    # penalty 200,000 x 3 % x 1 year + interest 2 years + installments 1 and 2
    assert state.next_due.total_due == D("6000.00") + D("50000.00") + D("400000.00")


def test_payments_replay_in_date_order_and_future_payments_are_ignored():
    a, b = pay("a", date(2025, 10, 1), "225000.00"), pay("b", date(2025, 10, 5), "1000.00")
    as_of = date(2025, 12, 1)
    assert evaluate(domain_terms(), [b, a], as_of) == evaluate(domain_terms(), [a, b], as_of)
    future = pay("f", date(2026, 1, 1), "5000.00")
    assert evaluate(domain_terms(), [a, b, future], as_of) == evaluate(domain_terms(), [a, b], as_of)


def test_preview_matches_posting_and_changes_nothing():
    posted = [pay(1, date(2025, 10, 1), "225000.00")]
    preview = preview_payment(domain_terms(), posted, date(2026, 10, 20), D("100000.00"))
    after = evaluate(
        domain_terms(), [*posted, pay("preview", date(2026, 10, 20), "100000.00")], date(2026, 10, 20)
    )
    assert after.allocations[-1] == preview
    with pytest.raises(ValueError, match="already posted"):
        preview_payment(domain_terms(), posted, date(2026, 10, 20), D("1.00"), payment_id=1)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: domain_terms(disbursements=(Disbursement(OCT_2024, D("999999.99")),)), "does not equal"),
        (lambda: domain_terms(rates=(RatePeriod(date(2024, 10, 2), D("2.5")),)), "no interest rate in force"),
        (lambda: domain_terms(rates=()), "RatePeriod"),
        (lambda: domain_terms(allocation_order=(Component.PENALTY,)), "allocation_order"),
        (
            lambda: domain_terms(allocation_order=(*DEFAULT_ALLOCATION_ORDER[:3], Component.PREPAYMENT)),
            "allocation",
        ),
        (lambda: domain_terms(penalty_rate_pct=D("-1")), "must not be negative"),
        (lambda: domain_terms(day_count="actual_360"), "bad contract terms"),
        (lambda: PaymentIn(1, date(2025, 1, 1), D("0")), "greater than zero"),
        (lambda: PaymentIn(1, date(2025, 1, 1), D("1.001")), "whole satang"),
        (lambda: PaymentIn(1, date(2025, 1, 1), 10.5), "not float"),
        (lambda: PaymentIn(1, datetime(2025, 1, 1, 8), D("1")), "not a datetime"),
        (lambda: ScheduledInstallment(0, date(2025, 1, 1), D("1")), "number"),
        (
            lambda: evaluate(domain_terms(), [pay(1, OCT_2024, "1"), pay(1, OCT_2024, "2")], OCT_2024),
            "duplicate",
        ),
        (lambda: evaluate(domain_terms(), [], datetime(2025, 1, 1, 12)), "not a datetime"),
        (lambda: aging_bucket(-1), "days_past_due"),
        (lambda: collection_rate(D("-1"), D("0")), "negative"),
        (lambda: fiscal_year_bounds(2026), "Buddhist-Era"),
    ],
)
def test_bad_input_raises_value_error(build, message):
    with pytest.raises(ValueError, match=message):
        build()


# ---------------------------------------------------------------- aging, portfolio, fiscal year


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (0, Bucket.CURRENT),
        (1, Bucket.D1_30),
        (30, Bucket.D1_30),
        (31, Bucket.D31_90),
        (90, Bucket.D31_90),
        (91, Bucket.D91_180),
        (180, Bucket.D91_180),
        (181, Bucket.D181_365),
        (365, Bucket.D181_365),
        (366, Bucket.OVER_365),
        (5000, Bucket.OVER_365),
    ],
)
def test_aging_bucket_boundaries(days, bucket):
    assert aging_bucket(days) is bucket


def _state(outstanding: str, days_past_due: int, overdue: str = "0.00"):
    base = evaluate(domain_terms(), [], OCT_2024)
    return dataclasses.replace(
        base,
        outstanding_principal=D(outstanding),
        overdue_principal=D(overdue),
        days_past_due=days_past_due,
        bucket=aging_bucket(days_past_due),
    )


def test_par_counts_the_whole_outstanding_of_late_loans():
    states = [
        _state("500000.00", 0),
        _state("300000.00", 45, overdue="100000.00"),
        _state("200000.00", 100, overdue="50000.00"),
        _state("0.00", 0),
    ]
    m = portfolio_measures(states)
    assert (m.loan_count, m.outstanding, m.overdue, m.overdue_count) == (
        4,
        D("1000000.00"),
        D("150000.00"),
        2,
    )
    assert (m.par30_outstanding, m.par30, m.par30_count) == (D("500000.00"), D("0.5000"), 2)
    assert (m.par90_outstanding, m.par90, m.par90_count) == (D("200000.00"), D("0.2000"), 1)
    by_bucket = {b.bucket: (b.count, b.outstanding) for b in m.by_bucket}
    assert by_bucket[Bucket.CURRENT] == (2, D("500000.00"))
    assert by_bucket[Bucket.D31_90] == (1, D("300000.00"))
    assert by_bucket[Bucket.D91_180] == (1, D("200000.00"))


def test_par_boundary_is_strictly_more_than_n_days():
    m = portfolio_measures([_state("100.00", 30), _state("300.00", 90)])
    assert (m.par30, m.par90) == (D("0.7500"), D("0.0000"))


def test_empty_portfolio_measures_are_zero():
    m = portfolio_measures([])
    assert (m.loan_count, m.outstanding, m.par30, m.par90) == (0, 0, D("0.0000"), D("0.0000"))


@pytest.mark.parametrize(
    ("due", "collected", "rate"),
    [("1000", "800", "0.8000"), ("3", "1", "0.3333"), ("0", "0", "0.0000"), ("100", "150", "1.5000")],
)
def test_collection_rate(due, collected, rate):
    assert collection_rate(D(due), D(collected)) == D(rate)


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (date(2026, 10, 1), 2570),
        (date(2027, 9, 30), 2570),
        (date(2026, 9, 30), 2569),
        (date(2024, 12, 31), 2568),
    ],
)
def test_fiscal_year_of(day, fy):
    assert fiscal_year_of(day) == fy


def test_fiscal_year_bounds():
    assert fiscal_year_bounds(2570) == (date(2026, 10, 1), date(2027, 9, 30))
    start, end = fiscal_year_bounds(2568)
    assert fiscal_year_of(start) == fiscal_year_of(end) == 2568
    assert fiscal_year_of(start - timedelta(days=1)) == 2567


# ---------------------------------------------------------------- properties


@st.composite
def loan_cases(draw, *, custom_order: bool = True):
    principal = D(draw(st.integers(100_00, 5_000_000_00))).scaleb(-2)
    period = draw(st.sampled_from([1, 3, 6, 12]))
    disbursed = draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)))
    day_count = draw(st.sampled_from(list(DayCount)))
    rate = D(draw(st.integers(0, 1000))).scaleb(-2)
    rows = build_schedule(
        principal=principal,
        annual_rate_pct=rate,
        disbursed_on=disbursed,
        first_due_on=add_months(disbursed, period),
        installments=draw(st.integers(1, 6)),
        period_months=period,
        method=draw(st.sampled_from(list(Method))),
        day_count=day_count,
    )
    horizon = (rows[-1].due_on - disbursed).days + 400
    rates = [RatePeriod(disbursed, rate)]
    if draw(st.booleans()):
        rates.append(RatePeriod(disbursed + timedelta(days=draw(st.integers(1, horizon))), D("4.25")))
    order = draw(st.permutations(DEFAULT_ALLOCATION_ORDER)) if custom_order else DEFAULT_ALLOCATION_ORDER
    terms = ContractTerms(
        installments=installments_from_schedule(rows),
        disbursements=(Disbursement(disbursed, principal),),
        rates=tuple(rates),
        penalty_rate_pct=D(draw(st.sampled_from(["0", "3", "5.5"]))),
        day_count=day_count,
        allocation_order=tuple(order),
        waived_penalty=D(draw(st.sampled_from(["0.00", "10.00"]))),
    )
    raw = draw(st.lists(st.tuples(st.integers(0, horizon), st.integers(1, int(principal * 60))), max_size=8))
    payments = [PaymentIn(i, disbursed + timedelta(days=d), D(c).scaleb(-2)) for i, (d, c) in enumerate(raw)]
    as_of = disbursed + timedelta(days=draw(st.integers(0, horizon)))
    return terms, payments, as_of


@settings(max_examples=150, deadline=None)
@given(loan_cases())
def test_state_invariants(case):
    terms, payments, as_of = case
    state = evaluate(terms, payments, as_of)
    included = [p for p in payments if p.paid_on <= as_of]
    total_principal = sum(i.principal for i in terms.installments)
    # every baht paid is allocated somewhere or reported as overpaid
    assert sum(a.amount for a in state.allocations) == sum(p.amount for p in included)
    assert all(a.applied + a.overpaid == a.amount for a in state.allocations)
    assert sum(a.applied for a in state.allocations) == sum(p.amount for p in included) - state.overpaid
    assert sum(a.principal_total for a in state.allocations) == state.principal_paid
    assert sum(a.interest for a in state.allocations) == state.interest_paid
    # principal never negative and consistent per installment
    assert state.outstanding_principal >= 0
    assert state.outstanding_principal == total_principal - state.principal_paid
    assert state.outstanding_principal == sum(i.principal_outstanding for i in state.installments)
    for i in state.installments:
        assert 0 <= i.principal_outstanding <= i.principal_due
        assert i.principal_paid + i.principal_outstanding == i.principal_due
        assert (i.days_past_due > 0) == (i.status is InstallmentStatus.OVERDUE)
    for amount in (
        state.accrued_interest,
        state.accrued_penalty,
        state.overdue_principal,
        state.total_due_now,
    ):
        assert amount >= 0 and amount == amount.quantize(D("0.01"))
    assert state.overdue_principal + state.principal_due_today <= state.outstanding_principal
    assert state.total_due_now <= state.payoff_amount
    assert state.bucket is aging_bucket(state.days_past_due)


@settings(max_examples=100, deadline=None)
@given(loan_cases(), st.data())
def test_a_reversed_payment_leaves_no_trace(case, data):
    terms, payments, as_of = case
    extra = PaymentIn("reversed", as_of - timedelta(days=data.draw(st.integers(0, 30))), D("123.45"))
    position = data.draw(st.integers(0, len(payments)))
    posted = [*payments[:position], extra, *payments[position:]]
    reversed_ids = {"reversed"}
    effective = [p for p in posted if p.id not in reversed_ids]
    assert evaluate(terms, effective, as_of) == evaluate(terms, payments, as_of)


@settings(max_examples=100, deadline=None)
@given(loan_cases(custom_order=False))
def test_paying_what_is_due_clears_it_and_paying_off_settles(case):
    terms, payments, as_of = case
    state = evaluate(terms, payments, as_of)
    assume(state.payoff_amount > 0)
    if state.total_due_now > 0:
        after = evaluate(terms, [*payments, PaymentIn("due", as_of, state.total_due_now)], as_of)
        assert after.total_due_now == 0
        assert after.allocations[-1].overpaid == 0 and not after.allocations[-1].prepayment
    settled = evaluate(terms, [*payments, PaymentIn("payoff", as_of, state.payoff_amount)], as_of)
    assert settled.allocations[-1].overpaid == 0
    assert settled.payoff_amount == 0 and settled.outstanding_principal == 0
    assert settled.is_settled and settled.next_due is None


@settings(max_examples=150, deadline=None)
@given(loan_cases(custom_order=False))
def test_paying_any_schedule_on_its_due_dates_reproduces_it(case):
    terms, _, _ = case
    disbursed = terms.disbursements[0]
    rate = terms.rates[0].annual_rate_pct
    first = terms.installments[0].due_on
    n = len(terms.installments)
    months = (
        12
        if n == 1
        else (terms.installments[1].due_on.year - first.year) * 12
        + (terms.installments[1].due_on.month - first.month)
    )
    for method in (Method.EQUAL_PRINCIPAL, Method.ANNUITY, Method.BULLET):
        rows = build_schedule(
            principal=disbursed.amount,
            annual_rate_pct=rate,
            disbursed_on=disbursed.on,
            first_due_on=first,
            installments=n,
            period_months=months,
            method=method,
            day_count=terms.day_count,
        )
        single_rate = dataclasses.replace(
            terms, installments=installments_from_schedule(rows), rates=(RatePeriod(disbursed.on, rate),)
        )
        if any(r.total == 0 for r in rows):
            continue  # nothing to pay on a date (tiny bullet interest): sub-satang accrual carries on
        state = evaluate(single_rate, [PaymentIn(r.number, r.due_on, r.total) for r in rows], rows[-1].due_on)
        assert [a.interest for a in state.allocations] == [r.interest for r in rows]
        assert [a.principal_total for a in state.allocations] == [r.principal for r in rows]
        assert all(a.penalty == 0 and a.overpaid == 0 for a in state.allocations)
        assert state.is_settled


# ---------------------------------------------------------------- purity


def test_arrears_module_is_pure():
    tree = ast.parse((ROOT / "loans" / "arrears.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not any(a.name.split(".")[0] == "django" for a in node.names)
        if isinstance(node, ast.ImportFrom):
            assert (node.module or "").split(".")[0] != "django"
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"today", "now", "utcnow", "localdate"}, "pure modules read no clock"
    code = "import sys, loans.arrears; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_bucket_day_ranges_agree_with_aging_bucket_at_every_edge():
    from loans.portfolio import BUCKET_DAY_RANGES

    assert list(BUCKET_DAY_RANGES) == list(Bucket)
    for bucket, (low, high) in BUCKET_DAY_RANGES.items():
        assert aging_bucket(low) == bucket
        if high is not None:
            assert aging_bucket(high) == bucket
            assert aging_bucket(high + 1) != bucket
