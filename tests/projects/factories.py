"""Projects test data: an institution, a plan, a project and a computed feasibility assessment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cooperatives.models import Institution
from projects import services
from projects.models import (
    CashFlowLine,
    FeasibilityAssessment,
    InvestmentItem,
    PlanIndicator,
    Project,
    ProjectStatusEvent,
    Scenario,
    StrategicPlan,
    SwotItem,
)


def make_institution(office, *, name: str = "สหกรณ์การเกษตรแม่ริม จำกัด") -> Institution:
    return Institution.objects.create(
        office=office,
        kind=Institution.Kind.COOPERATIVE,
        type=Institution.Type.AGRICULTURAL,
        name=name,
        province=office.province,
    )


def make_plan(institution, **overrides) -> StrategicPlan:
    fields = {
        "title": "แผนกลยุทธ์ 2569–2571",
        "start_year_be": 2569,
        "end_year_be": 2571,
        "vision": "สหกรณ์มั่นคง สมาชิกอยู่ดีกินดี",
        "status": StrategicPlan.Status.ACTIVE,
    }
    fields.update(overrides)
    plan = StrategicPlan.objects.create(institution=institution, **fields)
    SwotItem.objects.create(plan=plan, kind="S", text="สมาชิกเข้มแข็ง")
    SwotItem.objects.create(plan=plan, kind="T", text="ราคาผลผลิตผันผวน")
    PlanIndicator.objects.create(plan=plan, name="ปริมาณธุรกิจ", unit="ล้านบาท", baseline=Decimal("12"))
    return plan


def make_project(
    institution, *, status=Project.Status.PROPOSED, plan=None, name="โครงการลานตากข้าว"
) -> Project:
    project = Project.objects.create(
        institution=institution,
        plan=plan,
        name=name,
        budget=Decimal("500000"),
        status=status,
        status_on=date(2026, 1, 5),
    )
    ProjectStatusEvent.objects.create(project=project, status=status, on=date(2026, 1, 5))
    return project


def make_assessment(
    institution, *, feasible: bool = True, compute: bool = True, **overrides
) -> FeasibilityAssessment:
    """1,000,000 invested in year 0; 300,000 (or 150,000) net a year for 5 years at 7 %."""
    fields = {"title": "ประเมินโครงการโรงสีข้าว", "horizon_years": 5, "discount_rate_pct": Decimal("7")}
    fields.update(overrides)
    a = FeasibilityAssessment.objects.create(institution=institution, **fields)
    InvestmentItem.objects.create(assessment=a, name="เครื่องสีข้าว", year=0, amount=Decimal("1000000"))
    CashFlowLine.objects.create(
        assessment=a,
        name="รายได้ค่าสีข้าว",
        kind="revenue",
        mode="growth",
        first_year_amount=Decimal("500000" if feasible else "350000"),
    )
    CashFlowLine.objects.create(
        assessment=a,
        name="ค่าไฟฟ้าและค่าแรง",
        kind="cost",
        mode="per_year",
        amounts=["200000.00"] * fields["horizon_years"],
    )
    Scenario.objects.create(assessment=a, name="ภัยแล้ง", revenue_change_pct=Decimal("-20"))
    if compute:
        services.recompute_assessment(a)
    return a
