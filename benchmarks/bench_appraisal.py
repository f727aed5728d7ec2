"""Benchmark: one full feasibility appraisal (not a test).

30 years x 40 cash lines (20 revenue, 20 cost), investments with a replacement in year 15 (so
the net flows change sign several times and IRR takes the multi-root scan), working capital,
two loans, the full 3 x 6 sensitivity grid (NPV + IRR per cell), switching values and three
scenarios. Prints the median wall time of several runs.

    .venv/bin/python benchmarks/bench_appraisal.py [runs]
"""

from __future__ import annotations

import statistics
import sys
import time
from decimal import Decimal as D
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from projects.appraisal import (  # noqa: E402
    AppraisalInput,
    CashLine,
    Funding,
    InvestmentItem,
    LineKind,
    LoanTerms,
    Scenario,
    WorkingCapital,
    appraise,
    grow,
)

HORIZON = 30


def build_input() -> AppraisalInput:
    lines = []
    for i in range(20):
        lines.append(
            CashLine(
                f"revenue {i}", LineKind.REVENUE, grow(D(180_000 + 7_919 * i) + D("0.37"), D(i % 5), HORIZON)
            )
        )
        lines.append(
            CashLine(
                f"cost {i}", LineKind.COST, grow(D(110_000 + 5_333 * i) + D("0.11"), D((i % 4) + 1), HORIZON)
            )
        )
    investments = (
        InvestmentItem("warehouse", 0, D(12_000_000), useful_life_years=25, salvage_value=D(1_000_000)),
        InvestmentItem("dryer", 0, D(4_500_000), useful_life_years=15, salvage_value=D(200_000)),
        InvestmentItem("dryer replacement", 15, D(6_000_000), useful_life_years=15),
        InvestmentItem("land", 0, D(3_000_000), salvage_value=D(3_000_000)),
    )
    funding = Funding(
        own_funds=D(6_500_000),
        fund_loan=LoanTerms("CDF long-term", D(10_000_000), D("2.5"), 15, grace_years=2),
        other_loans=(LoanTerms("bank", D(5_000_000), D("5.5"), 10, "annuity"),),
        grants=D(1_000_000),
    )
    return AppraisalInput(
        horizon_years=HORIZON,
        discount_rate_pct=D(7),
        investments=investments,
        lines=tuple(lines),
        working_capital=(WorkingCapital(D(1_500_000), 0), WorkingCapital(D(500_000), 5)),
        funding=funding,
        scenarios=(
            Scenario("pessimistic", D(15), D(-15), D(10)),
            Scenario("base"),
            Scenario("optimistic", D(-5), D(10), D(-5)),
        ),
    )


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    inp = build_input()
    appraise(inp)  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = appraise(inp)
        times.append(time.perf_counter() - t0)
    m = result.metrics
    print(
        f"appraise(): {HORIZON} years x {len(inp.lines)} lines, {len(result.sensitivity)} sensitivity cells, "
        f"switching values, {len(result.scenarios)} scenarios"
    )
    print(
        f"  NPV {m.npv}  IRR {m.irr} ({m.irr_reason})  BCR {m.bcr}  min DSCR {m.min_dscr}  "
        f"verdict {result.verdict.value}"
    )
    print(
        f"  median {statistics.median(times) * 1000:.1f} ms over {runs} runs "
        f"(min {min(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms)"
    )


if __name__ == "__main__":
    main()
