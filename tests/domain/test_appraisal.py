"""Tests for projects.appraisal: hand-checkable projects, sensitivity, financing, bad input."""

import ast
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projects import finance
from projects.appraisal import (
    BCR_CONVENTION,
    AppraisalInput,
    CashLine,
    DebtServiceRow,
    Funding,
    InvestmentItem,
    LineKind,
    LoanTerms,
    Scenario,
    Thresholds,
    Verdict,
    WorkingCapital,
    appraise,
    equal_principal_debt_service,
    grow,
)

ROOT = Path(__file__).resolve().parents[2]
CENT = D("0.01")


@pytest.fixture(autouse=True)
def _thai_and_media():
    """These tests are pure: shadow the Django-settings autouse fixture of tests/conftest.py
    so they also run with ``-p no:django``."""


def domain_project(**kw):
    """DOMAIN.md section 6 check as a project: -1,000,000 then (500,000 - 200,000) x 5 at 7 %."""
    args = dict(
        horizon_years=5,
        discount_rate_pct=D(7),
        investments=(InvestmentItem("rice mill", 0, D(1_000_000)),),
        lines=(
            CashLine("milling fees", LineKind.REVENUE, grow(D(500_000), D(0), 5)),
            CashLine("wages and power", LineKind.COST, (D(200_000),) * 5),
        ),
    )
    args.update(kw)
    return AppraisalInput(**args)


def pv(rate, amounts_by_year):
    return finance.npv(rate, amounts_by_year)


# ----------------------------------------------------------------------------- base case
def test_domain_case_metrics():
    r = appraise(domain_project())
    m = r.metrics
    assert m.npv == D("230059.23")
    assert m.irr.quantize(D("0.000001")) == D("0.152382")
    assert m.irr_reason == "ok"
    assert m.payback_years == D("3.333333")
    assert m.discounted_payback_years.quantize(D("0.001")) == D("3.929")
    assert m.mirr == finance.mirr([-1_000_000] + [300_000] * 5, D("0.07"), D("0.07"))
    # BCR = PV(revenue) / (investment + PV(cost))
    assert m.bcr == finance.benefit_cost_ratio(D("0.07"), [0] + [500_000] * 5, [1_000_000] + [200_000] * 5)
    assert m.bcr_convention == BCR_CONVENTION == "PV(benefits) / PV(costs incl. investment)"
    assert m.pv_benefits - m.pv_costs - m.npv in (D(0), CENT, -CENT)
    assert r.verdict is Verdict.FEASIBLE
    assert r.failed_checks == ()
    assert r.skipped_checks == ("dscr",)  # no loan
    assert r.discount_rate == D("0.07")


def test_year_table():
    r = appraise(domain_project())
    assert [y.year for y in r.years] == [0, 1, 2, 3, 4, 5]
    y0, y1, y4 = r.years[0], r.years[1], r.years[4]
    assert (y0.investment, y0.net_cash_flow, y0.discount_factor, y0.present_value) == (
        D("1000000.00"),
        D("-1000000.00"),
        D("1"),
        D("-1000000.00"),
    )
    assert (y1.revenue, y1.cost, y1.net_cash_flow, y1.cumulative_cash_flow) == (
        D("500000.00"),
        D("200000.00"),
        D("300000.00"),
        D("-700000.00"),
    )
    assert y1.discount_factor == D("0.9345794393")
    assert y1.present_value == D("280373.83")
    assert y4.cumulative_cash_flow == D("200000.00")
    assert r.years[-1].cumulative_present_value == r.metrics.npv
    assert abs(sum(y.present_value for y in r.years) - r.metrics.npv) <= D("0.03")


def test_break_even_revenue_gives_zero_npv():
    r = appraise(domain_project())
    be = r.metrics.break_even_annual_revenue
    # NPV 0 needs PV(revenue) = 1,000,000 + PV(cost): level revenue = 443,890.69
    assert be == D("443890.69")
    again = appraise(
        domain_project(
            lines=(CashLine("fees", "revenue", (be,) * 5), CashLine("wages", "cost", (D(200_000),) * 5))
        )
    )
    assert abs(again.metrics.npv) <= D("0.03")


