"""Tests for projects.finance: published worked examples, properties, bad input."""

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from projects.finance import (
    benefit_cost_ratio,
    break_even_revenue,
    discounted_payback_period,
    irr,
    irr_explained,
    mirr,
    npv,
    payback_period,
    present_value_factors,
    switching_value,
)


@pytest.fixture(autouse=True)
def _thai_and_media():
    """These tests are pure: shadow the Django-settings autouse fixture of tests/conftest.py
    so they also run with ``-p no:django``."""


DOMAIN = [D(-1_000_000)] + [D(300_000)] * 5  # DOMAIN.md section 6 check


def exact_npv(rate, flows):
    """Independent NPV in exact rational arithmetic."""
    one_plus = 1 + Fraction(rate)
    return sum(Fraction(c) / one_plus**t for t, c in enumerate(flows))


def assert_is_root(rate, flows):
    """NPV vanishes at ``rate`` up to its 1e-10 rounding: it changes sign across rate +- 1e-9
    (or, at a double root, is ~0 next to the size of the discounted flows)."""
    h = Fraction(1, 10**9)
    lo, hi = max(Fraction(rate) - h, (Fraction(rate) - 1) / 2), Fraction(rate) + h
    below, at, above = exact_npv(lo, flows), exact_npv(rate, flows), exact_npv(hi, flows)
    if below * above <= 0:
        return
    size = sum(abs(Fraction(c)) / (1 + Fraction(rate)) ** t for t, c in enumerate(flows))
    assert abs(at) <= size / 10**6, (rate, flows)


# ----------------------------------------------------------------------------- worked examples
def test_domain_check_case():
    assert npv(D("0.07"), DOMAIN) == D("230059.23")
    assert irr(DOMAIN).quantize(D("0.000001")) == D("0.152382")
    assert payback_period(DOMAIN) == D("3.333333")
    assert discounted_payback_period(D("0.07"), DOMAIN).quantize(D("0.001")) == D("3.929")


@pytest.mark.parametrize(
    ("rate", "flows", "expected"),
    [
        # Microsoft Excel NPV() docs, example 1: =NPV(10%, -10000, 3000, 4200, 6800) = 1,188.44.
        # Excel discounts its first value, so t=0 holds 0 here.
        ("0.10", [0, -10000, 3000, 4200, 6800], "1188.44"),
        # Excel NPV() docs, example 2: =NPV(8%, 8000..14500) + (-40000) = 1,922.06
        ("0.08", [-40000, 8000, 9200, 10000, 12000, 14500], "1922.06"),
        # same, with a loss of 9000 in year 6: -3,749.47
        ("0.08", [-40000, 8000, 9200, 10000, 12000, 14500, -9000], "-3749.47"),
        # Adobe LiveCycle FormCalc NPV(0.10, 500, 1500, 4000, 10000) = 11529.60863329007
        ("0.10", [0, 500, 1500, 4000, 10000], "11529.61"),
        # docs.rs `financial` crate: npv(0.1, [-1000, 500, 500, 500]) = 221.29635953828267 (Excel style)
        ("0.10", [0, -1000, 500, 500, 500], "221.30"),
        ("0", [-100, 30, 30, 40], "0.00"),
        ("0.07", [D("-0.01")], "-0.01"),
    ],
)
def test_npv_examples(rate, flows, expected):
    assert npv(D(rate), flows) == D(expected)


@pytest.mark.parametrize(
    ("flows", "expected"),
    [
        # Microsoft Excel IRR() docs: 8.66 %, -2.12 % (4 years), -44.35 % (2 years)
        ([-70000, 12000, 15000, 18000, 21000, 26000], "0.086631"),
        ([-70000, 12000, 15000, 18000, 21000], "-0.021245"),
        ([-70000, 12000, 15000], "-0.443507"),
        # greytrout spreadsheet manual: IRR(0, -700, 750, 900, 600, 850) = 1.0462142
        ([-700, 750, 900, 600, 850], "1.046214"),
        (DOMAIN, "0.152382"),
        ([-100, 110], "0.100000"),
        ([-100, 0, 121], "0.100000"),
        ([0, 0, -100, 0, 121, 0], "0.100000"),  # zeros at either end do not matter
        ([-100, 100], "0.000000"),
        ([-1_000_000, 1], "-0.999999"),
        ([100, -110], "0.100000"),  # borrowing profile: one sign change, still unique
    ],
)
def test_irr_examples(flows, expected):
    result, reason = irr_explained(flows)
    assert reason == "ok"
    assert result.quantize(D("0.000001")) == D(expected)


