"""Creating and editing institutions, status changes, contacts, people and figures through the pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from cooperatives.models import BusinessLine, Contact, Institution, Person, StatusEvent, YearlyFigure
from tests.cooperatives.factories import InstitutionFactory

pytestmark = pytest.mark.django_db
CREATE = reverse("cooperatives:institution_create")


@pytest.fixture
def good(geo, officer):
    return {
        "kind": "cooperative",
        "type": "agricultural",
        "registration_number": "ชม.๑๒๓/๒๕๔๐",
        "name": "สหกรณ์การเกษตรเชียงดาว จำกัด",
        "name_en": "",
        "registered_on": "๑๕/๐๖/๒๕๔๐",
        "status": "operating",
        "accounting_year_end_month": "3",
        "accounting_year_end_day": "31",
        "address": "12 หมู่ 3",
        "district": geo.district_a2.pk,
        "subdistrict": geo.subdistrict_a2.pk,
        "postcode": "",
        "phone": "๐๕๓-๔๕๕๑๒๓",
        "email": "info@example.coop",
        "responsible_officer": officer.pk,
        "business_lines": [BusinessLine.objects.get(code="credit").pk],
        "members": "1,250",
        "note": "",
    }


def test_an_officer_adds_a_cooperative_in_their_own_office(officer_client, officer, geo, good):
    response = officer_client.post(CREATE, good)
    assert response.status_code == 302, response.context["form"].errors
    inst = Institution.objects.get()
    assert response["Location"] == inst.get_absolute_url()
    assert inst.office == geo.office_a and inst.province == geo.province_a
    assert inst.registration_number == "ชม.123/2540"
    assert inst.registered_on == date(1997, 6, 15)
    assert inst.postcode == "50170"  # filled from the sub-district
    assert inst.phone == "053-455123"
    assert list(inst.business_lines.values_list("code", flat=True)) == ["credit"]
    assert inst.yearly_figures.get().members == 1250
    event = inst.status_events.get()
    assert (event.status, event.effective_on, event.recorded_by) == ("operating", date(1997, 6, 15), officer)
    assert inst.history.first().history_user == officer


def test_the_office_cannot_be_chosen_by_an_officer(officer_client, geo, good):
    response = officer_client.post(CREATE, {**good, "office": geo.office_b.pk})
    assert response.status_code == 302
    assert Institution.objects.get().office == geo.office_a


def test_an_admin_chooses_the_office_and_the_choices_follow_it(admin_client_, geo, good):
    form = admin_client_.get(CREATE, {"office": geo.office_b.pk}).context["form"]
    assert list(form.fields["district"].queryset) == [geo.district_b1]
    data = {**good, "office": geo.office_b.pk, "district": geo.district_b1.pk, "subdistrict": geo.subdistrict_b1.pk,
            "responsible_officer": ""}  # fmt: skip
    response = admin_client_.post(CREATE, data)
    assert response.status_code == 302, response.context["form"].errors
    assert Institution.objects.get().office == geo.office_b


def test_an_admin_must_choose_an_office(admin_client_, good):
    response = admin_client_.post(CREATE, good)
    assert response.status_code == 200
    assert "office" in response.context["form"].errors
    assert not Institution.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("type", "fg_rice"),  # a farmer-group type for a cooperative
        ("registration_number", ""),  # cooperatives must be registered
        ("registered_on", "31/02/2569"),
        ("registered_on", "๓๑/๑๓/๒๕๖๙"),
        ("registered_on", "10^20"),
        ("accounting_year_end_day", "31"),  # with month 4 below
        ("accounting_year_end_day", "100000000000000000000"),
        ("accounting_year_end_day", "-1"),
        ("members", "100000000000000000000"),
        ("members", "-5"),
        ("name", "<script>alert(1)</script>"),
        ("name", ""),
        ("note", "ก" * 10_000),
        ("address", "x" * 10_000),
        ("postcode", "5020"),
        ("phone", "<b>053</b>"),
        ("email", "not-an-email"),
        ("district", "999999"),
        ("subdistrict", "999999"),
    ],
)
def test_hostile_input_is_refused_with_a_message_and_nothing_is_saved(officer_client, good, field, value):
    data = {**good, field: value}
    if field == "accounting_year_end_day" and value == "31":
        data["accounting_year_end_month"] = "4"
    response = officer_client.post(CREATE, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors, field
    assert not Institution.objects.exists()
    assert 'class="invalid-feedback' in response.content.decode() or form.non_field_errors()


def test_a_sub_district_of_another_district_is_refused(officer_client, geo, good):
    response = officer_client.post(CREATE, {**good, "district": geo.district_a1.pk})
    assert response.status_code == 200
    assert not Institution.objects.exists()


def test_a_registration_number_already_used_is_refused_in_thai(officer_client, geo, good, inst):
    response = officer_client.post(CREATE, {**good, "registration_number": inst.registration_number})
    assert "มีสถาบันประเภทนี้ที่ใช้เลขทะเบียนนี้อยู่แล้ว" in response.content.decode()
    assert Institution.objects.count() == 1


def test_the_parent_must_be_a_cooperative_of_the_same_office(officer_client, geo, good, inst, inst_b):
    group = {**good, "kind": "women_group", "type": "general", "registration_number": "", "members": "",
             "name": "กลุ่มสตรีสหกรณ์การเกษตรเชียงดาว"}  # fmt: skip
    assert officer_client.post(CREATE, {**group, "parent": inst_b.pk}).status_code == 200
    assert officer_client.post(CREATE, {**group, "parent": inst.pk}).status_code == 302
    assert Institution.objects.get(name=group["name"]).parent == inst
    coop_with_parent = officer_client.post(CREATE, {**good, "parent": inst.pk})
    assert coop_with_parent.status_code == 200
    assert "สังกัดสหกรณ์ได้" in coop_with_parent.content.decode()


def test_a_farmer_group_under_30_members_is_saved_with_a_warning(officer_client, good):
    data = {
        **good,
        "kind": "farmer_group",
        "type": "fg_rice",
        "members": "25",
        "name": "กลุ่มเกษตรกรทำนาตำบลเชียงดาว",
    }
    response = officer_client.post(CREATE, data, follow=True)
    assert Institution.objects.get().kind == "farmer_group"
    assert "อย่างน้อย 30 คน" in response.content.decode()


def test_the_responsible_officer_must_belong_to_the_office(officer_client, other_province_officer, good):
    response = officer_client.post(CREATE, {**good, "responsible_officer": other_province_officer.pk})
    assert "responsible_officer" in response.context["form"].errors


def test_editing_keeps_the_office_and_records_history(officer_client, officer, inst, geo):
    url = reverse("cooperatives:institution_update", args=[inst.pk])
    form = officer_client.get(url).context["form"]
    assert "status" not in form.fields and "office" not in form.fields
    data = {k: v for k, v in form.initial.items() if v is not None and k != "business_lines"}
    data.update(name="สหกรณ์การเกษตรเมืองเชียงใหม่ใหม่ จำกัด", accounting_year_end_month=3, accounting_year_end_day=31,
                registered_on="", business_lines=[BusinessLine.objects.get(code="deposits").pk])  # fmt: skip
    response = officer_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    inst.refresh_from_db()
    assert inst.name == "สหกรณ์การเกษตรเมืองเชียงใหม่ใหม่ จำกัด" and inst.office == geo.office_a
    assert list(inst.business_lines.values_list("code", flat=True)) == ["deposits"]
    newest = inst.history.first()
    assert newest.history_user == officer and newest.history_type == "~"


def test_changing_the_status_records_an_event_and_updates_the_institution(officer_client, officer, inst):
    url = reverse("cooperatives:institution_status", args=[inst.pk])
    data = {
        "status": "liquidating",
        "effective_on": "๑/๑๑/๒๕๖๙",
        "reference": "คำสั่งนายทะเบียน 5/2569",
        "note": "",
    }
    response = officer_client.post(url, data)
    assert response.status_code == 302
    inst.refresh_from_db()
    assert (inst.status, inst.status_since) == ("liquidating", date(2026, 11, 1))
    event = StatusEvent.objects.get(institution=inst)
    assert (event.status, event.reference, event.recorded_by) == (
        "liquidating",
        "คำสั่งนายทะเบียน 5/2569",
        officer,
    )


@pytest.mark.parametrize(
    "data",
    [
        {"status": "operating", "effective_on": "1/11/2569"},  # already operating
        {"status": "dormant", "effective_on": "1/1/2600"},  # the future
        {"status": "dormant", "effective_on": "31/02/2569"},
        {"status": "nonsense", "effective_on": "1/11/2569"},
        {"status": "dormant", "effective_on": "1/11/2569", "reference": "<script>x</script>"},
    ],
)
def test_a_bad_status_change_is_refused_and_nothing_changes(officer_client, inst, data):
    response = officer_client.post(reverse("cooperatives:institution_status", args=[inst.pk]), data)
    assert response.status_code == 200
    assert not StatusEvent.objects.exists()
    inst.refresh_from_db()
    assert inst.status == "operating"


def test_contacts_can_be_added_edited_and_deleted_with_thai_messages(officer_client, inst):
    add = reverse("cooperatives:contact_create", args=[inst.pk])
    response = officer_client.post(add, {"name": "นายบุญมี ทองดี", "role": "ผู้จัดการ", "phone": "๐๘๑ ๒๓๔ ๕๖๗๘",
                                         "email": "boonmee@example.coop", "receives_reminders": "on"}, follow=True)  # fmt: skip
    assert "บันทึกผู้ติดต่อ นายบุญมี ทองดี แล้ว" in response.content.decode()
    contact = Contact.objects.get(name="นายบุญมี ทองดี")
    assert contact.phone == "081 234 5678" and contact.institution == inst
    edit = reverse("cooperatives:contact_update", args=[contact.pk])
    officer_client.post(edit, {"name": "นายบุญมี ทองดี", "role": "ประธาน", "email": ""})
    contact.refresh_from_db()
    assert contact.role == "ประธาน"
    response = officer_client.post(reverse("cooperatives:contact_delete", args=[contact.pk]), follow=True)
    assert "ลบผู้ติดต่อ นายบุญมี ทองดี แล้ว" in response.content.decode()
    assert not Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize(
    ("national_id", "ok"),
    [("๑-๒๓๔๕-๖๗๘๙๐-๑๒-๑", True), ("1234567890122", False), ("12345", False), ("123456789012x", False),
     ("1" * 10_000, False)],
)  # fmt: skip
def test_a_persons_national_id_is_checked_after_normalising_thai_digits(
    officer_client, inst, national_id, ok
):
    url = reverse("cooperatives:person_create", args=[inst.pk])
    data = {"kind": "board", "name": "นางสาวสุดา มีสุข", "position": "เลขานุการ", "national_id": national_id,
            "term_start_on": "1/4/2568", "term_end_on": "31/3/2570"}  # fmt: skip
    response = officer_client.post(url, data)
    saved = Person.objects.filter(name="นางสาวสุดา มีสุข").first()
    if ok:
        assert response.status_code == 302
        assert saved.national_id == "1234567890121"
        assert saved.term_start_on == date(2025, 4, 1)
    else:
        assert response.status_code == 200 and saved is None


def test_editing_a_person_never_puts_the_full_national_id_in_the_form(officer_client, inst):
    person = inst.people.get()
    url = reverse("cooperatives:person_update", args=[person.pk])
    html = officer_client.get(url).content.decode()
    assert "1234567890121" not in html and "1-2345-xxxxx-xx-1" in html
    officer_client.post(
        url, {"kind": "board", "name": person.name, "position": "ประธานกรรมการ", "national_id": ""}
    )
    person.refresh_from_db()
    assert person.national_id == "1234567890121" and person.position == "ประธานกรรมการ"
    officer_client.post(
        url, {"kind": "board", "name": person.name, "national_id": "", "remove_national_id": "on"}
    )
    person.refresh_from_db()
    assert person.national_id == ""


def test_a_term_cannot_end_before_it_starts(officer_client, inst):
    url = reverse("cooperatives:person_create", args=[inst.pk])
    data = {"kind": "board", "name": "นายวิชัย", "term_start_on": "1/4/2569", "term_end_on": "1/4/2568"}
    assert officer_client.post(url, data).status_code == 200
    assert not Person.objects.filter(name="นายวิชัย").exists()


def test_yearly_figures_accept_thai_digits_money_words_and_ce_years(officer_client, inst):
    url = reverse("cooperatives:figure_create", args=[inst.pk])
    data = {
        "year_be": "2026",
        "members": "๑,๒๐๐",
        "share_capital": "1,500,000.50 บาท",
        "volume_credit": "๒๐๐๐",
    }
    response = officer_client.post(url, data, follow=True)
    assert "บันทึกข้อมูล" in response.content.decode()
    figure = YearlyFigure.objects.get(institution=inst, year_be=2569)  # C.E. 2026 = B.E. 2569
    assert figure.members == 1200
    assert str(figure.share_capital) == "1500000.50"
    assert str(figure.volume_credit) == "2000.00" and str(figure.volume_deposits) == "0.00"


@pytest.mark.parametrize(
    ("field", "value"),
    [("year_be", "2568"), ("year_be", "99"), ("year_be", "๒๖๙๙๙"), ("members", "-1"), ("members", "1" + "0" * 20),
     ("share_capital", "-100"), ("share_capital", "1" + "0" * 20), ("share_capital", "<script>"), ("members", "")],
)  # fmt: skip
def test_bad_yearly_figures_are_refused(officer_client, inst, field, value):
    url = reverse("cooperatives:figure_create", args=[inst.pk])
    data = {"year_be": "2569", "members": "100", "share_capital": "0", field: value}
    response = officer_client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert inst.yearly_figures.count() == 2


def test_a_small_farmer_group_gets_a_warning_when_its_figures_are_saved(officer_client, geo):
    group = InstitutionFactory(office=geo.office_a, kind="farmer_group", type="fg_rice")
    url = reverse("cooperatives:figure_create", args=[group.pk])
    response = officer_client.post(
        url, {"year_be": "2569", "members": "12", "share_capital": "0"}, follow=True
    )
    assert "อย่างน้อย 30 คน" in response.content.decode()
    assert group.yearly_figures.get().members == 12


def test_the_chained_selects_return_only_the_offices_own_places(officer_client, geo):
    subs = officer_client.get(reverse("cooperatives:subdistrict_options"), {"district": geo.district_a1.pk})
    assert "ศรีภูมิ" in subs.content.decode()
    other = officer_client.get(reverse("cooperatives:subdistrict_options"), {"district": geo.district_b1.pk})
    assert "ในเมือง" not in other.content.decode()
    code = officer_client.get(reverse("cooperatives:postcode"), {"subdistrict": geo.subdistrict_a1.pk})
    assert 'value="50200"' in code.content.decode() and 'id="id_postcode"' in code.content.decode()
    nothing = officer_client.get(reverse("cooperatives:postcode"), {"subdistrict": "x<script>"})
    assert nothing.status_code == 200 and "<script>" not in nothing.content.decode()
    types = officer_client.get(
        reverse("cooperatives:type_options"), {"kind": "farmer_group"}
    ).content.decode()
    assert "fg_rice" in types and "agricultural" not in types