# ----------------------------------------------------------------------------- sensitivity
def test_sensitivity_grid_shape():
    r = appraise(domain_project())
    assert len(r.sensitivity) == 18
    assert [(c.variable, int(c.change_pct)) for c in r.sensitivity[:7]] == [
        ("investment", -20),
        ("investment", -15),
        ("investment", -10),
        ("investment", 10),
        ("investment", 15),
        ("investment", 20),
        ("revenue", -20),
    ]


@pytest.mark.parametrize("pct", [-20, -15, -10, 10, 15, 20])
def test_sensitivity_cells_are_exact_shares_of_component_pv(pct):
    r = appraise(domain_project())
    base = r.metrics.npv
    pv_rev = pv(D("0.07"), [0] + [500_000] * 5)
    pv_cost = pv(D("0.07"), [0] + [200_000] * 5)
    share = D(pct) / 100
    assert abs(r.cell("revenue", pct).npv - (base + share * pv_rev)) <= CENT
    assert abs(r.cell("cost", pct).npv - (base - share * pv_cost)) <= CENT
    assert r.cell("investment", pct).npv == base - share * D(1_000_000)
    # IRR in each cell is the IRR of the changed flows
    flows = [D(-1_000_000)] + [D(500_000) * (1 + share) - D(200_000)] * 5
    assert r.cell("revenue", pct).irr == finance.irr(flows)


def test_revenue_minus_ten_percent_lowers_npv_by_ten_percent_of_pv_revenue():
    r = appraise(domain_project())
    pv_rev = pv(D("0.07"), [0] + [500_000] * 5)  # 2,050,098.72
    drop = r.metrics.npv - r.cell("revenue", -10).npv
    assert abs(drop - pv_rev / 10) <= CENT
    assert r.cell("revenue", -10).npv == D("25049.36")


def test_switching_values_bring_npv_to_zero():
    r = appraise(domain_project())
    sw = r.switching
    assert sw.investment_pct == D("23.005923")  # 230,059.23 / 1,000,000
    assert sw.revenue_pct < 0 < sw.cost_pct
    scenarios = (
        Scenario("inv", investment_change_pct=sw.investment_pct),
        Scenario("rev", revenue_change_pct=sw.revenue_pct),
        Scenario("cost", cost_change_pct=sw.cost_pct),
    )
    for s in appraise(domain_project(scenarios=scenarios)).scenarios:
        assert abs(s.npv) <= CENT, s


def test_switching_value_agrees_with_generic_root_finder():
    inp = domain_project()
    found = finance.switching_value(
        lambda x: appraise(domain_project(scenarios=(Scenario("x", revenue_change_pct=x),))).scenarios[0].npv,
        D(-100),
        D(100),
    )
    assert abs(found - appraise(inp).switching.revenue_pct) <= D("0.001")


def test_switching_value_none_when_out_of_range_or_no_component():
    huge = appraise(domain_project(lines=(CashLine("fees", "revenue", (D(1_000_000),) * 5),)))
    assert huge.switching.cost_pct is None  # no cost line
    tiny = appraise(domain_project(investments=(InvestmentItem("pen", 0, D(1)),)))
    assert tiny.switching.investment_pct is None  # beyond +1000 %


def test_scenarios_and_verdicts():
    scen = (Scenario("base"), Scenario("pessimistic", 10, -10, 10), Scenario("optimistic", -10, 10, -10))
    r = appraise(domain_project(scenarios=scen))
    base, bad, good = r.scenarios
    assert base.npv == r.metrics.npv and base.verdict is Verdict.FEASIBLE
    assert bad.verdict is Verdict.NOT_FEASIBLE
    assert set(bad.failed_checks) == {"npv", "irr", "bcr"}
    assert good.npv > base.npv > bad.npv
    # linear: combined changes add up
    expected = (
        r.metrics.npv
        + (r.cell("investment", 10).npv - r.metrics.npv)
        + (r.cell("revenue", -10).npv - r.metrics.npv)
        + (r.cell("cost", 10).npv - r.metrics.npv)
    )
    assert abs(bad.npv - expected) <= D("0.03")


