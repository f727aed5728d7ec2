"""Importing institutions from Excel: a hostile-file-proof reader, a row validator and the template.

Flow: ``read_upload`` (size, zip and XML-bomb guards from ``coopsupport.xlsx``; headers, formulas,
row limit) gives raw rows of text; ``validate_rows`` turns them into ready rows or row-numbered Thai
errors, using lookups loaded once (no query per row); ``save_rows`` saves all or nothing. The
raw rows are what the preview stores in the session, so confirming validates everything again
against the database as it is then.

The column headers are Thai constants on purpose: they are the file format, not UI text, and
must not change with the user's language.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from cooperatives import rules, services
from cooperatives.forms import MAX_MEMBERS, clean_phone, clean_year_be, problem_message
from cooperatives.geo import district_queryset
from cooperatives.models import Institution, YearlyFigure
from coopsupport import xlsx
from coopsupport.forms import TEXT_MAX_LENGTH, reject_markup
from coopsupport.models import Office, Subdistrict, User
from coopsupport.money import MAX_MONEY
from coopsupport.thai import normalize_digits, parse_date, to_money

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXAMPLE_MARK = "(ตัวอย่าง)"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    max_length: int = 255


COLUMNS = (
    Column("kind", "ประเภทสถาบัน", required=True),
    Column("type", "ประเภทย่อย"),  # required except for women's, youth, occupational and other groups
    Column("registration_number", "เลขทะเบียน", max_length=50),
    Column("name", "ชื่อ", required=True),
    Column("name_en", "ชื่อภาษาอังกฤษ"),
    Column("registered_on", "วันที่จดทะเบียน"),
    Column("status", "สถานะ"),
    Column("year_end", "วันสิ้นปีบัญชี (วว/ดด)"),
    Column("address", "ที่อยู่ (เลขที่ หมู่ ถนน)"),
    Column("district", "อำเภอ"),
    Column("subdistrict", "ตำบล"),
    Column("postcode", "รหัสไปรษณีย์", max_length=10),
    Column("phone", "โทรศัพท์", max_length=50),
    Column("email", "อีเมล", max_length=254),
    Column("parent", "เลขทะเบียนสหกรณ์ต้นสังกัด", max_length=50),
    Column("officer", "เจ้าหน้าที่ผู้รับผิดชอบ (ชื่อผู้ใช้)", max_length=150),
    Column("year_be", "ปีบัญชี (พ.ศ.)", max_length=10),
    Column("members", "จำนวนสมาชิก", max_length=30),
    Column("share_capital", "ทุนเรือนหุ้น (บาท)", max_length=30),
    Column("note", "หมายเหตุ", max_length=TEXT_MAX_LENGTH),
)
HEADERS = tuple(c.header for c in COLUMNS)

KIND_ALIASES = {
    "สหกรณ์": rules.COOPERATIVE,
    "กลุ่มเกษตรกร": rules.FARMER_GROUP,
    "กลุ่มสตรีสหกรณ์": "women_group",
    "กลุ่มสตรี": "women_group",
    "กลุ่มเยาวชนสหกรณ์": "youth_group",
    "กลุ่มเยาวชน": "youth_group",
    "กลุ่มอาชีพ": "occupational_group",
    "กลุ่มอื่น": "other",
    "กลุ่มอื่นๆ": "other",
    "อื่นๆ": "other",
}
TYPE_ALIASES = {
    rules.COOPERATIVE: {
        "การเกษตร": "agricultural", "ประมง": "fisheries", "นิคม": "land_settlement", "ร้านค้า": "store",
        "บริการ": "service", "ออมทรัพย์": "savings", "เครดิตยูเนี่ยน": "credit_union",
    },
    rules.FARMER_GROUP: {
        "ทำนา": "fg_rice", "ทำสวน": "fg_orchard", "ทำไร่": "fg_field_crops", "เลี้ยงสัตว์": "fg_livestock",
        "ประมง": "fg_fisheries", "อื่นๆ": "fg_other", "อื่น": "fg_other",
    },
}  # fmt: skip
KIND_WORDS = ("สหกรณ์", "กลุ่มเกษตรกร", "กลุ่มสตรีสหกรณ์", "กลุ่มเยาวชนสหกรณ์", "กลุ่มอาชีพ", "กลุ่มอื่นๆ")
STATUS_ALIASES = {
    "ดำเนินการ": "operating", "ดำเนินงาน": "operating", "หยุดดำเนินการ": "dormant", "ชำระบัญชี": "liquidating",
    "อยู่ระหว่างชำระบัญชี": "liquidating", "เลิก": "dissolved", "เลิกแล้ว": "dissolved",
}  # fmt: skip


# Which column a rule's problem belongs to (rules name form fields).
PROBLEM_COLUMNS = {
    "type": "type",
    "registration_number": "registration_number",
    "parent": "parent",
    "members": "members",
}


class ImportFileError(Exception):
    """The file as a whole is refused (the message is shown to the user, in Thai)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ReadyRow:
    row: int
    values: dict
    display: dict
    warnings: list[str] = field(default_factory=list)


