"""Monthly performance-report arithmetic (pure: no Django, no clock).

Units and rounding
------------------
* Plans and results are ``Decimal`` quantities in the indicator's own unit (institutions, baht,
  times...), kept to 2 places.
* Achievement is a fraction (0.8333 = 83.33 %) rounded half-up to 4 places; ``None`` when there is
  no plan to compare with (no monthly plan, or a plan of 0) — shown as "–", never as 0 % or ∞.
* Months are the first day of the month. The fiscal year runs October (index 1) to September (12).
* Monthly plan targets are optional: either none (the annual target only) or twelve, October
  first, summing to the annual target.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from coopsupport.thai import ce_year, fiscal_month_index, fiscal_year, fiscal_year_bounds, normalize_digits

ZERO = Decimal("0.00")
HUNDREDTH = Decimal("0.01")
RATIO = Decimal("0.0001")
MONTHS_IN_YEAR = 12
_MONTH_RE = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{1,2})\s*$")


def quantity(value: object) -> Decimal:
    """A plan or result as Decimal to 2 places. Accepts Decimal, int, or text (Thai digits, commas)."""
    if isinstance(value, bool | float):
        raise ValueError(f"give a Decimal, int or text, not {type(value).__name__}")
    if isinstance(value, Decimal | int):
        amount = Decimal(value)
    else:
        text = normalize_digits(str(value or "")).replace(",", "").strip()
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not a number: {value!r}")
    try:
        return amount.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # too many digits for the context, e.g. 1e400
        raise ValueError(f"number too large: {value!r}") from None


def ratio(part: Decimal, whole: Decimal | None) -> Decimal | None:
    """part / whole to 4 places, or None when there is nothing to compare with."""
    if whole is None or whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATIO, rounding=ROUND_HALF_UP)


def parse_month(text: str) -> date:
    """``2569-10`` (B.E.) or ``2026-10`` (C.E.), Thai digits allowed -> date(2026, 10, 1)."""
    match = _MONTH_RE.match(normalize_digits(str(text or "")))
    if not match:
        raise ValueError(f"month must look like 2569-10 (B.E.) or 2026-10 (C.E.), got {text!r}")
    year, month = ce_year(int(match[1])), int(match[2])
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        raise ValueError(f"no such month: {text!r}")
    return date(year, month, 1)


def month_start(d: date) -> date:
    return d.replace(day=1)


def fiscal_months(fy_be: int) -> tuple[date, ...]:
    """The twelve months of B.E. fiscal year ``fy_be``: Oct of the year before ... Sep."""
    start, _ = fiscal_year_bounds(fy_be)
    months = []
    year, month = start.year, start.month
    for _i in range(MONTHS_IN_YEAR):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def parse_monthly_targets(values: Sequence[object] | None) -> tuple[Decimal, ...]:
    """Stored targets (strings) -> twelve Decimals, or () when the indicator has no monthly plan."""
    if not values:
        return ()
    if len(values) != MONTHS_IN_YEAR:
        raise ValueError(f"monthly targets must be 12 values (October first), got {len(values)}")
    targets = tuple(quantity(v) for v in values)
    if any(t < 0 for t in targets):
        raise ValueError("monthly targets must not be negative")
    return targets


def check_monthly_targets(annual_target: Decimal, targets: Sequence[Decimal]) -> None:
    """Twelve monthly targets must add up to the annual target."""
    if targets and sum(targets, ZERO) != quantity(annual_target):
        raise ValueError(
            f"the monthly targets add up to {sum(targets, ZERO)}, not the annual target {quantity(annual_target)}"
        )


@dataclass(frozen=True)
class IndicatorLine:
    """One row of the monthly performance report."""

    indicator_id: int
    code: str
    name: str
    unit: str
    annual_target: Decimal
    plan_month: Decimal | None  # None: no monthly plan
    result_month: Decimal | None  # None: nothing reported for the month
    plan_cumulative: Decimal | None
    result_cumulative: Decimal
    pct_month: Decimal | None
    pct_cumulative: Decimal | None
    pct_annual: Decimal | None
    is_auto: bool = False
    note: str = ""


def indicator_line(
    *,
    indicator_id: int,
    code: str,
    name: str,
    unit: str,
    annual_target: Decimal,
    monthly_targets: Sequence[Decimal],
    results_by_month: Mapping[date, Decimal],
    month: date,
    is_auto: bool = False,
    note: str = "",
) -> IndicatorLine:
    """Plan, result and achievement of one indicator for ``month`` and cumulatively from October."""
    month = month_start(month)
    index = fiscal_month_index(month)  # 1 = October
    fy_months = fiscal_months(fiscal_year(month))
    to_date = fy_months[:index]
    result_month = results_by_month.get(month)
    result_cumulative = sum((results_by_month.get(m, ZERO) for m in to_date), ZERO)
    plan_month = monthly_targets[index - 1] if monthly_targets else None
    plan_cumulative = sum(monthly_targets[:index], ZERO) if monthly_targets else None
    return IndicatorLine(
        indicator_id=indicator_id,
        code=code,
        name=name,
        unit=unit,
        annual_target=quantity(annual_target),
        plan_month=plan_month,
        result_month=result_month,
        plan_cumulative=plan_cumulative,
        result_cumulative=result_cumulative,
        pct_month=ratio(result_month or ZERO, plan_month) if result_month is not None else None,
        pct_cumulative=ratio(result_cumulative, plan_cumulative),
        pct_annual=ratio(result_cumulative, annual_target),
        is_auto=is_auto,
        note=note,
    )


def merge_results(
    stored: Mapping[date, Decimal], counted: Mapping[date, Decimal], months: Iterable[date]
) -> dict[date, Decimal]:
    """An automatic indicator's results: what was frozen at sign-off wins over a live count."""
    merged = {}
    for m in months:
        if m in stored:
            merged[m] = stored[m]
        elif m in counted:
            merged[m] = counted[m]
        else:
            merged[m] = ZERO
    return merged
