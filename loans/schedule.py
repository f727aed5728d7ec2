"""Loan repayment schedules: pure money math (no Django, no clock).

Units and rounding
------------------
* Money is ``Decimal`` baht. Every amount (interest, principal, total, balance) is rounded
  ROUND_HALF_UP to 0.01 (satang) as it is computed; intermediate products are exact
  (``fractions.Fraction``) so nothing is rounded twice. The LAST installment takes the residual
  principal, so principal sums exactly to the loan and the final balance is 0.00.
* Rates are annual percents (``annual_rate_pct=Decimal("2.5")`` is 2.5 % a year).
* Interest of installment i = balance before i x rate/100 x days / basis, where days run from the
  previous due date (the disbursement date for i = 1) to the due date:
  - ``DayCount.ACTUAL_365``: actual calendar days / 365, also in leap years (366 days -> 366/365).
  - ``DayCount.THIRTY_360``: 30E/360 (ISDA) days / 360. Each date is mapped on its own to
    ``360*y + 30*(m-1) + d`` where a 31st, and the last day of February, count as day 30.
    Chosen over US/NASD because (a) regular periods are exactly 30 days per month even across
    month-ends (Jan 31 -> Feb 28 -> Mar 31), and (b) it is additive:
    days(a, b) + days(b, c) == days(a, c), which the daily accrual in ``loans.arrears`` relies on.
    No February maturity-date exception.
  ``Method.FLAT`` charges interest on the ORIGINAL principal instead of the balance.
* Principal per installment:
  - EQUAL_PRINCIPAL, FLAT: principal / n rounded (capped at the balance, so a tiny loan over many
    installments never drives the balance negative; the last installment takes the residual).
  - ANNUITY: level payment A = P*r / (1 - (1+r)^-n) with the NOMINAL periodic rate
    r = rate/100 * period_months/12, rounded; principal = A - interest (floored at 0, capped at the
    balance). Interest still uses the day count, so with ACTUAL_365 the last installment absorbs the
    small difference. Rate 0 gives equal principal.
  - BULLET: interest every period, all principal in the last installment.
* Due dates: ``first_due_on + k*period_months`` for k = 0..n-1, each computed from
  ``first_due_on`` (not chained), a missing day falling back to the month's last day
  (Jan 31 -> Feb 28/29 -> Mar 31).

Bad input raises ``ValueError`` with an English message.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

__all__ = [
    "ALLOWED_PERIOD_MONTHS",
    "CENT",
    "DayCount",
    "Method",
    "ScheduleRow",
    "add_months",
    "annuity_payment",
    "build_schedule",
    "days_between",
    "penalty_amount",
    "quantize_money",
    "rebuild_schedule_for_remaining",
    "simple_interest",
    "to_decimal",
    "year_fraction",
]

CENT = Decimal("0.01")
ALLOWED_PERIOD_MONTHS = (1, 2, 3, 4, 6, 12)


class Method(StrEnum):
    """How principal is spread over the installments (values are stored by Django)."""

    EQUAL_PRINCIPAL = "equal_principal"
    ANNUITY = "annuity"
    FLAT = "flat"
    BULLET = "bullet"


class DayCount(StrEnum):
    """Day-count convention for interest (values are stored by Django)."""

    ACTUAL_365 = "actual_365"
    THIRTY_360 = "thirty_360"

    @property
    def basis(self) -> int:
        """Days in the year denominator: 365 or 360."""
        return 365 if self is DayCount.ACTUAL_365 else 360


@dataclass(frozen=True)
class ScheduleRow:
    """One installment of a schedule; all money is Decimal with 2 places."""

    number: int
    due_on: date
    principal: Decimal
    interest: Decimal
    total: Decimal
    balance: Decimal  # principal still owed after this installment
    opening_balance: Decimal  # principal owed before this installment
    period_start: date  # previous due date, or the disbursement date for number 1
    days: int  # day-count days from period_start to due_on


# ---------------------------------------------------------------- helpers (exported)


def to_decimal(value: object, name: str = "value") -> Decimal:
    """Accept Decimal, int or numeric str; reject float/bool/NaN/infinity with a ValueError."""
    if isinstance(value, (bool, float)):
        raise ValueError(f"{name} must be a Decimal, int or str, not {type(value).__name__}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", ""))
        except ArithmeticError:
            raise ValueError(f"{name} is not a number: {value!r}") from None
    else:
        raise ValueError(f"{name} must be a Decimal, int or str, not {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return result


def quantize_money(x: object) -> Decimal:
    """Round to satang (0.01), half-up. Accepts Decimal, int, numeric str or an exact Fraction."""
    if isinstance(x, Fraction):
        if x < 0:
            return -quantize_money(-x)
        units = (x * 100 + Fraction(1, 2)).__floor__()  # half-up, ties away from zero
        return Decimal(units).scaleb(-2).quantize(CENT)
    return to_decimal(x, "amount").quantize(CENT, rounding=ROUND_HALF_UP)


def _check_date(d: object, name: str) -> date:
    if isinstance(d, datetime) or not isinstance(d, date):
        raise ValueError(f"{name} must be a datetime.date (not a datetime), got {d!r}")
    return d


def add_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` calendar months (n may be negative); a missing day falls back to the
    month's last day: add_months(2024-01-31, 1) == 2024-02-29."""
    _check_date(d, "date")
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValueError(f"months must be an int, got {n!r}")
    years, month0 = divmod(d.month - 1 + n, 12)
    year = d.year + years
    if not 1 <= year <= 9999:
        raise ValueError(f"{d.isoformat()} plus {n} months is outside the calendar")
    month = month0 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _day_number_30e(d: date) -> int:
    """30E/360 (ISDA) day number: a 31st or the last day of February counts as day 30."""
    last = calendar.monthrange(d.year, d.month)[1]
    day = 30 if d.day == last or d.day > 30 else d.day
    return 360 * d.year + 30 * (d.month - 1) + day


