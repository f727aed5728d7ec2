"""Demo institutions: about 60 per office, of every kind and type, in the office's real districts.

Deterministic for a given ``rng``; idempotent (an office that already has institutions is only
read back into ``institutions_by_office``). National ID numbers are random but carry a valid
check digit; emails use example.coop (never a real domain).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from cooperatives import rules
from cooperatives.models import BusinessLine, Contact, Institution, Person, StatusEvent, YearlyFigure
from coopsupport.models import AreaTeam, Subdistrict
from coopsupport.thai import be_year

K, T, S = Institution.Kind, Institution.Type, Institution.Status

# (kind, type, how many per office)
PLAN = [
    (K.COOPERATIVE, T.AGRICULTURAL, 10), (K.COOPERATIVE, T.FISHERIES, 1), (K.COOPERATIVE, T.LAND_SETTLEMENT, 2),
    (K.COOPERATIVE, T.STORE, 2), (K.COOPERATIVE, T.SERVICE, 3), (K.COOPERATIVE, T.SAVINGS, 5),
    (K.COOPERATIVE, T.CREDIT_UNION, 3),
    (K.FARMER_GROUP, T.FG_RICE, 6), (K.FARMER_GROUP, T.FG_ORCHARD, 4), (K.FARMER_GROUP, T.FG_FIELD_CROPS, 3),
    (K.FARMER_GROUP, T.FG_LIVESTOCK, 3), (K.FARMER_GROUP, T.FG_FISHERIES, 2), (K.FARMER_GROUP, T.FG_OTHER, 2),
    (K.WOMEN_GROUP, T.GENERAL, 5), (K.YOUTH_GROUP, T.GENERAL, 3), (K.OCCUPATIONAL_GROUP, T.GENERAL, 5),
    (K.OTHER, T.GENERAL, 1),
]  # fmt: skip

SAVINGS_ORGS = ["ครู", "โรงพยาบาล", "ตำรวจภูธร", "สาธารณสุข", "ข้าราชการส่วนท้องถิ่น", "พนักงานมหาวิทยาลัย", "ทหาร"]
SERVICE_WORDS = ["บริการเดินรถ", "บริการผู้ใช้น้ำ", "บริการท่องเที่ยวชุมชน", "เคหสถาน", "บริการรถโดยสาร"]
STORE_WORDS = ["ร้านค้าโรงเรียน", "ร้านค้าชุมชน", "ร้านค้าตลาดสด"]
OCCUPATIONS = ["ทอผ้า", "จักสาน", "แปรรูปผลไม้", "เลี้ยงผึ้ง", "ทำขนมไทย", "เพาะเห็ด", "ผลิตปุ๋ยอินทรีย์"]
FG_OTHER_WORDS = ["ผู้ปลูกกาแฟ", "ผู้ปลูกชา", "ผู้เลี้ยงไหม"]
TYPE_WORD = {
    T.AGRICULTURAL: "การเกษตร", T.FISHERIES: "ประมง", T.LAND_SETTLEMENT: "นิคม",
    T.FG_RICE: "ทำนา", T.FG_ORCHARD: "ทำสวน", T.FG_FIELD_CROPS: "ทำไร่", T.FG_LIVESTOCK: "เลี้ยงสัตว์",
    T.FG_FISHERIES: "ประมง",
}  # fmt: skip
FIRST_NAMES = [
    "สมชาย", "สมศักดิ์", "วิชัย", "ประสิทธิ์", "บุญมี", "สุนทร", "อำนาจ", "ชาญ", "ทองใบ", "สมบัติ", "มานพ",
    "สุดา", "มาลี", "บุญเรือน", "จันทร์เพ็ญ", "วันเพ็ญ", "ลำดวน", "สมพร", "อรุณี", "พิมพ์ใจ", "ศรีไพร", "นงลักษณ์",
]  # fmt: skip
LAST_NAMES = [
    "ใจดี", "ศรีสุข", "คำมา", "บุญมา", "แก้วมณี", "ทองดี", "จันทร์แก้ว", "อินทร์แปง", "ปัญญาดี", "สุขเกษม",
    "พรหมมา", "วงศ์ใหญ่", "ชัยมงคล", "มีสุข", "ดวงแก้ว", "กันทะวงศ์", "ศรีวิชัย", "เรือนคำ",
]  # fmt: skip
FEMALE = {"สุดา", "มาลี", "บุญเรือน", "จันทร์เพ็ญ", "วันเพ็ญ", "ลำดวน", "สมพร", "อรุณี", "พิมพ์ใจ", "ศรีไพร", "นงลักษณ์"}
BOARD_POSITIONS = ["ประธานกรรมการ", "รองประธานกรรมการ", "เลขานุการ", "เหรัญญิก"]
STAFF_POSITIONS = ["ผู้จัดการ", "เจ้าหน้าที่บัญชี", "เจ้าหน้าที่สินเชื่อ", "เจ้าหน้าที่การตลาด"]
LINES_BY_TYPE = {
    T.AGRICULTURAL: ["credit", "deposits", "supply", "collection", "processing", "services"],
    T.FISHERIES: ["credit", "deposits", "supply", "collection"],
    T.LAND_SETTLEMENT: ["credit", "deposits", "supply", "collection", "services"],
    T.STORE: ["supply"],
    T.SERVICE: ["services", "credit"],
    T.SAVINGS: ["credit", "deposits"],
    T.CREDIT_UNION: ["credit", "deposits"],
}


def national_id(rng) -> str:
    first12 = str(rng.randint(1, 8)) + "".join(str(rng.randint(0, 9)) for _ in range(11))
    return first12 + rules.national_id_check_digit(first12)


def person_name(rng) -> str:
    first = rng.choice(FIRST_NAMES)
    title = ("นาง" if rng.random() < 0.6 else "นางสาว") if first in FEMALE else "นาย"
    return f"{title}{first} {rng.choice(LAST_NAMES)}"


def _name(kind, type_, district, sub, office, rng, n) -> str:
    d, s = district.name_th, sub.name_th
    if kind == K.COOPERATIVE:
        if type_ in (T.AGRICULTURAL, T.FISHERIES, T.LAND_SETTLEMENT):
            return f"สหกรณ์{TYPE_WORD[type_]}{d} จำกัด" if n == 0 else f"สหกรณ์{TYPE_WORD[type_]}{s} จำกัด"
        if type_ == T.STORE:
            return f"สหกรณ์{rng.choice(STORE_WORDS)}{s} จำกัด"
        if type_ == T.SERVICE:
            return f"สหกรณ์{rng.choice(SERVICE_WORDS)}{d} จำกัด"
        if type_ == T.SAVINGS:
            return f"สหกรณ์ออมทรัพย์{SAVINGS_ORGS[n % len(SAVINGS_ORGS)]}{office.province.name_th} จำกัด"
        return f"สหกรณ์เครดิตยูเนี่ยน{s} จำกัด"
    if kind == K.FARMER_GROUP:
        word = rng.choice(FG_OTHER_WORDS) if type_ == T.FG_OTHER else TYPE_WORD[type_]
        return f"กลุ่มเกษตรกร{word}ตำบล{s}"
    if kind == K.WOMEN_GROUP:
        return f"กลุ่มสตรีสหกรณ์การเกษตร{d}"
    if kind == K.YOUTH_GROUP:
        return f"กลุ่มเยาวชนสหกรณ์การเกษตร{d}"
    if kind == K.OCCUPATIONAL_GROUP:
        return f"กลุ่มอาชีพ{rng.choice(OCCUPATIONS)}บ้าน{s}"
    return f"กลุ่มวิสาหกิจชุมชนบ้าน{s}"


def _figures(inst, rng, today: date) -> list[YearlyFigure]:
    coop = inst.kind == K.COOPERATIVE
    members = rng.randint(300, 6000) if coop else rng.randint(25, 250)
    capital = Decimal(rng.randint(500, 60000) * 1000 if coop else rng.randint(20, 800) * 1000)
    lines = set(LINES_BY_TYPE.get(inst.type, ["supply"] if inst.kind == K.FARMER_GROUP else []))
    out = []
    for back in (3, 2, 1):
        grow = Decimal(1 + (3 - back) * rng.randint(0, 8) / 100)
        volume = (capital * Decimal(rng.randint(50, 300)) / 100 * grow).quantize(Decimal("0.01"))

        def v(line, share, volume=volume, lines=lines):
            return (volume * Decimal(share)).quantize(Decimal("0.01")) if line in lines else Decimal(0)

        out.append(
            YearlyFigure(
                institution=inst,
                year_be=be_year(today.year) - back,
                members=int(members * (1 + (3 - back) * 0.02)),
                share_capital=(capital * grow).quantize(Decimal("0.01")),
                volume_credit=v("credit", "0.45"),
                volume_deposits=v("deposits", "0.30"),
                volume_supply=v("supply", "0.12"),
                volume_collection=v("collection", "0.08"),
                volume_processing=v("processing", "0.03"),
                volume_services=v("services", "0.02"),
                board_count=rng.randint(7, 15) if coop else rng.randint(5, 9),
                staff_count=rng.randint(2, 25) if coop else rng.randint(0, 2),
            )
        )
    return out


def seed_demo(*, offices, officers_by_office, institutions_by_office, rng, today) -> None:
    lines = {bl.code: bl for bl in BusinessLine.objects.all()}
    for office in offices:
        existing = list(Institution.objects.filter(office=office).order_by("pk"))
        if existing:
            institutions_by_office[office.pk] = existing
            continue
        institutions_by_office[office.pk] = _seed_office(
            office, officers_by_office.get(office.pk, []), lines, rng, today
        )


def _seed_office(office, officers, lines, rng, today) -> list[Institution]:
    subs = list(
        Subdistrict.objects.filter(district__province=office.province)
        .select_related("district")
        .order_by("code")
    )
    teams = {
        d: t
        for t in AreaTeam.objects.filter(office=office).prefetch_related("districts")
        for d in t.districts.all()
    }
    created: list[Institution] = []
    parents: list[Institution] = []
    seq = 0
    used_names: set[str] = set()
    for kind, type_, count in PLAN:
        for n in range(count):
            seq += 1
            parent = None
            if kind in (K.WOMEN_GROUP, K.YOUTH_GROUP) and parents:
                # Women's and youth groups belong to a cooperative and carry its name.
                parent = parents[(n * 3 + (kind == K.YOUTH_GROUP)) % len(parents)]
                sub, district = parent.subdistrict, parent.district
                word = "กลุ่มสตรี" if kind == K.WOMEN_GROUP else "กลุ่มเยาวชน"
                name = word + parent.name.removesuffix(" จำกัด")
            else:
                name = ""
                for attempt in range(30):
                    sub = rng.choice(subs)
                    district = sub.district
                    name = _name(kind, type_, district, sub, office, rng, n + attempt)
                    if name not in used_names:
                        break
                if kind == K.OCCUPATIONAL_GROUP and parents:
                    parent = rng.choice(parents)
            if name in used_names:
                name = f"{name} ({seq})"
            used_names.add(name)
            registered = date(rng.randint(1975, 2022), rng.randint(1, 12), rng.randint(1, 28))
            inst = Institution(
                office=office,
                province=office.province,
                kind=kind,
                type=type_,
                name=name,
                registration_number=_reg_number(kind, office, seq, registered),
                registered_on=registered,
                status=S.OPERATING,
                status_since=registered,
                accounting_year_end_month=rng.choice([3, 3, 3, 6, 9, 12]),
                accounting_year_end_day=31,
                address=f"{rng.randint(1, 299)} หมู่ {rng.randint(1, 15)}",
                subdistrict=sub,
                district=district,
                postcode=sub.postcode,
                phone=f"{_area_code(office)}{rng.randint(1000000, 9999999)}",
                email=f"info{office.code.replace('-', '')}{seq:03d}@example.coop",
                area_team=teams.get(district),
                responsible_officer=officers[seq % len(officers)] if officers else None,
            )
            if inst.accounting_year_end_month in (6, 9):
                inst.accounting_year_end_day = 30
            inst.parent = parent
            inst.save()
            if kind == K.COOPERATIVE and type_ in (T.AGRICULTURAL, T.LAND_SETTLEMENT):
                parents.append(inst)
            inst.business_lines.set([lines[c] for c in LINES_BY_TYPE.get(type_, []) if c in lines])
            reference = f"ทะเบียนเลขที่ {inst.registration_number}" if inst.registration_number else ""
            StatusEvent.objects.create(
                institution=inst, status=S.OPERATING, effective_on=registered, reference=reference
            )
            _people(inst, rng, today)
            YearlyFigure.objects.bulk_create(_figures(inst, rng, today))
            _maybe_change_status(inst, rng, today)
            created.append(inst)
    return created


def _area_code(office) -> str:
    """Landline prefix of the office's region (02 Bangkok, 03 centre/east/west, 04 north-east, 05 north, 07 south)."""
    code = office.province.code if office.province_id else "10"
    if code == "10":
        return "02"
    return {"3": "04", "4": "04", "5": "05", "6": "05", "8": "07", "9": "07"}.get(code[0], "03")


