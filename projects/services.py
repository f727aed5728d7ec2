"""Writes for plans, projects and feasibility assessments, the appraisal recompute, the loan link.

Every function that writes several rows is atomic and keyword-only. The appraisal math lives in
the pure modules ``projects.appraisal`` / ``projects.finance``; the fund loan's debt service comes
from ``loans.schedule.build_schedule`` so the appraisal and the contract use one schedule engine.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from enum import Enum

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from loans import schedule as loan_schedule
from projects import appraisal
from projects.models import (
    CashFlowLine,
    FeasibilityAssessment,
    IndicatorTarget,
    PlanIndicator,
    ProgressUpdate,
    Project,
    ProjectStatusEvent,
    StrategicPlan,
)

# The appraisal counts years from the disbursement (end of year 0). The schedule engine needs
# calendar dates, so the loan is laid on a nominal calendar with 30E/360 interest: every month is
# exactly 1/12 of a year, so the yearly sums do not depend on which nominal date is chosen.
_NOMINAL_DISBURSEMENT = date(2001, 1, 1)


def _require_writer(user) -> None:
    if not user.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))


# =========================================================================== plans
@transaction.atomic
def save_plan(*, form, formsets=(), user) -> StrategicPlan:
    """Create or update a plan with its SWOT items, goals and indicators."""
    _require_writer(user)
    plan = form.save(commit=False)
    if plan.pk is None:
        plan.created_by = user
    plan.save()
    for formset in formsets:
        formset.instance = plan
        formset.save()
    _check_in_scope(StrategicPlan, plan.pk, user)
    return plan


@transaction.atomic
def save_strategies(*, plan: StrategicPlan, formset, user) -> None:
    _require_writer(user)
    formset.instance = plan
    formset.save()


@transaction.atomic
def save_indicator_targets(*, plan: StrategicPlan, values: dict[tuple[int, int], tuple], user) -> int:
    """Upsert targets/actuals: ``values[(indicator_pk, year_be)] = (target, actual)``."""
    _require_writer(user)
    indicators = {i.pk: i for i in PlanIndicator.objects.filter(plan=plan)}
    existing = {(t.indicator_id, t.year_be): t for t in IndicatorTarget.objects.filter(indicator__plan=plan)}
    to_create, to_update = [], []
    for (ind_pk, year), (target, actual) in values.items():
        if ind_pk not in indicators or year not in plan.years:
            continue
        row = existing.get((ind_pk, year))
        if row is None:
            if target is None and actual is None:
                continue
            to_create.append(IndicatorTarget(indicator_id=ind_pk, year_be=year, target=target, actual=actual))
        elif (row.target, row.actual) != (target, actual):
            row.target, row.actual = target, actual
            to_update.append(row)
    # Two statements for the whole grid, not one per cell (40 indicators x 10 years x 2).
    IndicatorTarget.objects.bulk_create(to_create)
    IndicatorTarget.objects.bulk_update(to_update, ["target", "actual"], batch_size=500)
    return len(to_create) + len(to_update)


# =========================================================================== projects
@transaction.atomic
def save_project(*, form, user, today) -> Project:
    """Create or update a project; a new project gets its first dated status event."""
    _require_writer(user)
    project = form.save(commit=False)
    is_new = project.pk is None
    if is_new:
        project.created_by = user
        project.status = Project.Status.PROPOSED
        project.status_on = today
    project.save()
    if is_new:
        ProjectStatusEvent.objects.create(project=project, status=project.status, on=today, by=user)
    _check_in_scope(Project, project.pk, user)
    return project


@transaction.atomic
def change_project_status(*, project: Project, status: str, on, note: str = "", user) -> ProjectStatusEvent:
    """Move a project along proposed → appraised → approved → in progress → completed, or cancel it."""
    _require_writer(user)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if status not in project.allowed_next_statuses():
        raise ValueError(
            _("A project cannot move from “%(old)s” to “%(new)s”.")
            % {"old": project.get_status_display(), "new": Project.Status(status).label}
        )
    last = project.status_events.order_by("-on", "-id").first()
    if last is not None and on < last.on:
        raise ValueError(_("The date must not be before the previous status change."))
    project.status = status
    project.status_on = on
    project.save(update_fields=["status", "status_on", "updated_at"])
    return ProjectStatusEvent.objects.create(project=project, status=status, on=on, note=note, by=user)


@transaction.atomic
def add_progress(*, project: Project, on, percent: int, text: str, user) -> ProgressUpdate:
    _require_writer(user)
    return ProgressUpdate.objects.create(project=project, on=on, percent=percent, text=text, by=user)


@transaction.atomic
def save_project_indicators(*, project: Project, indicator_formset, period_formset, user) -> None:
    _require_writer(user)
    indicator_formset.instance = project
    indicator_formset.save()
    period_formset.save()


# =========================================================================== assessments
def fund_loan_debt_service(
    *, amount: Decimal, rate_pct: Decimal, years: int, method: str, period_months: int
) -> tuple[appraisal.DebtServiceRow, ...]:
    """Yearly principal and interest of the fund loan from the loans schedule engine.

    Disbursed at the end of year 0; installment k falls ``k * period_months`` months later and is
    counted in project year ceil(months / 12).
    """
    installments = max(1, years * 12 // period_months)
    rows = loan_schedule.build_schedule(
        principal=Decimal(amount).quantize(Decimal("0.01")),
        annual_rate_pct=rate_pct,
        disbursed_on=_NOMINAL_DISBURSEMENT,
        first_due_on=loan_schedule.add_months(_NOMINAL_DISBURSEMENT, period_months),
        installments=installments,
        period_months=period_months,
        method=method,
        day_count=loan_schedule.DayCount.THIRTY_360,
    )
    by_year: dict[int, list[Decimal]] = {}
    for row in rows:
        year = (row.number * period_months + 11) // 12
        acc = by_year.setdefault(year, [Decimal("0.00"), Decimal("0.00")])
        acc[0] += row.principal
        acc[1] += row.interest
    return tuple(appraisal.DebtServiceRow(y, p, i) for y, (p, i) in sorted(by_year.items()))


def line_amounts(line: CashFlowLine, horizon: int) -> tuple[Decimal, ...]:
    """A line's amounts for years 1..horizon (growth lines are computed; missing years are 0)."""
    if line.mode == CashFlowLine.Mode.GROWTH:
        return appraisal.grow(line.first_year_amount, line.growth_pct, horizon)
    stored = [Decimal(str(a)) for a in (line.amounts or [])][:horizon]
    return tuple(stored + [Decimal("0.00")] * (horizon - len(stored)))


