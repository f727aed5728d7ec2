"""Office.letter_prefix (เลขที่หนังสือ): blank for new offices, editable in the admin, demo values."""

from io import StringIO

import pytest
from django.urls import reverse

from coopsupport import reference
from coopsupport.management.commands.seed_demo import Command as SeedDemo
from coopsupport.models import Office, Province

pytestmark = pytest.mark.django_db


def test_new_offices_get_no_letter_prefix_and_an_office_s_own_prefix_is_kept(geo):
    Province.objects.create(code="57", name_th="เชียงราย", name_en="Chiang Rai")
    geo.office_a.letter_prefix = "ชม 0010"
    geo.office_a.save()
    reference.ensure_offices()
    assert Office.objects.get(code="57").letter_prefix == ""
    assert Office.objects.get(code=reference.CENTRAL_OFFICE_CODE).letter_prefix == ""
    assert Office.objects.get(code="50").letter_prefix == "ชม 0010"


def test_the_office_admin_edits_the_letter_prefix(admin_client_, geo):
    url = reverse("admin:coopsupport_office_change", args=[geo.office_a.pk])
    page = admin_client_.get(url).content.decode()
    assert 'name="letter_prefix"' in page
    assert "เลขที่หนังสือ" in page  # the Thai verbose name / help text
    form = {
        "code": "50", "name": geo.office_a.name, "kind": "provincial", "province": geo.office_a.province_id,
        "address": "", "phone": "", "email": "", "head_name": "", "head_title": "", "letter_prefix": "ชม 0010",
        "area_teams-TOTAL_FORMS": "0", "area_teams-INITIAL_FORMS": "0",
        "area_teams-MIN_NUM_FORMS": "0", "area_teams-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    response = admin_client_.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    geo.office_a.refresh_from_db()
    assert geo.office_a.letter_prefix == "ชม 0010"


def test_the_demo_offices_get_demo_prefixes_only_where_none_is_set(geo):
    geo.office_b.letter_prefix = "ขก 9999"
    geo.office_b.save()
    command = SeedDemo(stdout=StringIO())
    command._people()
    command._people()
    geo.office_a.refresh_from_db()
    geo.office_b.refresh_from_db()
    assert geo.office_a.letter_prefix == "ชม 0010"
    assert geo.office_b.letter_prefix == "ขก 9999"
