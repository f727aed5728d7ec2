"""loans.schedule: worked examples, edge cases and properties."""

from __future__ import annotations

import ast
import calendar
import subprocess
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loans.schedule import (
    DayCount,
    Method,
    add_months,
    annuity_payment,
    build_schedule,
    days_between,
    penalty_amount,
    quantize_money,
    rebuild_schedule_for_remaining,
    simple_interest,
    year_fraction,
)

ROOT = Path(__file__).resolve().parents[2]
D = Decimal


def _ds(*values: str) -> list[Decimal]:
    return [D(v) for v in values]


# ---------------------------------------------------------------- the two DOMAIN / brief examples


def test_annuity_thirty_360_example():
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
    assert [r.total for r in rows] == _ds("17.01", "17.01", "17.01", "17.01", "17.01", "17.00")
    assert [r.interest for r in rows] == _ds("0.58", "0.49", "0.39", "0.29", "0.20", "0.10")
    assert sum(r.principal for r in rows) == D("100.00")
    assert rows[-1].balance == D("0.00")
    assert [r.due_on.month for r in rows] == [2, 3, 4, 5, 6, 7]


def test_equal_principal_actual_365_domain_example():
    rows = build_schedule(
        principal=D("1000000.00"),
        annual_rate_pct=D("2.5"),
        disbursed_on=date(2024, 10, 1),
        first_due_on=date(2025, 10, 1),
        installments=5,
        period_months=12,
        method=Method.EQUAL_PRINCIPAL,
        day_count=DayCount.ACTUAL_365,
    )
    assert [r.interest for r in rows] == _ds("25000.00", "20000.00", "15000.00", "10027.40", "5000.00")
    assert [r.principal for r in rows] == [D("200000.00")] * 5
    assert [r.balance for r in rows] == _ds("800000.00", "600000.00", "400000.00", "200000.00", "0.00")
    assert [r.due_on for r in rows] == [date(y, 10, 1) for y in range(2025, 2030)]
    assert rows[3].days == 366  # 2027-10-01 .. 2028-10-01 spans 29 Feb 2028
    assert all(r.total == r.principal + r.interest for r in rows)


# ---------------------------------------------------------------- each method


def _rows(
    method, principal="1200.00", rate="10", n=12, period=1, dc=DayCount.THIRTY_360, start=date(2025, 1, 1)
):
    return build_schedule(
        principal=D(principal),
        annual_rate_pct=D(rate),
        disbursed_on=start,
        first_due_on=add_months(start, period),
        installments=n,
        period_months=period,
        method=method,
        day_count=dc,
    )


def test_flat_charges_interest_on_original_principal():
    rows = _rows(Method.FLAT)
    assert {r.interest for r in rows} == {D("10.00")}
    assert {r.principal for r in rows} == {D("100.00")}
    assert {r.total for r in rows} == {D("110.00")}


def test_equal_principal_interest_falls_with_balance():
    rows = _rows(Method.EQUAL_PRINCIPAL)
    assert [r.interest for r in rows][:3] == _ds("10.00", "9.17", "8.33")
    assert rows[-1].interest == D("0.83")


def test_bullet_pays_interest_each_period_and_principal_at_the_end():
    rows = _rows(Method.BULLET, principal="100000.00", rate="5", n=3, period=12, dc=DayCount.ACTUAL_365)
    assert [r.principal for r in rows] == _ds("0.00", "0.00", "100000.00")
    assert [r.interest for r in rows] == _ds("5000.00", "5000.00", "5000.00")
    assert [r.balance for r in rows] == _ds("100000.00", "100000.00", "0.00")


def test_last_installment_takes_the_rounding_residual():
    rows = _rows(Method.EQUAL_PRINCIPAL, principal="100.00", rate="0", n=3)
    assert [r.principal for r in rows] == _ds("33.33", "33.33", "33.34")


@pytest.mark.parametrize("n", [1, 2, 5, 12])
def test_annuity_at_zero_rate_is_equal_principal(n):
    annuity = _rows(Method.ANNUITY, principal="1000.00", rate="0", n=n)
    equal = _rows(Method.EQUAL_PRINCIPAL, principal="1000.00", rate="0", n=n)
    assert [(r.principal, r.total) for r in annuity] == [(r.principal, r.total) for r in equal]


def test_annuity_payment_formula():
    assert annuity_payment(D("100"), D("7"), 6, 1) == D("17.01")
    assert annuity_payment(D("1000"), D("0"), 3, 12) == D("333.33")
    assert annuity_payment(D("1000000"), D("12"), 12, 1) == D("88848.79")