@dataclass
class Preview:
    rows: list[ReadyRow]
    errors: list[RowError]
    skipped_examples: list[int]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


# --- reading the file ----------------------------------------------------------------------------


def _cell_text(value) -> str:
    """A cell as text: dates as ISO (the parser accepts it), whole floats without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def read_upload(uploaded) -> list[tuple[int, dict[str, str]]]:
    """The data rows of an uploaded template as ``(excel row number, {column key: text})``.
    The file-level guards (size, zip and XML bombs, not an xlsx) are ``coopsupport.xlsx``'s."""
    name = getattr(uploaded, "name", "") or ""
    if not name.lower().endswith(".xlsx"):
        raise ImportFileError(_("Only Excel .xlsx files can be imported."))
    try:
        wb = xlsx.open_workbook_safely(uploaded, max_bytes=settings.IMPORT_MAX_BYTES)
        try:
            return _read_sheet(wb)
        finally:
            wb.close()
    except xlsx.WorkbookRefused as exc:
        raise ImportFileError(str(exc)) from None
    except ImportFileError:
        raise
    except Exception:  # a workbook openpyxl opened but cannot walk: the file is simply unreadable
        logger.warning("institution import: unreadable workbook", exc_info=True)
        raise ImportFileError(str(xlsx.WorkbookRefused(xlsx.UNREADABLE))) from None


def _read_sheet(wb) -> list[tuple[int, dict[str, str]]]:
    max_rows = settings.IMPORT_MAX_ROWS
    rows = xlsx.iter_rows_safely(wb.worksheets[0], max_rows=max_rows, max_col=len(COLUMNS) + 20)
    header_cells = next(rows, ())
    headers = [_cell_text(c.value) for c in header_cells]
    while headers and not headers[-1]:
        headers.pop()
    _check_headers(headers)
    out: list[tuple[int, dict[str, str]]] = []
    physical = 0
    for cells in rows:
        physical += 1
        texts = []
        row_number = None
        for cell in cells[: len(COLUMNS)]:
            row_number = row_number or getattr(cell, "row", None)
            if xlsx.cell_is_formula(cell):
                raise ImportFileError(
                    _("Cell %(cell)s contains a formula. Paste values only and try again.")
                    % {"cell": getattr(cell, "coordinate", "?")}
                )
            texts.append(_cell_text(cell.value))
        if not any(texts):
            continue
        if len(out) >= max_rows:
            raise xlsx.WorkbookRefused(xlsx.TOO_MANY_ROWS, max_rows=max_rows)
        texts += [""] * (len(COLUMNS) - len(texts))
        out.append((row_number or physical + 1, {c.key: t for c, t in zip(COLUMNS, texts, strict=True)}))
    return out


def _check_headers(headers: list[str]) -> None:
    if tuple(headers) == HEADERS:
        return
    missing = [h for h in HEADERS if h not in headers]
    extra = [h for h in headers if h and h not in HEADERS]
    parts = []
    if missing:
        parts.append(_("missing: %(cols)s") % {"cols": ", ".join(missing)})
    if extra:
        parts.append(_("unexpected: %(cols)s") % {"cols": ", ".join(extra)})
    if not parts:
        parts.append(_("the columns are not in the template's order"))
    raise ImportFileError(
        _(
            "The columns do not match the template (%(details)s). Download the template and copy your data into it."
        )
        % {"details": "; ".join(parts)}
    )


# --- validating rows -----------------------------------------------------------------------------


