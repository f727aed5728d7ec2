"""Demo data: performance indicators of FY 2570 for each office, results for Oct–Nov 2569, and
October signed off by the office's supervisor. Deterministic for a given ``rng``; an office that
already has FY 2570 indicators is skipped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from coopsupport.models import User
from reports import metrics, services
from reports.models import Indicator, IndicatorResult

FISCAL_YEAR = 2570
MONTHS = (date(2026, 10, 1), date(2026, 11, 1))

# code, name, unit, annual target, monthly targets (None = annual only), auto metric or "", result range
INDICATORS = (
    ("1", "จำนวนสหกรณ์ที่ได้รับการแนะนำส่งเสริมด้านการควบคุมภายใน", "แห่ง", 24, [2] * 12, "", (1, 3)),
    ("2", "จำนวนกลุ่มเกษตรกรที่ได้รับการพัฒนาศักยภาพการบริหารจัดการ", "แห่ง", 12, [1] * 12, "", (0, 2)),
    ("3", "จำนวนผู้เข้ารับการอบรมอุดมการณ์ หลักการ และวิธีการสหกรณ์", "คน", 600,
     [0, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 0], "", (30, 80)),
    ("4", "จำนวนสหกรณ์ที่ได้รับการส่งเสริมให้จัดทำแผนกลยุทธ์", "แห่ง", 10, None, "", (0, 2)),
    ("5", "จำนวนเรื่องปรึกษาแนะนำปัญหาการบริหารจัดการที่ดำเนินการแล้วเสร็จ", "เรื่อง", 48, [4] * 12, "", (2, 6)),
    ("6", "เงินกู้กองทุนที่เรียกเก็บได้", "บาท", 6_000_000, [500_000] * 12, "loans.collected", None),
    ("7", "จำนวนสัญญาเงินกู้ที่อนุมัติใหม่", "สัญญา", 8, None, "loans.signed", None),
    ("8", "จำนวนสถาบันเกษตรกรที่จดทะเบียนจัดตั้งใหม่", "แห่ง", 3, None, "cooperatives.registered", None),
)  # fmt: skip


def seed_demo(*, offices, officers_by_office, institutions_by_office, rng, today) -> None:
    available = metrics.available()
    for office in offices:
        if Indicator.objects.filter(office=office, fiscal_year_be=FISCAL_YEAR).exists():
            continue
        officer = (officers_by_office.get(office.pk) or [None])[0]
        for order, (code, name, unit, annual, monthly, auto, spread) in enumerate(INDICATORS, start=1):
            if auto and auto not in available:
                continue
            indicator = Indicator.objects.create(
                office=office,
                fiscal_year_be=FISCAL_YEAR,
                order=order,
                code=code,
                name=name,
                unit=unit,
                annual_target=Decimal(annual),
                monthly_targets=[str(Decimal(v)) for v in monthly] if monthly else [],
                source=Indicator.Source.AUTO if auto else Indicator.Source.MANUAL,
                auto_metric=auto,
            )
            if auto:
                continue  # counted from the loans and institutions the other apps seeded
            for month in MONTHS:
                if month > today:
                    continue
                IndicatorResult.objects.create(
                    indicator=indicator,
                    month=month,
                    value=Decimal(rng.randint(*spread)),
                    note="",
                    entered_by=officer,
                )
        supervisor = User.objects.filter(office=office, role=User.Role.SUPERVISOR).order_by("pk").first()
        if supervisor is not None and MONTHS[0] < services.month_start(today):
            services.sign_off_month(
                office=office, month=MONTHS[0], by=supervisor, today=today, note="ตรวจสอบแล้ว ถูกต้อง"
            )
