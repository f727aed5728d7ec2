"""Read-side queries. The HTML pages and the PDFs take their numbers from these same functions,
so a printed report never disagrees with the screen.

* ``monthly_report_data(office, month) -> MonthlyReport``
* ``dashboard_data(user, *, office, fiscal_year_be, today) -> Dashboard``
* ``project_portfolio(user, *, office, fy_start, fy_end) -> ProjectPortfolio`` (three queries)

Every query here is an aggregate: the number of queries does not grow with the data.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from coopsupport import thai
from coopsupport.models import Office
from reports import measures, metrics
from reports.models import Indicator, IndicatorResult, MonthlySignOff

ZERO = Decimal("0.00")


# ---------------------------------------------------------------- the monthly performance report


@dataclass(frozen=True)
class MonthlyReport:
    office: Office
    month: date  # first day
    fiscal_year_be: int
    month_index: int  # 1 = October
    lines: tuple[measures.IndicatorLine, ...]
    signoff: MonthlySignOff | None

    @property
    def month_label(self) -> str:
        return f"{thai.MONTHS_LONG[self.month.month - 1]} {thai.be_year(self.month.year)}"

    @property
    def months_elapsed_label(self) -> str:
        """ต.ค. 2569 – พ.ย. 2569"""
        first = measures.fiscal_months(self.fiscal_year_be)[0]
        label = thai.format_date(self.month).split(" ", 1)[1]
        if first == self.month:
            return label
        return f"{thai.format_date(first).split(' ', 1)[1]} – {label}"

    @property
    def reported_count(self) -> int:
        return sum(1 for line in self.lines if line.result_month is not None)


def monthly_report_data(office: Office, month: date) -> MonthlyReport:
    """Indicator / unit / plan / result for ``month`` and cumulatively since October, with % achieved."""
    month = measures.month_start(month)
    fy = thai.fiscal_year(month)
    months_to_date = measures.fiscal_months(fy)[: thai.fiscal_month_index(month)]
    indicators = list(Indicator.objects.filter(office=office, fiscal_year_be=fy, is_active=True))
    stored: dict[int, dict[date, Decimal]] = {}
    notes: dict[int, str] = {}
    for r in IndicatorResult.objects.filter(indicator__in=indicators, month__in=months_to_date).values(
        "indicator_id", "month", "value", "note"
    ):
        stored.setdefault(r["indicator_id"], {})[r["month"]] = r["value"]
        if r["month"] == month:
            notes[r["indicator_id"]] = r["note"]
    counted = _counted(office, indicators, months_to_date)
    lines = []
    for ind in indicators:
        own = stored.get(ind.pk, {})
        is_auto = ind.source == Indicator.Source.AUTO
        results = measures.merge_results(own, counted[ind.auto_metric], months_to_date) if is_auto else own
        lines.append(
            measures.indicator_line(
                indicator_id=ind.pk,
                code=ind.code,
                name=ind.name,
                unit=ind.unit,
                annual_target=ind.annual_target,
                monthly_targets=measures.parse_monthly_targets(ind.monthly_targets),
                results_by_month=results,
                month=month,
                is_auto=is_auto,
                note=notes.get(ind.pk, ""),
            )
        )
    signoff = MonthlySignOff.objects.filter(office=office, month=month).select_related("signed_by").first()
    return MonthlyReport(office, month, fy, thai.fiscal_month_index(month), tuple(lines), signoff)


def _counted(office, indicators, months) -> dict[str, dict[date, Decimal]]:
    """One grouped query per automatic source in use."""
    codes = {i.auto_metric for i in indicators if i.source == Indicator.Source.AUTO}
    end = _month_end(months[-1])
    return {code: metrics.count(code, office, months[0], end) for code in codes}


def _month_end(month: date) -> date:
    nxt = date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


# ---------------------------------------------------------------- the dashboard


@dataclass(frozen=True)
class Tally:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    count: int
    outstanding: Decimal


@dataclass(frozen=True)
class TopBorrower:
    institution_id: int
    name: str
    office: str
    loans: int
    overdue_amount: Decimal
    outstanding: Decimal
    days_past_due: int


@dataclass(frozen=True)
class LoanPortfolio:
    loan_count: int
    outstanding: Decimal
    overdue_principal: Decimal
    overdue_amount: Decimal
    overdue_count: int
    par30: Decimal
    par90: Decimal
    par30_outstanding: Decimal
    par90_outstanding: Decimal
    buckets: tuple[Bucket, ...]
    due_in_fy: Decimal
    collected_in_fy: Decimal
    collection_rate: Decimal
    top_overdue: tuple[TopBorrower, ...]
    as_of: date | None  # latest snapshot date


@dataclass(frozen=True)
class AssessmentRow:
    """Feasibility assessments of one decision status, split by verdict."""

    key: str
    label: str
    count: int
    feasible: int
    not_feasible: int
    not_computed: int


@dataclass(frozen=True)
class PendingAssessment:
    pk: int
    title: str
    institution: str
    office: str
    npv: Decimal | None
    verdict: str  # FEASIBLE / NOT_FEASIBLE / "" (not computed)
    verdict_label: str
    since: date  # last change (submission) date, local time


@dataclass(frozen=True)
class ProjectPortfolio:
    projects_total: int
    by_status: tuple[Tally, ...]  # every status, in the flow order (proposed … completed, cancelled)
    in_progress_count: int
    in_progress_budget: Decimal
    assessments_in_fy: int  # created in the fiscal year
    assessments_by_status: tuple[AssessmentRow, ...]
    assessments_feasible: int
    assessments_not_feasible: int
    assessments_not_computed: int
    approved_npv: Decimal  # sum of the NPV of the fiscal year's approved assessments
    awaiting_count: int  # every assessment awaiting decision, whatever its year
    awaiting: tuple[PendingAssessment, ...]  # the longest-waiting few


@dataclass(frozen=True)
class Dashboard:
    office: Office | None  # None: every office the user sees
    fiscal_year_be: int
    as_of: date
    institutions_total: int
    by_kind: tuple[Tally, ...]
    by_status: tuple[Tally, ...]
    by_area: tuple[Tally, ...]  # districts of one office, or offices
    area_is_office: bool
    registered_in_fy: int
    loans: LoanPortfolio | None
    indicators: int = 0
    months_signed: tuple[date, ...] = field(default=())
    projects: ProjectPortfolio | None = None

    AREA_ROWS = 10

    @property
    def area_top(self) -> tuple[Tally, ...]:
        return self.by_area[: self.AREA_ROWS]

    @property
    def area_others(self) -> int:
        """Institutions in the districts (or offices) beyond the first ten."""
        return sum(t.count for t in self.by_area[self.AREA_ROWS :])


def _counts(qs, key: str, choices) -> tuple[Tally, ...]:
    labels = dict(choices)
    rows = qs.values(key).annotate(n=Count("id")).order_by("-n", key)
    return tuple(Tally(r[key], str(labels.get(r[key], r[key])), r["n"]) for r in rows)


def dashboard_data(user, *, office: Office | None, fiscal_year_be: int, today: date) -> Dashboard:
    """Numbers of the supervisor/central dashboard for one office (or all the user sees)."""
    from cooperatives.models import Institution

    fy_start, fy_end = thai.fiscal_year_bounds(fiscal_year_be)
    as_of = min(today, fy_end)
    institutions = Institution.objects.for_user(user)
    if office is not None:
        institutions = institutions.filter(office=office)
    live = institutions.exclude(status=Institution.Status.DISSOLVED)
    area_is_office = office is None and user.sees_all_offices
    if area_is_office:
        rows = live.values("office__name").annotate(n=Count("id")).order_by("-n", "office__name")
        by_area = tuple(Tally(r["office__name"], r["office__name"], r["n"]) for r in rows)
    else:
        rows = live.values("district__name_th").annotate(n=Count("id")).order_by("-n", "district__name_th")
        by_area = tuple(
            Tally(r["district__name_th"] or "", r["district__name_th"] or "–", r["n"]) for r in rows
        )
    totals = institutions.aggregate(
        total=Count("id", filter=~Q(status=Institution.Status.DISSOLVED)),
        registered=Count("id", filter=Q(registered_on__range=(fy_start, fy_end))),
    )
    indicators = Indicator.objects.for_user(user).filter(fiscal_year_be=fiscal_year_be)
    signoffs = MonthlySignOff.objects.for_user(user).filter(month__range=(fy_start, fy_end))
    if office is not None:
        indicators = indicators.filter(office=office)
        signoffs = signoffs.filter(office=office)
    return Dashboard(
        office=office,
        fiscal_year_be=fiscal_year_be,
        as_of=as_of,
        institutions_total=totals["total"],
        by_kind=_counts(live, "kind", Institution.Kind.choices),
        by_status=_counts(institutions, "status", Institution.Status.choices),
        by_area=by_area,
        area_is_office=area_is_office,
        registered_in_fy=totals["registered"],
        loans=loan_portfolio(user, office=office, fy_start=fy_start, as_of=as_of)
        if loans_installed()
        else None,
        indicators=indicators.count(),
        months_signed=tuple(signoffs.order_by("month").values_list("month", flat=True).distinct()),
        projects=project_portfolio(user, office=office, fy_start=fy_start, fy_end=fy_end)
        if projects_installed()
        else None,
    )


def loans_installed() -> bool:
    return importlib.util.find_spec("loans.models") is not None


def projects_installed() -> bool:
    return importlib.util.find_spec("projects.models") is not None


def project_portfolio(
    user, *, office: Office | None, fy_start: date, fy_end: date, top: int = 5
) -> ProjectPortfolio:
    """Projects by status and the budget of those in progress; the fiscal year's feasibility
    assessments (created from 1 Oct to 30 Sep) by decision status and verdict; and the assessments
    awaiting a decision (of any year, longest waiting first). Three queries, whatever the data."""
    from projects.models import FeasibilityAssessment, Project

    projects = Project.objects.for_user(user)
    assessments = FeasibilityAssessment.objects.for_user(user)
    if office is not None:
        projects = projects.filter(institution__office=office)
        assessments = assessments.filter(institution__office=office)

    statuses = [*Project.FLOW, Project.Status.CANCELLED]
    p_agg = {f"p_{s}": Count("id", filter=Q(status=s)) for s in statuses}
    p_agg["p_budget"] = Sum("budget", filter=Q(status=Project.Status.IN_PROGRESS))
    p = projects.order_by().aggregate(**p_agg)

    S, V = FeasibilityAssessment.Status, FeasibilityAssessment.Verdict
    verdicts = {"feasible": Q(verdict=V.FEASIBLE), "not_feasible": Q(verdict=V.NOT_FEASIBLE),
                "not_computed": ~Q(verdict__in=[V.FEASIBLE, V.NOT_FEASIBLE])}  # fmt: skip
    in_fy = Q(created_at__date__range=(fy_start, fy_end))
    a_agg = {"a_awaiting": Count("id", filter=Q(status=S.SUBMITTED)),
             "a_npv": Sum("npv", filter=in_fy & Q(status=S.APPROVED))}  # fmt: skip
    for status in S.values:
        for key, cond in verdicts.items():
            a_agg[f"a_{status}_{key}"] = Count("id", filter=in_fy & Q(status=status) & cond)
    a = assessments.order_by().aggregate(**a_agg)

    rows = tuple(
        AssessmentRow(
            status,
            str(S(status).label),
            sum(a[f"a_{status}_{key}"] for key in verdicts),
            a[f"a_{status}_feasible"],
            a[f"a_{status}_not_feasible"],
            a[f"a_{status}_not_computed"],
        )
        for status in S.values
    )
    verdict_labels = dict(V.choices)
    pending = (
        assessments.awaiting_decision()
        .values(
            "pk", "title", "institution__name", "institution__office__name", "npv", "verdict", "updated_at"
        )
        .order_by("updated_at", "pk")[:top]
    )
    return ProjectPortfolio(
        projects_total=sum(p[f"p_{s}"] for s in statuses),
        by_status=tuple(Tally(str(s), str(Project.Status(s).label), p[f"p_{s}"]) for s in statuses),
        in_progress_count=p[f"p_{Project.Status.IN_PROGRESS}"],
        in_progress_budget=_money(p["p_budget"]),
        assessments_in_fy=sum(r.count for r in rows),
        assessments_by_status=rows,
        assessments_feasible=sum(r.feasible for r in rows),
        assessments_not_feasible=sum(r.not_feasible for r in rows),
        assessments_not_computed=sum(r.not_computed for r in rows),
        approved_npv=_money(a["a_npv"]),
        awaiting_count=a["a_awaiting"],
        awaiting=tuple(
            PendingAssessment(
                r["pk"],
                r["title"],
                r["institution__name"],
                r["institution__office__name"],
                _money(r["npv"]) if r["npv"] is not None else None,
                r["verdict"],
                str(verdict_labels.get(r["verdict"], "")),
                timezone.localtime(r["updated_at"]).date(),
            )
            for r in pending
        ),
    )


def loan_portfolio(
    user, *, office: Office | None, fy_start: date, as_of: date, top: int = 10
) -> LoanPortfolio:
    """Outstanding, overdue, aging buckets and PAR from the loans' daily snapshot fields, and the
    fiscal year's collection rate (collected / due, installments due from 1 Oct to ``as_of``)."""
    from loans import arrears, portfolio
    from loans.models import Installment, Loan, Payment

    loans = Loan.objects.for_user(user).open()
    payments = Payment.objects.for_user(user).filter(is_reversed=False, paid_on__range=(fy_start, as_of))
    installments = Installment.objects.for_user(user).filter(
        version__is_active=True, due_on__range=(fy_start, as_of)
    )
    if office is not None:
        loans = loans.filter(borrower__office=office)
        payments = payments.filter(loan__borrower__office=office)
        installments = installments.filter(version__loan__borrower__office=office)

    limits = [(bucket.value, low, high) for bucket, (low, high) in portfolio.BUCKET_DAY_RANGES.items()]
    agg = {
        "t_n": Count("id"),
        "t_outstanding": Sum("outstanding_principal"),
        "t_overdue_principal": Sum("overdue_principal"),
        "t_overdue_amount": Sum("overdue_amount"),
        "t_overdue_n": Count("id", filter=Q(overdue_principal__gt=0)),
        "t_par30": Sum("outstanding_principal", filter=Q(days_past_due__gt=30)),
        "t_par90": Sum("outstanding_principal", filter=Q(days_past_due__gt=90)),
        "t_as_of": Max("snapshot_on"),
    }
    for key, low, high in limits:
        cond = Q(days_past_due__gte=low) & (Q(days_past_due__lte=high) if high is not None else Q())
        agg[f"b_{key}_n"] = Count("id", filter=cond)
        agg[f"b_{key}_sum"] = Sum("outstanding_principal", filter=cond)
    totals = loans.aggregate(**agg)
    outstanding = _money(totals["t_outstanding"])
    par30, par90 = _money(totals["t_par30"]), _money(totals["t_par90"])
    due = _money(installments.aggregate(s=Sum("total"))["s"])
    collected = _money(payments.aggregate(s=Sum("amount"))["s"])
    labels = {b.value: _bucket_label(b.value) for b in arrears.Bucket}
    top_rows = (
        loans.filter(overdue_amount__gt=0)
        .values("borrower_id", "borrower__name", "borrower__office__name")
        .annotate(
            n=Count("id"),
            overdue=Sum("overdue_amount"),
            outstanding=Sum("outstanding_principal"),
            dpd=Max("days_past_due"),
        )
        .order_by("-overdue", "borrower__name")[:top]
    )
    return LoanPortfolio(
        loan_count=totals["t_n"],
        outstanding=outstanding,
        overdue_principal=_money(totals["t_overdue_principal"]),
        overdue_amount=_money(totals["t_overdue_amount"]),
        overdue_count=totals["t_overdue_n"],
        par30=measures.ratio(par30, outstanding) or Decimal("0.0000"),
        par90=measures.ratio(par90, outstanding) or Decimal("0.0000"),
        par30_outstanding=par30,
        par90_outstanding=par90,
        buckets=tuple(
            Bucket(key, labels.get(key, key), totals[f"b_{key}_n"], _money(totals[f"b_{key}_sum"]))
            for key, _low, _high in limits
        ),
        due_in_fy=due,
        collected_in_fy=collected,
        collection_rate=arrears.collection_rate(due, collected),
        top_overdue=tuple(
            TopBorrower(
                r["borrower_id"],
                r["borrower__name"],
                r["borrower__office__name"],
                r["n"],
                _money(r["overdue"]),
                _money(r["outstanding"]),
                r["dpd"] or 0,
            )  # fmt: skip
            for r in top_rows
        ),
        as_of=totals["t_as_of"],
    )


def _money(value) -> Decimal:
    """An aggregate as Decimal baht (SQLite may hand back a float: go through its text)."""
    if value is None:
        return ZERO
    return thai.to_money(Decimal(str(value)) if isinstance(value, float) else value)


def _bucket_label(key: str) -> str:
    from django.utils.translation import gettext as _

    return {
        "current": _("Not overdue"),
        "1-30": _("1–30 days"),
        "31-90": _("31–90 days"),
        "91-180": _("91–180 days"),
        "181-365": _("181–365 days"),
        "over-365": _("Over 365 days"),
    }[key]