@pytest.mark.parametrize(
    ("flows", "reason"),
    [
        ([100, 200, 300], "no_sign_change"),
        ([-100, -200], "no_sign_change"),
        ([0, -5, 0], "no_sign_change"),
        # Lorie & Savage (1955) "pump problem": IRR of 25 % and of 400 %
        ([-1600, 10000, -10000], "multiple_roots"),
        # (1+r)^2 * 100 - 230 (1+r) + 132 = 0 -> 10 % and 20 %
        ([-100, 230, -132], "multiple_roots"),
        # Brealey & Myers, Principles of Corporate Finance: +1000, -3000, +2500 has no IRR
        ([1000, -3000, 2500], "no_root"),
        # greytrout manual reports -32.6 % for this, but NPV has a second root above 0
        ([-80, 90, 67, 72, -90], "multiple_roots"),
    ],
)
def test_irr_undefined(flows, reason):
    assert irr_explained(flows) == (None, reason)
    assert irr(flows) is None


def test_irr_several_sign_changes_but_unique_root():
    # a replacement investment in year 10 gives two sign changes; NPV crosses zero only once
    flows = [D(-1_000_000)] + [D(300_000)] * 10 + [D(-2_000_000)] + [D(300_000)] * 19
    rate, reason = irr_explained(flows)
    assert reason == "ok"
    assert abs(exact_npv(rate, flows)) < 1
    assert exact_npv(rate - D("0.001"), flows) > 0 > exact_npv(rate + D("0.001"), flows)


def test_irr_double_root_on_grid():
    # -(1 - v)^2: NPV touches 0 at r = 0 only
    assert irr_explained([-1, 2, -1]) == (D(0), "ok")


@pytest.mark.parametrize(
    ("flows", "finance", "reinvest", "expected"),
    [
        # Microsoft Excel MIRR() docs: 12.61 %, -4.80 % (3 years), 13.48 % (reinvest at 14 %)
        ([-120000, 39000, 30000, 21000, 37000, 46000], "0.10", "0.12", "0.126094"),
        ([-120000, 39000, 30000, 21000], "0.10", "0.12", "-0.048045"),
        ([-120000, 39000, 30000, 21000, 37000, 46000], "0.10", "0.14", "0.134759"),
        # MESCIUS SpreadJS docs: MIRR({7300,-15000,4036,3050}, 6.5%, 8%) = 0.0564050548577524
        ([7300, -15000, 4036, 3050], "0.065", "0.08", "0.056405"),
        ([-100, 121], "0.05", "0.5", "0.210000"),
    ],
)
def test_mirr_examples(flows, finance, reinvest, expected):
    assert mirr(flows, D(finance), D(reinvest)).quantize(D("0.000001")) == D(expected)


def test_mirr_undefined_without_both_signs():
    assert mirr([100, 200], D("0.1"), D("0.1")) is None
    assert mirr([-100, -200], D("0.1"), D("0.1")) is None


@pytest.mark.parametrize(
    ("flows", "expected"),
    [
        (DOMAIN, "3.333333"),
        ([-100, 50, 50], "2"),
        ([-100, 100, 0], "1"),
        ([-100, 40, 40, 40], "2.5"),
        ([0, 10, 10], "0"),  # never negative
        ([-100, 200, -300, 50, 500], "3.3"),  # non-negative for good during year 4 (-150 -> +350)
        ([-100, 50], None),  # never repaid
    ],
)
def test_payback(flows, expected):
    result = payback_period(flows)
    assert result == (None if expected is None else D(expected))