def days_between(start: date, end: date, day_count: DayCount | str) -> int:
    """Day-count days from ``start`` to ``end`` (end >= start): actual days, or 30E/360 days."""
    _check_date(start, "start")
    _check_date(end, "end")
    dc = _day_count(day_count)
    if end < start:
        raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
    if dc is DayCount.ACTUAL_365:
        return (end - start).days
    return _day_number_30e(end) - _day_number_30e(start)


def year_fraction(start: date, end: date, day_count: DayCount | str) -> Decimal:
    """Fraction of a year from ``start`` to ``end``: days/365 or 30E/360 days/360 (not rounded)."""
    dc = _day_count(day_count)
    return Decimal(days_between(start, end, dc)) / Decimal(dc.basis)


def annuity_payment(
    principal: object, annual_rate_pct: object, installments: int, period_months: int
) -> Decimal:
    """Level installment P*r/(1-(1+r)^-n), r = rate/100 * period_months/12, rounded to satang.
    Computed exactly with fractions; rate 0 gives principal/n."""
    p = Fraction(to_decimal(principal, "principal"))
    rate = Fraction(to_decimal(annual_rate_pct, "annual_rate_pct"))
    _check_count(installments)
    _check_period(period_months)
    r = rate / 100 * Fraction(period_months, 12)
    if r == 0:
        return quantize_money(p / installments)
    growth = (1 + r) ** installments
    return quantize_money(p * r * growth / (growth - 1))


def _non_negative(value: object, name: str) -> Decimal:
    result = to_decimal(value, name)
    if result < 0:
        raise ValueError(f"{name} must not be negative, got {result}")
    return result


def simple_interest(
    principal: object,
    rate_pct: object,
    start: date,
    end: date,
    day_count: DayCount | str = DayCount.ACTUAL_365,
) -> Decimal:
    """principal x rate/100 x day-count days / basis from ``start`` to ``end``, rounded half-up."""
    amount = _non_negative(principal, "principal")
    rate = _non_negative(rate_pct, "rate_pct")
    days = days_between(start, end, day_count)
    return quantize_money(Fraction(amount) * Fraction(rate) * days / (100 * _day_count(day_count).basis))


def penalty_amount(overdue_principal: object, rate_pct: object, days: int) -> Decimal:
    """overdue x rate/100 x actual days/365, rounded half-up (200,000 at 3 % for 45 days -> 739.73)."""
    amount = _non_negative(overdue_principal, "overdue_principal")
    rate = _non_negative(rate_pct, "rate_pct")
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"days must be an int >= 0, got {days!r}")
    return quantize_money(Fraction(amount) * Fraction(rate) * days / 36500)


# ---------------------------------------------------------------- validation


def _day_count(value: DayCount | str) -> DayCount:
    try:
        return DayCount(value)
    except ValueError:
        allowed = ", ".join(m.value for m in DayCount)
        raise ValueError(f"unknown day count {value!r}; expected one of: {allowed}") from None


def _method(value: Method | str) -> Method:
    try:
        return Method(value)
    except ValueError:
        allowed = ", ".join(m.value for m in Method)
        raise ValueError(f"unknown method {value!r}; expected one of: {allowed}") from None


def _check_count(installments: object) -> int:
    if isinstance(installments, bool) or not isinstance(installments, int):
        raise ValueError(f"installments must be an int, got {installments!r}")
    if installments < 1:
        raise ValueError(f"installments must be at least 1, got {installments}")
    return installments


