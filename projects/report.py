"""One function turns an assessment's cached results into what the page, the PDF and the Excel
export show, so the three never disagree."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from coopsupport.thai import format_money
from projects.appraisal import BCR_CONVENTION, SENSITIVITY_VARIABLES
from projects.models import FeasibilityAssessment


def _d(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _pct_text(fraction: Decimal | None, places: int = 2) -> str:
    return "–" if fraction is None else f"{fraction * 100:,.{places}f} %"


def _ratio_text(value: Decimal | None) -> str:
    return "–" if value is None else f"{value:,.2f}"


def _years_text(value: Decimal | None) -> str:
    return _("not repaid within the horizon") if value is None else _("%(y)s years") % {"y": f"{value:,.2f}"}


def irr_reason_text(reason: str) -> str:
    return {
        "no_sign_change": _(
            "IRR is not shown: the net cash flows never change sign (the project never "
            "earns back its outlay, or has no outlay), so no rate makes NPV zero."
        ),
        "no_root": _("IRR is not shown: no discount rate makes NPV zero."),
        "multiple_roots": _(
            "IRR is not shown: the cash flows change sign more than once and more than one "
            "rate makes NPV zero, so IRR cannot be used — judge by NPV."
        ),
    }.get(reason, "")


def check_label(code: str) -> str:
    return {
        "npv": _("NPV at least the minimum"),
        "irr": _("IRR at least the hurdle rate"),
        "bcr": _("Benefit–cost ratio at least the minimum"),
        "dscr": _("Minimum debt-service coverage at least the minimum"),
    }[code]


def variable_label(code: str) -> str:
    return {"investment": _("Investment"), "revenue": _("Revenue"), "cost": _("Operating costs")}[code]


def verdict_label(code: str) -> str:
    return str(dict(FeasibilityAssessment.Verdict.choices).get(code, _("Not computed")))


def _switching_row(label: str, value: Decimal | None, *, npv_positive: bool) -> dict:
    """The signed % change of one item that brings NPV to zero, said in words."""
    if value is None:
        return {
            "label": label,
            "value": None,
            "text": "–",
            "meaning": _("Even a ten-fold change of this item alone does not bring NPV to zero."),
        }
    amount = {"item": label, "v": f"{abs(value):,.1f}"}
    if npv_positive:
        meaning = (
            _("%(item)s may rise by up to %(v)s %% before NPV falls to zero.")
            if value > 0
            else _("%(item)s may fall by up to %(v)s %% before NPV falls to zero.")
        ) % amount
    else:
        meaning = (
            _("%(item)s would have to rise by %(v)s %% for NPV to reach zero.")
            if value > 0
            else _("%(item)s would have to fall by %(v)s %% for NPV to reach zero.")
        ) % amount
    return {"label": label, "value": value, "text": f"{value:+,.1f} %", "meaning": meaning}


def assessment_report(assessment: FeasibilityAssessment) -> dict:
    """Everything shown about a computed assessment (empty ``ok=False`` dict if not computable)."""
    res = assessment.results or {}
    if not res.get("ok"):
        return {"ok": False, "error": res.get("error", "")}
    m = res["metrics"]
    rate = _d(res["discount_rate"])
    npv, irr, mirr, bcr = _d(m["npv"]), _d(m["irr"]), _d(m["mirr"]), _d(m["bcr"])
    min_dscr = _d(m["min_dscr"])
    hurdle = rate if assessment.irr_min_pct is None else assessment.irr_min_pct / 100
    failed, skipped = set(res["failed_checks"]), set(res["skipped_checks"])

    def status(code):
        return "skipped" if code in skipped else ("fail" if code in failed else "pass")

    checks = [
        {
            "code": "npv",
            "label": check_label("npv"),
            "value": format_money(npv),
            "limit": "≥ " + format_money(assessment.npv_min),
            "status": status("npv"),
        },
        {
            "code": "irr",
            "label": check_label("irr"),
            "value": _pct_text(irr),
            "limit": "≥ " + _pct_text(hurdle),
            "status": status("irr"),
            "note": irr_reason_text(m["irr_reason"]),
        },
        {
            "code": "bcr",
            "label": check_label("bcr"),
            "value": _ratio_text(bcr),
            "limit": "≥ " + _ratio_text(assessment.bcr_min),
            "status": status("bcr"),
        },
        {
            "code": "dscr",
            "label": check_label("dscr"),
            "value": _ratio_text(min_dscr),
            "limit": "≥ " + _ratio_text(assessment.dscr_min),
            "status": status("dscr"),
            "note": _("No loan repayments within the horizon: not checked.") if min_dscr is None else "",
        },
    ]
    years = [
        {
            **y,
            "other_inflows": _d(y["salvage"]) + _d(y["working_capital_recovery"]),
            "net_negative": _d(y["net_cash_flow"]) < 0,
            "cumulative_negative": _d(y["cumulative_cash_flow"]) < 0,
        }
        for y in res["years"]
    ]
    financing = [
        {
            **f,
            "grants_own": _d(f["grants"]) + _d(f["own_funds"]),
            "after_negative": _d(f["net_cash_after_financing"]) < 0,
            "cumulative_negative": _d(f["cumulative_cash"]) < 0,
            "dscr_low": f["dscr"] is not None and _d(f["dscr"]) < assessment.dscr_min,
        }
        for f in res["financing"]
    ]
    gap_year = res["funding_gap_year"]
    gap_amount = _d(res["funding_gap_amount"])

    steps = sorted({_d(c["change_pct"]) for c in res["sensitivity"]})
    cells = {(c["variable"], _d(c["change_pct"])): c for c in res["sensitivity"]}
    base_cell = {"npv": npv, "irr": irr, "irr_text": _pct_text(irr), "base": True}
    sensitivity = []
    for var in SENSITIVITY_VARIABLES:
        row = []
        for step in steps:
            c = cells.get((var, step))
            if c is not None:
                row.append(
                    {"npv": _d(c["npv"]), "irr_text": _pct_text(_d(c["irr"])), "negative": _d(c["npv"]) < 0}
                )
        neg = [s for s in steps if s < 0]
        row.insert(len(neg), {**base_cell, "negative": npv < 0})
        sensitivity.append({"label": variable_label(var), "cells": row})
    step_headers = (
        [f"{s:+.0f} %" for s in steps if s < 0] + [_("base")] + [f"{s:+.0f} %" for s in steps if s > 0]
    )

    sw = res["switching"]
    switching = [
        _switching_row(variable_label(var), _d(sw[f"{var}_pct"]), npv_positive=npv >= 0)
        for var in SENSITIVITY_VARIABLES
    ]
    scenarios = [
        {
            **s,
            "npv": _d(s["npv"]),
            "irr_text": _pct_text(_d(s["irr"])),
            "bcr_text": _ratio_text(_d(s["bcr"])),
            "dscr_text": _ratio_text(_d(s["min_dscr"])),
            "verdict_label": verdict_label(s["verdict"]),
            "failed_labels": [check_label(c) for c in s["failed_checks"]],
        }
        for s in res["scenarios"]
    ]
    notes = []
    n = res["horizon_years"]
    if assessment.fund_loan_amount > 0 and assessment.fund_loan_years > n:
        notes.append(
            _(
                "The fund loan runs longer than the horizon: repayments after year %(n)s are not in the "
                "tables or the coverage check."
            )
            % {"n": n}
        )
    if assessment.other_loans_amount > 0 and assessment.other_loans_years > n:
        notes.append(
            _(
                "Other loans run longer than the horizon: repayments after year %(n)s are not in the "
                "tables or the coverage check."
            )
            % {"n": n}
        )

    chart = {
        "labels": [_("Year %(n)s") % {"n": y["year"]} for y in years],
        "net": [float(_d(y["net_cash_flow"])) for y in years],
        "cumulative": [float(_d(y["cumulative_cash_flow"])) for y in years],
        "after_financing": [float(_d(f["cumulative_cash"])) for f in financing],
        "series_labels": [
            _("Net cash flow"),
            _("Cumulative cash flow"),
            _("Cash after financing (cumulative)"),
        ],
        "net_negative_label": _("Net cash flow below zero"),
    }
    report = {
        "ok": True,
        "verdict": res["verdict"],
        "verdict_label": verdict_label(res["verdict"]),
        "feasible": res["verdict"] == FeasibilityAssessment.Verdict.FEASIBLE,
        "failed_labels": [check_label(c) for c in res["failed_checks"]],
        "checks": checks,
        "npv": npv,
        "irr": irr,
        "irr_text": _pct_text(irr),
        "irr_reason": irr_reason_text(m["irr_reason"]),
        "mirr_text": _pct_text(mirr),
        "bcr": bcr,
        "bcr_text": _ratio_text(bcr),
        "bcr_convention": _(
            "BCR = present value of benefits (revenue, salvage, recovered working capital) ÷ "
            "present value of costs including the investment."
        ),
        "bcr_convention_code": BCR_CONVENTION,
        "pv_benefits": _d(m["pv_benefits"]),
        "pv_costs": _d(m["pv_costs"]),
        "payback_text": _years_text(_d(m["payback_years"])),
        "discounted_payback_text": _years_text(_d(m["discounted_payback_years"])),
        "break_even_revenue": _d(m["break_even_annual_revenue"]),
        "min_dscr_text": _ratio_text(min_dscr),
        "min_dscr": min_dscr,
        "discount_rate_text": _pct_text(rate),
        "horizon": n,
        "funding_gap_year": gap_year,
        "funding_gap_amount": gap_amount,
        "has_funding_gap": gap_year is not None,
        "years": years,
        # Columns the page leaves out when they are zero in every year (the Excel/PDF tables keep them).
        "show_working_capital": any(_d(y["working_capital"]) for y in years),
        "show_other_inflows": any(y["other_inflows"] for y in years),
        "financing": financing,
        "sensitivity": sensitivity,
        "step_headers": step_headers,
        "switching": switching,
        "scenarios": scenarios,
        "notes": notes,
        "chart": chart,
    }
    report["summary_rows"] = _summary_rows(report)
    report["tables"] = _tables(years, financing)
    return report


def _summary_rows(r: dict) -> list[tuple[str, str]]:
    gap = (
        _("Cash runs short in year %(y)s by up to %(amount)s baht")
        % {"y": r["funding_gap_year"], "amount": format_money(r["funding_gap_amount"])}
        if r["has_funding_gap"]
        else _("None: cash never falls below zero")
    )
    return [
        (_("Verdict"), r["verdict_label"]),
        (_("Discount rate"), r["discount_rate_text"]),
        (_("NPV (baht)"), format_money(r["npv"])),
        (_("IRR"), r["irr_text"] if r["irr"] is not None else r["irr_reason"]),
        (_("MIRR"), r["mirr_text"]),
        (_("Benefit–cost ratio"), r["bcr_text"]),
        (_("Payback"), r["payback_text"]),
        (_("Discounted payback"), r["discounted_payback_text"]),
        (_("Break-even annual revenue (baht)"), format_money(r["break_even_revenue"])),
        (_("Minimum DSCR"), r["min_dscr_text"]),
        (_("Funding gap"), gap),
    ]


def _tables(years: list[dict], financing: list[dict]) -> list[tuple[str, list[str], list[list]]]:
    project = (
        _("Project cash flow"),
        [
            _("Year"),
            _("Investment"),
            _("Revenue"),
            _("Operating costs"),
            _("Working capital"),
            _("Working capital recovered"),
            _("Salvage value"),
            _("Net cash flow"),
            _("Cumulative"),
            _("Discount factor"),
            _("Present value"),
            _("Cumulative present value"),
        ],
        [
            [
                y["year"],
                *(
                    _d(y[k])
                    for k in (
                        "investment",
                        "revenue",
                        "cost",
                        "working_capital",
                        "working_capital_recovery",
                        "salvage",
                        "net_cash_flow",
                        "cumulative_cash_flow",
                        "discount_factor",
                        "present_value",
                        "cumulative_present_value",
                    )
                ),
            ]
            for y in years
        ],
    )
    fin = (
        _("After financing"),
        [
            _("Year"),
            _("Net cash flow"),
            _("Loans received"),
            _("Grants"),
            _("Own funds"),
            _("Principal"),
            _("Interest"),
            _("Debt service"),
            _("Net cash after financing"),
            _("Cumulative cash"),
            _("DSCR"),
        ],
        [
            [
                f["year"],
                *(
                    _d(f[k])
                    for k in (
                        "net_cash_flow",
                        "loan_inflow",
                        "grants",
                        "own_funds",
                        "principal",
                        "interest",
                        "debt_service",
                        "net_cash_after_financing",
                        "cumulative_cash",
                        "dscr",
                    )
                ),
            ]
            for f in financing
        ],
    )
    return [project, fin]
