"""The shared guard for Excel uploads (coopsupport/xlsx.py): hostile files are refused with a reason
and a Thai message before, or while, openpyxl reads them; good files open read-only."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook

from coopsupport import xlsx

MAX = 1_000_000


def workbook_bytes(rows=(("ชื่อ", "จำนวน"), ("ข้าว", 10)), *, mutate=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(list(row))
    if mutate:
        mutate(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite(data: bytes, member: str, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            body = src.read(item.filename)
            zf.writestr(item.filename, change(body) if item.filename == member else body)
    return out.getvalue()


def refusal(source, **kwargs) -> xlsx.WorkbookRefused:
    with pytest.raises(xlsx.WorkbookRefused) as info:
        wb = xlsx.open_workbook_safely(source, max_bytes=kwargs.pop("max_bytes", MAX))
        list(xlsx.iter_rows_safely(wb.worksheets[0], max_rows=kwargs.pop("max_rows", 100)))
    return info.value


def test_a_good_workbook_opens_read_only_from_bytes_or_an_upload():
    data = workbook_bytes()
    for source in (data, SimpleUploadedFile("a.xlsx", data)):
        wb = xlsx.open_workbook_safely(source, max_bytes=MAX)
        rows = list(xlsx.iter_rows_safely(wb.worksheets[0], max_rows=10, values_only=True))
        wb.close()
        assert rows == [("ชื่อ", "จำนวน"), ("ข้าว", 10)]
        assert wb.read_only


def test_a_refusal_is_a_value_error_with_a_thai_message():
    with translation.override("th"):
        exc = refusal(b"name,kind\nx,y\n")
    assert isinstance(exc, ValueError)
    assert exc.reason == xlsx.NOT_XLSX
    assert "ไม่ใช่ไฟล์ Excel" in str(exc)


def test_an_upload_larger_than_the_limit_is_refused_without_being_read():
    class Upload:
        size = MAX + 1

        def read(self, *args):  # pragma: no cover - must not be called
            raise AssertionError("read")

    exc = refusal(Upload())
    assert exc.reason == xlsx.TOO_BIG and exc.params == {"max_bytes": MAX}


def test_bytes_over_the_limit_are_refused_in_thai_with_the_limit_in_mb():
    with translation.override("th"):
        exc = refusal(workbook_bytes(), max_bytes=1000)
        assert exc.reason == xlsx.TOO_BIG
        assert "เกิน 0.0 MB" in str(exc)
        assert "เกิน 2.0 MB" in str(xlsx.WorkbookRefused(xlsx.TOO_BIG, max_bytes=2_097_152))


@pytest.mark.parametrize(
    "content", [b"", b"not a spreadsheet", b"PK\x03\x04broken zip", "ชื่อ,ประเภท\n".encode()]
)
def test_something_that_is_not_a_zip_is_not_an_xlsx(content):
    assert refusal(content).reason == xlsx.NOT_XLSX


def test_a_zip_without_a_workbook_is_not_an_xlsx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    assert refusal(buf.getvalue()).reason == xlsx.NOT_XLSX


def test_a_highly_compressed_member_is_a_zip_bomb():
    data = io.BytesIO(workbook_bytes())
    with zipfile.ZipFile(data, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * 30_000_000)
    assert len(data.getvalue()) < MAX
    with translation.override("th"):
        exc = refusal(data.getvalue())
    assert exc.reason == xlsx.SUSPICIOUS and "ผิดปกติ" in str(exc)


def test_a_bomb_is_refused_as_a_bomb_even_without_a_workbook_inside():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"0" * (60 * 1024 * 1024))
    assert refusal(buf.getvalue()).reason == xlsx.SUSPICIOUS


def test_too_many_members_is_suspicious():
    data = io.BytesIO(workbook_bytes())
    with zipfile.ZipFile(data, "a") as zf:
        for i in range(xlsx.MAX_ZIP_MEMBERS):
            zf.writestr(f"xl/media/{i}.bin", b"x")
    assert refusal(data.getvalue()).reason == xlsx.SUSPICIOUS


def test_unpacked_data_beyond_ten_times_the_limit_is_suspicious():
    buf = io.BytesIO(workbook_bytes())
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/zeros.bin", b"\0" * 900_000)  # under 1 MB: the ratio rule does not apply
    data = buf.getvalue()
    assert xlsx.MAX_UNPACKED_FACTOR * len(data) < 900_000
    assert refusal(data, max_bytes=len(data)).reason == xlsx.SUSPICIOUS
    wb = xlsx.open_workbook_safely(data, max_bytes=1_000_000)  # the same file under a larger limit
    wb.close()


def test_an_xml_entity_bomb_is_unreadable():
    bomb = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
    )

    def inject(body: bytes) -> bytes:
        return bomb + re.sub(rb"^<\?xml[^>]*\?>\s*", b"", body).replace(b"<v>", b"<v>&lol2;", 1)

    with translation.override("th"):
        exc = refusal(rewrite(workbook_bytes(), "xl/worksheets/sheet1.xml", inject))
    assert exc.reason == xlsx.UNREADABLE and "ไม่สามารถอ่านไฟล์" in str(exc)


def test_bad_xml_met_while_reading_rows_is_unreadable_not_a_crash():
    def corrupt(body: bytes) -> bytes:
        return body.replace(b"</sheetData>", b"<row><c><<<</sheetData>")

    data = rewrite(workbook_bytes(), "xl/worksheets/sheet1.xml", corrupt)
    wb = xlsx.open_workbook_safely(data, max_bytes=MAX)  # a read-only sheet is parsed lazily
    with pytest.raises(xlsx.WorkbookRefused) as info:
        list(xlsx.iter_rows_safely(wb.worksheets[0], max_rows=10))
    assert info.value.reason == xlsx.UNREADABLE


def test_a_sheet_padded_with_endless_rows_is_refused():
    max_rows = 2
    limit = xlsx.ROW_PADDING_FACTOR * max_rows + xlsx.ROW_PADDING
    ok = workbook_bytes([("x",)] * limit)
    wb = xlsx.open_workbook_safely(ok, max_bytes=MAX)
    assert len(list(xlsx.iter_rows_safely(wb.worksheets[0], max_rows=max_rows))) == limit
    with translation.override("th"):
        exc = refusal(workbook_bytes([("x",)] * (limit + 1)), max_rows=max_rows)
    assert exc.reason == xlsx.TOO_MANY_ROWS and exc.params == {"max_rows": 2}
    assert "ไม่เกิน 2 แถว" in str(exc)


def test_formula_cells_and_formula_like_text_are_recognised():
    def cells(ws):
        ws["A3"] = "=SUM(1,2)"
        ws["B3"].value = '  =HYPERLINK("http://evil","x")'
        ws["B3"].data_type = "s"

    wb = xlsx.open_workbook_safely(workbook_bytes(mutate=cells), max_bytes=MAX)
    rows = list(xlsx.iter_rows_safely(wb.worksheets[0], max_rows=10))
    flags = [[xlsx.cell_is_formula(c) for c in row] for row in rows]
    assert flags == [[False, False], [False, False], [True, True]]
    assert xlsx.is_formula_text("=1+1") and xlsx.is_formula_text(" =A1")
    assert not any(xlsx.is_formula_text(v) for v in ("1+1", "a=b", "", None, 12, "-5"))


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_either_open_or_are_refused_never_crash(data):
    try:
        wb = xlsx.open_workbook_safely(data, max_bytes=MAX)
    except xlsx.WorkbookRefused as exc:
        assert exc.reason in (xlsx.TOO_BIG, xlsx.NOT_XLSX, xlsx.SUSPICIOUS, xlsx.UNREADABLE)
    else:  # pragma: no cover - random bytes are never a workbook
        wb.close()