def test_not_feasible_lists_failed_checks():
    r = appraise(domain_project(discount_rate_pct=D(20)))
    assert r.verdict is Verdict.NOT_FEASIBLE
    assert r.failed_checks == ("npv", "irr", "bcr")
    r2 = appraise(domain_project(thresholds=Thresholds(irr_min_is_discount_rate=False, irr_min_pct=D(16))))
    assert r2.failed_checks == ("irr",)
    r3 = appraise(domain_project(thresholds=Thresholds(irr_min_is_discount_rate=False)))
    assert "irr" in r3.skipped_checks


def test_irr_check_skipped_when_irr_not_unique():
    # a big decommissioning cost at the end: two IRRs
    inp = AppraisalInput(
        2,
        D(10),
        investments=(InvestmentItem("pump", 0, D(1600)),),
        lines=(
            CashLine("sales", "revenue", (D(10000), D(0))),
            CashLine("clean-up", "cost", (D(0), D(10000))),
        ),
    )
    r = appraise(inp)
    assert r.metrics.irr is None and r.metrics.irr_reason == "multiple_roots"
    assert "irr" in r.skipped_checks


# ----------------------------------------------------------------------------- salvage, WC
def test_salvage_and_working_capital():
    inp = AppraisalInput(
        horizon_years=5,
        discount_rate_pct=D(0),
        investments=(
            InvestmentItem("truck", 0, D(100_000), useful_life_years=3, salvage_value=D(10_000)),
            InvestmentItem("dryer", 1, D(50_000), useful_life_years=10, salvage_value=D(0)),
            InvestmentItem("land", 0, D(200_000), salvage_value=D(200_000)),
        ),
        lines=(CashLine("sales", "revenue", (D(100_000),) * 5),),
        working_capital=WorkingCapital(D(30_000), 1),
    )
    r = appraise(inp)
    salvage = [y.salvage for y in r.years]
    # truck: end of life in year 3; dryer: 6 of 10 years left -> 30,000; land: stated value at horizon
    assert salvage == [0, 0, 0, D(10_000), 0, D(230_000)]
    assert r.years[1].working_capital == D(30_000)
    assert r.years[5].working_capital_recovery == D(30_000)
    assert r.years[1].net_cash_flow == D(100_000 - 50_000 - 30_000)
    assert r.metrics.npv == D(500_000 + 240_000 - 350_000)
    # BCR: (revenue + salvage + WC recovery) / (investment + WC)
    assert r.metrics.bcr == (D(500_000 + 240_000 + 30_000) / D(350_000 + 30_000)).quantize(D("1E-6"))


def test_grow():
    assert grow(D(100), D(10), 4) == (D("100.00"), D("110.00"), D("121.00"), D("133.10"))
    assert grow(D("1000"), D(-5), 2) == (D("1000.00"), D("950.00"))


# ----------------------------------------------------------------------------- financing
def test_fallback_equal_principal_schedule():
    rows = equal_principal_debt_service(D(1_000_000), D("2.5"), 5)
    assert [r.principal for r in rows] == [D(200_000)] * 5
    assert [r.interest for r in rows] == [D(25_000), D(20_000), D(15_000), D(10_000), D(5_000)]
    rows = equal_principal_debt_service(D(100_000), D(3), 4, grace_years=1, start_year=2)
    assert [r.year for r in rows] == [3, 4, 5, 6]
    assert [r.principal for r in rows] == [0, D("33333.33"), D("33333.33"), D("33333.34")]
    assert rows[0].interest == D(3_000)


