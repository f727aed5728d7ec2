"""Excel import: template, preview, all-or-nothing save, and hostile files."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cooperatives import importing
from cooperatives.models import Institution, StatusEvent, YearlyFigure
from tests.cooperatives.factories import InstitutionFactory

pytestmark = pytest.mark.django_db
UPLOAD = reverse("cooperatives:institution_import")


def row(**values) -> dict:
    base = {c.key: "" for c in importing.COLUMNS}
    return {**base, **values}


def coop(reg="ชม.100/2540", name="สหกรณ์การเกษตรเชียงดาว จำกัด", **kw):
    base = {"kind": "สหกรณ์", "type": "การเกษตร", "registration_number": reg, "name": name,
            "registered_on": "15/06/2540", "district": "เชียงดาว", "subdistrict": "เชียงดาว"}  # fmt: skip
    return row(**{**base, **kw})


def xlsx(rows, headers=importing.HEADERS, *, mutate=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append([r.get(c.key, "") for c in importing.COLUMNS] if isinstance(r, dict) else list(r))
    if mutate:
        mutate(ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, data: bytes, name="institutions.xlsx", **extra):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), **extra})


def preview_url(response) -> str:
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return response["Location"]


def form_error(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors["file"])


GOOD_ROWS = [
    coop(
        members="๑,๒๕๐",
        year_be="๒๕๖๘",
        share_capital="1,250,000.50",
        year_end="31/03",
        phone="053-123456",
        email="info@example.coop",
        status="ดำเนินการ",
    ),  # fmt: skip
    row(
        kind="กลุ่มสตรีสหกรณ์",
        type="ทั่วไป",
        name="กลุ่มสตรีสหกรณ์การเกษตรเชียงดาว",
        parent="ชม.100/2540",
        district="อำเภอเชียงดาว",
    ),  # fmt: skip
    row(
        kind="กลุ่มเกษตรกร",
        type="ทำนา",
        registration_number="กษ.๐๐๑/๒๕๕๐",
        name="กลุ่มเกษตรกรทำนาตำบลศรีภูมิ",
        registered_on="๑/๒/๒๕๕๐",
        district="เมืองเชียงใหม่",
        subdistrict="ตำบลศรีภูมิ",
        officer="officer_a",
        members="25",
        year_be="2568",
        status="หยุดดำเนินการ",
    ),  # fmt: skip
]


def test_the_template_has_thai_headers_an_example_row_and_a_notes_sheet(officer_client):
    response = officer_client.get(reverse("cooperatives:institution_import_template"))
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    data, notes = wb.worksheets
    assert [c.value for c in data[1]] == list(importing.HEADERS)
    assert data["D2"].value.startswith(importing.EXAMPLE_MARK)
    assert notes.title == "คำอธิบาย" and notes.max_row > 5


def test_an_untouched_template_has_no_data_rows(officer_client):
    template = officer_client.get(reverse("cooperatives:institution_import_template")).content
    assert "ไม่มีแถวข้อมูล" in form_error(upload(officer_client, template))


def test_a_good_file_is_previewed_then_saved_all_at_once(officer_client, officer, geo):
    url = preview_url(upload(officer_client, xlsx(GOOD_ROWS)))
    preview = officer_client.get(url)
    html = preview.content.decode()
    assert "พร้อมนำเข้า 3 แถว" in html and "กลุ่มเกษตรกรทำนาตำบลศรีภูมิ" in html
    assert "อย่างน้อย 30 คน" in html  # the small farmer group is a warning only
    assert not Institution.objects.exists()  # nothing saved before confirming
    response = officer_client.post(url, follow=True)
    assert "นำเข้าสถาบันแล้ว 3 แห่ง" in response.content.decode()
    coop_ = Institution.objects.get(registration_number="ชม.100/2540")
    group = Institution.objects.get(kind="women_group")
    fg = Institution.objects.get(kind="farmer_group")
    assert group.parent == coop_ and group.office == geo.office_a
    assert coop_.registered_on.isoformat() == "1997-06-15" and coop_.postcode == "50170"
    assert coop_.yearly_figures.get().members == 1250
    assert str(coop_.yearly_figures.get().share_capital) == "1250000.50"
    assert fg.registration_number == "กษ.001/2550" and fg.registered_on.isoformat() == "2007-02-01"
    assert fg.subdistrict == geo.subdistrict_a1 and fg.responsible_officer == officer
    assert fg.status == "dormant" and StatusEvent.objects.filter(institution=fg, status="dormant").exists()
    assert coop_.history.first().history_user == officer
    assert officer_client.get(url).status_code == 404  # the pending import is gone


def test_date_cells_are_read_as_dates(officer_client):
    def as_date(ws):
        ws["F2"] = datetime(1990, 1, 31)

    url = preview_url(upload(officer_client, xlsx([coop()], mutate=as_date)))
    officer_client.post(url)
    assert Institution.objects.get().registered_on.isoformat() == "1990-01-31"


def test_one_bad_row_saves_nothing_and_names_the_row_and_the_reason(officer_client):
    rows = [*GOOD_ROWS, coop(reg="ชม.101/2540", name="สหกรณ์ผิด จำกัด", registered_on="31/02/2569")]
    url = preview_url(upload(officer_client, xlsx(rows)))
    response = officer_client.get(url)
    errors = response.context["preview"].errors
    assert [(e.row, e.column) for e in errors] == [(5, "วันที่จดทะเบียน")]
    assert "ไม่มีวันที่ 31/2/2569" in errors[0].message
    assert "ไม่มีการบันทึกข้อมูล" in response.content.decode()
    response = officer_client.post(url)
    assert response.status_code == 200
    assert not Institution.objects.exists()


@pytest.mark.parametrize(
    ("bad", "column", "words"),
    [
        (coop(kind="บริษัท"), "ประเภทสถาบัน", "ไม่รู้จักประเภทสถาบัน"),
        (coop(type="ทำนา"), "ประเภทย่อย", "ไม่รู้จักประเภท"),
        (coop(reg=""), "เลขทะเบียน", "ต้องมีเลขทะเบียน"),
        (coop(name=""), "ชื่อ", "ต้องกรอก"),
        (coop(name="<script>alert(1)</script>"), "ชื่อ", "HTML"),
        (coop(note="ก" * 10_000), "หมายเหตุ", "ยาวเกินไป"),
        (coop(district="ขอนแก่น"), "อำเภอ", "ไม่ใช่อำเภอ"),
        (coop(subdistrict="ในเมือง"), "ตำบล", "ไม่ใช่ตำบล"),
        (coop(members="-5", year_be="2568"), "จำนวนสมาชิก", "จำนวนเต็ม"),
        (coop(members="1" + "0" * 20, year_be="2568"), "จำนวนสมาชิก", "จำนวนเต็ม"),
        (coop(share_capital="-1", year_be="2568"), "ทุนเรือนหุ้น (บาท)", "จำนวนเงิน"),
        (coop(members="10"), "ปีบัญชี (พ.ศ.)", "ปีบัญชี"),
        (coop(year_end="31/04"), "วันสิ้นปีบัญชี (วว/ดด)", "วัน/เดือน"),
        (coop(email="ไม่ใช่อีเมล"), "อีเมล", "อีเมล"),
        (coop(officer="officer_b"), "เจ้าหน้าที่ผู้รับผิดชอบ (ชื่อผู้ใช้)", "ไม่ใช่เจ้าหน้าที่"),
        (coop(parent="ไม่มี/9999"), "เลขทะเบียนสหกรณ์ต้นสังกัด", "ไม่พบสหกรณ์"),
        (coop(status="ปิดกิจการ"), "สถานะ", "ไม่รู้จักสถานะ"),
        (coop(registered_on="10^20"), "วันที่จดทะเบียน", "รูปแบบวันที่"),
    ],
)
def test_each_kind_of_bad_row_is_reported_in_thai(officer_client, other_province_officer, bad, column, words):
    url = preview_url(upload(officer_client, xlsx([bad])))
    errors = officer_client.get(url).context["preview"].errors
    assert errors, bad
    assert any(e.row == 2 and e.column == column and words in e.message for e in errors), errors


def test_duplicate_registration_numbers_in_the_file_or_the_register_are_refused(officer_client, geo):
    InstitutionFactory(office=geo.office_b, registration_number="ชม.200/2540")
    rows = [
        coop(reg="ชม.100/2540"),
        coop(reg="ชม.๑๐๐/๒๕๔๐", name="สหกรณ์ซ้ำ จำกัด"),
        coop(reg="ชม.200/2540", name="อื่น"),
    ]
    url = preview_url(upload(officer_client, xlsx(rows)))
    errors = officer_client.get(url).context["preview"].errors
    assert [(e.row, "ซ้ำกับแถวที่ 2" in e.message) for e in errors if e.row == 3] == [(3, True)]
    assert any(e.row == 4 and "ในทะเบียนแล้ว" in e.message for e in errors)
    officer_client.post(url)
    assert Institution.objects.count() == 1


def test_the_confirm_step_validates_again_against_the_register(officer_client, geo):
    url = preview_url(upload(officer_client, xlsx([coop()])))
    assert officer_client.get(url).context["preview"].ok
    InstitutionFactory(office=geo.office_a, registration_number="ชม.100/2540")  # someone was quicker
    response = officer_client.post(url)
    assert response.status_code == 200
    assert Institution.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        importing.HEADERS[:-1],
        (*importing.HEADERS, "คอลัมน์เพิ่ม"),
        (importing.HEADERS[1], importing.HEADERS[0], *importing.HEADERS[2:]),
        ("name", "kind"),
    ],
)
def test_wrong_or_missing_columns_are_refused(officer_client, headers):
    message = form_error(upload(officer_client, xlsx([], headers=headers)))
    assert "คอลัมน์ไม่ตรงกับแบบฟอร์ม" in message
    assert not Institution.objects.exists()


def test_a_formula_cell_is_refused(officer_client):
    def formula(ws):
        ws["R2"] = "=SUM(1,2)"

    assert "มีสูตร" in form_error(upload(officer_client, xlsx([coop()], mutate=formula)))


def test_text_that_looks_like_a_formula_is_refused(officer_client):
    def text(ws):
        ws["D2"].value = '=HYPERLINK("http://evil","x")'
        ws["D2"].data_type = "s"

    assert "มีสูตร" in form_error(upload(officer_client, xlsx([coop()], mutate=text)))


def test_too_many_rows_are_refused(officer_client, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [coop(reg=f"ชม.{i}/2540", name=f"สหกรณ์ {i} จำกัด") for i in range(4)]
    assert "ไม่เกิน 3 แถว" in form_error(upload(officer_client, xlsx(rows)))


def test_a_file_too_large_is_refused_before_it_is_read(officer_client, settings):
    settings.IMPORT_MAX_BYTES = 1000
    assert "เกิน" in form_error(upload(officer_client, xlsx([coop()])))


def test_something_that_is_not_an_xlsx_is_refused(officer_client):
    assert "ไม่ใช่ไฟล์ Excel" in form_error(upload(officer_client, b"name,kind\nx,y\n"))
    assert ".xlsx" in form_error(upload(officer_client, xlsx([coop()]), name="institutions.csv"))
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    assert "ไม่ใช่ไฟล์ Excel" in form_error(upload(officer_client, fake.getvalue()))


def _rewrite(data: bytes, member: str, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            body = src.read(item.filename)
            zf.writestr(item.filename, change(body) if item.filename == member else body)
    return out.getvalue()


def test_an_xml_bomb_is_refused(officer_client):
    bomb = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
    )

    def inject(body: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", body)
        return bomb + body.replace(b"<v>", b"<v>&lol3;", 1)

    data = _rewrite(xlsx([coop()]), "xl/worksheets/sheet1.xml", inject)
    assert "ไม่สามารถอ่านไฟล์" in form_error(upload(officer_client, data))
    assert not Institution.objects.exists()


def test_a_zip_bomb_is_refused_before_decompressing(officer_client, settings):
    settings.IMPORT_MAX_BYTES = 1_000_000
    data = io.BytesIO(xlsx([coop()]))
    with zipfile.ZipFile(data, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * 30_000_000)
    assert len(data.getvalue()) < 1_000_000
    assert "ผิดปกติ" in form_error(upload(officer_client, data.getvalue()))


def test_an_admin_imports_into_the_office_they_choose(admin_client_, geo):
    rows = [row(kind="สหกรณ์", type="ออมทรัพย์", registration_number="ขก.1/2540", name="สหกรณ์ออมทรัพย์ครูขอนแก่น จำกัด",
                district="เมืองขอนแก่น")]  # fmt: skip
    response = upload(admin_client_, xlsx(rows), office=geo.office_b.pk)
    admin_client_.post(preview_url(response))
    assert Institution.objects.get().office == geo.office_b


def test_figures_from_the_file_are_saved_for_their_year(officer_client):
    url = preview_url(upload(officer_client, xlsx([coop(members="300", year_be="2567")])))
    officer_client.post(url)
    assert YearlyFigure.objects.get().year_be == 2567


def test_one_pass_reports_every_problem_of_a_row_and_groups_may_leave_the_type_empty(officer_client):
    bad = row(kind="กลุ่มอาชีพ", type="", name="กลุ่มอาชีพทอผ้า", district="ขอนแก่น", email="x", members="ก")
    url = preview_url(upload(officer_client, xlsx([bad])))
    columns = {e.column for e in officer_client.get(url).context["preview"].errors}
    assert columns == {"อำเภอ", "อีเมล", "จำนวนสมาชิก"}
