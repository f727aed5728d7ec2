"""The Excel template for importing institutions: Thai headers, an example row, a notes sheet."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils.translation import gettext as _

from cooperatives import rules
from cooperatives.importing import COLUMNS, EXAMPLE_MARK, HEADERS, KIND_WORDS, TYPE_ALIASES

EXAMPLE_ROW = {
    "kind": "สหกรณ์", "type": "การเกษตร", "registration_number": "ชม.000/2520",
    "name": f"{EXAMPLE_MARK} สหกรณ์การเกษตรแม่ริม จำกัด", "name_en": "Mae Rim Agricultural Cooperative Ltd.",
    "registered_on": "15/06/2520", "status": "ดำเนินการ", "year_end": "31/03", "address": "99 หมู่ 2 ถนนโชตนา",
    "district": "แม่ริม", "subdistrict": "ริมใต้", "postcode": "", "phone": "053-123456",
    "email": "info@example.coop", "parent": "", "officer": "", "year_be": "2568", "members": "1250",
    "share_capital": "12,500,000.00", "note": "",
}  # fmt: skip


def _notes() -> list[tuple[str, str]]:
    kinds = ", ".join(KIND_WORDS)
    return [
        (_("How to use this file"), _(
            "Fill one institution per row in the first sheet, from row 3 on. Row 2 is an example: "
            "rows whose name starts with (ตัวอย่าง) are skipped. Do not rename, add or move columns."
        )),
        (_("Values only"), _("Cells must not contain formulas. Paste values only.")),
        (_("Limits"), _("At most %(rows)s rows and %(mb)s MB per file. If any row has a problem, nothing is saved.")
         % {"rows": settings.IMPORT_MAX_ROWS, "mb": settings.IMPORT_MAX_BYTES // 1_048_576}),
        (HEADERS[0], _("Required. One of: %(values)s") % {"values": kinds}),
        (HEADERS[1], _("Required. Cooperatives: %(coop)s. Farmer groups: %(fg)s. Other groups: ทั่วไป (or empty).")
         % {"coop": ", ".join(TYPE_ALIASES[rules.COOPERATIVE]), "fg": ", ".join(TYPE_ALIASES[rules.FARMER_GROUP])}),
        (HEADERS[2], _("Required for cooperatives and farmer groups; must not already be registered.")),
        (HEADERS[5], _("Day/month/year; B.E. (15/06/2520) or C.E. years and Thai digits are accepted.")),
        (HEADERS[6], _("ดำเนินการ, หยุดดำเนินการ, ชำระบัญชี or เลิก. Empty means ดำเนินการ.")),
        (HEADERS[7], _("Day/month, e.g. 31/03. Empty means 31 March.")),
        (HEADERS[9], _("A district of the office's province, without the word อำเภอ.")),
        (HEADERS[10], _("A sub-district of that district; the postcode is filled in from it if empty.")),
        (HEADERS[14], _("For women's, youth, occupational and other groups: the registration number of the "
                        "cooperative they belong to (in this office or in this file).")),
        (HEADERS[15], _("The officer's user name (or full name).")),
        (HEADERS[16], _("Needed when members or share capital are given, e.g. 2568.")),
    ]  # fmt: skip


def build_template() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "ทะเบียนสถาบัน"
    ws.append(list(HEADERS))
    ws.append([EXAMPLE_ROW[c.key] for c in COLUMNS])
    header_fill = PatternFill("solid", fgColor="1F4E79")
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in ws[2]:
        cell.font = Font(italic=True, color="808080")
    for idx, col in enumerate(COLUMNS, start=1):
        letter = ws.cell(row=1, column=idx).column_letter
        ws.column_dimensions[letter].width = 34 if col.key in ("name", "name_en", "address", "note") else 18
        # Text format so Excel keeps "31/03", leading zeros and B.E. dates as typed.
        for row in range(2, 502):
            ws.cell(row=row, column=idx).number_format = "@"
    ws.freeze_panes = "A2"
    kinds = DataValidation(type="list", formula1='"' + ",".join(KIND_WORDS) + '"', allow_blank=True)
    ws.add_data_validation(kinds)
    kinds.add(f"A3:A{settings.IMPORT_MAX_ROWS + 2}")
    notes = wb.create_sheet("คำอธิบาย")
    notes.append([_("Column / topic"), _("Explanation")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for topic, text in _notes():
        notes.append([topic, text])
    notes.column_dimensions["A"].width = 36
    notes.column_dimensions["B"].width = 110
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
