"""Loans test data: a fund, an institution and a contract built through the services."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from cooperatives.models import Institution
from loans import services
from loans.models import Fund, ReminderLevel

_numbers = itertools.count(1)


def make_fund(**overrides) -> Fund:
    defaults = {
        "code": "CDF",
        "name": "กองทุนพัฒนาสหกรณ์",
        "kind": Fund.Kind.DEVELOPMENT,
        "rate_pct": Decimal("2.5"),
        "penalty_rate_pct": Decimal("3"),
        "day_count": "actual_365",
        "method": "equal_principal",
        "period_months": 12,
        "max_term_months": 180,
    }
    defaults.update(overrides)
    fund, _ = Fund.objects.get_or_create(code=defaults.pop("code"), defaults=defaults)
    return fund


def make_levels(fund: Fund) -> list[ReminderLevel]:
    levels = []
    for offset in (-60, -30, -15, -7, 0, 15, 30, 60):
        levels.append(
            ReminderLevel.objects.get_or_create(
                fund=fund,
                offset_days=offset,
                defaults={
                    "kind": ReminderLevel.Kind.NOTICE if offset <= 0 else ReminderLevel.Kind.DEMAND,
                    "subject_template": "แจ้งครบกำหนดชำระหนี้ สัญญา {{ loan.contract_number }}",
                    "body_template": "ครบกำหนด {{ due_on }} จำนวน {{ amount }} บาท",
                },
            )[0]
        )
    return levels


def make_institution(
    office, *, name: str = "สหกรณ์การเกษตรทดสอบ จำกัด", district=None, officer=None
) -> Institution:
    return Institution.objects.create(
        office=office,
        kind=Institution.Kind.COOPERATIVE,
        type=Institution.Type.AGRICULTURAL,
        name=name,
        province=office.province,
        district=district,
        responsible_officer=officer,
    )


def make_loan(officer, *, borrower=None, fund=None, today: date = date(2026, 6, 1), **overrides):
    """1,000,000 at 2.5 %, disbursed 1 Oct 2024, 5 equal annual principal installments from 1 Oct 2025."""
    fund = fund or make_fund()
    borrower = borrower or make_institution(officer.office, officer=officer)
    kwargs = {
        "contract_number": f"กพส.{next(_numbers):04d}/2567",
        "signed_on": date(2024, 10, 1),
        "purpose": "working_capital",
        "approved_amount": Decimal("1000000.00"),
        "annual_rate_pct": Decimal("2.5"),
        "method": "equal_principal",
        "period_months": 12,
        "installments": 5,
        "first_due_on": date(2025, 10, 1),
        "day_count": "actual_365",
        "penalty_rate_pct": Decimal("3"),
        "disbursed_on": date(2024, 10, 1),
        "responsible_officer": officer,
    }
    kwargs.update(overrides)
    return services.create_loan(by=officer, borrower=borrower, fund=fund, today=today, **kwargs)