@dataclass
class Lookups:
    """Everything the validator needs from the database, loaded in a few queries."""

    office: Office
    districts: dict[str, object]
    subdistricts: dict[tuple[int, str], object]
    parents: dict[str, object]
    officers: dict[str, object]
    taken: set[tuple[str, str]]

    @classmethod
    def load(cls, office: Office, raw_rows) -> Lookups:
        districts = list(district_queryset(office))
        subdistricts = Subdistrict.objects.filter(district__in=[d.pk for d in districts])
        regs = {normalize_digits(r.get("registration_number", "")).strip() for _n, r in raw_rows} - {""}
        officers = {}
        for u in User.objects.filter(office=office, role=User.Role.OFFICER, is_active=True):
            officers[u.username.lower()] = u
            if u.get_full_name():
                officers[_squash(u.get_full_name())] = u
        return cls(
            office=office,
            districts={_place(d.name_th, ("อำเภอ", "อ.", "เขต")): d for d in districts},
            subdistricts={
                (s.district_id, _place(s.name_th, ("ตำบล", "ต.", "แขวง"))): s for s in subdistricts
            },
            parents={
                p.registration_number: p
                for p in Institution.objects.filter(office=office, kind=rules.COOPERATIVE).exclude(
                    registration_number=""
                )
            },
            officers=officers,
            taken=set(
                Institution.objects.filter(registration_number__in=regs).values_list(
                    "kind", "registration_number"
                )
            ),
        )


def _squash(text: str) -> str:
    return " ".join(text.split()).lower()


def _place(text: str, prefixes: tuple[str, ...]) -> str:
    text = _squash(text)
    for prefix in prefixes:
        if text.startswith(prefix):
            return text[len(prefix) :].strip()
    return text


def _choice(text: str, aliases: dict[str, str], choices) -> str | None:
    key = _squash(text)
    if key in aliases:
        return aliases[key]
    for value, label in choices:
        if key in (value, _squash(str(label))):
            return value
    return None


def validate_rows(raw_rows, *, lookups: Lookups) -> Preview:
    ready: list[ReadyRow] = []
    errors: list[RowError] = []
    examples: list[int] = []
    seen: dict[tuple[str, str], int] = {}
    file_coops = {
        normalize_digits(r.get("registration_number", "")).strip(): n
        for n, r in raw_rows
        if _choice(r.get("kind", ""), KIND_ALIASES, Institution.Kind.choices) == rules.COOPERATIVE
    }
    for number, raw in raw_rows:
        if raw.get("name", "").startswith(EXAMPLE_MARK):
            examples.append(number)
            continue
        row = _RowValidator(number, raw, lookups, file_coops)
        row.run()
        if row.errors:
            errors.extend(row.errors)
            continue
        key = (row.values["kind"], row.values["registration_number"])
        if key[1] and key in seen:
            errors.append(
                RowError(number, _col("registration_number"),
                         _("The registration number repeats row %(row)s of this file.") % {"row": seen[key]})
            )  # fmt: skip
            continue
        if key[1]:
            seen[key] = number
        ready.append(ReadyRow(number, row.values, row.display, row.warnings))
    return Preview(ready, errors, examples)


def _col(key: str) -> str:
    return next(c.header for c in COLUMNS if c.key == key)