def test_methods_accept_their_stored_string_values():
    by_enum = _rows(Method.ANNUITY, dc=DayCount.ACTUAL_365)
    by_value = _rows("annuity", dc="actual_365")
    assert by_enum == by_value
    assert Method.ANNUITY == "annuity" and str(DayCount.THIRTY_360) == "thirty_360"


def test_single_installment_is_principal_plus_interest():
    (row,) = _rows(Method.ANNUITY, principal="500.00", rate="6", n=1, period=12)
    assert [row.principal, row.interest, row.total, row.balance] == _ds("500.00", "30.00", "530.00", "0.00")


def test_rebuild_for_remaining_is_build_schedule_from_the_restructuring_date():
    kwargs = dict(annual_rate_pct=D("3"), first_due_on=date(2027, 1, 15), installments=4, period_months=6)
    new = rebuild_schedule_for_remaining(
        outstanding_principal=D("456789.12"),
        from_date=date(2026, 7, 15),
        method=Method.EQUAL_PRINCIPAL,
        **kwargs,
    )
    same = build_schedule(
        principal=D("456789.12"), disbursed_on=date(2026, 7, 15), method=Method.EQUAL_PRINCIPAL, **kwargs
    )
    assert new == same and new[0].period_start == date(2026, 7, 15)


# ---------------------------------------------------------------- dates and day counts


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 1, 31), 2, date(2025, 3, 31)),
        (date(2025, 1, 31), 3, date(2025, 4, 30)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 10, 1), 3, date(2026, 1, 1)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 5, 15), 0, date(2025, 5, 15)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_31st_rolls_back_to_month_end_and_returns_to_31():
    rows = build_schedule(
        principal=D("4000.00"),
        annual_rate_pct=D("6"),
        disbursed_on=date(2024, 12, 31),
        first_due_on=date(2025, 1, 31),
        installments=4,
        period_months=1,
        method=Method.EQUAL_PRINCIPAL,
        day_count=DayCount.THIRTY_360,
    )
    assert [r.due_on for r in rows] == [
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 31),
        date(2025, 4, 30),
    ]
    assert [r.days for r in rows] == [30, 30, 30, 30]  # 30E/360 ISDA: month-ends count as day 30


@pytest.mark.parametrize(
    ("start", "end", "day_count", "days"),
    [
        (date(2024, 1, 1), date(2025, 1, 1), DayCount.ACTUAL_365, 366),
        (date(2025, 1, 1), date(2026, 1, 1), DayCount.ACTUAL_365, 365),
        (date(2024, 1, 15), date(2024, 7, 15), DayCount.THIRTY_360, 180),
        (date(2024, 1, 31), date(2024, 2, 29), DayCount.THIRTY_360, 30),
        (date(2024, 2, 28), date(2024, 3, 31), DayCount.THIRTY_360, 32),  # 28 Feb 2024 is not month-end
        (date(2025, 2, 28), date(2025, 3, 31), DayCount.THIRTY_360, 30),
        (date(2025, 1, 30), date(2025, 1, 31), DayCount.THIRTY_360, 0),
        (date(2025, 3, 10), date(2025, 3, 10), DayCount.THIRTY_360, 0),
    ],
)
def test_days_between(start, end, day_count, days):
    assert days_between(start, end, day_count) == days


def test_year_fraction_and_simple_interest():
    assert year_fraction(date(2025, 1, 1), date(2026, 1, 1), DayCount.ACTUAL_365) == 1
    assert year_fraction(date(2025, 1, 1), date(2025, 7, 1), DayCount.THIRTY_360) == D("0.5")
    assert simple_interest(D("1000000"), D("2.5"), date(2024, 10, 1), date(2025, 10, 1)) == D("25000.00")
    assert simple_interest(D("200000"), D("2.5"), date(2027, 10, 1), date(2028, 10, 1)) == D("5013.70")
    assert penalty_amount(D("200000"), D("3"), 45) == D("739.73")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1.005", "1.01"), ("1.004", "1.00"), ("-1.005", "-1.01"), ("2", "2.00"), (D("0.125"), "0.13")],
)
def test_quantize_money_half_up(value, expected):
    assert quantize_money(value) == D(expected)


# ---------------------------------------------------------------- bad input


