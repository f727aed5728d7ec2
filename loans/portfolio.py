"""Portfolio measures of contract states, aging buckets and the fiscal year (pure: no Django, no clock).

Units and rounding
------------------
* Money is ``Decimal`` baht as the arrears engine reports it (whole satang); sums are not rounded
  again.
* Ratios (PAR30, PAR90, collection rate) are fractions (0.1234 = 12.34 %), rounded ROUND_HALF_UP to
  4 places; a ratio over an empty base is 0.0000.
* Aging buckets are by days past due: 0, 1-30, 31-90, 91-180, 181-365, over 365.
* The fiscal year runs 1 October - 30 September and is named by the B.E. year it ends in.

The arrears engine (``loans.arrears``) classifies each contract with ``aging_bucket`` and
re-exports every name of this module.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from loans.schedule import _check_date, to_decimal

if TYPE_CHECKING:
    from loans.arrears import ContractState

ZERO = Decimal("0.00")
RATIO = Decimal("0.0001")
_BUCKET_LIMITS = (0, 30, 90, 180, 365)  # upper bounds (inclusive) of the Bucket members in order


class Bucket(StrEnum):
    """Aging bucket by days past due."""

    CURRENT = "current"  # 0
    D1_30 = "1-30"
    D31_90 = "31-90"
    D91_180 = "91-180"
    D181_365 = "181-365"
    OVER_365 = "over-365"


#: (lowest, highest) days past due of each bucket, highest None for the open end. The one table
#: the database filters and the dashboard aggregates use, so they always agree with aging_bucket().
BUCKET_DAY_RANGES: dict[Bucket, tuple[int, int | None]] = {
    bucket: (
        0 if i == 0 else _BUCKET_LIMITS[i - 1] + 1,
        _BUCKET_LIMITS[i] if i < len(_BUCKET_LIMITS) else None,
    )
    for i, bucket in enumerate(Bucket)
}


def aging_bucket(days_past_due: int) -> Bucket:
    """0 -> CURRENT, 1-30, 31-90, 91-180, 181-365, over 365."""
    if isinstance(days_past_due, bool) or not isinstance(days_past_due, int) or days_past_due < 0:
        raise ValueError(f"days_past_due must be an int >= 0, got {days_past_due!r}")
    return tuple(Bucket)[bisect.bisect_left(_BUCKET_LIMITS, days_past_due)]


@dataclass(frozen=True)
class BucketTotal:
    bucket: Bucket
    count: int
    outstanding: Decimal


@dataclass(frozen=True)
class PortfolioMeasures:
    """PAR ratios are fractions (0.1234 = 12.34 %) to 4 places: the WHOLE outstanding of loans
    with any installment more than N days late, over the portfolio outstanding (0 if empty)."""

    loan_count: int
    outstanding: Decimal
    overdue: Decimal  # overdue principal
    overdue_count: int  # loans with overdue principal
    par30_outstanding: Decimal
    par30_count: int
    par30: Decimal
    par90_outstanding: Decimal
    par90_count: int
    par90: Decimal
    by_bucket: tuple[BucketTotal, ...] = field(default=())


def _ratio(part: Decimal, whole: Decimal) -> Decimal:
    if whole == 0:
        return Decimal("0.0000")
    return (part / whole).quantize(RATIO, rounding=ROUND_HALF_UP)


def portfolio_measures(states: Iterable[ContractState]) -> PortfolioMeasures:
    """Outstanding, overdue, PAR30/PAR90 and aging buckets of a set of contract states."""
    items = tuple(states)
    outstanding = sum((s.outstanding_principal for s in items), ZERO)
    par30 = [s for s in items if s.days_past_due > 30]
    par90 = [s for s in items if s.days_past_due > 90]
    par30_amount = sum((s.outstanding_principal for s in par30), ZERO)
    par90_amount = sum((s.outstanding_principal for s in par90), ZERO)
    groups = {b: [s.outstanding_principal for s in items if s.bucket is b] for b in Bucket}
    buckets = tuple(BucketTotal(b, len(amounts), sum(amounts, ZERO)) for b, amounts in groups.items())
    return PortfolioMeasures(
        loan_count=len(items),
        outstanding=outstanding,
        overdue=sum((s.overdue_principal for s in items), ZERO),
        overdue_count=sum(1 for s in items if s.overdue_principal > 0),
        par30_outstanding=par30_amount,
        par30_count=len(par30),
        par30=_ratio(par30_amount, outstanding),
        par90_outstanding=par90_amount,
        par90_count=len(par90),
        par90=_ratio(par90_amount, outstanding),
        by_bucket=buckets,
    )


def collection_rate(due_in_fy: object, collected_in_fy: object) -> Decimal:
    """collected / due as a fraction to 4 places (may exceed 1 when arrears are collected);
    0.0000 when nothing was due."""
    due = to_decimal(due_in_fy, "due_in_fy")
    collected = to_decimal(collected_in_fy, "collected_in_fy")
    if due < 0 or collected < 0:
        raise ValueError("amounts due and collected must not be negative")
    return _ratio(collected, due)


def fiscal_year_of(d: date) -> int:
    """B.E. fiscal year (1 Oct - 30 Sep, named by the B.E. year it ends): 2026-10-01 -> 2570."""
    _check_date(d, "date")
    return d.year + 543 + (1 if d.month >= 10 else 0)


def fiscal_year_bounds(fy_be: int) -> tuple[date, date]:
    """First and last day of B.E. fiscal year ``fy_be``: 2570 -> (2026-10-01, 2027-09-30)."""
    if isinstance(fy_be, bool) or not isinstance(fy_be, int):
        raise ValueError(f"fiscal year must be an int B.E. year, got {fy_be!r}")
    if not 2400 <= fy_be <= 3000:
        raise ValueError(f"fiscal year {fy_be} is not a Buddhist-Era year (B.E. = C.E. + 543)")
    end_ce = fy_be - 543
    return date(end_ce - 1, 10, 1), date(end_ce, 9, 30)
