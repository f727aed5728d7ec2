"""Pure project feasibility engine (duty 3), built on :mod:`projects.finance`.

No Django, no clock, no I/O: frozen dataclasses in, a frozen :class:`AppraisalResult` out.

Units and rounding
    * Money is baht as Decimal; every money figure in the result is rounded half-up to 0.01.
    * Input rates are percent (``discount_rate_pct=7`` = 7 % a year). IRR and MIRR come back as
      *fractions* (0.152382 = 15.2382 %) rounded to 1e-10; the discount rate also as a fraction.
    * Ratios (BCR, DSCR) to 1e-6; years (paybacks) to 1e-6; % changes (sensitivity steps,
      switching values) are percentage points, switching values rounded to 1e-6.
    * Discount factors in the table are rounded to 1e-10 for display; PVs use full precision.

Timing
    Year 0 is the start (investment, undiscounted); years 1..horizon are operating years; every
    flow happens at the end of its year. ``CashLine.amounts`` hold years 1..horizon.

Conventions
    * Net project cash flow = revenue + salvage + working-capital recovery
      - investment - operating cost - working-capital outlay (before financing; no income tax).
    * Salvage: an item bought in year y with life L yields ``salvage_value`` in year y + L when
      y + L <= horizon (no automatic replacement: add an InvestmentItem for it); otherwise its
      straight-line residual value at the horizon, salvage + (amount - salvage) * (y + L -
      horizon) / L. ``useful_life_years=None`` (land) yields ``salvage_value`` at the horizon.
    * Working capital: paid out in its year, recovered in full at the horizon.
    * BCR = PV(benefits) / PV(costs incl. investment); benefits = revenue + salvage + WC
      recovery, costs = investment + operating cost + WC outlay (see ``BCR_CONVENTION``).
    * Break-even annual revenue = the level revenue each year 1..horizon giving NPV = 0, all else
      unchanged. The % revenue drop to NPV = 0 is ``switching.revenue_pct``.
    * Sensitivity, scenarios, switching values: a change of x % multiplies every investment
      outlay (not salvage, not WC), every revenue or every cost amount by (1 + x / 100). NPV is
      linear in x, so NPV(x) = NPV + x / 100 * component PV and switching value =
      -NPV / component PV * 100 exactly (None if beyond +-1000 % or the component is 0).
    * Financing view: own funds and grants arrive in year 0, a loan's principal in its
      ``disbursement_year``; debt service rows come from the loan schedule (Django layer) or the
      fallback schedules here. Net cash after financing = net project cash flow + loan inflow +
      grants + own funds - principal - interest. Funding gap year = first year the cumulative
      cash is below 0.
    * DSCR_t = cash available for debt service (revenue_t - cost_t) / (principal_t +
      interest_t), only in years with debt service inside the horizon.
    * Verdict: checks ``npv`` (NPV >= npv_min), ``irr`` (IRR >= hurdle: the discount rate or
      irr_min_pct), ``bcr`` (BCR >= bcr_min), ``dscr`` (min DSCR >= dscr_min). A check whose
      figure does not exist (no unique IRR, no debt service, PV costs 0) is skipped, not failed.
    * MIRR: finance rate = discount rate; reinvestment rate = ``reinvest_rate_pct`` or the
      discount rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from enum import StrEnum

from projects import finance
from projects.finance import MONEY, PCT_QUANTUM, RATIO_QUANTUM, to_decimal

__all__ = [
    "BCR_CONVENTION",
    "CHECK_CODES",
    "DEFAULT_SENSITIVITY_STEPS",
    "SENSITIVITY_VARIABLES",
    "AppraisalInput",
    "AppraisalResult",
    "CashLine",
    "DebtServiceRow",
    "FinancingRow",
    "Funding",
    "InvestmentItem",
    "LineKind",
    "LoanTerms",
    "Metrics",
    "Scenario",
    "ScenarioResult",
    "SensitivityCell",
    "SwitchingValues",
    "Thresholds",
    "Verdict",
    "WorkingCapital",
    "YearRow",
    "appraise",
    "equal_principal_debt_service",
    "grow",
]

MAX_HORIZON = 30
SWITCHING_LIMIT_PCT = Decimal(1000)
BCR_CONVENTION = "PV(benefits) / PV(costs incl. investment)"
CHECK_CODES = ("npv", "irr", "bcr", "dscr")
SENSITIVITY_VARIABLES = ("investment", "revenue", "cost")
DEFAULT_SENSITIVITY_STEPS = tuple(Decimal(x) for x in (-20, -15, -10, 10, 15, 20))
LOAN_METHODS = ("equal_principal", "annuity", "bullet")
_DF_QUANTUM = Decimal("1E-10")
_CTX = finance.DECIMAL_CONTEXT  # 40 significant digits
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


def _money(x: Decimal) -> Decimal:
    return finance.round_half_up(x, MONEY)


def _int(value: object, name: str, lo: int, hi: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an int, got {value!r}")
    if value < lo or (hi is not None and value > hi):
        bounds = f"{lo}..{hi}" if hi is not None else f">= {lo}"
        raise ValueError(f"{name} must be {bounds}, got {value}")
    return value


def _amount(value: object, name: str) -> Decimal:
    d = to_decimal(value, name)
    if d < 0:
        raise ValueError(f"{name} must not be negative, got {d}")
    return d


def _pct(value: object, name: str, *, rate: bool = False) -> Decimal:
    """A percentage: a change must be >= -100, a rate > -100."""
    d = to_decimal(value, name)
    if d < -100 or (rate and d == -100):
        raise ValueError(f"{name} must be {'>' if rate else '>='} -100 (percent), got {d}")
    return d


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


# =========================================================================== inputs
class LineKind(StrEnum):
    REVENUE = "revenue"
    COST = "cost"


class Verdict(StrEnum):
    FEASIBLE = "FEASIBLE"
    NOT_FEASIBLE = "NOT_FEASIBLE"


@dataclass(frozen=True)
class InvestmentItem:
    """Capital outlay ``amount`` in ``year`` (0..horizon); see module doc for salvage."""

    name: str
    year: int
    amount: Decimal
    useful_life_years: int | None = None
    salvage_value: Decimal = _ZERO

    def __post_init__(self) -> None:
        _int(self.year, f"investment {self.name!r} year", 0)
        _set(self, "amount", _amount(self.amount, f"investment {self.name!r} amount"))
        if self.useful_life_years is not None:
            _int(self.useful_life_years, f"investment {self.name!r} useful_life_years", 1)
        _set(self, "salvage_value", _amount(self.salvage_value, f"investment {self.name!r} salvage_value"))
        if self.useful_life_years is not None and self.salvage_value > self.amount:
            raise ValueError(f"investment {self.name!r}: salvage_value exceeds amount")

    def salvage(self, horizon: int) -> tuple[int, Decimal]:
        """(year, amount) of the salvage or residual value inside the horizon."""
        if self.useful_life_years is None:
            return horizon, self.salvage_value
        end = self.year + self.useful_life_years
        if end <= horizon:
            return end, self.salvage_value
        with localcontext(_CTX):
            residual = (
                self.salvage_value
                + (self.amount - self.salvage_value) * (end - horizon) / self.useful_life_years
            )
        return horizon, residual


def grow(first_year_amount: object, growth_pct: object, horizon: int) -> tuple[Decimal, ...]:
    """Amounts for years 1..horizon: first * (1 + g/100) ** (t - 1), each rounded to 0.01."""
    first = _amount(first_year_amount, "first_year_amount")
    g = _pct(growth_pct, "growth_pct", rate=True)
    _int(horizon, "horizon", 1, MAX_HORIZON)
    with localcontext(_CTX):
        k = 1 + g / _HUNDRED
        return tuple(_money(first * k**t) for t in range(horizon))


@dataclass(frozen=True)
class CashLine:
    """A revenue or operating-cost line; ``amounts`` for years 1..horizon (non-negative)."""

    name: str
    kind: LineKind
    amounts: tuple[Decimal, ...]

    def __post_init__(self) -> None:
        try:
            _set(self, "kind", LineKind(self.kind))
        except ValueError:
            raise ValueError(
                f"line {self.name!r}: kind must be 'revenue' or 'cost', got {self.kind!r}"
            ) from None
        if isinstance(self.amounts, (str, bytes)):
            raise ValueError(f"line {self.name!r}: amounts must be a sequence")
        _set(
            self,
            "amounts",
            tuple(_amount(a, f"line {self.name!r} year {i}") for i, a in enumerate(self.amounts, 1)),
        )


@dataclass(frozen=True)
class WorkingCapital:
    """Working capital paid out in ``year`` and recovered in full at the horizon."""

    amount: Decimal
    year: int = 0

    def __post_init__(self) -> None:
        _set(self, "amount", _amount(self.amount, "working capital amount"))
        _int(self.year, "working capital year", 0)


@dataclass(frozen=True)
class DebtServiceRow:
    year: int
    principal: Decimal
    interest: Decimal

    def __post_init__(self) -> None:
        _int(self.year, "debt service year", 0)
        _set(self, "principal", _amount(self.principal, f"principal in year {self.year}"))
        _set(self, "interest", _amount(self.interest, f"interest in year {self.year}"))


def _rows(
    principal: Decimal, rate_pct: Decimal, years: int, grace: int, start: int, method: str
) -> tuple[DebtServiceRow, ...]:
    p = _amount(principal, "principal")
    rate = _amount(rate_pct, "rate_pct") / _HUNDRED
    _int(years, "years", 1)
    _int(grace, "grace_years", 0, years - 1)
    _int(start, "start_year", 0)
    out = []
    outstanding = p
    repay = years - grace
    with localcontext(_CTX):
        payment = _ZERO
        if method == "annuity":
            payment = p / repay if rate == 0 else p * rate / (1 - (1 + rate) ** -repay)
        for k in range(1, years + 1):
            interest = _money(outstanding * rate)
            if k <= grace:
                princ = _ZERO
            elif k == years:
                princ = outstanding  # last installment absorbs rounding
            elif method == "equal_principal":
                princ = _money(p / repay)
            elif method == "annuity":
                princ = _money(payment) - interest
            else:  # bullet
                princ = _ZERO
            outstanding -= princ
            out.append(DebtServiceRow(start + k, princ, interest))
    return tuple(out)


def equal_principal_debt_service(
    principal: object, rate_pct: object, years: int, grace_years: int = 0, start_year: int = 0
) -> tuple[DebtServiceRow, ...]:
    """Fallback schedule: disbursed at the end of ``start_year``, ``years`` annual installments;
    the first ``grace_years`` pay interest only, then equal principal parts. Interest = outstanding
    x rate (annual, simple); each amount rounded to 0.01 half-up; the last absorbs rounding."""
    return _rows(
        to_decimal(principal, "principal"),
        to_decimal(rate_pct, "rate_pct"),
        years,
        grace_years,
        start_year,
        "equal_principal",
    )


@dataclass(frozen=True)
class LoanTerms:
    """A loan. ``debt_service`` (year, principal, interest) rows, e.g. from loans.schedule, win;
    without them the fallback schedule for ``method`` (equal_principal|annuity|bullet) is used."""

    name: str
    principal: Decimal
    annual_rate_pct: Decimal
    term_years: int
    method: str = "equal_principal"
    grace_years: int = 0
    disbursement_year: int = 0
    debt_service: tuple[DebtServiceRow, ...] | None = None

    def __post_init__(self) -> None:
        _set(self, "principal", _amount(self.principal, f"loan {self.name!r} principal"))
        _set(self, "annual_rate_pct", _amount(self.annual_rate_pct, f"loan {self.name!r} annual_rate_pct"))
        _int(self.term_years, f"loan {self.name!r} term_years", 1)
        _int(self.grace_years, f"loan {self.name!r} grace_years", 0, self.term_years - 1)
        _int(self.disbursement_year, f"loan {self.name!r} disbursement_year", 0)
        if self.debt_service is None:
            if self.method not in LOAN_METHODS:
                raise ValueError(
                    f"loan {self.name!r}: method {self.method!r} has no fallback schedule "
                    f"(use one of {', '.join(LOAN_METHODS)} or pass debt_service rows)"
                )
            return
        rows = []
        for row in self.debt_service:
            if not isinstance(row, DebtServiceRow):
                if isinstance(row, (str, bytes)) or len(row) != 3:
                    raise ValueError(
                        f"loan {self.name!r}: debt_service rows must be (year, principal, interest)"
                    )
                row = DebtServiceRow(*row)
            if row.year < self.disbursement_year:
                raise ValueError(f"loan {self.name!r}: debt service in year {row.year} before disbursement")
            rows.append(row)
        _set(self, "debt_service", tuple(rows))

    def schedule(self) -> tuple[DebtServiceRow, ...]:
        if self.debt_service is not None:
            return self.debt_service
        return _rows(
            self.principal,
            self.annual_rate_pct,
            self.term_years,
            0 if self.method == "bullet" else self.grace_years,
            self.disbursement_year,
            self.method,
        )


@dataclass(frozen=True)
class Funding:
    """Sources of funds. Own funds and grants arrive in year 0."""

    own_funds: Decimal = _ZERO
    fund_loan: LoanTerms | None = None
    other_loans: tuple[LoanTerms, ...] = ()
    grants: Decimal = _ZERO

    def __post_init__(self) -> None:
        _set(self, "own_funds", _amount(self.own_funds, "own_funds"))
        _set(self, "grants", _amount(self.grants, "grants"))
        _set(self, "other_loans", tuple(self.other_loans))

    @property
    def loans(self) -> tuple[LoanTerms, ...]:
        return ((self.fund_loan,) if self.fund_loan is not None else ()) + self.other_loans


@dataclass(frozen=True)
class Thresholds:
    npv_min: Decimal = _ZERO
    irr_min_is_discount_rate: bool = True
    bcr_min: Decimal = Decimal(1)
    dscr_min: Decimal = Decimal("1.2")
    irr_min_pct: Decimal | None = None  # used when irr_min_is_discount_rate is False

    def __post_init__(self) -> None:
        _set(self, "npv_min", to_decimal(self.npv_min, "npv_min"))
        _set(self, "bcr_min", _amount(self.bcr_min, "bcr_min"))
        _set(self, "dscr_min", _amount(self.dscr_min, "dscr_min"))
        if self.irr_min_pct is not None:
            _set(self, "irr_min_pct", _pct(self.irr_min_pct, "irr_min_pct"))


@dataclass(frozen=True)
class Scenario:
    name: str
    investment_change_pct: Decimal = _ZERO
    revenue_change_pct: Decimal = _ZERO
    cost_change_pct: Decimal = _ZERO

    def __post_init__(self) -> None:
        for f in ("investment_change_pct", "revenue_change_pct", "cost_change_pct"):
            _set(self, f, _pct(getattr(self, f), f"scenario {self.name!r} {f}"))


@dataclass(frozen=True)
class AppraisalInput:
    horizon_years: int
    discount_rate_pct: Decimal
    investments: tuple[InvestmentItem, ...] = ()
    lines: tuple[CashLine, ...] = ()
    working_capital: tuple[WorkingCapital, ...] = ()
    funding: Funding | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    scenarios: tuple[Scenario, ...] = ()
    reinvest_rate_pct: Decimal | None = None
    sensitivity_steps_pct: tuple[Decimal, ...] = DEFAULT_SENSITIVITY_STEPS

    def __post_init__(self) -> None:
        n = _int(self.horizon_years, "horizon_years", 1, MAX_HORIZON)
        _set(self, "discount_rate_pct", _pct(self.discount_rate_pct, "discount_rate_pct", rate=True))
        if self.reinvest_rate_pct is not None:
            _set(self, "reinvest_rate_pct", _pct(self.reinvest_rate_pct, "reinvest_rate_pct", rate=True))
        wc = self.working_capital
        _set(self, "working_capital", (wc,) if isinstance(wc, WorkingCapital) else tuple(wc))
        for name in ("investments", "lines", "scenarios"):
            _set(self, name, tuple(getattr(self, name)))
        _set(
            self,
            "sensitivity_steps_pct",
            tuple(_pct(s, "sensitivity step") for s in self.sensitivity_steps_pct),
        )
        for item in self.investments:
            if item.year > n:
                raise ValueError(f"investment {item.name!r} is in year {item.year}, after the horizon {n}")
        for line in self.lines:
            if len(line.amounts) != n:
                raise ValueError(
                    f"line {line.name!r} has {len(line.amounts)} amounts; expected {n} (years 1..{n})"
                )
        for w in self.working_capital:
            if w.year > n:
                raise ValueError(f"working capital in year {w.year} is after the horizon {n}")
        if self.funding is not None:
            for loan in self.funding.loans:
                if loan.disbursement_year > n:
                    raise ValueError(f"loan {loan.name!r} is disbursed after the horizon {n}")
        if not (self.investments or self.lines or self.working_capital):
            raise ValueError("the project has no investment, revenue, cost or working capital")


# =========================================================================== outputs
@dataclass(frozen=True)
class YearRow:
    year: int
    investment: Decimal
    revenue: Decimal
    cost: Decimal
    working_capital: Decimal  # outlay
    working_capital_recovery: Decimal
    salvage: Decimal
    net_cash_flow: Decimal
    cumulative_cash_flow: Decimal
    discount_factor: Decimal  # rounded to 1e-10 for display
    present_value: Decimal
    cumulative_present_value: Decimal


@dataclass(frozen=True)
class FinancingRow:
    year: int
    net_cash_flow: Decimal
    loan_inflow: Decimal
    grants: Decimal
    own_funds: Decimal
    principal: Decimal
    interest: Decimal
    debt_service: Decimal
    net_cash_after_financing: Decimal
    cumulative_cash: Decimal
    cash_available_for_debt_service: Decimal
    dscr: Decimal | None


@dataclass(frozen=True)
class Metrics:
    npv: Decimal
    irr: Decimal | None  # fraction
    irr_reason: str  # finance.IRR_REASONS
    mirr: Decimal | None  # fraction
    bcr: Decimal | None
    pv_benefits: Decimal
    pv_costs: Decimal
    payback_years: Decimal | None
    discounted_payback_years: Decimal | None
    break_even_annual_revenue: Decimal
    min_dscr: Decimal | None
    bcr_convention: str = BCR_CONVENTION


@dataclass(frozen=True)
class SensitivityCell:
    variable: str  # SENSITIVITY_VARIABLES
    change_pct: Decimal
    npv: Decimal
    irr: Decimal | None
    irr_reason: str
    bcr: Decimal | None


@dataclass(frozen=True)
class SwitchingValues:
    """% change (percentage points) of each variable alone that brings NPV to 0."""

    investment_pct: Decimal | None
    revenue_pct: Decimal | None
    cost_pct: Decimal | None


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    investment_change_pct: Decimal
    revenue_change_pct: Decimal
    cost_change_pct: Decimal
    npv: Decimal
    irr: Decimal | None
    irr_reason: str
    bcr: Decimal | None
    min_dscr: Decimal | None
    verdict: Verdict
    failed_checks: tuple[str, ...]


@dataclass(frozen=True)
class AppraisalResult:
    horizon_years: int
    discount_rate: Decimal  # fraction
    years: tuple[YearRow, ...]
    financing: tuple[FinancingRow, ...]
    metrics: Metrics
    sensitivity: tuple[SensitivityCell, ...]
    switching: SwitchingValues
    scenarios: tuple[ScenarioResult, ...]
    verdict: Verdict
    failed_checks: tuple[str, ...]
    skipped_checks: tuple[str, ...]
    funding_gap_year: int | None
    funding_gap_amount: Decimal  # -(lowest cumulative cash) when negative, else 0.00
    warnings: tuple[str, ...] = ()

    def cell(self, variable: str, change_pct: object) -> SensitivityCell:
        pct = to_decimal(change_pct, "change_pct")
        for c in self.sensitivity:
            if c.variable == variable and c.change_pct == pct:
                return c
        raise KeyError((variable, change_pct))


# =========================================================================== engine
@dataclass(frozen=True)
class _Base:
    rate: Decimal
    inv: tuple[Decimal, ...]
    rev: tuple[Decimal, ...]
    cost: tuple[Decimal, ...]
    net: tuple[Decimal, ...]
    npv: Decimal  # unrounded
    pv_inv: Decimal
    pv_rev: Decimal
    pv_cost: Decimal
    pv_other_benefits: Decimal  # salvage + WC recovery
    pv_wc: Decimal
    debt_service: tuple[Decimal, ...]
    thresholds: Thresholds

    def evaluate(self, i_pct: Decimal, r_pct: Decimal, c_pct: Decimal) -> tuple:
        """(npv, irr, reason, bcr, min_dscr) with changes in percent (caller holds context)."""
        i, r, c = i_pct / _HUNDRED, r_pct / _HUNDRED, c_pct / _HUNDRED
        npv_ = self.npv - i * self.pv_inv + r * self.pv_rev - c * self.pv_cost
        flows = [
            n - i * a + r * b - c * d
            for n, a, b, d in zip(self.net, self.inv, self.rev, self.cost, strict=True)
        ]
        irr_, reason = finance.irr_explained(flows) if any(flows) else (None, "no_sign_change")
        pv_b = self.pv_rev * (1 + r) + self.pv_other_benefits
        pv_c = self.pv_inv * (1 + i) + self.pv_cost * (1 + c) + self.pv_wc
        bcr = finance.round_half_up(pv_b / pv_c, RATIO_QUANTUM) if pv_c > 0 else None
        dscrs = [d for d in self.dscr(r, c) if d is not None]
        return _money(npv_), irr_, reason, bcr, min(dscrs) if dscrs else None

    def dscr(self, r: Decimal, c: Decimal) -> list[Decimal | None]:
        return [
            finance.round_half_up((rev * (1 + r) - cost * (1 + c)) / ds, RATIO_QUANTUM) if ds > 0 else None
            for rev, cost, ds in zip(self.rev, self.cost, self.debt_service, strict=True)
        ]

    def judge(
        self, npv_: Decimal, irr_: Decimal | None, bcr: Decimal | None, min_dscr: Decimal | None
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(failed, skipped) check codes."""
        t = self.thresholds
        hurdle = (
            self.rate
            if t.irr_min_is_discount_rate
            else (t.irr_min_pct / _HUNDRED if t.irr_min_pct is not None else None)
        )
        failed: list[str] = []
        skipped: list[str] = []
        for code, value, limit in (
            ("npv", npv_, t.npv_min),
            ("irr", irr_, hurdle),
            ("bcr", bcr, t.bcr_min),
            ("dscr", min_dscr, t.dscr_min),
        ):
            if value is None or limit is None:
                skipped.append(code)
            elif value < limit:
                failed.append(code)
        return tuple(failed), tuple(skipped)