GOOD = dict(
    principal=D("1000.00"),
    annual_rate_pct=D("5"),
    disbursed_on=date(2025, 1, 1),
    first_due_on=date(2025, 2, 1),
    installments=12,
    period_months=1,
    method=Method.ANNUITY,
)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"principal": D("0")}, "principal must be greater than zero"),
        ({"principal": D("-5")}, "principal must be greater than zero"),
        ({"principal": D("10.001")}, "whole satang"),
        ({"principal": 1000.0}, "not float"),
        ({"annual_rate_pct": D("-0.1")}, "must not be negative"),
        ({"annual_rate_pct": D("NaN")}, "finite"),
        ({"installments": 0}, "at least 1"),
        ({"installments": -3}, "at least 1"),
        ({"installments": 2.0}, "must be an int"),
        ({"period_months": 5}, "period_months must be one of"),
        ({"period_months": 0}, "period_months must be one of"),
        ({"period_months": 24}, "period_months must be one of"),
        ({"first_due_on": date(2025, 1, 1)}, "must be after disbursed_on"),
        ({"first_due_on": date(2024, 12, 31)}, "must be after disbursed_on"),
        ({"disbursed_on": datetime(2025, 1, 1, 9, 0)}, "not a datetime"),
        ({"method": "balloon"}, "unknown method"),
        ({"day_count": "actual_360"}, "unknown day count"),
    ],
)
def test_bad_input_raises_value_error(change, message):
    with pytest.raises(ValueError, match=message):
        build_schedule(**{**GOOD, **change})


def test_helper_bad_input():
    with pytest.raises(ValueError, match="before start"):
        days_between(date(2025, 2, 1), date(2025, 1, 1), DayCount.ACTUAL_365)
    with pytest.raises(ValueError, match="days must be an int"):
        penalty_amount(D("1"), D("3"), -1)
    with pytest.raises(ValueError, match="not float"):
        quantize_money(0.1)


# ---------------------------------------------------------------- properties


@st.composite
def schedule_inputs(draw):
    period = draw(st.sampled_from([1, 2, 3, 4, 6, 12]))
    disbursed = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)))
    return dict(
        principal=Decimal(draw(st.integers(min_value=1, max_value=10**11))).scaleb(-2),
        annual_rate_pct=Decimal(draw(st.integers(min_value=0, max_value=2500))).scaleb(-2),
        disbursed_on=disbursed,
        first_due_on=disbursed + timedelta(days=draw(st.integers(1, 800))),
        installments=draw(st.integers(min_value=1, max_value=72)),
        period_months=period,
        method=draw(st.sampled_from(list(Method))),
        day_count=draw(st.sampled_from(list(DayCount))),
    )


@settings(max_examples=300, deadline=None)
@given(schedule_inputs())
def test_schedule_properties(kwargs):
    rows = build_schedule(**kwargs)
    assert len(rows) == kwargs["installments"]
    assert [r.number for r in rows] == list(range(1, len(rows) + 1))
    assert sum(r.principal for r in rows) == kwargs["principal"]
    assert rows[-1].balance == D("0.00")
    previous_balance, previous_due = kwargs["principal"], kwargs["disbursed_on"]
    for r in rows:
        for amount in (r.principal, r.interest, r.total, r.balance):
            assert amount == amount.quantize(D("0.01")) and amount >= 0
        assert r.balance <= previous_balance
        assert r.opening_balance == previous_balance
        assert r.balance == r.opening_balance - r.principal
        assert r.total == r.principal + r.interest
        assert r.due_on > previous_due and r.period_start == previous_due
        assert r.due_on == add_months(kwargs["first_due_on"], (r.number - 1) * kwargs["period_months"])
        previous_balance, previous_due = r.balance, r.due_on


@settings(max_examples=200, deadline=None)
@given(st.dates(), st.integers(-600, 600))
def test_add_months_properties(d, n):
    try:
        moved = add_months(d, n)
    except ValueError:
        return  # outside the calendar
    assert (moved.year * 12 + moved.month) - (d.year * 12 + d.month) == n
    assert moved.day == min(d.day, calendar.monthrange(moved.year, moved.month)[1])


@settings(max_examples=200, deadline=None)
@given(st.dates(max_value=date(9000, 1, 1)), st.integers(0, 900), st.integers(0, 900))
def test_thirty_360_is_additive(a, x, y):
    b, c = a + timedelta(days=x), a + timedelta(days=x + y)
    dc = DayCount.THIRTY_360
    assert days_between(a, b, dc) + days_between(b, c, dc) == days_between(a, c, dc)


# ---------------------------------------------------------------- purity


def test_schedule_module_is_pure():
    source = (ROOT / "loans" / "schedule.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not any(a.name.split(".")[0] == "django" for a in node.names)
        if isinstance(node, ast.ImportFrom):
            assert (node.module or "").split(".")[0] != "django"
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"today", "now", "utcnow", "localdate"}, "pure modules read no clock"
    code = "import sys, loans.schedule; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