def build_appraisal_input(assessment: FeasibilityAssessment) -> appraisal.AppraisalInput:
    """The pure engine's input from the assessment and its rows (raises ValueError if invalid)."""
    n = assessment.horizon_years
    a = assessment
    fund_loan = None
    if a.fund_loan_amount > 0:
        fund_loan = appraisal.LoanTerms(
            name="fund",
            principal=a.fund_loan_amount,
            annual_rate_pct=a.fund_loan_rate_pct,
            term_years=a.fund_loan_years,
            method=a.fund_loan_method,
            debt_service=fund_loan_debt_service(
                amount=a.fund_loan_amount,
                rate_pct=a.fund_loan_rate_pct,
                years=a.fund_loan_years,
                method=a.fund_loan_method,
                period_months=a.fund_loan_period_months,
            ),
        )
    other = ()
    if a.other_loans_amount > 0:
        other = (
            appraisal.LoanTerms(
                name="other",
                principal=a.other_loans_amount,
                annual_rate_pct=a.other_loans_rate_pct,
                term_years=a.other_loans_years,
                method="equal_principal",
            ),
        )
    return appraisal.AppraisalInput(
        horizon_years=n,
        discount_rate_pct=a.discount_rate_pct,
        investments=tuple(
            appraisal.InvestmentItem(i.name, i.year, i.amount, i.useful_life_years, i.salvage_value)
            for i in a.investments.all()
        ),
        lines=tuple(appraisal.CashLine(ln.name, ln.kind, line_amounts(ln, n)) for ln in a.lines.all()),
        working_capital=(
            (appraisal.WorkingCapital(a.working_capital, min(a.working_capital_year, n)),)
            if a.working_capital > 0
            else ()
        ),
        funding=appraisal.Funding(
            own_funds=a.own_funds, fund_loan=fund_loan, other_loans=other, grants=a.grants
        ),
        thresholds=appraisal.Thresholds(
            npv_min=a.npv_min,
            bcr_min=a.bcr_min,
            dscr_min=a.dscr_min,
            irr_min_is_discount_rate=a.irr_min_pct is None,
            irr_min_pct=a.irr_min_pct,
        ),
        scenarios=tuple(
            appraisal.Scenario(s.name, s.investment_change_pct, s.revenue_change_pct, s.cost_change_pct)
            for s in a.scenarios.all()
        ),
    )


