"""The cash-flow grid in Excel: a template to fill in, its all-or-nothing import, and the export
of the computed cash-flow tables.

Import rules (the same guard as the institution import, ``coopsupport.xlsx``): the file must be a
real .xlsx no bigger than IMPORT_MAX_BYTES, hold no formulas, and every row must be valid; otherwise
nothing is saved and every bad row is reported with its row number and the reason.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from coopsupport import xlsx
from coopsupport.exports import safe_cell
from coopsupport.money import MAX_MONEY
from coopsupport.thai import normalize_digits, to_money
from projects.models import CashFlowLine, FeasibilityAssessment
from projects.services import line_amounts

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_LINES = 200
SHEET = "กระแสเงินสด"
KIND_WORDS = {
    "รายรับ": CashFlowLine.Kind.REVENUE,
    "รายได้": CashFlowLine.Kind.REVENUE,
    "revenue": CashFlowLine.Kind.REVENUE,
    "รายจ่าย": CashFlowLine.Kind.COST,
    "ค่าใช้จ่าย": CashFlowLine.Kind.COST,
    "ต้นทุน": CashFlowLine.Kind.COST,
    "cost": CashFlowLine.Kind.COST,
}
KIND_LABEL = {CashFlowLine.Kind.REVENUE: "รายรับ", CashFlowLine.Kind.COST: "รายจ่าย"}
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


class GridImportError(Exception):
    """The whole file is refused; ``errors`` lists (row number or None, reason)."""

    def __init__(self, errors: list[tuple[int | None, str]]):
        super().__init__("; ".join(f"{r}: {m}" for r, m in errors))
        self.errors = errors


@dataclass
class ParsedGrid:
    lines: list[dict] = field(default_factory=list)


def _head(ws, row: int, values: list[str]) -> None:
    for col, value in enumerate(values, 1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def grid_template(assessment: FeasibilityAssessment) -> bytes:
    """An .xlsx with one row per line (name, kind, year 1..horizon), filled with the current lines."""
    n = assessment.horizon_years
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    _head(ws, 1, ["ชื่อรายการ", "ประเภท (รายรับ/รายจ่าย)", *[f"ปีที่ {y}" for y in range(1, n + 1)]])
    for r, line in enumerate(assessment.lines.all(), 2):
        ws.cell(row=r, column=1, value=safe_cell(line.name))
        ws.cell(row=r, column=2, value=KIND_LABEL[line.kind])
        for y, amount in enumerate(line_amounts(line, n), 3):
            ws.cell(row=r, column=y, value=float(amount)).number_format = "#,##0.00"
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 20
    for col in range(3, n + 3):
        ws.column_dimensions[get_column_letter(col)].width = 14
    ws.freeze_panes = "C2"
    help_ws = wb.create_sheet("คำอธิบาย")
    for r, text in enumerate(
        [
            "กรอกหนึ่งแถวต่อหนึ่งรายการ: ชื่อรายการ ประเภท (รายรับ หรือ รายจ่าย) และจำนวนเงินของแต่ละปี (บาท)",
            f"ปีที่ 1 ถึงปีที่ {n} ตามระยะเวลาโครงการ ช่องว่างถือเป็น 0 ห้ามใช้สูตร ห้ามใส่จำนวนติดลบ",
            "เมื่ออัปโหลด รายการรายรับ-รายจ่ายเดิมทั้งหมดจะถูกแทนที่ด้วยรายการในไฟล์นี้",
            "หากมีแถวใดผิด ระบบจะไม่บันทึกเลยและแจ้งเลขแถวพร้อมเหตุผล",
        ],
        1,
    ):
        help_ws.cell(row=r, column=1, value=text)
    help_ws.column_dimensions["A"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _amount(value) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal("0.00")
    if isinstance(value, bool):
        raise ValueError(_("not an amount"))
    if isinstance(value, float):
        value = repr(value)  # shortest exact form: 1234.5 not 1234.49999
    amount = to_money(normalize_digits(str(value)).replace("บาท", "").strip())
    if amount < 0:
        raise ValueError(_("the amount must not be negative"))
    if amount > MAX_MONEY:
        raise ValueError(_("the amount is too large"))
    return amount


def _refusal(exc: xlsx.WorkbookRefused) -> GridImportError:
    """The grid's own words for a file refused by the shared guard."""
    if exc.reason == xlsx.TOO_BIG:
        message = _("The file is too large (at most %(mb)s MB).") % {
            "mb": exc.params["max_bytes"] // (1024 * 1024)
        }
    elif exc.reason == xlsx.SUSPICIOUS:
        message = _("The workbook is too large when unpacked.")
    elif exc.reason == xlsx.TOO_MANY_ROWS:
        message = _("too many rows (at most %(n)s lines)") % {"n": exc.params["max_rows"]}
    else:  # not an xlsx, or unreadable
        message = _("The file is not an Excel .xlsx workbook.")
    return GridImportError([(None, message)])