@pytest.mark.parametrize(
    ("rate", "flows", "expected"),
    [
        ("0.07", DOMAIN, "3.929377"),
        ("0", [-100, 40, 40, 40], "2.5"),
        ("0.10", [-100, 55, 60.5], "2"),
        ("0.10", [-100, 50, 50], None),
    ],
)
def test_discounted_payback(rate, flows, expected):
    flows = [D(str(f)) for f in flows]
    result = discounted_payback_period(D(rate), flows)
    assert result == (None if expected is None else D(expected))


def test_benefit_cost_ratio():
    # PV(300000 x 5 at 7 %) = 1,230,059.23 against 1,000,000
    assert benefit_cost_ratio(D("0.07"), [0] + [300000] * 5, [1000000]) == D("1.230059")
    assert benefit_cost_ratio(D("0.10"), [0, 110], [100]) == D("1.000000")
    assert benefit_cost_ratio(D("0.10"), [0], [100]) == D("0")


def test_break_even_revenue():
    # level revenue with PV = 1,000,000 over 5 years at 7 % = 1e6 / 4.100197...
    be = break_even_revenue(D("0.07"), [-1000000, 0, 0, 0, 0, 0])
    assert be == D("243890.69")
    assert abs(npv(D("0.07"), [D(-1000000)] + [be] * 5)) <= D("0.02")
    assert break_even_revenue(D("0.07"), [100, 0]) == D("0.00")


def test_present_value_factors():
    f = present_value_factors(D("0.07"), 3)
    assert len(f) == 4
    assert f[0] == 1
    assert f[2].quantize(D("1E-12")) == (1 / D("1.07") ** 2).quantize(D("1E-12"))
    assert present_value_factors(D(0), 2) == (1, 1, 1)


def test_switching_value():
    assert switching_value(lambda x: D(100) + 2 * x, D(-1000), D(1000)) == D("-50")
    assert switching_value(lambda x: D(-30) + D("0.3") * x) == D("100")
    assert switching_value(lambda x: D(5), D(-10), D(10)) is None
    assert switching_value(lambda x: x * 0, D(-10), D(10)) == D(0)
    # two roots (-20 and 30): the one nearer zero wins
    assert switching_value(lambda x: (x + 20) * (x - 30), D(-100), D(100)) == D("-20")


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "call",
    [
        lambda: npv(D("0.07"), []),
        lambda: npv(D("0.07"), [0, 0, 0]),
        lambda: npv(D(-1), [1, 2]),
        lambda: npv(D("-1.5"), [1, 2]),
        lambda: npv(0.07, [1, 2]),
        lambda: npv(D("0.07"), [1.5, 2]),
        lambda: npv(D("0.07"), [D("NaN")]),
        lambda: npv("seven", [1]),
        lambda: npv(D("0.07"), "123"),
        lambda: npv(D("0.07"), [True]),
        lambda: irr([]),
        lambda: irr([0, 0]),
        lambda: irr_explained([None, 1]),
        lambda: mirr([-1, 2], D(-1), D("0.1")),
        lambda: mirr([5], D("0.1"), D("0.1")),
        lambda: payback_period([]),
        lambda: payback_period([0, 0]),
        lambda: discounted_payback_period(D(-2), [-1, 2]),
        lambda: benefit_cost_ratio(D("0.1"), [1], [0]),
        lambda: benefit_cost_ratio(D("0.1"), [1], []),
        lambda: present_value_factors(D("0.1"), -1),
        lambda: break_even_revenue(D("0.1"), [-100]),
        lambda: switching_value(lambda x: x, D(10), D(-10)),
    ],
)
def test_bad_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_error_messages_are_clear():
    with pytest.raises(ValueError, match="greater than -1"):
        npv(D(-1), [1])
    with pytest.raises(ValueError, match="empty"):
        irr([])
    with pytest.raises(ValueError, match="all zero"):
        irr([0])
    with pytest.raises(ValueError, match="float"):
        npv(D("0.1"), [1.0])


# ----------------------------------------------------------------------------- properties
money = st.decimals(min_value=D("0.01"), max_value=D("10000000"), places=2)
conventional = st.builds(
    lambda invest, returns: [-invest, *returns],
    st.decimals(min_value=D("1000"), max_value=D("100000000"), places=2),
    st.lists(st.decimals(min_value=D("1000"), max_value=D("10000000"), places=2), min_size=1, max_size=30),
)
any_flows = st.lists(
    st.decimals(min_value=D("-1000000"), max_value=D("1000000"), places=2), min_size=2, max_size=31
)
rates = st.decimals(min_value=D("-0.5"), max_value=D("1"), places=4)


