"""Demo plans, projects and feasibility assessments for each office.

Per office: strategic plans (SWOT, strategies, goals, indicators with yearly targets) for three
cooperatives, a project in every status, and four assessments — feasible and approved (with a fund
loan), feasible awaiting a decision, not feasible (NPV < 0), and a draft whose NPV is positive but
whose loan repayments are too heavy (DSCR below 1.2). Deterministic for a given ``rng``;
idempotent: an office whose institutions already have plans is skipped.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from coopsupport.thai import fiscal_year
from projects import services
from projects.models import (
    CashFlowLine,
    FeasibilityAssessment,
    Goal,
    IndicatorTarget,
    InvestmentItem,
    PlanIndicator,
    ProgressUpdate,
    Project,
    ProjectIndicator,
    ProjectIndicatorPeriod,
    ProjectStatusEvent,
    Scenario,
    StrategicPlan,
    Strategy,
    SwotItem,
)

SWOT = {
    "S": ["สมาชิกมีความเชื่อมั่นและร่วมทำธุรกิจสม่ำเสมอ", "มีโกดังและลานตากของสหกรณ์เอง", "ฝ่ายจัดการมีประสบการณ์"],
    "W": ["เงินทุนหมุนเวียนไม่เพียงพอช่วงฤดูรับซื้อ", "ระบบบัญชีและควบคุมภายในยังไม่ครบถ้วน"],
    "O": ["ตลาดข้าวอินทรีย์และสินค้าแปรรูปเติบโต", "มีแหล่งเงินกู้ดอกเบี้ยต่ำจากกองทุนพัฒนาสหกรณ์"],
    "T": ["ราคาผลผลิตผันผวน", "ภัยแล้งและน้ำท่วมบ่อยครั้ง", "คู่แข่งเอกชนรับซื้อในราคาสูงกว่า"],
}
STRATEGIES = [
    ("เพิ่มมูลค่าผลผลิตของสมาชิกด้วยการแปรรูปและสร้างตราสินค้า", ["S", "O"]),
    ("ระดมทุนภายในและใช้เงินกู้ดอกเบี้ยต่ำเสริมสภาพคล่อง", ["W", "O"]),
    ("พัฒนาระบบบัญชีและการควบคุมภายใน", ["W", "T"]),
]
GOALS = ["ปริมาณธุรกิจรวมเพิ่มขึ้นปีละร้อยละ 10", "สมาชิกมีรายได้เพิ่มขึ้น", "ผลการจัดระดับชั้นสหกรณ์ดีขึ้น"]
INDICATORS = [("ปริมาณธุรกิจรวม", "ล้านบาท", Decimal("45")), ("จำนวนสมาชิกที่ร่วมทำธุรกิจ", "คน", Decimal("820")),
              ("กำไรสุทธิ", "ล้านบาท", Decimal("2.1"))]  # fmt: skip
PROJECT_NAMES = [
    ("โครงการโรงสีข้าวชุมชน", Project.Status.IN_PROGRESS, Decimal("3500000")),
    ("โครงการลานตากและโกดังเก็บผลผลิต", Project.Status.APPROVED, Decimal("1800000")),
    ("โครงการห้องเย็นเก็บรักษาลำไย", Project.Status.APPRAISED, Decimal("4200000")),
    ("โครงการผลิตปุ๋ยอินทรีย์อัดเม็ด", Project.Status.PROPOSED, Decimal("950000")),
    ("โครงการร้านค้าสหกรณ์ออนไลน์", Project.Status.COMPLETED, Decimal("250000")),
    ("โครงการรถบรรทุกรวบรวมผลผลิต", Project.Status.CANCELLED, Decimal("1200000")),
]


def _officers(officers_by_office, office):
    users = officers_by_office.get(office.pk) or officers_by_office.get(office) or []
    return [u for u in users if u.can_write]


def seed_demo(*, offices, officers_by_office, institutions_by_office, rng, today) -> None:
    for office in offices:
        institutions = list(institutions_by_office.get(office.pk) or institutions_by_office.get(office) or [])
        coops = [
            i for i in institutions if i.kind == "cooperative" and i.status == "operating"
        ] or institutions
        if len(coops) < 3:
            continue
        if StrategicPlan.objects.filter(institution__office=office).exists():
            continue
        officers = _officers(officers_by_office, office)
        officer = officers[0] if officers else None
        picks = rng.sample(coops, 3)
        fy = fiscal_year(today)
        plans = [_plan(inst, fy, officer, rng) for inst in picks]
        projects = _projects(picks, plans, officer, today, rng)
        _assessments(picks, projects, officer, today)


def _plan(inst, fy: int, officer, rng) -> StrategicPlan:
    start = fy - 1
    plan = StrategicPlan.objects.create(
        institution=inst,
        title=f"แผนกลยุทธ์{inst.name} พ.ศ. {start}–{start + 4}",
        start_year_be=start,
        end_year_be=start + 4,
        status=StrategicPlan.Status.ACTIVE,
        created_by=officer,
        vision=f"{inst.name} เป็นศูนย์กลางทางเศรษฐกิจของสมาชิก มั่นคง โปร่งใส สมาชิกอยู่ดีมีสุข",
        mission="ให้บริการสินเชื่อ จัดหาสินค้า รวบรวมและแปรรูปผลผลิตอย่างมีประสิทธิภาพ\nส่งเสริมการออมและพัฒนาคุณภาพชีวิตสมาชิก",
    )
    items = {}
    for kind, texts in SWOT.items():
        items[kind] = [
            SwotItem.objects.create(plan=plan, kind=kind, text=t, order=i) for i, t in enumerate(texts)
        ]
    for order, (text, kinds) in enumerate(STRATEGIES):
        strategy = Strategy.objects.create(plan=plan, text=text, order=order)
        strategy.answers.set([items[k][0] for k in kinds])
    for order, text in enumerate(GOALS):
        Goal.objects.create(plan=plan, text=text, order=order)
    for order, (name, unit, base) in enumerate(INDICATORS):
        ind = PlanIndicator.objects.create(plan=plan, name=name, unit=unit, baseline=base, order=order)
        for k, year in enumerate(plan.years):
            step = Decimal("1") if unit == "คน" else Decimal("0.01")  # people are counted whole
            target = (base * (1 + Decimal("0.08") * (k + 1))).quantize(step)
            actual = None
            if year < fy:
                actual = (target * Decimal(rng.randint(88, 112)) / 100).quantize(step)
            IndicatorTarget.objects.create(indicator=ind, year_be=year, target=target, actual=actual)
    return plan


def _projects(picks, plans, officer, today, rng) -> list[Project]:
    created = []
    for k, (name, status, budget) in enumerate(PROJECT_NAMES):
        inst, plan = picks[k % 3], plans[k % 3]
        start = today - timedelta(days=30 * (6 - k))
        project = Project.objects.create(
            institution=inst,
            plan=plan,
            strategy=plan.strategies.first(),
            name=name,
            budget=budget,
            objectives="เพิ่มรายได้ให้สมาชิกและลดต้นทุนการผลิต",
            activities="จัดหาเครื่องจักร ก่อสร้างอาคาร ฝึกอบรมสมาชิก",
            funding_sources="เงินทุนของสหกรณ์ และเงินกู้กองทุนพัฒนาสหกรณ์",
            start_on=start,
            end_on=start + timedelta(days=365),
            responsible_people="ผู้จัดการสหกรณ์ และคณะกรรมการดำเนินการ",
            status=status,
            status_on=start,
            created_by=officer,
        )
        flow = (
            [s for s in Project.FLOW if Project.FLOW.index(s) <= Project.FLOW.index(status)]
            if status in Project.FLOW
            else [Project.Status.PROPOSED, status]
        )
        for n, s in enumerate(flow):
            ProjectStatusEvent.objects.create(
                project=project, status=s, on=start + timedelta(days=14 * n), by=officer
            )
        project.status_on = start + timedelta(days=14 * (len(flow) - 1))
        project.save(update_fields=["status_on"])
        if status in (Project.Status.IN_PROGRESS, Project.Status.COMPLETED):
            ind = ProjectIndicator.objects.create(
                project=project, name="ผลผลิตที่ดำเนินการได้", unit="ตัน", baseline=Decimal(0)
            )
            for q in range(1, 5):
                end = start + timedelta(days=91 * q)
                ProjectIndicatorPeriod.objects.create(
                    indicator=ind,
                    label=f"ไตรมาส {q}",
                    period_end_on=end,
                    target=Decimal(250 * q),
                    actual=Decimal(250 * q - rng.randint(0, 60)) if end <= today else None,
                )
            for pct in (25, 50, 70) if status == Project.Status.IN_PROGRESS else (40, 80, 100):
                ProgressUpdate.objects.create(
                    project=project,
                    on=min(today, start + timedelta(days=pct * 3)),
                    percent=pct,
                    text=f"ดำเนินการแล้วร้อยละ {pct} ตามแผน",
                    by=officer,
                )
        created.append(project)
    return created


# (title, project index, investment, revenue y1, revenue growth %, cost per year, fund loan, loan years, status)
ASSESSMENTS = [
    (
        "โรงสีข้าวชุมชน ขนาด 20 ตันต่อวัน",
        0,
        Decimal("3500000"),
        Decimal("2600000"),
        Decimal("3"),
        Decimal("1650000"),
        Decimal("2500000"),
        7,
        FeasibilityAssessment.Status.APPROVED,
    ),
    (
        "ลานตากและโกดังเก็บผลผลิต",
        1,
        Decimal("1800000"),
        Decimal("900000"),
        Decimal("2"),
        Decimal("480000"),
        Decimal("1200000"),
        5,
        FeasibilityAssessment.Status.SUBMITTED,
    ),
    (
        "ห้องเย็นเก็บรักษาลำไย",
        2,
        Decimal("4200000"),
        Decimal("1500000"),
        Decimal("0"),
        Decimal("1150000"),
        Decimal("3000000"),
        8,
        FeasibilityAssessment.Status.SUBMITTED,
    ),
    (
        "โรงงานปุ๋ยอินทรีย์อัดเม็ด",
        3,
        Decimal("950000"),
        Decimal("1400000"),
        Decimal("2"),
        Decimal("1180000"),
        Decimal("900000"),
        3,
        FeasibilityAssessment.Status.DRAFT,
    ),
]


def _assessments(picks, projects, officer, today) -> None:
    for title, p_idx, invest, rev, growth, cost, loan, years, status in ASSESSMENTS:
        project = projects[p_idx]
        a = FeasibilityAssessment.objects.create(
            institution=project.institution,
            project=project,
            title=title,
            horizon_years=10,
            discount_rate_pct=Decimal("7"),
            working_capital=(invest * Decimal("0.1")).quantize(Decimal("1")),
            own_funds=invest + invest * Decimal("0.1") - loan,
            fund_loan_amount=loan,
            fund_loan_rate_pct=Decimal("2.5"),
            fund_loan_years=years,
            fund_loan_method="equal_principal",
            fund_loan_period_months=12,
            created_by=officer,
            recommendation=(
                f"{project.institution.name} มีความพร้อมด้านสมาชิกและการบริหารจัดการ "
                "เห็นควรพิจารณาตามผลการวิเคราะห์ โดยให้สหกรณ์จัดทำแผนการตลาดและรายงานผลการดำเนินงานทุกไตรมาส"
            ),
        )
        InvestmentItem.objects.create(
            assessment=a,
            name="อาคารและงานก่อสร้าง",
            year=0,
            amount=(invest * Decimal("0.4")).quantize(Decimal("1")),
            useful_life_years=20,
        )
        InvestmentItem.objects.create(
            assessment=a,
            name="เครื่องจักรและอุปกรณ์",
            year=0,
            amount=(invest * Decimal("0.6")).quantize(Decimal("1")),
            useful_life_years=10,
            salvage_value=(invest * Decimal("0.03")).quantize(Decimal("1")),
        )
        CashFlowLine.objects.create(
            assessment=a,
            name="รายได้จากการจำหน่ายและค่าบริการ",
            kind="revenue",
            mode="growth",
            first_year_amount=rev,
            growth_pct=growth,
            order=0,
        )
        CashFlowLine.objects.create(
            assessment=a,
            name="ค่าวัตถุดิบและค่าแรง",
            kind="cost",
            mode="growth",
            first_year_amount=(cost * Decimal("0.8")).quantize(Decimal("1")),
            growth_pct=Decimal("2"),
            order=1,
        )
        CashFlowLine.objects.create(
            assessment=a,
            name="ค่าไฟฟ้า ค่าซ่อมบำรุง และค่าใช้จ่ายอื่น",
            kind="cost",
            mode="per_year",
            order=2,
            amounts=[str((cost * Decimal("0.2")).quantize(Decimal("1"))) for _ in range(10)],
        )
        Scenario.objects.create(
            assessment=a, name="ราคาผลผลิตตกต่ำ", revenue_change_pct=Decimal("-15"), order=0
        )
        Scenario.objects.create(assessment=a, name="ต้นทุนพลังงานสูงขึ้น", cost_change_pct=Decimal("10"), order=1)
        services.recompute_assessment(a)
        if status != FeasibilityAssessment.Status.DRAFT:
            decided = status == FeasibilityAssessment.Status.APPROVED
            FeasibilityAssessment.objects.filter(pk=a.pk).update(
                status=status,
                decided_by=officer if decided else None,
                decided_at=timezone.now() if decided else None,
                decision_note="คณะกรรมการเงินกู้มีมติอนุมัติตามที่เสนอ" if decided else "",
            )