def parse_grid(data: bytes, *, horizon: int) -> ParsedGrid:
    """Read an uploaded grid. Raises GridImportError with every problem found; saves nothing."""
    max_rows = min(getattr(settings, "IMPORT_MAX_ROWS", 5000), MAX_LINES)
    try:
        wb = xlsx.open_workbook_safely(data, max_bytes=getattr(settings, "IMPORT_MAX_BYTES", 5 * 1024 * 1024))
        try:
            ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
            rows = xlsx.iter_rows_safely(ws, max_rows=max_rows, min_row=2, values_only=True)
            parsed, errors = _parse_rows(rows, horizon=horizon, max_rows=max_rows)
        finally:
            wb.close()
    except xlsx.WorkbookRefused as exc:
        raise _refusal(exc) from None
    if errors:
        raise GridImportError(errors)
    if not parsed.lines:
        raise GridImportError([(None, _("The file has no lines."))])
    return parsed


def _parse_rows(rows, *, horizon: int, max_rows: int) -> tuple[ParsedGrid, list[tuple[int | None, str]]]:
    errors: list[tuple[int | None, str]] = []
    parsed = ParsedGrid()
    for r, row in enumerate(rows, 2):
        if row is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        if len(parsed.lines) + len({e[0] for e in errors}) >= max_rows:
            errors.append((r, _("too many rows (at most %(n)s lines)") % {"n": max_rows}))
            break
        if any(xlsx.is_formula_text(v) for v in row):
            errors.append((r, _("formulas are not accepted: type the numbers")))
            continue
        name = str(row[0] or "").strip() if len(row) > 0 else ""
        kind_text = str(row[1] or "").strip().lower() if len(row) > 1 else ""
        problems = []
        if not name:
            problems.append(_("the line has no name"))
        elif len(name) > 255 or "<" in name:
            problems.append(_("the name is too long or contains markup"))
        kind = KIND_WORDS.get(kind_text)
        if kind is None:
            problems.append(_("the kind must be รายรับ or รายจ่าย"))
        cells = list(row[2:])
        extra = [v for v in cells[horizon:] if v not in (None, "")]
        if extra:
            problems.append(_("there are amounts after year %(n)s (the horizon)") % {"n": horizon})
        amounts = []
        for y, value in enumerate(cells[:horizon], 1):
            try:
                amounts.append(_amount(value))
            except ValueError as exc:
                problems.append(_("year %(y)s: %(why)s") % {"y": y, "why": exc})
        amounts += [Decimal("0.00")] * (horizon - len(amounts))
        if problems:
            errors.append((r, "; ".join(problems)))
        else:
            parsed.lines.append({"name": name, "kind": kind, "amounts": amounts})
    return parsed, errors


def results_workbook(assessment: FeasibilityAssessment, report: dict) -> bytes:
    """The computed cash-flow tables (project view and after financing) with the key measures."""
    wb = Workbook()
    ws = wb.active
    ws.title = "สรุป"
    ws.append([safe_cell(assessment.title)])
    ws.append([safe_cell(str(assessment.institution))])
    ws.append([])
    for label, value in report["summary_rows"]:
        ws.append([label, value])
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 28
    for title, headers, rows in report["tables"]:
        sheet = wb.create_sheet(title[:31])
        _head(sheet, 1, headers)
        for row in rows:
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        for col in range(1, len(headers) + 1):
            sheet.column_dimensions[get_column_letter(col)].width = 16
            for cells in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
                for cell in cells:
                    if isinstance(cell.value, float):
                        cell.number_format = "#,##0.00"
        sheet.freeze_panes = "B2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