@settings(max_examples=150, deadline=None)
@given(conventional)
def test_npv_at_irr_is_zero_for_conventional_projects(flows):
    rate, reason = irr_explained(flows)
    assert reason == "ok"
    assert_is_root(rate, flows)


@settings(max_examples=150, deadline=None)
@given(any_flows)
def test_any_reported_irr_zeroes_npv(flows):
    assume(any(flows))
    rate, reason = irr_explained(flows)
    assert (rate is None) == (reason != "ok")
    if rate is not None:
        assert_is_root(rate, flows)


@settings(max_examples=100, deadline=None)
@given(conventional, rates, st.decimals(min_value=D("0.01"), max_value=D("0.5"), places=4))
def test_npv_strictly_falls_as_rate_rises(flows, r1, step):
    r2 = r1 + step
    assert npv(r1, flows) > npv(r2, flows)


@settings(max_examples=100, deadline=None)
@given(conventional, rates)
def test_npv_matches_exact_arithmetic_and_irr_sign(flows, rate):
    value = npv(rate, flows)
    assert abs(Fraction(value) - exact_npv(rate, flows)) <= Fraction(1, 200)
    root = irr(flows)
    if root - rate > D("0.0001"):
        assert value > 0
    elif rate - root > D("0.0001"):
        assert value < 0


@settings(max_examples=100, deadline=None)
@given(any_flows, any_flows, rates)
def test_npv_is_additive(a, b, rate):
    n = max(len(a), len(b))
    a2, b2 = a + [D(0)] * (n - len(a)), b + [D(0)] * (n - len(b))
    total = [x + y for x, y in zip(a2, b2, strict=True)]
    assume(any(a) and any(b) and any(total))
    assert abs(npv(rate, total) - npv(rate, a) - npv(rate, b)) <= D("0.02")


@settings(max_examples=100, deadline=None)
@given(conventional)
def test_mirr_equals_irr_when_both_rates_are_the_irr(flows):
    root = irr(flows)
    assume(root > D("-0.5"))
    assert abs(mirr(flows, root, root) - root) <= D("0.000001")


@settings(max_examples=100, deadline=None)
@given(conventional, st.decimals(min_value=D("0"), max_value=D("0.3"), places=3))
def test_paybacks_are_ordered(flows, rate):
    simple = payback_period(flows)
    discounted = discounted_payback_period(rate, flows)
    if discounted is not None:
        assert simple is not None
        assert simple <= discounted <= len(flows) - 1
    if simple is not None:
        cumulative = sum(flows[: int(simple) + 1])
        assert cumulative < 0 or simple == int(simple)


@settings(max_examples=100, deadline=None)
@given(conventional, rates)
def test_switching_value_of_linear_npv_brings_npv_to_zero(flows, rate):
    factors = present_value_factors(rate, len(flows) - 1)
    base = sum(c * f for c, f in zip(flows, factors, strict=True))
    returns_pv = base - flows[0]
    x = switching_value(lambda pct: base + pct / 100 * returns_pv, D(-1000), D(1000))
    if x is None:
        assert abs(base / returns_pv * 100) > 1000
    else:
        scaled = [flows[0]] + [c * (1 + x / 100) for c in flows[1:]]
        # x is rounded to 1e-6 percentage points: NPV is off by at most 5e-9 x PV(returns)
        assert abs(exact_npv(rate, scaled)) <= Fraction(returns_pv) / 10**8 + Fraction(2, 100)


@settings(max_examples=50, deadline=None)
@given(st.lists(money, min_size=1, max_size=10), st.lists(money, min_size=1, max_size=10), rates)
def test_bcr_is_ratio_of_present_values(benefits, costs, rate):
    ratio = benefit_cost_ratio(rate, benefits, costs)
    expected = exact_npv(rate, benefits) / exact_npv(rate, costs)
    assert abs(Fraction(ratio) - expected) <= Fraction(1, 10**6)
