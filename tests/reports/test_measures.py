"""Monthly-report arithmetic (pure module): worked examples and properties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports import measures

D = Decimal


TWENTY_FOUR = D("24")


def line(month, results, monthly=(), annual=TWENTY_FOUR):
    return measures.indicator_line(
        indicator_id=1, code="1", name="x", unit="แห่ง", annual_target=annual,
        monthly_targets=monthly, results_by_month=results, month=month,
    )  # fmt: skip


def test_november_compares_the_month_and_the_year_to_date_with_the_plan():
    result = line(date(2026, 11, 1), {date(2026, 10, 1): D("1"), date(2026, 11, 1): D("3")}, (D("2"),) * 12)
    assert result.plan_month == D("2") and result.result_month == D("3")
    assert result.pct_month == D("1.5000")
    assert result.plan_cumulative == D("4") and result.result_cumulative == D("4")
    assert result.pct_cumulative == D("1.0000")
    assert result.pct_annual == D("0.1667")


def test_without_a_monthly_plan_only_the_annual_achievement_is_given():
    result = line(date(2026, 11, 1), {date(2026, 11, 1): D("5")}, (), annual=D("10"))
    assert result.plan_month is None and result.pct_month is None
    assert result.plan_cumulative is None and result.pct_cumulative is None
    assert result.pct_annual == D("0.5000")


def test_a_month_with_nothing_reported_shows_no_result_rather_than_zero():
    result = line(date(2026, 11, 1), {date(2026, 10, 1): D("2")}, (D("2"),) * 12)
    assert result.result_month is None and result.pct_month is None
    assert result.result_cumulative == D("2")


def test_a_plan_of_zero_gives_no_percentage():
    targets = (D("0"),) + (D("2"),) * 11
    result = line(date(2026, 10, 1), {date(2026, 10, 1): D("3")}, targets, annual=D("22"))
    assert result.pct_month is None and result.pct_cumulative is None


def test_results_of_the_previous_fiscal_year_do_not_count():
    result = line(date(2026, 10, 1), {date(2026, 9, 1): D("9"), date(2026, 10, 1): D("1")})
    assert result.result_cumulative == D("1")


def test_september_is_the_twelfth_month_of_the_fiscal_year():
    months = measures.fiscal_months(2570)
    assert months[0] == date(2026, 10, 1) and months[-1] == date(2027, 9, 1) and len(months) == 12


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2569-10", date(2026, 10, 1)), ("2026-10", date(2026, 10, 1)), ("๒๕๖๙-๑๑", date(2026, 11, 1)),
     (" 2570/1 ", date(2027, 1, 1))],
)  # fmt: skip
def test_months_are_read_in_either_era(text, expected):
    assert measures.parse_month(text) == expected


@pytest.mark.parametrize("text", ["2569-13", "2569-0", "10/2569", "", "abc", "99999-01"])
def test_nonsense_months_are_refused(text):
    with pytest.raises(ValueError):
        measures.parse_month(text)


def test_monthly_targets_must_add_up_to_the_annual_target():
    measures.check_monthly_targets(D("24"), (D("2"),) * 12)
    with pytest.raises(ValueError):
        measures.check_monthly_targets(D("25"), (D("2"),) * 12)


def test_stored_monthly_targets_must_be_twelve_non_negative_numbers():
    assert measures.parse_monthly_targets([]) == ()
    assert measures.parse_monthly_targets(["1.5"] * 12) == (D("1.50"),) * 12
    with pytest.raises(ValueError):
        measures.parse_monthly_targets(["1"] * 11)
    with pytest.raises(ValueError):
        measures.parse_monthly_targets(["-1"] * 12)


def test_quantities_accept_thai_digits_and_commas_but_not_floats():
    assert measures.quantity("๑,๒๓๔.๕") == D("1234.50")
    with pytest.raises(ValueError):
        measures.quantity(1.5)
    with pytest.raises(ValueError):
        measures.quantity("NaN")


def test_a_quantity_too_large_to_round_is_refused_not_crashed():
    with pytest.raises(ValueError):
        measures.quantity("1e400")


def test_a_frozen_result_wins_over_a_live_count():
    months = measures.fiscal_months(2570)[:2]
    merged = measures.merge_results({months[0]: D("5")}, {months[0]: D("7"), months[1]: D("2")}, months)
    assert merged == {months[0]: D("5"), months[1]: D("2")}


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=12, max_size=12), st.integers(1, 12))
def test_the_cumulative_result_is_the_sum_of_the_months_so_far(values, index):
    months = measures.fiscal_months(2570)
    results = {m: D(v) for m, v in zip(months, values, strict=True)}
    result = line(months[index - 1], results, tuple(D(v) for v in values), annual=D(sum(values)))
    assert result.result_cumulative == sum(D(v) for v in values[:index])
    assert result.plan_cumulative == result.result_cumulative
    if result.plan_cumulative:
        assert result.pct_cumulative == D("1.0000")
    else:
        assert result.pct_cumulative is None