class _RowValidator:
    def __init__(self, number: int, raw: dict[str, str], lookups: Lookups, file_coops: dict[str, int]):
        self.number, self.raw, self.lk, self.file_coops = number, raw, lookups, file_coops
        self.values: dict = {}
        self.display: dict = {}
        self.errors: list[RowError] = []
        self.warnings: list[str] = []

    def error(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.number, _col(key) if key else "", message))

    def text(self, key: str) -> str:
        col = next(c for c in COLUMNS if c.key == key)
        value = (self.raw.get(key) or "").strip()
        if col.required and not value:
            self.error(key, _("This column is required."))
        elif len(value) > col.max_length:
            self.error(key, _("Too long (at most %(n)s characters).") % {"n": col.max_length})
            return ""
        try:
            reject_markup(value)
        except ValidationError:
            self.error(key, _("HTML or script tags are not allowed."))
            return ""
        return value

    def run(self) -> None:
        """Check every column (so one pass reports all of a row's problems), then the register's rules."""
        t = {c.key: self.text(c.key) for c in COLUMNS}
        v = self.values
        reg = normalize_digits(t["registration_number"])
        v.update(
            registration_number=reg,
            name=t["name"],
            name_en=t["name_en"],
            address=t["address"],
            note=t["note"],
        )
        kind, type_ = self._kind_and_type(t)
        v.update(kind=kind, type=type_)
        self._dates_and_status(t)
        self._place(t)
        self._contact(t)
        self._people_and_parent(t)
        self._figures(t)
        if not (kind and type_):
            return
        if reg and (kind, reg) in self.lk.taken:
            self.error(
                "registration_number",
                _("An institution with this registration number is already registered."),
            )
        result = rules.check_institution(
            kind=kind, type_=type_, registration_number=reg, members=v.get("members"),
            parent_kind=rules.COOPERATIVE if (v.get("parent_id") or v.get("parent_reg")) else None,
        )  # fmt: skip
        for problem in result.errors:
            self.error(PROBLEM_COLUMNS.get(problem.field, "kind"), problem_message(problem))
        self.warnings = [problem_message(p) for p in result.warnings]
        self.display.update(
            kind=dict(Institution.Kind.choices)[kind], type=dict(Institution.Type.choices)[type_],
            status=dict(Institution.Status.choices)[v.get("status", "operating")],
        )  # fmt: skip

    def _kind_and_type(self, t) -> tuple[str | None, str | None]:
        if not t["kind"]:
            return None, None  # already reported as required
        kind = _choice(t["kind"], KIND_ALIASES, Institution.Kind.choices)
        if kind is None:
            self.error("kind", _("Unknown kind “%(value)s”.") % {"value": t["kind"]})
            return None, None
        if kind in rules.GROUP_KINDS and t["type"] in ("", "ทั่วไป", "กลุ่มทั่วไป"):
            return kind, "general"
        if not t["type"]:
            self.error("type", _("This column is required."))
            return kind, None
        type_ = _choice(t["type"], TYPE_ALIASES.get(kind, {}), Institution.Type.choices)
        if type_ is None or not rules.type_allowed_for_kind(kind, type_):
            self.error("type", _("Unknown type “%(value)s”.") % {"value": t["type"]})
            return kind, None
        return kind, type_

    def _dates_and_status(self, t) -> None:
        v = self.values
        v["registered_on"] = None
        if t["registered_on"]:
            try:
                v["registered_on"] = parse_date(t["registered_on"]).isoformat()
            except ValueError as exc:
                self.error("registered_on", str(exc))
        status = (
            _choice(t["status"], STATUS_ALIASES, Institution.Status.choices) if t["status"] else "operating"
        )
        if status is None:
            self.error("status", _("Unknown status “%(value)s”.") % {"value": t["status"]})
        v["status"] = status or "operating"
        day, month = 31, 3
        if t["year_end"]:
            text = normalize_digits(t["year_end"])
            try:
                if "-" in text:  # a date cell: 2026-03-31
                    parsed = date.fromisoformat(text[:10])
                    day, month = parsed.day, parsed.month
                else:
                    day_s, month_s = text.replace(".", "/").split("/")[:2]
                    day, month = int(day_s), int(month_s)
            except ValueError:
                day, month = 0, 0
            if not rules.valid_year_end(month, day):
                self.error("year_end", _("Enter the accounting year-end as day/month, e.g. 31/03."))
        v["accounting_year_end_day"], v["accounting_year_end_month"] = day, month

    def _place(self, t) -> None:
        v = self.values
        v["district_id"] = v["subdistrict_id"] = None
        v["postcode"] = normalize_digits(t["postcode"]).strip()
        district = None
        if t["district"]:
            district = self.lk.districts.get(_place(t["district"], ("อำเภอ", "อ.", "เขต")))
            if district is None:
                self.error("district", _("“%(value)s” is not a district of this office's province.") % {"value": t["district"]})  # fmt: skip
            else:
                v["district_id"] = district.pk
        if t["subdistrict"]:
            sub = (
                self.lk.subdistricts.get((district.pk, _place(t["subdistrict"], ("ตำบล", "ต.", "แขวง"))))
                if district
                else None
            )
            if sub is None:
                self.error("subdistrict", _("“%(value)s” is not a sub-district of the district given.") % {"value": t["subdistrict"]})  # fmt: skip
            else:
                v["subdistrict_id"] = sub.pk
                v["postcode"] = v["postcode"] or sub.postcode
        if v["postcode"] and not (v["postcode"].isdigit() and len(v["postcode"]) == 5):
            self.error("postcode", _("A postcode has 5 digits."))
        self.display["place"] = " / ".join(x for x in (t["subdistrict"], t["district"]) if x)

    def _contact(self, t) -> None:
        try:
            self.values["phone"] = clean_phone(t["phone"])
        except ValidationError:
            self.error("phone", _("Enter a phone number using digits, spaces, dashes or +."))
        self.values["email"] = t["email"]
        if t["email"]:
            try:
                validate_email(t["email"])
            except ValidationError:
                self.error("email", _("Enter a valid email address."))

    def _people_and_parent(self, t) -> None:
        v = self.values
        v["parent_id"] = v["parent_reg"] = v["responsible_officer_id"] = None
        if t["parent"]:
            reg = normalize_digits(t["parent"])
            parent = self.lk.parents.get(reg)
            if parent is not None:
                v["parent_id"] = parent.pk
            elif reg in self.file_coops:
                v["parent_reg"] = reg
            else:
                self.error("parent", _("No cooperative of this office has registration number “%(value)s”.") % {"value": reg})  # fmt: skip
        if t["officer"]:
            officer = self.lk.officers.get(_squash(t["officer"]))
            if officer is None:
                self.error(
                    "officer", _("“%(value)s” is not an officer of this office.") % {"value": t["officer"]}
                )
            else:
                v["responsible_officer_id"] = officer.pk
                self.display["officer"] = officer.get_full_name() or officer.username

    def _figures(self, t) -> None:
        v = self.values
        v["members"] = v["share_capital"] = v["year_be"] = None
        if t["members"]:
            text = normalize_digits(t["members"]).replace(",", "").strip()
            if not text.isdigit() or int(text) > MAX_MEMBERS:
                self.error("members", _("Enter a whole number of members, e.g. 120."))
            else:
                v["members"] = int(text)
        if t["share_capital"]:
            try:
                amount = to_money(t["share_capital"])
                if amount < 0 or amount > MAX_MONEY:
                    raise ValueError
                v["share_capital"] = str(amount)
            except ValueError:
                self.error("share_capital", _("Enter an amount in baht, e.g. 1,234.50"))
        if t["year_be"] or v["members"] is not None or v["share_capital"] is not None:
            try:
                v["year_be"] = clean_year_be(t["year_be"])
            except ValidationError as exc:
                self.error("year_be", exc.messages[0])


