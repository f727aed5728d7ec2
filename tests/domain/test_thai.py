"""coopsupport.thai: B.E. dates, fiscal years, money parsing and amounts in words."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopsupport import thai


@pytest.mark.parametrize(
    ("d", "style", "expected"),
    [
        (date(2026, 11, 26), "short", "26 พ.ย. 2569"),
        (date(2026, 11, 26), "numeric", "26/11/2569"),
        (date(2027, 1, 1), "long", "1 มกราคม 2570"),
        (date(2024, 2, 29), "short", "29 ก.พ. 2567"),
    ],
)
def test_it_formats_dates_in_the_buddhist_era(d, style, expected):
    assert thai.format_date(d, style) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("26/11/2569", date(2026, 11, 26)),
        ("26/11/2026", date(2026, 11, 26)),
        ("๒๖/๑๑/๒๕๖๙", date(2026, 11, 26)),
        ("1-10-2569", date(2025, 10, 1) if False else date(2026, 10, 1)),
        ("26/11/69", date(2026, 11, 26)),
        ("2026-11-26", date(2026, 11, 26)),
        (" 5.1.2570 ", date(2027, 1, 5)),
    ],
)
def test_it_parses_typed_dates_in_either_era_and_thai_digits(typed, expected):
    assert thai.parse_date(typed) == expected


@pytest.mark.parametrize("typed", ["31/02/2569", "32/1/2569", "29/02/2570", "hello", "", "1/1/1000", "0/0/0"])
def test_it_rejects_impossible_dates_with_a_thai_message(typed):
    with pytest.raises(ValueError) as exc:
        thai.parse_date(typed)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in str(exc.value))


@pytest.mark.parametrize(
    ("d", "fy", "quarter"),
    [
        (date(2026, 9, 30), 2569, 4),
        (date(2026, 10, 1), 2570, 1),
        (date(2026, 12, 31), 2570, 1),
        (date(2027, 1, 1), 2570, 2),
        (date(2027, 7, 1), 2570, 4),
    ],
)
def test_the_fiscal_year_is_named_by_the_be_year_it_ends_in(d, fy, quarter):
    assert thai.fiscal_year(d) == fy
    assert thai.fiscal_quarter(d) == quarter


def test_fiscal_year_bounds_run_october_to_september():
    assert thai.fiscal_year_bounds(2570) == (date(2026, 10, 1), date(2027, 9, 30))


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31)))
def test_a_numeric_be_date_parses_back_to_the_same_day(d):
    assert thai.parse_date(thai.format_date(d, "numeric")) == d


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31)))
def test_every_day_falls_inside_its_fiscal_year(d):
    start, end = thai.fiscal_year_bounds(thai.fiscal_year(d))
    assert start <= d <= end


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1000", "หนึ่งพันบาทถ้วน"),
        ("1234.50", "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์"),
        ("0.25", "ยี่สิบห้าสตางค์"),
        ("101", "หนึ่งร้อยเอ็ดบาทถ้วน"),
        ("21", "ยี่สิบเอ็ดบาทถ้วน"),
        ("0", "ศูนย์บาทถ้วน"),
        ("739.73", "เจ็ดร้อยสามสิบเก้าบาทเจ็ดสิบสามสตางค์"),
        ("1000000", "หนึ่งล้านบาทถ้วน"),
    ],
)
def test_it_writes_amounts_in_thai_words(amount, words):
    assert thai.baht_text(Decimal(amount)) == words


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1,234.50", "1234.50"),
        ("๑,๐๐๐", "1000.00"),
        ("2.345", "2.35"),
        ("2.344", "2.34"),
        ("500 บาท", "500.00"),
    ],
)
def test_it_parses_money_typed_by_people(typed, expected):
    assert thai.to_money(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", ["abc", "", "1e", "NaN", "Infinity", "1,2,3.4.5"])
def test_it_rejects_malformed_money(typed):
    with pytest.raises(ValueError):
        thai.to_money(typed)


@pytest.mark.parametrize("typed", ["1e400", "1E30", "9" * 40, Decimal("1e400")])
def test_it_rejects_absurdly_large_money_with_a_thai_message_not_a_crash(typed):
    with pytest.raises(ValueError, match="มากเกินไป"):
        thai.to_money(typed)


def test_it_refuses_floats_for_money():
    with pytest.raises(ValueError):
        thai.to_money(0.1)


def test_it_formats_money_with_separators_and_satang():
    assert thai.format_money(Decimal("1234567.891")) == "1,234,567.89"
    assert thai.format_money(Decimal("0.005")) == "0.01"