def _verdict(failed: tuple[str, ...]) -> Verdict:
    return Verdict.NOT_FEASIBLE if failed else Verdict.FEASIBLE


def _switch(npv_: Decimal, component: Decimal) -> Decimal | None:
    if component == 0:
        return None
    x = -npv_ / component * _HUNDRED
    return finance.round_half_up(x, PCT_QUANTUM) if abs(x) <= SWITCHING_LIMIT_PCT else None


def appraise(inp: AppraisalInput) -> AppraisalResult:
    """Run the whole feasibility appraisal. See the module docstring for conventions."""
    if not isinstance(inp, AppraisalInput):
        raise ValueError("appraise() needs an AppraisalInput")
    n = inp.horizon_years
    size = n + 1
    warnings: list[str] = []
    with localcontext(_CTX):
        rate = inp.discount_rate_pct / _HUNDRED
        df = finance.present_value_factors(rate, n)
        inv, rev, cost = [_ZERO] * size, [_ZERO] * size, [_ZERO] * size
        wc_out, wc_rec, salv = [_ZERO] * size, [_ZERO] * size, [_ZERO] * size
        for item in inp.investments:
            inv[item.year] += item.amount
            y, value = item.salvage(n)
            salv[y] += value
        for line in inp.lines:
            target = rev if line.kind is LineKind.REVENUE else cost
            for t, a in enumerate(line.amounts, 1):
                target[t] += a
        for w in inp.working_capital:
            wc_out[w.year] += w.amount
            wc_rec[n] += w.amount
        net = [rev[t] + salv[t] + wc_rec[t] - inv[t] - cost[t] - wc_out[t] for t in range(size)]

        def pv(series: list[Decimal]) -> Decimal:
            return sum((a * d for a, d in zip(series, df, strict=True)), _ZERO)

        pv_inv, pv_rev, pv_cost = pv(inv), pv(rev), pv(cost)
        pv_wc, pv_other = pv(wc_out), pv(salv) + pv(wc_rec)
        npv_raw = pv_rev + pv_other - pv_inv - pv_cost - pv_wc

        # ---- financing
        funding = inp.funding or Funding()
        loan_in, princ, intr = [_ZERO] * size, [_ZERO] * size, [_ZERO] * size
        for loan in funding.loans:
            loan_in[loan.disbursement_year] += loan.principal
            rows = loan.schedule()
            late = sorted({r.year for r in rows if r.year > n})
            if late:
                warnings.append(
                    f"loan {loan.name!r}: debt service after the horizon (years "
                    f"{', '.join(map(str, late))}) is not in the table or the DSCR"
                )
            repaid = sum((r.principal for r in rows), _ZERO)
            if abs(repaid - loan.principal) > MONEY:
                warnings.append(
                    f"loan {loan.name!r}: scheduled principal {_money(repaid)} differs "
                    f"from the loan {_money(loan.principal)}"
                )
            for r in rows:
                if r.year <= n:
                    princ[r.year] += r.principal
                    intr[r.year] += r.interest
        ds = [p + i for p, i in zip(princ, intr, strict=True)]
        base = _Base(
            rate,
            tuple(inv),
            tuple(rev),
            tuple(cost),
            tuple(net),
            npv_raw,
            pv_inv,
            pv_rev,
            pv_cost,
            pv_other,
            pv_wc,
            tuple(ds),
            inp.thresholds,
        )

        # ---- tables
        years: list[YearRow] = []
        financing: list[FinancingRow] = []
        dscr = base.dscr(_ZERO, _ZERO)
        cum = cum_pv = cash = _ZERO
        gap_year: int | None = None
        lowest = _ZERO
        for t in range(size):
            cum += net[t]
            cum_pv += net[t] * df[t]
            years.append(
                YearRow(
                    t,
                    _money(inv[t]),
                    _money(rev[t]),
                    _money(cost[t]),
                    _money(wc_out[t]),
                    _money(wc_rec[t]),
                    _money(salv[t]),
                    _money(net[t]),
                    _money(cum),
                    finance.round_half_up(df[t], _DF_QUANTUM),
                    _money(net[t] * df[t]),
                    _money(cum_pv),
                )
            )
            own = funding.own_funds if t == 0 else _ZERO
            grant = funding.grants if t == 0 else _ZERO
            after = net[t] + loan_in[t] + grant + own - ds[t]
            cash += after
            if cash < 0 and gap_year is None:
                gap_year = t
            lowest = min(lowest, cash)
            financing.append(
                FinancingRow(
                    t,
                    _money(net[t]),
                    _money(loan_in[t]),
                    _money(grant),
                    _money(own),
                    _money(princ[t]),
                    _money(intr[t]),
                    _money(ds[t]),
                    _money(after),
                    _money(cash),
                    _money(rev[t] - cost[t]),
                    dscr[t],
                )
            )

        # ---- metrics
        npv_, irr_, reason, bcr, min_dscr = base.evaluate(_ZERO, _ZERO, _ZERO)
        nonzero = any(net)
        reinvest = inp.reinvest_rate_pct / _HUNDRED if inp.reinvest_rate_pct is not None else rate
        metrics = Metrics(
            npv=npv_,
            irr=irr_,
            irr_reason=reason,
            mirr=finance.mirr(net, rate, reinvest) if nonzero and size > 1 else None,
            bcr=bcr,
            pv_benefits=_money(pv_rev + pv_other),
            pv_costs=_money(pv_inv + pv_cost + pv_wc),
            payback_years=finance.payback_period(net) if nonzero else None,
            discounted_payback_years=finance.discounted_payback_period(rate, net) if nonzero else None,
            break_even_annual_revenue=finance.break_even_revenue(
                rate, [a - b for a, b in zip(net, rev, strict=True)]
            ),
            min_dscr=min_dscr,
        )
        failed, skipped = base.judge(npv_, irr_, bcr, min_dscr)

        # ---- sensitivity, switching values, scenarios
        cells: list[SensitivityCell] = []
        for variable in SENSITIVITY_VARIABLES:
            for step in inp.sensitivity_steps_pct:
                changes = tuple(step if v == variable else _ZERO for v in SENSITIVITY_VARIABLES)
                c_npv, c_irr, c_reason, c_bcr, _ = base.evaluate(*changes)
                cells.append(SensitivityCell(variable, step, c_npv, c_irr, c_reason, c_bcr))
        switching = SwitchingValues(
            _switch(npv_raw, -pv_inv), _switch(npv_raw, pv_rev), _switch(npv_raw, -pv_cost)
        )
        scenarios: list[ScenarioResult] = []
        for sc in inp.scenarios:
            s_npv, s_irr, s_reason, s_bcr, s_dscr = base.evaluate(
                sc.investment_change_pct, sc.revenue_change_pct, sc.cost_change_pct
            )
            s_failed, _ = base.judge(s_npv, s_irr, s_bcr, s_dscr)
            scenarios.append(
                ScenarioResult(
                    sc.name,
                    sc.investment_change_pct,
                    sc.revenue_change_pct,
                    sc.cost_change_pct,
                    s_npv,
                    s_irr,
                    s_reason,
                    s_bcr,
                    s_dscr,
                    _verdict(s_failed),
                    s_failed,
                )
            )

    return AppraisalResult(
        horizon_years=n,
        discount_rate=rate,
        years=tuple(years),
        financing=tuple(financing),
        metrics=metrics,
        sensitivity=tuple(cells),
        switching=switching,
        scenarios=tuple(scenarios),
        verdict=_verdict(failed),
        failed_checks=failed,
        skipped_checks=skipped,
        funding_gap_year=gap_year,
        funding_gap_amount=_money(-lowest),
        warnings=tuple(warnings),
    )