# --- saving --------------------------------------------------------------------------------------


@transaction.atomic
def save_rows(preview: Preview, *, office: Office, by: User, today: date) -> list[Institution]:
    """Create every ready row, or nothing (the caller validated them just before, in this request)."""
    if not preview.ok:
        raise ValueError("preview has errors")
    created: list[tuple[Institution, str | None]] = []
    by_reg: dict[str, Institution] = {}
    for row in preview.rows:
        v = row.values
        inst = services.create_institution(
            office=office,
            by=by,
            today=today,
            status=v["status"],
            kind=v["kind"],
            type=v["type"],
            registration_number=v["registration_number"],
            name=v["name"],
            name_en=v["name_en"],
            registered_on=date.fromisoformat(v["registered_on"]) if v["registered_on"] else None,
            accounting_year_end_month=v["accounting_year_end_month"],
            accounting_year_end_day=v["accounting_year_end_day"],
            address=v["address"],
            district_id=v["district_id"],
            subdistrict_id=v["subdistrict_id"],
            postcode=v["postcode"],
            phone=v["phone"],
            email=v["email"],
            parent_id=v["parent_id"],
            responsible_officer_id=v["responsible_officer_id"],
            note=v["note"],
        )
        if v["year_be"]:
            figure = YearlyFigure(
                institution=inst,
                year_be=v["year_be"],
                members=v["members"] or 0,
                share_capital=Decimal(v["share_capital"] or "0"),
            )
            services.save_related(figure, by=by)
        if v["kind"] == rules.COOPERATIVE and v["registration_number"]:
            by_reg[v["registration_number"]] = inst
        created.append((inst, v.get("parent_reg")))
    for inst, parent_reg in created:
        if parent_reg:
            services.update_institution(institution=inst, by=by, parent=by_reg[parent_reg])
    return [inst for inst, _parent in created]
