"""Pure investment-appraisal metrics on Decimal cash flows (no Django, no clock, no I/O).

Units and timing
    * A cash-flow list holds one amount per period (a year); ``flows[0]`` happens at t = 0 and is
      NOT discounted, ``flows[t]`` is divided by ``(1 + rate) ** t``. (Excel's ``NPV()`` discounts
      its first argument, so Excel users write ``=NPV(r, CF1:CFn) + CF0``.)
    * Rates are Decimal *fractions* per period: ``Decimal("0.07")`` means 7 % a year; rate > -1.
    * Amounts are baht (any currency). Inputs may be Decimal, int or a numeric str; float is
      refused because binary floats are inexact.

Precision and rounding
    * Arithmetic runs in a decimal context with 40 significant digits.
    * Results are rounded half-up: money (NPV, PV, break-even revenue) to 0.01 (satang); rates
      (IRR, MIRR) to 1e-10 (a fraction, i.e. 1e-8 percentage points); ratios (BCR) to 1e-6;
      years (paybacks) to 1e-6; switching values to 1e-6 percentage points.
    * ``present_value_factors`` is not rounded (round it for display only).

Errors
    * Bad input (empty flows, all-zero flows, rate <= -1, non-numbers) raises ``ValueError``
      with an English message. A metric that does not exist (no IRR, never repaid) is ``None``.

IRR method
    With exactly one sign change (Descartes) there is exactly one root on (-1, inf): it is
    bracketed and bisected in float, then polished by safeguarded Newton steps in Decimal.
    With several sign changes, NPV is scanned on a grid of rates on (-0.99, 10) plus both tails
    (-1, -0.99) and (10, inf); every sign change is a root. Exactly one root -> it is returned;
    none -> ``"no_root"``; more -> ``"multiple_roots"``. Roots closer together than the grid step
    (0.005 between -50 % and 100 %) or double roots off the grid can escape the scan.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from itertools import pairwise

__all__ = [
    "DECIMAL_CONTEXT",
    "IRR_REASONS",
    "benefit_cost_ratio",
    "break_even_revenue",
    "discounted_payback_period",
    "irr",
    "irr_explained",
    "mirr",
    "npv",
    "payback_period",
    "round_half_up",
    "present_value_factors",
    "switching_value",
    "to_decimal",
]

PRECISION = 40
MONEY = Decimal("0.01")
RATE_QUANTUM = Decimal("1E-10")
RATIO_QUANTUM = Decimal("1E-6")
YEARS_QUANTUM = Decimal("1E-6")
PCT_QUANTUM = Decimal("1E-6")

#: Codes returned by :func:`irr_explained`.
IRR_REASONS = ("ok", "no_sign_change", "no_root", "multiple_roots")

DECIMAL_CONTEXT = Context(prec=PRECISION, rounding=ROUND_HALF_EVEN, Emax=999_999, Emin=-999_999)
_ZERO = Decimal(0)
_ONE = Decimal(1)


def _grid() -> tuple[tuple[Decimal, float], ...]:
    """Rates scanned for multiple IRRs: (Decimal rate, float log(1 + rate))."""
    points: list[Decimal] = []
    for start, stop, step in (
        ("-0.99", "-0.50", "0.01"),
        ("-0.50", "1.00", "0.005"),
        ("1.00", "10.00", "0.05"),
    ):
        r, end, d = Decimal(start), Decimal(stop), Decimal(step)
        while r < end:
            points.append(r)
            r += d
    points.append(Decimal("10.00"))
    return tuple((r, math.log1p(float(r))) for r in points)


_GRID = _grid()


# --------------------------------------------------------------------------- input helpers
def to_decimal(value: object, name: str = "value") -> Decimal:
    """Return ``value`` as a finite Decimal; ValueError for float, bool, NaN, inf, junk."""
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, (bool, float)):
        raise ValueError(
            f"{name} must be a Decimal, int or numeric str, not {type(value).__name__} "
            f"({value!r}); binary floats are inexact"
        )
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{name} is not a number: {value!r}") from None
    else:
        raise ValueError(f"{name} must be a Decimal, int or numeric str, not {type(value).__name__}")
    if not d.is_finite():
        raise ValueError(f"{name} must be a finite number, got {d}")
    return d


def _rate(value: object, name: str = "rate") -> Decimal:
    r = to_decimal(value, name)
    if r <= -1:
        raise ValueError(f"{name} must be greater than -1 (a fraction: 0.07 means 7 %), got {r}")
    return r


def _flows(flows: Iterable[object], name: str = "flows", *, allow_all_zero: bool = False) -> list[Decimal]:
    if isinstance(flows, (str, bytes)) or not isinstance(flows, Iterable):
        raise ValueError(f"{name} must be a sequence of amounts")
    out = [to_decimal(v, f"{name}[{i}]") for i, v in enumerate(flows)]
    if not out:
        raise ValueError(f"{name} must not be empty")
    if not allow_all_zero and not any(out):
        raise ValueError(f"{name} are all zero; the metric is undefined")
    return out


def round_half_up(x: Decimal, quantum: Decimal) -> Decimal:
    """Round half-up to ``quantum`` (e.g. MONEY); never returns a negative zero."""
    with localcontext(DECIMAL_CONTEXT):
        r = x.quantize(quantum, rounding=ROUND_HALF_UP)
        return r.copy_abs() if r == 0 else r  # no "-0.00"


def _factors(rate: Decimal, n: int) -> list[Decimal]:
    """[(1 + rate) ** -t for t in 0..n] at full precision (caller holds the context)."""
    v = _ONE / (_ONE + rate)
    out = [_ONE]
    for _ in range(n):
        out.append(out[-1] * v)
    return out


def _pv(rate: Decimal, flows: list[Decimal]) -> Decimal:
    """Unrounded NPV (caller holds the context)."""
    v = _ONE / (_ONE + rate)
    acc = _ZERO
    for c in reversed(flows):
        acc = acc * v + c
    return acc


# --------------------------------------------------------------------------- NPV family
def present_value_factors(rate: object, n: int) -> tuple[Decimal, ...]:
    """Discount factors ``(1 + rate) ** -t`` for t = 0..n (n + 1 values, unrounded)."""
    r = _rate(rate)
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a non-negative int, got {n!r}")
    with localcontext(DECIMAL_CONTEXT):
        return tuple(_factors(r, n))


def npv(rate: object, flows: Iterable[object]) -> Decimal:
    """Net present value of ``flows`` (flows[0] at t = 0, undiscounted), rounded to 0.01."""
    r = _rate(rate)
    cf = _flows(flows)
    with localcontext(DECIMAL_CONTEXT):
        return round_half_up(_pv(r, cf), MONEY)


def benefit_cost_ratio(rate: object, benefits: Iterable[object], costs: Iterable[object]) -> Decimal:
    """PV(benefits) / PV(costs); both lists start at t = 0 and hold positive amounts.

    The lists may differ in length. PV(costs) must be positive. Rounded to 1e-6.
    """
    r = _rate(rate)
    b = _flows(benefits, "benefits", allow_all_zero=True)
    c = _flows(costs, "costs", allow_all_zero=True)
    with localcontext(DECIMAL_CONTEXT):
        pv_c = _pv(r, c)
        if pv_c <= 0:
            raise ValueError(f"the present value of costs must be positive, got {round_half_up(pv_c, MONEY)}")
        return round_half_up(_pv(r, b) / pv_c, RATIO_QUANTUM)


def break_even_revenue(rate: object, other_flows: Iterable[object], first_year: int = 1) -> Decimal:
    """Level yearly revenue (same amount each year ``first_year``..n) that brings NPV to 0.

    ``other_flows`` are all the project's flows except revenue (investment and costs negative,
    salvage positive), t = 0..n. Result = -NPV(other_flows) / sum of discount factors of the
    revenue years, rounded to 0.01; ``0.00`` when the other flows alone already give NPV >= 0.
    """
    r = _rate(rate)
    other = _flows(other_flows, "other_flows", allow_all_zero=True)
    n = len(other) - 1
    if isinstance(first_year, bool) or not isinstance(first_year, int) or not 0 <= first_year <= n:
        raise ValueError(f"first_year must be an int in 0..{n}, got {first_year!r}")
    with localcontext(DECIMAL_CONTEXT):
        annuity = sum(_factors(r, n)[first_year:], _ZERO)
        needed = -_pv(r, other) / annuity
        return round_half_up(max(needed, _ZERO), MONEY)


# --------------------------------------------------------------------------- paybacks
def _payback(values: list[Decimal]) -> Decimal | None:
    cum = _ZERO
    cums = []
    for v in values:
        cum += v
        cums.append(cum)
    if cums[-1] < 0:
        return None
    last_negative = max((i for i, c in enumerate(cums) if c < 0), default=None)
    if last_negative is None:
        return _ZERO
    # cumulative turns (and stays) non-negative during year last_negative + 1; linear within it
    return round_half_up(
        Decimal(last_negative) - cums[last_negative] / values[last_negative + 1], YEARS_QUANTUM
    )


def payback_period(flows: Iterable[object]) -> Decimal | None:
    """Years until the cumulative cash flow turns non-negative for good, linear within the year.

    ``None`` when the cumulative flow is still negative at the end; 0 if it never is negative.
    """
    cf = _flows(flows)
    with localcontext(DECIMAL_CONTEXT):
        return _payback(cf)


def discounted_payback_period(rate: object, flows: Iterable[object]) -> Decimal | None:
    """As :func:`payback_period` on the discounted flows ``flows[t] * (1 + rate) ** -t``."""
    r = _rate(rate)
    cf = _flows(flows)
    with localcontext(DECIMAL_CONTEXT):
        return _payback([c * f for c, f in zip(cf, _factors(r, len(cf) - 1), strict=True)])


# --------------------------------------------------------------------------- IRR
def _sign(x: float | Decimal) -> int:
    return (x > 0) - (x < 0)


def _scaled(cf: list[float], s: float) -> float:
    """NPV at rate e**s - 1, rescaled by a positive factor so that it never overflows."""
    acc = 0.0
    if s >= 0:  # sum c_t v**t, v = 1/(1+r) <= 1
        v = math.exp(-s)
        for c in reversed(cf):
            acc = acc * v + c
    else:  # (1+r)**n * NPV = sum c_t w**(n-t), w = 1+r < 1
        w = math.exp(s)
        for c in cf:
            acc = acc * w + c
    return acc


def _bisect(cf: list[float], a: float, b: float, fa: float) -> tuple[float, float]:
    """Shrink the bracket [a, b] (sign change, fa = F(a) != 0) in log(1 + r) to ~1e-13."""
    for _ in range(200):
        m = 0.5 * (a + b)
        if b - a <= 1e-13 * max(1.0, abs(m)) or m in (a, b):
            break
        fm = _scaled(cf, m)
        if fm == 0:
            return m, m
        if (fm > 0) == (fa > 0):
            a, fa = m, fm
        else:
            b = m
    return a, b


def _newton(cf: list[Decimal], lo: Decimal, hi: Decimal) -> Decimal:
    """Safeguarded Newton in Decimal on r within [lo, hi] (caller holds the context)."""

    def f(r: Decimal) -> tuple[Decimal, Decimal]:
        v = _ONE / (_ONE + r)
        p = dp = _ZERO
        for c in reversed(cf):
            dp = dp * v + p
            p = p * v + c
        return p, -dp * v * v  # NPV and dNPV/dr

    s_lo = _sign(f(lo)[0])
    s_hi = _sign(f(hi)[0])
    if s_lo == 0:
        return lo
    if s_hi == 0:
        return hi
    if s_lo == s_hi:  # float bracket was off by rounding; trust it as is
        return (lo + hi) / 2
    r = (lo + hi) / 2
    tol = Decimal("1E-30")
    for _ in range(100):
        p, dp = f(r)
        if p == 0:
            return r
        if _sign(p) == s_lo:
            lo = r
        else:
            hi = r
        nxt = r - p / dp if dp != 0 else (lo + hi) / 2
        if not lo < nxt < hi:
            nxt = (lo + hi) / 2
        if abs(nxt - r) <= tol * (1 + abs(r)) or hi - lo <= tol:
            return nxt
        r = nxt
    return r


def _to_rate(s: float) -> Decimal:
    return Decimal(s).exp() - 1


def _refine(cf: list[Decimal], a: float, b: float) -> Decimal:
    lo, hi = _to_rate(a), _to_rate(b)
    if lo == hi:
        return lo
    return _newton(cf, lo, hi)


def _find_tail(fcf: list[float], s0: float, target_sign: int, direction: int) -> tuple[float, float] | None:
    """Walk from s0 in ``direction`` until F has ``target_sign``; return the bracket found."""
    step = 1.0
    prev = s0
    for _ in range(12):
        s = s0 + direction * step
        if abs(s) > 700:
            s = 700.0 * direction
        fs = _scaled(fcf, s)
        if _sign(fs) == target_sign:
            return (s, prev) if direction < 0 else (prev, s)
        if fs == 0:
            return (s, s)
        prev = s
        if abs(s) >= 700:
            return None
        step *= 2
    return None


def _result_rate(r: Decimal) -> Decimal:
    q = round_half_up(r, RATE_QUANTUM)
    return q if q > -1 else Decimal("-0.9999999999")


def irr_explained(flows: Iterable[object]) -> tuple[Decimal | None, str]:
    """IRR as a fraction (rounded to 1e-10) with a reason code from :data:`IRR_REASONS`.

    ``(rate, "ok")``; ``(None, "no_sign_change")`` when all non-zero flows share one sign;
    ``(None, "no_root")`` when NPV never reaches 0; ``(None, "multiple_roots")`` when it does more
    than once (the IRR rule cannot be used; judge by NPV).
    """
    cf = _flows(flows)
    with localcontext(DECIMAL_CONTEXT):
        first = next(i for i, c in enumerate(cf) if c)
        last = max(i for i, c in enumerate(cf) if c)
        cf = cf[first : last + 1]  # zeros at either end do not move the roots
        signs = [_sign(c) for c in cf if c]
        changes = sum(1 for x, y in pairwise(signs) if x != y)
        if changes == 0:
            return None, "no_sign_change"
        scale = max(abs(c) for c in cf)
        fcf = [float(c / scale) for c in cf]
        # F(s) has the sign of the last flow as s -> -inf (r -> -1) and of the first as s -> inf
        left, right = signs[-1], signs[0]
        if changes == 1:
            f0 = _scaled(fcf, 0.0)
            if f0 == 0:
                return _result_rate(_newton(cf, Decimal("-0.001"), Decimal("0.001"))), "ok"
            br = _find_tail(fcf, 0.0, left, -1) if _sign(f0) == right else _find_tail(fcf, 0.0, right, 1)
            if br is None:
                return None, "no_root"
            a, b = br
            if a != b:
                a, b = _bisect(fcf, a, b, _scaled(fcf, a))
            return _result_rate(_refine(cf, a, b)), "ok"
        return _scan(cf, fcf, left, right)


def _scan(cf: list[Decimal], fcf: list[float], left: int, right: int) -> tuple[Decimal | None, str]:
    brackets: list[tuple[float, float]] = []
    exact: list[Decimal] = []
    prev_s, prev_sign = None, left
    zero_since = False
    for r, s in _GRID:
        fs = _scaled(fcf, s)
        sg = _sign(fs)
        if sg == 0:
            exact.append(r)
            zero_since = True
        else:
            if sg != prev_sign and not zero_since:
                if prev_s is None:
                    br = _find_tail(fcf, s, left, -1)
                    if br is not None:
                        brackets.append(br)
                else:
                    brackets.append((prev_s, s))
            prev_sign, zero_since = sg, False
        prev_s = s
        if len(brackets) + len(exact) > 1:
            return None, "multiple_roots"
    if prev_sign != right and not zero_since:
        br = _find_tail(fcf, _GRID[-1][1], right, 1)
        if br is not None:
            brackets.append(br)
    if len(brackets) + len(exact) > 1:
        return None, "multiple_roots"
    if exact:
        return _result_rate(exact[0]), "ok"
    if not brackets:
        return None, "no_root"
    a, b = brackets[0]
    if a != b:
        a, b = _bisect(fcf, a, b, _scaled(fcf, a))
    return _result_rate(_refine(cf, a, b)), "ok"


def irr(flows: Iterable[object]) -> Decimal | None:
    """Internal rate of return (fraction, 1e-10), or None if it does not exist or is not unique."""
    return irr_explained(flows)[0]


def mirr(flows: Iterable[object], finance_rate: object, reinvest_rate: object) -> Decimal | None:
    """Modified IRR as in Excel: ((FV of inflows at reinvest_rate) / -(PV of outflows at
    finance_rate)) ** (1 / (n - 1)) - 1 with n = len(flows). Fraction, rounded to 1e-10.

    ``None`` when there is no positive or no negative flow (Excel's #DIV/0!).
    """
    cf = _flows(flows)
    fr = _rate(finance_rate, "finance_rate")
    rr = _rate(reinvest_rate, "reinvest_rate")
    n = len(cf)
    if n < 2:
        raise ValueError("flows must hold at least two periods for MIRR")
    with localcontext(DECIMAL_CONTEXT):
        pv_neg = _pv(fr, [c if c < 0 else _ZERO for c in cf])
        fv_pos = _pv(rr, [c if c > 0 else _ZERO for c in cf]) * (_ONE + rr) ** (n - 1)
        if pv_neg == 0 or fv_pos == 0:
            return None
        return _result_rate((fv_pos / -pv_neg) ** (_ONE / (n - 1)) - 1)


# --------------------------------------------------------------------------- switching value
def switching_value(
    f: Callable[[Decimal], object], lo: object = -1000, hi: object = 1000, *, samples: int = 64
) -> Decimal | None:
    """The change x in [lo, hi] nearest to 0 with f(x) = 0, or None if f keeps one sign.

    ``f`` maps a % change (Decimal, -10 means -10 %) to NPV. The interval is sampled at
    ``samples`` even steps (plus 0), the sign change nearest 0 is bisected and finished with
    one secant step (exact when f is linear). Rounded to 1e-6 percentage points.
    """
    a0, b0 = to_decimal(lo, "lo"), to_decimal(hi, "hi")
    if a0 >= b0:
        raise ValueError(f"lo must be below hi, got lo={a0}, hi={b0}")
    if not isinstance(samples, int) or samples < 2:
        raise ValueError("samples must be an int >= 2")
    with localcontext(DECIMAL_CONTEXT):
        xs = sorted(
            {a0 + (b0 - a0) * k / samples for k in range(samples + 1)} | ({_ZERO} if a0 < 0 < b0 else set())
        )
        ys = [to_decimal(f(x), "f(x)") for x in xs]
        candidates: list[tuple[Decimal, Decimal, Decimal, Decimal, Decimal]] = []
        for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
            if y == 0:
                candidates.append((abs(x), x, x, y, y))
            elif i and ys[i - 1] != 0 and _sign(ys[i - 1]) != _sign(y):
                x0 = xs[i - 1]
                candidates.append((min(abs(x0), abs(x)) if x0 * x > 0 else _ZERO, x0, x, ys[i - 1], y))
        if not candidates:
            return None
        _, a, b, fa, fb = min(candidates, key=lambda c: c[0])
        if fa == 0:
            return round_half_up(a, PCT_QUANTUM)
        tol = Decimal("1E-12")
        for _ in range(200):
            if b - a <= tol:
                break
            m = (a + b) / 2
            fm = to_decimal(f(m), "f(x)")
            if fm == 0:
                return round_half_up(m, PCT_QUANTUM)
            if _sign(fm) == _sign(fa):
                a, fa = m, fm
            else:
                b, fb = m, fm
        return round_half_up(a - fa * (b - a) / (fb - fa), PCT_QUANTUM)
