"""The cash-flow grid in Excel: template, all-or-nothing upload, export of the computed tables."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from projects.finance import npv
from tests.projects.factories import make_assessment, make_institution

pytestmark = pytest.mark.django_db


def _xlsx(rows, header=("ชื่อรายการ", "ประเภท", "ปีที่ 1", "ปีที่ 2", "ปีที่ 3", "ปีที่ 4", "ปีที่ 5")) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "กระแสเงินสด"
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _upload(client, a, content: bytes, name="grid.xlsx"):
    return client.post(
        reverse("projects:assessment_grid_upload", args=[a.pk]), {"file": SimpleUploadedFile(name, content)}
    )


@pytest.fixture
def assessment(geo):
    return make_assessment(make_institution(geo.office_a))


def test_the_template_has_thai_headers_and_the_current_lines(officer_client, assessment):
    response = officer_client.get(reverse("projects:assessment_grid_template", args=[assessment.pk]))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]][:3] == ["ชื่อรายการ", "ประเภท (รายรับ/รายจ่าย)", "ปีที่ 1"]
    assert ws.max_column == 2 + assessment.horizon_years
    assert ws["A2"].value == "รายได้ค่าสีข้าว" and ws["B2"].value == "รายรับ" and ws["C2"].value == 500000


def test_the_downloaded_template_uploads_back_to_the_same_results(officer_client, assessment):
    npv = assessment.npv
    content = officer_client.get(reverse("projects:assessment_grid_template", args=[assessment.pk])).content
    assert _upload(officer_client, assessment, content).status_code == 302
    assessment.refresh_from_db()
    assert assessment.npv == npv
    assert all(line.mode == "per_year" for line in assessment.lines.all())


def test_an_upload_replaces_the_lines_and_recomputes(officer_client, assessment):
    content = _xlsx(
        [
            ("ค่าบริการ", "รายรับ", 400000, "๔๐๐,๐๐๐", 400000, 400000, 400000),
            ("ค่าแรง", "รายจ่าย", 100000, 100000, None, 100000, "100,000.50"),
        ]
    )
    assert _upload(officer_client, assessment, content).status_code == 302
    assessment.refresh_from_db()
    lines = list(assessment.lines.order_by("order"))
    assert [ln.name for ln in lines] == ["ค่าบริการ", "ค่าแรง"]
    assert lines[1].amounts == ["100000.00", "100000.00", "0.00", "100000.00", "100000.50"]
    flows = [-1_000_000, 300_000, 300_000, 400_000, 300_000, Decimal("299999.50")]
    assert assessment.npv == npv(Decimal("0.07"), flows)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([("ค่าบริการ", "รายรับ", 1, 2, 3, 4, 5), ("", "รายจ่าย", 1, 1, 1, 1, 1)], "<td>3</td>"),
        ([("ค่าบริการ", "กำไร", 1, 2, 3, 4, 5)], "รายรับ"),
        ([("ค่าบริการ", "รายรับ", -1, 2, 3, 4, 5)], "ติดลบ"),
        ([("ค่าบริการ", "รายรับ", "abc", 2, 3, 4, 5)], "2"),
        ([("ค่าบริการ", "รายรับ", 10**20, 2, 3, 4, 5)], "2"),
        ([("ค่าบริการ", "รายรับ", "=1+1", 2, 3, 4, 5)], "สูตร"),
        ([("ค่าบริการ", "รายรับ", 1, 2, 3, 4, 5, 6)], "5"),
        ([("<script>x</script>", "รายรับ", 1, 2, 3, 4, 5)], "2"),
    ],
)
def test_a_malformed_grid_saves_nothing_and_names_the_bad_row(officer_client, assessment, rows, expected):
    before = list(assessment.lines.values_list("name", "amounts", "first_year_amount"))
    npv = assessment.npv
    response = _upload(officer_client, assessment, _xlsx(rows))
    assert response.status_code == 400
    assert expected in response.content.decode()
    assessment.refresh_from_db()
    assert list(assessment.lines.values_list("name", "amounts", "first_year_amount")) == before
    assert assessment.npv == npv


def test_a_real_formula_cell_is_refused(officer_client, assessment):
    wb = Workbook()
    ws = wb.active
    ws.append(["ชื่อรายการ", "ประเภท", "ปีที่ 1"])
    ws.append(["ค่าบริการ", "รายรับ", "=SUM(1,2)"])
    buf = io.BytesIO()
    wb.save(buf)
    response = _upload(officer_client, assessment, buf.getvalue())
    assert response.status_code == 400 and "สูตร" in response.content.decode()


@pytest.mark.parametrize("content", [b"not a spreadsheet", b"PK\x03\x04broken zip", "ชื่อ,ประเภท\n".encode()])
def test_a_file_that_is_not_xlsx_is_refused_in_thai(officer_client, assessment, content):
    response = _upload(officer_client, assessment, content)
    assert response.status_code == 400
    assert "ไม่ใช่ไฟล์ Excel" in response.content.decode()
    assert assessment.lines.count() == 2


def test_a_sheet_with_broken_xml_is_refused_in_thai_not_a_server_error(officer_client, assessment):
    src = zipfile.ZipFile(io.BytesIO(_xlsx([("ค่าบริการ", "รายรับ", 1, 2, 3, 4, 5)])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # parsed lazily, while the rows are read
                body = body.replace(b"</sheetData>", b"<row><c><<<</sheetData>")
            zf.writestr(item.filename, body)
    response = _upload(officer_client, assessment, out.getvalue())
    assert response.status_code == 400
    assert "ไม่ใช่ไฟล์ Excel" in response.content.decode()
    assert assessment.lines.count() == 2


def test_a_huge_file_is_refused(officer_client, assessment, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = _upload(officer_client, assessment, _xlsx([("ค่าบริการ", "รายรับ", 1, 2, 3, 4, 5)]))
    assert response.status_code == 400 and "ใหญ่เกินไป" in response.content.decode()


def test_a_zip_bomb_is_refused_before_parsing(officer_client, assessment):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"0" * (60 * 1024 * 1024))
    response = _upload(officer_client, assessment, buf.getvalue())
    assert response.status_code == 400
    assert assessment.lines.count() == 2


def test_the_computed_cash_flow_exports_to_excel(officer_client, assessment):
    response = officer_client.get(reverse("projects:assessment_export", args=[assessment.pk]))
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[0] == "สรุป"
    project = wb.worksheets[1]
    assert project["A1"].value == "ปี"
    assert project["H2"].value == -1000000  # year 0 net cash flow
    summary = [r for r in wb.worksheets[0].iter_rows(values_only=True) if r and r[0]]
    assert any("230,059.23" in str(r[1]) for r in summary if len(r) > 1)
