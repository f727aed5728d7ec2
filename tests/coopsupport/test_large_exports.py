"""Exports bigger than EXPORT_INLINE_MAX_ROWS are built by the worker as a document."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cooperatives.models import Institution
from reports.models import Document

pytestmark = pytest.mark.django_db


def _institutions(office, province, n, prefix):
    return [
        Institution.objects.create(
            office=office, kind="cooperative", type="agricultural", name=f"{prefix} {i}", province=province
        )
        for i in range(n)
    ]


def test_a_small_export_is_answered_at_once(officer_client, geo, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 10
    _institutions(geo.office_a, geo.province_a, 3, "สหกรณ์ทดสอบ")
    response = officer_client.get(reverse("cooperatives:institution_list") + "?export=xlsx")
    assert response.status_code == 200
    assert not Document.objects.exists()


def test_a_large_export_becomes_a_document_with_exactly_the_filtered_scoped_rows(
    officer_client, geo, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    _institutions(geo.office_a, geo.province_a, 4, "สหกรณ์เชียงใหม่")
    _institutions(geo.office_a, geo.province_a, 2, "กลุ่มอื่น")
    _institutions(geo.office_b, geo.province_b, 5, "สหกรณ์เชียงใหม่ของขอนแก่น")  # out of scope
    url = reverse("cooperatives:institution_list") + "?q=สหกรณ์เชียงใหม่&export=xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.get(url)
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:document_detail", args=[document.pk])
    document.refresh_from_db()
    assert document.status == "done", document.error
    assert document.office == geo.office_a
    rows = list(
        load_workbook(BytesIO(document.file.read()), read_only=True).active.iter_rows(values_only=True)
    )
    names = sorted(row[0] for row in rows[1:])
    assert names == [f"สหกรณ์เชียงใหม่ {i}" for i in range(4)]


def test_the_export_document_is_out_of_scope_for_another_province(
    officer_client, other_client, geo, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX_ROWS = 1
    _institutions(geo.office_a, geo.province_a, 3, "สหกรณ์")
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.get(reverse("cooperatives:institution_list") + "?export=csv")
    document = Document.objects.get()
    assert other_client.get(reverse("reports:document_detail", args=[document.pk])).status_code == 404