def _plain(value):
    """Dataclasses → JSON-ready dicts: Decimal → str, enums → their value."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def result_to_json(result: appraisal.AppraisalResult) -> dict:
    data = _plain(result)
    data["ok"] = True
    return data


def recompute_assessment(assessment: FeasibilityAssessment, *, now=None) -> FeasibilityAssessment:
    """Run the appraisal and store the results cache and key metric columns on the row."""
    now = now or timezone.now()
    try:
        result = appraisal.appraise(build_appraisal_input(assessment))
    except ValueError as exc:
        assessment.results = {"ok": False, "error": str(exc)}
        assessment.npv = assessment.irr = assessment.bcr = assessment.min_dscr = None
        assessment.verdict = ""
    else:
        assessment.results = result_to_json(result)
        m = result.metrics
        assessment.npv, assessment.irr, assessment.bcr, assessment.min_dscr = m.npv, m.irr, m.bcr, m.min_dscr
        assessment.verdict = result.verdict.value
    assessment.computed_at = now
    assessment.save(update_fields=["results", "npv", "irr", "bcr", "min_dscr", "verdict", "computed_at"])
    return assessment


@transaction.atomic
def save_assessment(
    *, form, investment_formset, line_formset, scenario_formset, user
) -> FeasibilityAssessment:
    """Save the inputs and recompute the results (every save recomputes)."""
    _require_writer(user)
    assessment = form.save(commit=False)
    if assessment.pk is None:
        assessment.created_by = user
    elif assessment.status == FeasibilityAssessment.Status.APPROVED:
        raise ValueError(_("An approved assessment cannot be changed."))
    if assessment.status != FeasibilityAssessment.Status.DRAFT:
        # A changed appraisal must be decided again.
        assessment.status = FeasibilityAssessment.Status.DRAFT
        assessment.decided_by, assessment.decided_at, assessment.decision_note = None, None, ""
    assessment.save()
    for formset in (investment_formset, scenario_formset):
        formset.instance = assessment
        formset.save()
    line_formset.instance = assessment
    for line in line_formset.save(commit=False):
        line.amounts = list(line.amounts or [])[: assessment.horizon_years]
        line.save()
    for line in line_formset.deleted_objects:
        line.delete()
    _check_in_scope(FeasibilityAssessment, assessment.pk, user)
    return recompute_assessment(assessment)


@transaction.atomic
def replace_lines(*, assessment: FeasibilityAssessment, lines: list[dict], user) -> FeasibilityAssessment:
    """Replace every cash-flow line (an uploaded grid) and recompute."""
    _require_writer(user)
    if assessment.status == FeasibilityAssessment.Status.APPROVED:
        raise ValueError(_("An approved assessment cannot be changed."))
    assessment.lines.all().delete()
    CashFlowLine.objects.bulk_create(
        [
            CashFlowLine(
                assessment=assessment,
                name=row["name"],
                kind=row["kind"],
                mode=CashFlowLine.Mode.PER_YEAR,
                amounts=[str(a) for a in row["amounts"]],
                order=i,
            )
            for i, row in enumerate(lines)
        ]
    )
    if assessment.status != FeasibilityAssessment.Status.DRAFT:
        assessment.status = FeasibilityAssessment.Status.DRAFT
        assessment.save(update_fields=["status", "updated_at"])
    return recompute_assessment(assessment)


def _locked(pk: int) -> FeasibilityAssessment:
    return FeasibilityAssessment.objects.select_for_update().get(pk=pk)


@transaction.atomic
def submit_assessment(*, assessment: FeasibilityAssessment, user) -> bool:
    """Draft → awaiting decision. Returns False if it was not a draft (nothing done)."""
    _require_writer(user)
    a = _locked(assessment.pk)
    if a.status != FeasibilityAssessment.Status.DRAFT:
        return False
    if not a.results.get("ok"):
        raise ValueError(_("Complete the inputs so the results can be computed before submitting."))
    a.status = FeasibilityAssessment.Status.SUBMITTED
    a.save(update_fields=["status", "updated_at"])
    return True


@transaction.atomic
def decide_assessment(*, assessment: FeasibilityAssessment, approve: bool, note: str = "", user) -> bool:
    """Awaiting decision → approved / rejected. Returns False if it was not awaiting a decision."""
    _require_writer(user)
    a = _locked(assessment.pk)
    if a.status != FeasibilityAssessment.Status.SUBMITTED:
        return False
    a.status = FeasibilityAssessment.Status.APPROVED if approve else FeasibilityAssessment.Status.REJECTED
    a.decided_by, a.decided_at, a.decision_note = user, timezone.now(), note
    a.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    return True


def approve_assessment(*, assessment, user, note: str = "") -> bool:
    return decide_assessment(assessment=assessment, approve=True, note=note, user=user)


def reject_assessment(*, assessment, user, note: str = "") -> bool:
    return decide_assessment(assessment=assessment, approve=False, note=note, user=user)


# =========================================================================== loan link
def loan_initial_from_assessment(assessment_pk, user) -> dict:
    """Initial data for a loan contract from an approved assessment in the user's scope.

    Raises Http404 when it is out of scope, does not exist or is not approved.
    """
    a = (
        FeasibilityAssessment.objects.for_user(user)
        .filter(pk=assessment_pk, status=FeasibilityAssessment.Status.APPROVED)
        .select_related("institution")
        .first()
    )
    if a is None:
        raise Http404
    return {
        "borrower": a.institution_id,
        "approved_amount": a.fund_loan_amount,
        "annual_rate_pct": a.fund_loan_rate_pct,
        "installments": max(1, a.fund_loan_years * 12 // a.fund_loan_period_months),
        "period_months": a.fund_loan_period_months,
        "method": a.fund_loan_method,
        "purpose": "project",
        "note": _("From feasibility assessment: %(title)s") % {"title": a.title},
    }


@transaction.atomic
def link_assessment_to_loan(assessment_pk, loan, user) -> FeasibilityAssessment:
    """Record that ``loan`` was opened from the assessment (both must be in the user's scope)."""
    _require_writer(user)
    a = (
        FeasibilityAssessment.objects.for_user(user)
        .select_for_update()
        .filter(pk=assessment_pk, status=FeasibilityAssessment.Status.APPROVED)
        .first()
    )
    if a is None:
        raise Http404
    if loan.borrower_id != a.institution_id:
        raise ValueError(_("The loan's borrower is not the assessed institution."))
    a.loan = loan
    a.save(update_fields=["loan", "updated_at"])
    return a


# =========================================================================== helpers
def _check_in_scope(model, pk, user) -> None:
    """After a write, the object must still be visible to its author (else roll back)."""
    if not model.objects.for_user(user).filter(pk=pk).exists():
        raise PermissionDenied(_("That record is outside your office."))