@pytest.mark.parametrize(
    ("method", "first", "last"),
    [
        ("annuity", (D("0.00"), D("3000.00")), None),
        ("bullet", (D(0), D(3_000)), (D(100_000), D(3_000))),
    ],
)
def test_other_fallback_methods(method, first, last):
    rows = LoanTerms("x", D(100_000), D(3), 5, method).schedule()
    assert sum(r.principal for r in rows) == D(100_000)
    if method == "annuity":
        payments = {r.principal + r.interest for r in rows[:-1]}
        assert len(payments) == 1 and payments.pop() == D("21835.46")
    else:
        assert (rows[0].principal, rows[0].interest) == first
        assert (rows[-1].principal, rows[-1].interest) == last


def test_dscr_with_a_simple_loan():
    loan = LoanTerms("CDF long-term", D(800_000), D("2.5"), 5)
    r = appraise(domain_project(funding=Funding(own_funds=D(200_000), fund_loan=loan)))
    f1 = r.financing[1]
    assert (f1.principal, f1.interest, f1.debt_service) == (D(160_000), D(20_000), D(180_000))
    assert f1.cash_available_for_debt_service == D(300_000)
    assert f1.dscr == D("1.666667")
    assert r.financing[0].dscr is None
    assert r.metrics.min_dscr == D("1.666667")
    assert r.funding_gap_year is None and r.funding_gap_amount == 0
    assert r.financing[0].net_cash_after_financing == 0
    assert r.verdict is Verdict.FEASIBLE and "dscr" not in r.skipped_checks
    strict = appraise(
        domain_project(
            funding=Funding(own_funds=D(200_000), fund_loan=loan), thresholds=Thresholds(dscr_min=D(2))
        )
    )
    assert strict.failed_checks == ("dscr",)


def test_debt_service_rows_from_the_loan_schedule_are_used_verbatim():
    # DOMAIN.md section 4 example: interest 25,000; 20,000; 15,000; 10,027.40 (366 days); 5,000
    interest = [D(25_000), D(20_000), D(15_000), D("10027.40"), D(5_000)]
    rows = tuple((y, D(200_000), i) for y, i in enumerate(interest, 1))
    loan = LoanTerms("CDF", D(1_000_000), D("2.5"), 5, "equal_principal", debt_service=rows)
    r = appraise(domain_project(funding=Funding(fund_loan=loan)))
    assert r.financing[4].interest == D("10027.40")
    assert isinstance(loan.debt_service[0], DebtServiceRow)
    assert r.warnings == ()


def test_funding_gap_detection():
    r = appraise(domain_project(funding=Funding(own_funds=D(400_000))))
    assert r.funding_gap_year == 0
    assert r.funding_gap_amount == D(600_000)
    # loan arrives a year late: gap in year 0, covered from year 1
    late = LoanTerms("late", D(600_000), D(0), 3, disbursement_year=1)
    r = appraise(domain_project(funding=Funding(own_funds=D(400_000), other_loans=(late,))))
    assert r.funding_gap_year == 0
    assert [f.cumulative_cash for f in r.financing[:2]] == [D(-600_000), D(300_000)]
    r = appraise(domain_project(funding=Funding(own_funds=D(500_000), grants=D(500_000))))
    assert r.funding_gap_year is None


def test_warnings_for_schedule_beyond_horizon_or_principal_mismatch():
    long_loan = LoanTerms("long", D(500_000), D(1), 10)
    short_rows = LoanTerms("odd", D(500_000), D(1), 2, debt_service=((1, D(100_000), D(0)),))
    r = appraise(domain_project(funding=Funding(own_funds=D(0), other_loans=(long_loan, short_rows))))
    assert any("after the horizon" in w for w in r.warnings)
    assert any("differs" in w for w in r.warnings)
    assert r.financing[5].principal == D(50_000)


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(horizon_years=0), "horizon_years"),
        (dict(horizon_years=31), "horizon_years"),
        (dict(discount_rate_pct=D(-100)), "discount_rate_pct"),
        (dict(discount_rate_pct=7.0), "float"),
        (dict(lines=(CashLine("short", "revenue", (D(1),) * 4),)), "expected 5"),
        (dict(investments=(InvestmentItem("late", 6, D(1)),)), "after the horizon"),
        (dict(working_capital=(WorkingCapital(D(1), 9),)), "after the horizon"),
        (dict(investments=(), lines=()), "no investment"),
        (dict(sensitivity_steps_pct=(D(-101),)), ">= -100"),
    ],
)
def test_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        domain_project(**kwargs)