def _reg_number(kind, office, seq, registered) -> str:
    prefix = {K.COOPERATIVE: "สก", K.FARMER_GROUP: "กษ"}.get(kind)
    if prefix is None:
        return ""
    return f"{prefix}.{office.code.replace('-', '')}{seq:03d}/{be_year(registered.year)}"


def _people(inst, rng, today) -> None:
    board_size = rng.randint(5, 15)
    term_start = date(today.year - rng.randint(0, 1), rng.choice([3, 4, 5]), 1)
    people = []
    for i in range(board_size):
        people.append(
            Person(
                institution=inst,
                kind=Person.Kind.BOARD,
                name=person_name(rng),
                position=BOARD_POSITIONS[i] if i < len(BOARD_POSITIONS) else "กรรมการ",
                term_start_on=term_start,
                term_end_on=term_start.replace(year=term_start.year + 2) - timedelta(days=1),
                national_id=national_id(rng),
                phone=f"08{rng.randint(10000000, 99999999)}",
            )
        )
    for i in range(rng.randint(0, 4) if inst.kind == K.COOPERATIVE else rng.randint(0, 1)):
        people.append(
            Person(
                institution=inst,
                kind=Person.Kind.STAFF,
                name=person_name(rng),
                position=STAFF_POSITIONS[i],
                national_id=national_id(rng),
                phone=f"09{rng.randint(10000000, 99999999)}",
            )  # fmt: skip
        )
    Person.objects.bulk_create(people)
    manager = next((p for p in people if p.position == "ผู้จัดการ"), people[0])
    contacts = [
        Contact(
            institution=inst,
            name=manager.name,
            role=manager.position,
            phone=manager.phone,
            email=f"manager{inst.pk}@example.coop",
            receives_reminders=True,
        ),  # fmt: skip
    ]
    if rng.random() < 0.5:
        contacts.append(
            Contact(
                institution=inst,
                name=person_name(rng),
                role="เจ้าหน้าที่ประสานงาน",
                phone=f"06{rng.randint(10000000, 99999999)}",
                email=f"contact{inst.pk}@example.coop",
                receives_reminders=False,
            )  # fmt: skip
        )
    Contact.objects.bulk_create(contacts)


def _maybe_change_status(inst, rng, today) -> None:
    roll = rng.random()
    if roll < 0.82:
        return
    status = S.DORMANT if roll < 0.92 else (S.LIQUIDATING if roll < 0.98 else S.DISSOLVED)
    since = today - timedelta(days=rng.randint(60, 900))
    if status == S.DISSOLVED:
        StatusEvent.objects.create(institution=inst, status=S.LIQUIDATING, effective_on=since - timedelta(days=400),
                                   reference="คำสั่งนายทะเบียนสหกรณ์ ที่ 12/2566")  # fmt: skip
    StatusEvent.objects.create(
        institution=inst,
        status=status,
        effective_on=since,
        reference=f"มติที่ประชุมใหญ่ ครั้งที่ {rng.randint(1, 3)}/{be_year(since.year)}",
    )
    inst.status, inst.status_since = status, since
    inst.save(update_fields=["status", "status_since"])
