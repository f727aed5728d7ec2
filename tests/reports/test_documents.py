"""Documents: request → Celery (eager) → render → download; failure and retry; scope."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import pdf, renderers, services
from reports.models import Document
from tests.reports.conftest import FAILING_KIND, SAMPLE_KIND
from tests.reports.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def request(kind, office, user, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document = services.request_document(
            kind=kind,
            params=kwargs.get("params", {}),
            office=office,
            title=kwargs.get("title", "ทดสอบ"),
            user=user,
        )
    assert len(callbacks) == 1
    document.refresh_from_db()
    return document


# ---------------------------------------------------------------- service


def test_a_requested_document_is_rendered_by_the_worker_and_stored(
    sample_renderer, office, officer, django_capture_on_commit_callbacks
):
    document = request(SAMPLE_KIND, office, officer, django_capture_on_commit_callbacks)

    assert document.status == Document.Status.DONE
    assert document.attempts == 1
    assert document.filename == "เอกสารทดสอบ.pdf"
    assert document.file.name.startswith("reports/") and document.file.name.endswith(".pdf")
    assert document.file.name.isascii()
    with document.file.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert document.started_at <= document.finished_at


def test_nothing_is_queued_until_the_transaction_commits(sample_renderer, office, officer):
    document = services.request_document(kind=SAMPLE_KIND, params={}, office=office, title="t", user=officer)
    document.refresh_from_db()
    assert document.status == Document.Status.PENDING


def test_an_unknown_kind_is_refused_when_requested(office, officer):
    with pytest.raises(renderers.UnknownDocumentKind):
        services.request_document(kind="nope.nothing", params={}, office=office, title="t", user=officer)
    assert not Document.objects.exists()


def test_an_officer_cannot_request_a_document_for_another_office(sample_renderer, other_office, officer):
    with pytest.raises(PermissionDenied):
        services.request_document(kind=SAMPLE_KIND, params={}, office=other_office, title="t", user=officer)


def test_a_failing_renderer_marks_the_document_failed_with_its_message_and_a_retry_renders_it(
    flaky_renderer, office, officer, django_capture_on_commit_callbacks
):
    document = request(FAILING_KIND, office, officer, django_capture_on_commit_callbacks)
    assert document.status == Document.Status.FAILED
    assert "ข้อมูลตัวชี้วัดไม่ครบ" in document.error
    assert "ValueError" in document.error

    flaky_renderer["broken"] = False
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_document(document=document, by=officer)
    document.refresh_from_db()
    assert document.status == Document.Status.DONE
    assert document.error == ""
    assert document.attempts == 2


def test_a_document_is_claimed_once_even_if_the_task_runs_twice(flaky_renderer, office):
    flaky_renderer["broken"] = False
    document = DocumentFactory(kind=FAILING_KIND, office=office)
    assert services.render_document(document.pk).status == Document.Status.DONE
    assert services.render_document(document.pk) is None
    assert flaky_renderer["calls"] == 1


def test_rendering_a_missing_document_does_not_raise():
    assert services.render_document(999_999) is None


def test_a_renderer_returning_nothing_fails_the_document(office):
    renderers.register("tests.empty")(lambda params: (b"", "x.pdf"))
    try:
        document = services.render_document(DocumentFactory(kind="tests.empty", office=office).pk)
    finally:
        renderers.unregister("tests.empty")
    assert document.status == Document.Status.FAILED
    assert "no content" in document.error


def test_retrying_a_done_document_changes_nothing(flaky_renderer, office, officer):
    flaky_renderer["broken"] = False
    document = services.render_document(DocumentFactory(kind=FAILING_KIND, office=office).pk)
    services.retry_document(document=document, by=officer)
    document.refresh_from_db()
    assert document.status == Document.Status.DONE
    assert document.attempts == 1


def test_a_supervisor_may_not_retry(flaky_renderer, office, supervisor):
    document = services.render_document(DocumentFactory(kind=FAILING_KIND, office=office).pk)
    with pytest.raises(PermissionDenied):
        services.retry_document(document=document, by=supervisor)


def test_registering_two_different_renderers_under_one_kind_is_an_error():
    renderers.register("tests.twice")(lambda params: (b"1", "a"))
    try:
        with pytest.raises(ValueError):

            @renderers.register("tests.twice")
            def other(params):
                return b"2", "b"

    finally:
        renderers.unregister("tests.twice")


def test_the_reports_app_registers_its_monthly_report_kind_at_startup():
    assert renderers.MONTHLY_REPORT in renderers.kinds()


# ---------------------------------------------------------------- the monthly build


def test_the_monthly_build_requests_one_report_per_office_and_is_idempotent(
    geo, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("reports.tasks.render_document_task.delay", lambda pk: None)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.build_monthly_reports(month_of=date(2026, 10, 15))
        second = services.build_monthly_reports(month_of=date(2026, 10, 1))
    assert {d.office for d in first} == {geo.office_a, geo.office_b}
    assert second == []
    docs = Document.objects.filter(kind=renderers.MONTHLY_REPORT)
    assert docs.count() == 2
    assert set(docs.values_list("period", flat=True)) == {"2026-10"}
    assert all(d.params == {"office_id": d.office_id, "month": "2026-10-01"} for d in docs)
    assert "ตุลาคม 2569" in docs.first().title


def test_the_monthly_command_accepts_buddhist_and_common_era_months(geo, monkeypatch, capsys):
    monkeypatch.setattr("reports.tasks.render_document_task.delay", lambda pk: None)
    call_command("build_monthly_reports", "--month", "2569-10")
    call_command("build_monthly_reports", "--month", "2026-10")
    call_command("build_monthly_reports", "--month", "๒๕๖๙-๑๑")
    assert sorted(Document.objects.values_list("period", flat=True)) == ["2026-10"] * 2 + ["2026-11"] * 2
    with pytest.raises(CommandError):
        call_command("build_monthly_reports", "--month", "2569-13")
    with pytest.raises(CommandError):
        call_command("build_monthly_reports", "--month", "last month")


def test_the_beat_task_builds_last_months_reports(geo, monkeypatch):
    from reports import tasks

    monkeypatch.setattr("reports.tasks.render_document_task.delay", lambda pk: None)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 12, 1))
    assert tasks.build_monthly_reports_task() == 2
    assert set(Document.objects.values_list("period", flat=True)) == {"2026-11"}


# ---------------------------------------------------------------- views


@pytest.fixture
def done_document(sample_renderer, office, officer):
    return services.render_document(DocumentFactory(kind=SAMPLE_KIND, office=office, requested_by=officer).pk)


@pytest.fixture
def failed_document(flaky_renderer, office, officer):
    return services.render_document(
        DocumentFactory(kind=FAILING_KIND, office=office, requested_by=officer).pk
    )


def test_the_detail_page_offers_the_download_when_done(officer_client, done_document):
    response = officer_client.get(reverse("reports:document_detail", args=[done_document.pk]))
    assert response.status_code == 200
    assert reverse("reports:document_download", args=[done_document.pk]) in response.content.decode()
    assert "every 2s" not in response.content.decode()


def test_the_detail_page_polls_while_pending_and_htmx_gets_only_the_status(officer_client, office):
    document = DocumentFactory(office=office)
    url = reverse("reports:document_detail", args=[document.pk])
    page = officer_client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page
    fragment = officer_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="document-status"' in fragment
    assert "<html" not in fragment


def test_the_detail_page_shows_the_error_and_a_retry_button_when_failed(officer_client, failed_document):
    page = officer_client.get(reverse("reports:document_detail", args=[failed_document.pk])).content.decode()
    assert "ข้อมูลตัวชี้วัดไม่ครบ" in page
    assert reverse("reports:document_retry", args=[failed_document.pk]) in page


def test_a_supervisor_sees_no_retry_button_and_gets_403_on_retry(supervisor_client, failed_document):
    page = supervisor_client.get(
        reverse("reports:document_detail", args=[failed_document.pk])
    ).content.decode()
    assert reverse("reports:document_retry", args=[failed_document.pk]) not in page
    response = supervisor_client.post(reverse("reports:document_retry", args=[failed_document.pk]))
    assert response.status_code == 403
    failed_document.refresh_from_db()
    assert failed_document.status == Document.Status.FAILED


def test_an_officer_retries_a_failed_document(officer_client, failed_document, flaky_renderer):
    flaky_renderer["broken"] = False
    response = officer_client.post(reverse("reports:document_retry", args=[failed_document.pk]))
    assert response.status_code == 302
    failed_document.refresh_from_db()
    # The test client does not commit, so the task is still queued: the row is pending again.
    assert failed_document.status == Document.Status.PENDING


def test_retry_is_post_only(officer_client, failed_document):
    assert officer_client.get(reverse("reports:document_retry", args=[failed_document.pk])).status_code == 405


def test_the_download_sends_the_file_with_its_thai_name(officer_client, done_document):
    response = officer_client.get(reverse("reports:document_download", args=[done_document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E0%B9%80%E0%B8%AD" in disposition
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_document_not_ready_cannot_be_downloaded(officer_client, office):
    document = DocumentFactory(office=office)
    assert officer_client.get(reverse("reports:document_download", args=[document.pk])).status_code == 404


@pytest.mark.parametrize("name", ["reports:document_detail", "reports:document_download"])
def test_another_provinces_officer_gets_404(other_client, done_document, name):
    assert other_client.get(reverse(name, args=[done_document.pk])).status_code == 404


def test_another_provinces_officer_cannot_retry(other_client, failed_document):
    assert other_client.post(reverse("reports:document_retry", args=[failed_document.pk])).status_code == 404


@pytest.mark.parametrize(
    "name", ["reports:document_detail", "reports:document_download", "reports:document_list"]
)
def test_anonymous_users_are_sent_to_sign_in(client, done_document, name):
    url = reverse(name) if name.endswith("list") else reverse(name, args=[done_document.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_anonymous_retry_is_sent_to_sign_in(client, failed_document):
    response = client.post(reverse("reports:document_retry", args=[failed_document.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_national_documents_are_seen_by_central_staff_only(officer_client, central_client):
    document = DocumentFactory(office=None)
    url = reverse("reports:document_detail", args=[document.pk])
    assert officer_client.get(url).status_code == 404
    assert central_client.get(url).status_code == 200


def test_the_list_shows_only_the_users_office(officer_client, office, other_office):
    DocumentFactory(office=office, title="ของเชียงใหม่")
    DocumentFactory(office=other_office, title="ของขอนแก่น")
    DocumentFactory(office=None, title="ของส่วนกลาง")
    page = officer_client.get(reverse("reports:document_list")).content.decode()
    assert "ของเชียงใหม่" in page
    assert "ของขอนแก่น" not in page
    assert "ของส่วนกลาง" not in page


def test_the_list_filters_by_search_and_exports_csv(officer_client, office):
    DocumentFactory(office=office, title="รายงานเดือนตุลาคม")
    DocumentFactory(office=office, title="หนังสือทวงถาม")
    page = officer_client.get(reverse("reports:document_list"), {"q": "ตุลาคม"}).content.decode()
    assert "รายงานเดือนตุลาคม" in page and "หนังสือทวงถาม" not in page
    export = officer_client.get(reverse("reports:document_list"), {"q": "ตุลาคม", "export": "csv"})
    body = export.content.decode("utf-8-sig")
    assert "รายงานเดือนตุลาคม" in body and "หนังสือทวงถาม" not in body
    assert "2569" in body  # B.E. timestamps


def test_the_document_list_query_count_does_not_grow_with_rows(officer_client, office, officer):
    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert officer_client.get(reverse("reports:document_list")).status_code == 200
        return len(ctx)

    DocumentFactory.create_batch(20, office=office, requested_by=officer)
    few = count_queries()
    DocumentFactory.create_batch(180, office=office, requested_by=officer)
    assert count_queries() == few


# ---------------------------------------------------------------- a real Thai PDF


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_a_thai_pdf_keeps_its_words_and_buddhist_era_date(office, tmp_path):
    content = pdf.render_pdf(
        "reports/pdf/simple.html",
        {
            "office": office,
            "title": "หนังสือแจ้งเตือนการชำระหนี้",
            "date": date(2026, 11, 26),
            "paragraphs": ["เรียน ประธานกรรมการสหกรณ์การเกษตรแม่ริม จำกัด เรื่อง น้ำท่วมแปลงนา"],
            "headers": ["รายการ", "บาท"],
            "rows": [["เงินกู้กองทุนพัฒนาสหกรณ์", "1,234,567.89"]],
            "numeric_columns": [1],
            "signatures": [{"label": "ผู้รายงาน", "name": "นายสมชาย ใจดี", "position": "นักวิชาการสหกรณ์"}],
        },
    )
    assert content.startswith(b"%PDF-")
    path = tmp_path / "thai.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    for words in ("สำนักงานสหกรณ์จังหวัดเชียงใหม่", "เรียน ประธานกรรมการสหกรณ์การเกษตรแม่ริม จำกัด เรื่อง น้ำท่วมแปลงนา", "นายสมชาย ใจดี",
                  "26 พฤศจิกายน 2569", "1,234,567.89", "หน้า 1 / 1"):  # fmt: skip
        assert _thai_text(words) in _thai_text(text), words


def _thai_text(text: str) -> str:
    """pdftotext may write SARA AM (ำ) as NIKHAHIT + SARA AA (ํา), as the font draws it; and lays
    out a line's marks on their own. Compare on a normalized form."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize(
    ("glyph", "text"),
    [("uni0E33", "\u0e33"), ("uni0E49.narrow", "\u0e49"), ("uni0E4D0E49", "\u0e49\u0e4d"),
     ("yoYingthai.less", "ญ"), ("uni0E240E45", "ฤๅ"), ("A", None), ("uni1E0E", None)],
)  # fmt: skip
def test_thai_glyphs_are_named_after_their_own_characters(glyph, text):
    assert pdf._thai_glyph_text(glyph) == text


def test_pdf_resources_from_the_network_are_refused(office):
    from django.template import engines

    # A template that tries to fetch a remote image still renders (the image is just left out).
    template = engines["django"].from_string(
        '{% extends "reports/pdf/base.html" %}{% block content %}<img src="http://169.254.169.254/x.png">{% endblock %}'
    )
    assert template  # loaded
    fetcher = pdf._local_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch((pdf.static_dir() / "vendor/sarabun/OFL.txt").as_uri())