@pytest.mark.parametrize(
    "make",
    [
        lambda: InvestmentItem("x", -1, D(1)),
        lambda: InvestmentItem("x", 0, D(-1)),
        lambda: InvestmentItem("x", 0, D(10), useful_life_years=0),
        lambda: InvestmentItem("x", 0, D(10), useful_life_years=2, salvage_value=D(11)),
        lambda: CashLine("x", "income", (D(1),)),
        lambda: CashLine("x", "revenue", (D(-1),)),
        lambda: CashLine("x", "revenue", "123"),
        lambda: LoanTerms("x", D(1), D(1), 0),
        lambda: LoanTerms("x", D(1), D(1), 3, "balloon"),
        lambda: LoanTerms("x", D(1), D(1), 3, grace_years=3),
        lambda: LoanTerms("x", D(1), D(1), 3, debt_service=((0, 1),)),
        lambda: LoanTerms("x", D(1), D(1), 3, disbursement_year=2, debt_service=((1, D(1), D(0)),)),
        lambda: Funding(own_funds=D(-1)),
        lambda: Scenario("x", revenue_change_pct=D(-150)),
        lambda: Thresholds(dscr_min=D(-1)),
        lambda: grow(D(1), D(-100), 3),
        lambda: grow(D(1), D(1), 0),
        lambda: equal_principal_debt_service(D(1), D(1), 0),
        lambda: appraise("not an input"),
    ],
)
def test_bad_parts_raise_value_error(make):
    with pytest.raises(ValueError):
        make()


# ----------------------------------------------------------------------------- properties
amounts = st.decimals(min_value=D(0), max_value=D(5_000_000), places=2)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 12),
    st.decimals(min_value=D(0), max_value=D(20), places=2),
    st.decimals(min_value=D(1000), max_value=D(10_000_000), places=2),
    st.data(),
)
def test_engine_agrees_with_finance_on_random_projects(n, rate, invest, data):
    rev = tuple(data.draw(st.lists(amounts, min_size=n, max_size=n)))
    cost = tuple(data.draw(st.lists(amounts, min_size=n, max_size=n)))
    inp = AppraisalInput(
        n,
        rate,
        investments=(InvestmentItem("i", 0, invest),),
        lines=(CashLine("r", "revenue", rev), CashLine("c", "cost", cost)),
    )
    r = appraise(inp)
    flows = [-invest] + [a - b for a, b in zip(rev, cost, strict=True)]
    assert [y.net_cash_flow for y in r.years] == flows
    assert r.metrics.npv == finance.npv(rate / 100, flows)
    assert (r.metrics.irr, r.metrics.irr_reason) == finance.irr_explained(flows)
    assert r.metrics.payback_years == finance.payback_period(flows)
    for variable in ("investment", "revenue", "cost"):
        x = getattr(r.switching, f"{variable}_pct")
        if x is not None and x >= -100:  # below -100 % is no real scenario
            change = {f"{variable}_change_pct": x}
            s = appraise(
                AppraisalInput(n, rate, inp.investments, inp.lines, scenarios=(Scenario("sw", **change),))
            ).scenarios[0]
            assert abs(s.npv) <= D("0.05") + abs(r.metrics.npv) * D("1E-7")


# ----------------------------------------------------------------------------- purity
@pytest.mark.parametrize("module", ["projects/finance.py", "projects/appraisal.py"])
def test_pure_modules_import_no_django_and_read_no_clock(module):
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"django", "time", "datetime", "random", "os"}, imported
