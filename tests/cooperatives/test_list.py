"""The institution list: scoping, filters, sorting, export and the query-count guard."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperatives.models import BusinessLine, Institution
from tests.cooperatives.factories import InstitutionFactory, YearlyFigureFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LIST = reverse("cooperatives:institution_list")


def names(response) -> list[str]:
    return [row.record.name for row in response.context["table"].page.object_list]


def test_an_officer_sees_only_the_institutions_of_their_office(officer_client, other_client, inst, inst_b):
    assert names(officer_client.get(LIST)) == [inst.name]
    assert names(other_client.get(LIST)) == [inst_b.name]


def test_central_staff_see_every_office_and_can_filter_by_office(central_client, inst, inst_b):
    assert set(names(central_client.get(LIST))) == {inst.name, inst_b.name}
    assert names(central_client.get(LIST, {"office": inst_b.office_id})) == [inst_b.name]


def test_the_search_box_finds_names_and_registration_numbers_typed_with_thai_digits(
    officer_client, geo, inst
):
    InstitutionFactory(office=geo.office_a, name="กลุ่มเกษตรกรทำนาตำบลศรีภูมิ", kind="farmer_group", type="fg_rice",
                       registration_number="กษ.777/2545")  # fmt: skip
    assert names(officer_client.get(LIST, {"q": "ทำนา"})) == ["กลุ่มเกษตรกรทำนาตำบลศรีภูมิ"]
    assert names(officer_client.get(LIST, {"q": "๗๗๗"})) == ["กลุ่มเกษตรกรทำนาตำบลศรีภูมิ"]
    assert names(officer_client.get(LIST, {"q": "ชม.001"})) == [inst.name]


def test_filters_by_kind_type_status_district_team_officer_and_business_line(
    officer_client, geo, inst, officer2
):
    other = InstitutionFactory(
        office=geo.office_a, name="กลุ่มสตรีสหกรณ์ทดสอบ", kind="women_group", type="general", registration_number="",
        status="dormant", district=geo.district_a2, responsible_officer=officer2,
    )  # fmt: skip
    inst.area_team = geo.team_a1
    inst.save()
    assert names(officer_client.get(LIST, {"kind": "women_group"})) == [other.name]
    assert names(officer_client.get(LIST, {"type": "agricultural"})) == [inst.name]
    assert names(officer_client.get(LIST, {"status": "dormant"})) == [other.name]
    assert names(officer_client.get(LIST, {"district": geo.district_a2.pk})) == [other.name]
    assert names(officer_client.get(LIST, {"area_team": geo.team_a1.pk})) == [inst.name]
    assert names(officer_client.get(LIST, {"responsible_officer": officer2.pk})) == [other.name]
    credit = BusinessLine.objects.get(code="credit")
    assert names(officer_client.get(LIST, {"business_line": credit.pk})) == [inst.name]


def test_the_mine_toggle_keeps_only_the_officers_own_institutions(officer_client, geo, inst, officer2):
    InstitutionFactory(office=geo.office_a, responsible_officer=officer2)
    assert names(officer_client.get(LIST, {"mine": "on"})) == [inst.name]


def test_an_officer_can_only_choose_districts_officers_and_teams_of_their_own_office(
    officer_client, geo, inst
):
    form = officer_client.get(LIST).context["filter"].form
    assert set(form.fields["district"].queryset) == {geo.district_a1, geo.district_a2}
    assert "office" not in form.fields
    assert all(u.office_id == geo.office_a.pk for u in form.fields["responsible_officer"].queryset)
    response = officer_client.get(LIST, {"district": geo.district_b1.pk})
    assert response.status_code == 200
    assert response.context["filter"].errors


def test_no_lookup_expressions_are_offered_in_the_filter_form(officer_client, inst):
    form = officer_client.get(LIST).context["filter"].form
    assert not any("__" in name or "lookup" in name for name in form.fields)


def test_members_come_from_the_newest_yearly_figure_and_can_be_sorted(officer_client, geo, inst):
    small = InstitutionFactory(office=geo.office_a, name="สหกรณ์เล็ก จำกัด")
    YearlyFigureFactory(institution=small, year_be=2568, members=40)
    response = officer_client.get(LIST, {"sort": "latest_members"})
    rows = list(response.context["table"].page.object_list)
    assert [r.record.name for r in rows] == [small.name, inst.name]
    assert rows[1].record.latest_members == 1100
    assert "1,100" in response.content.decode()


def _export(client, fmt, **params):
    response = client.get(LIST, {**params, "export": fmt})
    assert response.status_code == 200
    return response


def test_the_excel_export_has_exactly_the_filtered_rows_with_buddhist_era_dates(officer_client, geo, inst):
    inst.registered_on = date(1987, 6, 15)
    inst.status_since = date(2020, 1, 1)
    inst.save()
    InstitutionFactory(
        office=geo.office_a, name='=HYPERLINK("http://evil")', kind="farmer_group", type="fg_rice"
    )
    response = _export(officer_client, "xlsx", kind="cooperative")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2  # header + the one cooperative
    header, row = rows
    record = dict(zip(header, row, strict=True))
    assert record["วันที่จดทะเบียน"] == "15/06/2530"
    assert record["สถานะตั้งแต่"] == "01/01/2563"
    assert record["ชื่อ"] == inst.name
    assert record["ประเภท"] == "สหกรณ์การเกษตร"
    assert record["สมาชิก"] in ("1100", 1100)


def test_the_csv_export_neutralises_formulas_and_opens_as_thai_in_excel(officer_client, geo, inst):
    InstitutionFactory(office=geo.office_a, name="=1+2", registration_number="-5")
    response = _export(officer_client, "csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    flat = [cell for row in rows for cell in row]
    assert "'=1+2" in flat and "'-5" in flat
    assert "=1+2" not in flat


def _bulk(geo, officer, n):
    for i in range(n):
        inst = InstitutionFactory(office=geo.office_a, district=geo.district_a1, responsible_officer=officer)
        YearlyFigureFactory(institution=inst, members=100 + i)
        if i % 2:
            inst.business_lines.set(BusinessLine.objects.filter(code="credit"))


def _count(client, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"export": "xlsx"}, {"export": "csv"}, {"q": "สหกรณ์", "mine": "on"}])
def test_the_list_and_its_export_make_the_same_number_of_queries_for_20_and_200_rows(
    officer_client, geo, officer, params
):
    _bulk(geo, officer, 20)
    with_20 = _count(officer_client, params)
    _bulk(geo, officer, 180)
    assert Institution.objects.count() == 200
    assert _count(officer_client, params) == with_20


def test_officer_names_show_in_the_list(officer_client, geo):
    somsri = UserFactory(username="somsri", office=geo.office_a, first_name="สมศรี", last_name="มีสุข")
    InstitutionFactory(office=geo.office_a, responsible_officer=somsri)
    assert "สมศรี มีสุข" in officer_client.get(LIST).content.decode()