def _check_period(period_months: object) -> int:
    if isinstance(period_months, bool) or not isinstance(period_months, int):
        raise ValueError(f"period_months must be an int, got {period_months!r}")
    if period_months not in ALLOWED_PERIOD_MONTHS:
        allowed = ", ".join(str(m) for m in ALLOWED_PERIOD_MONTHS)
        raise ValueError(f"period_months must be one of {allowed} (got {period_months})")
    return period_months


def _interest(base: Decimal, rate_pct: Decimal, days: int, basis: int) -> Decimal:
    return quantize_money(Fraction(base) * Fraction(rate_pct) * days / (100 * basis))


# ---------------------------------------------------------------- schedules


def build_schedule(
    *,
    principal: object,
    annual_rate_pct: object,
    disbursed_on: date,
    first_due_on: date,
    installments: int,
    period_months: int,
    method: Method | str,
    day_count: DayCount | str = DayCount.ACTUAL_365,
) -> tuple[ScheduleRow, ...]:
    """The repayment schedule of a loan (see the module docstring for the rules).

    ``principal`` must be positive and in whole satang, ``annual_rate_pct`` >= 0,
    ``first_due_on`` after ``disbursed_on``, ``installments`` >= 1, ``period_months`` in
    1, 2, 3, 4, 6, 12. Raises ValueError otherwise.
    """
    loan = to_decimal(principal, "principal")
    if loan <= 0:
        raise ValueError(f"principal must be greater than zero, got {loan}")
    if loan != loan.quantize(CENT):
        raise ValueError(f"principal must be in whole satang (2 decimal places), got {loan}")
    loan = loan.quantize(CENT)
    rate = to_decimal(annual_rate_pct, "annual_rate_pct")
    if rate < 0:
        raise ValueError(f"annual_rate_pct must not be negative, got {rate}")
    _check_date(disbursed_on, "disbursed_on")
    _check_date(first_due_on, "first_due_on")
    if first_due_on <= disbursed_on:
        raise ValueError(
            f"first_due_on {first_due_on.isoformat()} must be after disbursed_on {disbursed_on.isoformat()}"
        )
    n = _check_count(installments)
    period = _check_period(period_months)
    how = _method(method)
    dc = _day_count(day_count)
    # the last due date must exist in the calendar
    add_months(first_due_on, (n - 1) * period)

    per_installment = quantize_money(Fraction(loan) / n)
    level_payment = annuity_payment(loan, rate, n, period) if how is Method.ANNUITY else None

    rows: list[ScheduleRow] = []
    balance = loan
    previous = disbursed_on
    for k in range(n):
        number = k + 1
        due_on = add_months(first_due_on, k * period)
        days = days_between(previous, due_on, dc)
        interest = _interest(loan if how is Method.FLAT else balance, rate, days, dc.basis)
        if number == n:
            part = balance
        elif how in (Method.EQUAL_PRINCIPAL, Method.FLAT):
            part = min(per_installment, balance)
        elif how is Method.ANNUITY:
            assert level_payment is not None
            part = min(max(level_payment - interest, Decimal("0.00")), balance)
        else:  # BULLET
            part = Decimal("0.00")
        part = part.quantize(CENT)
        opening = balance
        balance = (balance - part).quantize(CENT)
        rows.append(
            ScheduleRow(
                number=number,
                due_on=due_on,
                principal=part,
                interest=interest,
                total=(part + interest).quantize(CENT),
                balance=balance,
                opening_balance=opening,
                period_start=previous,
                days=days,
            )
        )
        previous = due_on
    return tuple(rows)


def rebuild_schedule_for_remaining(
    *,
    outstanding_principal: object,
    annual_rate_pct: object,
    from_date: date,
    first_due_on: date,
    installments: int,
    period_months: int,
    method: Method | str,
    day_count: DayCount | str = DayCount.ACTUAL_365,
) -> tuple[ScheduleRow, ...]:
    """A new schedule for a restructured (ปรับโครงสร้างหนี้) or deferred loan.

    It is simply ``build_schedule`` with the outstanding principal as the loan and ``from_date``
    (the restructuring date) as the disbursement date, so interest on the first new installment
    accrues from ``from_date``. Interest and penalty accrued before ``from_date`` are NOT included:
    the caller either collects them or, if the committee capitalises them, adds them to
    ``outstanding_principal``. Installment numbers restart at 1.
    """
    return build_schedule(
        principal=outstanding_principal,
        annual_rate_pct=annual_rate_pct,
        disbursed_on=from_date,
        first_due_on=first_due_on,
        installments=installments,
        period_months=period_months,
        method=method,
        day_count=day_count,
    )
