"""Demo data: the two department funds with their reminder levels, and ~20 contracts per office in
every debtor state, with on-time, late, partial and reversed payments, events and follow-ups.

Everything goes through ``loans.services`` (so the figures are real replays), is deterministic for
a given ``rng`` and ``today``, and is skipped for an office that already has contracts.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from loans import services
from loans.models import Collateral, Fund, Guarantor, Loan, Moratorium, ReminderLevel, Scheme
from loans.schedule import add_months

CDF_CODE = "กพส."
FWF_CODE = "กสก."

NOTICE_SUBJECT = "หนังสือแจ้งเตือนหนี้ถึงกำหนดชำระ สัญญาเลขที่ {{ loan.contract_number }}"
NOTICE_BODY = (
    "เรียน ประธานกรรมการ{{ institution.name }}\n\n"
    "ตามที่{{ institution.name }} ได้กู้ยืมเงินจาก{{ loan.fund.name }} ตามสัญญาเลขที่ {{ loan.contract_number }} นั้น "
    "หนี้งวดที่ {{ installment.number }} จะถึงกำหนดชำระในวันที่ {{ due_on }} จำนวนเงิน {{ amount }} บาท "
    "({{ amount_text }}) จึงขอให้เตรียมเงินและชำระภายในกำหนด หากชำระแล้วโปรดแจ้งสำนักงานและขออภัยมา ณ ที่นี้\n\n"
    "{{ office.name }}"
)
DEMAND_SUBJECT = "หนังสือทวงถามหนี้ค้างชำระ สัญญาเลขที่ {{ loan.contract_number }}"
DEMAND_BODY = (
    "เรียน ประธานกรรมการ{{ institution.name }}\n\n"
    "ตามสัญญาเงินกู้เลขที่ {{ loan.contract_number }} หนี้งวดที่ {{ installment.number }} ครบกำหนดชำระเมื่อวันที่ "
    "{{ due_on }} บัดนี้เลยกำหนดมาแล้ว {{ days }} วัน ยังค้างชำระจำนวน {{ amount }} บาท ({{ amount_text }}) "
    "จึงขอให้ชำระหนี้ดังกล่าวโดยเร็ว มิฉะนั้นจะต้องเสียค่าปรับตามสัญญา\n\n"
    "{{ office.name }}"
)
LEVELS = (-60, -30, -15, -7, 0, 15, 30, 60)

BOARD_NAMES = (
    "นายสมชาย ใจดี", "นางสาวสมหญิง รักไทย", "นายประสิทธิ์ มั่นคง", "นางบุญเรือน ทองดี", "นายวิชัย ศรีสุข",
    "นายอำนาจ พรหมมา", "นางมาลี แก้วใส", "นายสุรพล คำแก้ว", "นางสาวพรทิพย์ บุญมา", "นายเกษม ดวงดี",
)  # fmt: skip

# (scenario, fund, days past due of the oldest unpaid installment at `today`, or None)
SCENARIOS = (
    ("current", CDF_CODE, None), ("current_late", CDF_CODE, None), ("due_soon", CDF_CODE, None),
    ("new", FWF_CODE, None), ("overdue", CDF_CODE, 12), ("overdue", FWF_CODE, 45), ("partial", CDF_CODE, 75),
    ("promise", FWF_CODE, 20), ("default", CDF_CODE, 150), ("deferral", FWF_CODE, 100),
    ("restructured", CDF_CODE, 240), ("legal_action", CDF_CODE, 300), ("judgment", FWF_CODE, 420),
    ("compromise", CDF_CODE, 500), ("enforcement", CDF_CODE, 640), ("closed", CDF_CODE, None),
    ("closed_early", FWF_CODE, None), ("written_off", FWF_CODE, 900), ("reversed", CDF_CODE, None),
    ("short_term", CDF_CODE, None),
)  # fmt: skip


def national_id(rng) -> str:
    """A random 13-digit Thai ID number with a valid check digit."""
    digits = [rng.randint(1, 8)] + [rng.randint(0, 9) for _ in range(11)]
    check = (11 - sum(d * (13 - i) for i, d in enumerate(digits)) % 11) % 10
    return "".join(map(str, digits)) + str(check)


def ensure_funds() -> dict[str, Fund]:
    cdf, _ = Fund.objects.get_or_create(
        code=CDF_CODE,
        defaults={
            "name": "กองทุนพัฒนาสหกรณ์", "kind": Fund.Kind.DEVELOPMENT, "rate_pct": Decimal("3.0"),
            "penalty_rate_pct": Decimal("0"), "day_count": "actual_365", "method": "equal_principal",
            "period_months": 12, "max_term_months": 180,
            "note": "อัตราดอกเบี้ยร้อยละ 1.5–5.5 ต่อปีตามชั้นลูกหนี้ (ทบทวนทุกปี) โครงการพิเศษร้อยละ 1",
        },
    )  # fmt: skip
    fwf, _ = Fund.objects.get_or_create(
        code=FWF_CODE,
        defaults={
            "name": "กองทุนสงเคราะห์เกษตรกร", "kind": Fund.Kind.FARMER_WELFARE, "rate_pct": Decimal("0"),
            "penalty_rate_pct": Decimal("3"), "day_count": "actual_365", "method": "equal_principal",
            "period_months": 12, "max_term_months": 60,
            "note": "ปลอดดอกเบี้ย ชำระคืนภายใน 5 ปี ค่าปรับร้อยละ 3 ต่อปีของเงินต้นที่ค้าง (คณะกรรมการอาจงดได้)",
        },
    )  # fmt: skip
    for name, rate, term in (("เงินกู้ระยะสั้น", None, 12), ("เงินกู้ระยะยาว", None, 180),
                             ("โครงการพิเศษ", Decimal("1"), 180)):  # fmt: skip
        Scheme.objects.get_or_create(
            fund=cdf, name=name, defaults={"rate_pct": rate, "max_term_months": term}
        )
    Scheme.objects.get_or_create(fund=fwf, name="โครงการส่งเสริมอาชีพเกษตรกร", defaults={"max_term_months": 60})
    for fund in (cdf, fwf):
        for offset in LEVELS:
            notice = offset <= 0
            ReminderLevel.objects.get_or_create(
                fund=fund,
                offset_days=offset,
                defaults={
                    "kind": ReminderLevel.Kind.NOTICE if notice else ReminderLevel.Kind.DEMAND,
                    "by_email": True,
                    "by_letter": offset in (-30, 0, 15, 30, 60),
                    "subject_template": NOTICE_SUBJECT if notice else DEMAND_SUBJECT,
                    "body_template": NOTICE_BODY if notice else DEMAND_BODY,
                },
            )
    return {CDF_CODE: cdf, FWF_CODE: fwf}


def seed_demo(*, offices, officers_by_office, institutions_by_office, rng, today: date) -> None:
    funds = ensure_funds()
    schemes = {s.name: s for s in Scheme.objects.all()}
    for office in offices:
        officers = [u for u in _for_office(officers_by_office, office) if u.can_write]
        institutions = list(_for_office(institutions_by_office, office))
        if not officers or not institutions or Loan.objects.filter(borrower__office=office).exists():
            continue
        with transaction.atomic():
            for index, (scenario, fund_code, dpd) in enumerate(SCENARIOS):
                institution = institutions[index % len(institutions)]
                officer = (
                    institution.responsible_officer if institution.responsible_officer in officers else None
                )
                officer = officer or officers[index % len(officers)]
                _seed_loan(
                    office=office, index=index, scenario=scenario, fund=funds[fund_code], schemes=schemes,
                    dpd=dpd, borrower=institution, officer=officer, rng=rng, today=today,
                )  # fmt: skip
            if office.province_id and institutions[0].district_id:
                Moratorium.objects.create(
                    office=office, province_id=office.province_id, district_id=institutions[0].district_id,
                    starts_on=today - timedelta(days=20), ends_on=today + timedelta(days=70),
                    reason="อุทกภัย — งดส่งหนังสือแจ้งเตือนและทวงถามชั่วคราว", created_by=officers[0],
                )  # fmt: skip


def _for_office(mapping, office) -> list:
    """The seed_demo command keys its dicts by office pk; accept Office keys too."""
    return mapping.get(office.pk) or mapping.get(office) or []


def _seed_loan(*, office, index, scenario, fund, schemes, dpd, borrower, officer, rng, today):
    cdf = fund.code == CDF_CODE
    n = 1 if scenario == "short_term" else (5 if not cdf else rng.choice((3, 4, 5, 7, 10)))
    step = 10_000 if cdf else 5_000
    amount = Decimal(rng.randrange(20 if cdf else 10, 300 if cdf else 100) * step)
    # Choose the first due date so the scenario's installment falls where it should.
    if dpd is not None:
        unpaid = min(n, 1 + rng.randrange(0, 2))  # the oldest unpaid installment
        first_due = add_months(today - timedelta(days=dpd), -12 * (unpaid - 1))
    elif scenario in ("new",):
        unpaid, first_due = 1, today + timedelta(days=rng.randrange(200, 330))
    elif scenario == "due_soon":
        unpaid, first_due = 2, add_months(today + timedelta(days=rng.randrange(5, 50)), -12)
    elif scenario == "short_term":
        unpaid, first_due = 1, today + timedelta(days=rng.randrange(15, 55))
    else:
        unpaid = n if scenario == "closed" else min(n - 1, rng.choice((2, 3)))
        first_due = add_months(today - timedelta(days=rng.randrange(20, 200)), -12 * (unpaid - 1))
        unpaid += 1
    signed = (
        add_months(first_due, -12)
        if scenario != "short_term"
        else today - timedelta(days=rng.randrange(300, 340))
    )
    if scenario == "new":
        signed = today - timedelta(days=rng.randrange(10, 60))
    if cdf:
        scheme = (
            schemes["เงินกู้ระยะสั้น"] if n == 1 else schemes["โครงการพิเศษ" if index % 7 == 3 else "เงินกู้ระยะยาว"]
        )
        rate = (
            scheme.rate_pct
            if scheme.rate_pct is not None
            else Decimal(rng.choice(("1.5", "2.5", "3.5", "4.5", "5.5")))
        )
        method = "bullet" if n == 1 else "equal_principal"
    else:
        scheme, rate, method = schemes["โครงการส่งเสริมอาชีพเกษตรกร"], Decimal("0"), "equal_principal"
    be_year = signed.year + 543
    loan = services.create_loan(
        by=officer, borrower=borrower, fund=fund, scheme=scheme,
        contract_number=f"{fund.code}{office.code}-{index + 1:03d}/{be_year}", signed_on=signed,
        purpose=rng.choice(Loan.Purpose.values), approved_amount=amount, annual_rate_pct=rate, method=method,
        period_months=12, installments=n, first_due_on=first_due, day_count="actual_365",
        penalty_rate_pct=fund.penalty_rate_pct, disbursed_on=signed,
        committee="คณะอนุกรรมการพิจารณาเงินกู้ระดับจังหวัด", resolution_number=f"{rng.randint(1, 12)}/{be_year}",
        resolution_on=signed - timedelta(days=rng.randint(10, 40)), responsible_officer=officer,
        debtor_class=rng.choice(("ชั้น 1", "ชั้น 2", "ชั้น 3")) if cdf else "", today=today,
    )  # fmt: skip
    _guarantors(loan, rng)
    if cdf and index % 2 == 0:
        Collateral.objects.create(
            loan=loan, kind=Collateral.Kind.LAND, description=f"โฉนดที่ดินเลขที่ {rng.randint(1000, 99999)}",
            value=(amount * Decimal("1.5")).quantize(Decimal("1")),
        )  # fmt: skip
    installments = list(loan.schedule_versions.get(is_active=True).installment_rows.order_by("number"))
    if cdf and n > 2 and installments[0].due_on < today:
        services.change_rate(
            loan=loan, effective_on=installments[0].due_on, rate_pct=max(Decimal("1.5"), rate - Decimal("0.5")),
            debtor_class="ชั้น 1", reason="ทบทวนชั้นลูกหนี้ประจำปี", by=officer, today=today,
        )  # fmt: skip
    receipt = _receipts(office, index)
    late = scenario == "current_late"
    for inst in installments[: unpaid - 1]:
        paid_on = inst.due_on + timedelta(days=rng.randint(8, 40) if late else 0)
        if paid_on > today:
            break
        _pay_due(loan, paid_on, next(receipt), officer, today)
    _finish(loan, scenario, installments, unpaid, officer, receipt, rng, today)


def _guarantors(loan, rng):
    for k in range(rng.randint(2, 3)):
        Guarantor.objects.create(
            loan=loan, name=BOARD_NAMES[rng.randrange(len(BOARD_NAMES))], national_id=national_id(rng),
            position=("ประธานกรรมการ", "รองประธานกรรมการ", "กรรมการและเลขานุการ")[k], relation="กรรมการ",
        )  # fmt: skip


def _receipts(office, index):
    k = 0
    while True:
        k += 1
        yield f"ร.{office.code}/{index + 1:02d}{k:02d}"


def _pay_due(loan, paid_on, receipt_number, officer, today, fraction=Decimal("1")):
    due = services.loan_state(loan, paid_on)
    amount = ((due.total_due_now or due.accrued_interest) * fraction).quantize(Decimal("0.01"))
    if amount <= 0:
        return None
    return services.record_payment(loan=loan, amount=amount, paid_on=paid_on, receipt_number=receipt_number,
                                   by=officer, today=today)  # fmt: skip


def _event(loan, status, on, officer, today, note="", **kwargs):
    on = min(on, today)
    return services.record_event(
        loan=loan, status=status, effective_on=on, by=officer, today=today, note=note,
        committee=f"มติคณะอนุกรรมการฯ ครั้งที่ {on.month}/{on.year + 543}", **kwargs,
    )  # fmt: skip


def _finish(loan, scenario, installments, unpaid, officer, receipt, rng, today):
    """The scenario's last steps after the regular payments."""
    oldest = installments[min(unpaid, len(installments)) - 1].due_on
    if scenario == "partial":
        _pay_due(loan, oldest + timedelta(days=20), next(receipt), officer, today, Decimal("0.4"))
    elif scenario == "promise":
        services.add_follow_up(loan=loan, kind="call", contacted_on=oldest + timedelta(days=5),
                               note="โทรแจ้งผู้จัดการสหกรณ์ รับทราบยอดค้าง", by=officer, today=today)  # fmt: skip
        services.add_follow_up(
            loan=loan, kind="promise", contacted_on=oldest + timedelta(days=12), note="ผู้จัดการรับปากว่าจะชำระ",
            promise_amount=(loan.approved_amount / 5).quantize(Decimal("1")), promise_on=today - timedelta(days=1),
            by=officer, today=today,
        )  # fmt: skip
    elif scenario in ("default", "legal_action", "judgment", "compromise", "enforcement", "written_off"):
        services.add_follow_up(loan=loan, kind="visit", contacted_on=oldest + timedelta(days=30),
                               note="ลงพื้นที่ติดตามหนี้ พบคณะกรรมการ", by=officer, today=today)  # fmt: skip
        _event(loan, "default", oldest + timedelta(days=90), officer, today, "ผิดนัดชำระเกิน 90 วัน")
        chain = {
            "legal_action": ["legal_action"],
            "judgment": ["legal_action", "judgment"],
            "compromise": ["legal_action", "compromise"],
            "enforcement": ["legal_action", "judgment", "enforcement"],
            "written_off": ["legal_action", "judgment", "enforcement", "written_off"],
        }.get(scenario, [])
        for k, status in enumerate(chain):
            _event(loan, status, oldest + timedelta(days=150 + 60 * k), officer, today)
    elif scenario == "deferral":
        _event(loan, "deferral", oldest + timedelta(days=40), officer, today, "ผ่อนผันเนื่องจากภัยแล้ง")
    elif scenario == "restructured":
        on = today - timedelta(days=30)
        _event(
            loan, "restructured", on, officer, today, "ปรับโครงสร้างหนี้ ขยายเวลาชำระ",
            restructure=services.RestructureTerms(
                installments=5, period_months=12, first_due_on=add_months(on, 12), method="equal_principal",
                waive_penalty=True,
            ),
        )  # fmt: skip
    elif scenario in ("closed", "closed_early"):
        on = today - timedelta(days=3)
        if not loan.is_closed:
            loan.refresh_from_db()
        if loan.status not in Loan.CLOSED_STATUSES:
            payoff = services.loan_state(loan, on).payoff_amount
            if payoff > 0:
                services.record_payment(loan=loan, amount=payoff, paid_on=on, receipt_number=next(receipt),
                                        note="ชำระปิดบัญชี", by=officer, today=today)  # fmt: skip
    elif scenario == "reversed":
        payment = loan.payments.filter(is_reversed=False).order_by("-paid_on").first()
        if payment is not None:
            services.reverse_payment(
                payment=payment, reason="บันทึกจำนวนเงินผิด ออกใบเสร็จใหม่", by=officer, today=today
            )
            services.record_payment(loan=loan, amount=payment.amount, paid_on=payment.paid_on,
                                    receipt_number=payment.receipt_number, note="บันทึกใหม่แทนรายการที่กลับรายการ",
                                    by=officer, today=today)  # fmt: skip
