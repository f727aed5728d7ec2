"""Report services: request/render/retry documents, the monthly build, indicator results, sign-off.

Documents follow the project's side-effect rule: the row is the natural key, the Celery task is
queued after commit, the worker claims the row with a compare-and-set UPDATE (``pending`` ->
``running``) and renders only if exactly one row changed, so a task delivered twice renders once.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from functools import partial
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coopsupport import thai
from coopsupport.models import Office
from reports import renderers
from reports.models import Document, Indicator, IndicatorResult, MonthlySignOff

logger = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 2000


# ---------------------------------------------------------------- documents


def _check_scope(user, office: Office | None) -> None:
    if user is None:  # the scheduler
        return
    if user.sees_all_offices:
        return
    if office is None or office.pk != user.office_id:
        raise PermissionDenied(_("You cannot request documents for another office."))


def _enqueue(document_id: int) -> None:
    from reports.tasks import render_document_task

    transaction.on_commit(partial(render_document_task.delay, document_id))


@transaction.atomic
def request_document(
    *, kind: str, params: dict, office: Office | None, title: str, user, period: str = ""
) -> Document:
    """Create a pending Document and queue its rendering once the transaction commits.

    ``params`` must be JSON-safe (dates become ISO strings). ``period`` is the natural key of
    scheduled documents (one per kind, office and period); leave it empty for on-demand requests.
    """
    renderers.get(kind)  # an unknown kind fails here, in the request, not later in the worker
    _check_scope(user, office)
    document = Document.objects.create(
        kind=kind,
        params=params or {},
        office=office,
        title=title[:255],
        period=period,
        requested_by=user,
    )
    _enqueue(document.pk)
    return document


def render_document(document_id: int) -> Document | None:
    """Render one document in the worker. Never raises: failures are recorded on the row.

    Returns the document, or None if it was not pending (already claimed, done or gone).
    """
    now = timezone.now()
    claimed = Document.objects.filter(pk=document_id, status=Document.Status.PENDING).update(
        status=Document.Status.RUNNING, started_at=now, finished_at=None, error="", attempts=F("attempts") + 1
    )
    if claimed != 1:
        logger.info("document %s not pending; skipped", document_id)
        return None
    document = Document.objects.get(pk=document_id)
    try:
        content, filename = renderers.get(document.kind)(dict(document.params))
        if not isinstance(content, bytes | bytearray) or not content:
            raise ValueError(f"the renderer for {document.kind!r} returned no content")
        document.file.save(_storage_name(document, filename), ContentFile(bytes(content)), save=False)
        document.filename = filename or document.file.name.rsplit("/", 1)[-1]
        document.status = Document.Status.DONE
        document.finished_at = timezone.now()
        document.save(update_fields=["file", "filename", "status", "finished_at"])
    except Exception as exc:  # noqa: BLE001 - one bad document must never crash the worker
        logger.exception("rendering document %s (%s) failed", document_id, document.kind)
        message = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]
        Document.objects.filter(pk=document_id).update(
            status=Document.Status.FAILED, error=message, finished_at=timezone.now()
        )
        document.refresh_from_db()
    return document


def _storage_name(document: Document, filename: str) -> str:
    """An ASCII name on disk (the Thai name is kept in ``filename`` for the download)."""
    suffix = PurePosixPath(filename or "").suffix.lower()
    if not suffix or len(suffix) > 8 or not suffix[1:].isalnum():
        suffix = ".pdf"
    stem = slugify(document.kind.replace(".", "-")) or "document"
    return f"{stem}-{document.pk}{suffix}"


def is_stuck(document: Document, *, now) -> bool:
    """Running for longer than Celery's hard time limit: the worker died under it."""
    limit = timedelta(seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", 900) + 60)
    return (
        document.status == Document.Status.RUNNING
        and document.started_at is not None
        and now - document.started_at > limit
    )


def can_retry(document: Document, *, now) -> bool:
    return document.status == Document.Status.FAILED or is_stuck(document, now=now)


@transaction.atomic
def retry_document(*, document: Document, by) -> Document:
    """Put a failed (or stuck) document back in the queue. Read-only roles may not."""
    if by is not None and not by.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))
    _check_scope(by, document.office)
    now = timezone.now()
    if not can_retry(document, now=now):
        return document  # already queued, rendering or done: nothing to do
    changed = Document.objects.filter(pk=document.pk, status=document.status).update(
        status=Document.Status.PENDING, error="", started_at=None, finished_at=None
    )
    if changed == 1:
        _enqueue(document.pk)
    document.refresh_from_db()
    return document


# ---------------------------------------------------------------- the monthly build


def month_start(d: date) -> date:
    return d.replace(day=1)


def previous_month(d: date) -> date:
    """First day of the month before ``d``'s month."""
    return (d.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_label(month: date) -> str:
    """ต.ค. 2569"""
    return f"{thai.MONTHS_SHORT[month.month - 1]} {thai.be_year(month.year)}"


def monthly_report_title(office: Office, month: date) -> str:
    return _("Monthly performance report %(month)s — %(office)s") % {
        "month": f"{thai.MONTHS_LONG[month.month - 1]} {thai.be_year(month.year)}",
        "office": office.name,
    }


def build_monthly_reports(*, month_of: date) -> list[Document]:
    """Request the performance report PDF of ``month_of``'s month for every field office.

    Idempotent: one Document per (kind, office, period); offices already done are skipped, so the
    command can be re-run for any month. Returns the documents created by this run.
    """
    month = month_start(month_of)
    period = f"{month:%Y-%m}"
    created: list[Document] = []
    offices = Office.objects.exclude(kind=Office.Kind.CENTRAL).order_by("code")
    existing = set(
        Document.objects.filter(kind=renderers.MONTHLY_REPORT, period=period).values_list(
            "office_id", flat=True
        )
    )
    for office in offices:
        if office.pk in existing:
            continue
        try:
            with transaction.atomic():
                created.append(
                    request_document(
                        kind=renderers.MONTHLY_REPORT,
                        params={"office_id": office.pk, "month": month.isoformat()},
                        office=office,
                        title=monthly_report_title(office, month),
                        user=None,
                        period=period,
                    )
                )
        except IntegrityError:  # a concurrent run made it first
            continue
    return created


# ---------------------------------------------------------------- indicators and the monthly report


def _check_month(month: date, *, today: date) -> date:
    month = month_start(month)
    if month > month_start(today):
        raise ValidationError(_("Results cannot be reported for a month that has not started."))
    return month


@transaction.atomic
def record_results(*, office: Office, month: date, entries: dict, by, today: date) -> int:
    """Save an office's manual results for ``month``: ``entries = {indicator: (value or None, note)}``.

    ``None`` clears a result. Refused for read-only roles, other offices and signed-off months.
    Returns the number of results saved or cleared.
    """
    if not by.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))
    _check_scope(by, office)
    month = _check_month(month, today=today)
    if MonthlySignOff.objects.select_for_update().filter(office=office, month=month).exists():
        raise ValidationError(_("This month has been signed off; its results can no longer change."))
    changed = 0
    for indicator, (value, note) in entries.items():
        if indicator.office_id != office.pk or indicator.source != Indicator.Source.MANUAL:
            raise ValidationError(_("Only this office's manual indicators can be entered here."))
        if thai.fiscal_year(month) != indicator.fiscal_year_be:
            raise ValidationError(_("The month is not in the indicator's fiscal year."))
        if value is None:
            changed += IndicatorResult.objects.filter(indicator=indicator, month=month).delete()[0]
            continue
        IndicatorResult.objects.update_or_create(
            indicator=indicator, month=month, defaults={"value": value, "note": note or "", "entered_by": by}
        )
        changed += 1
    return changed


@transaction.atomic
def sign_off_month(*, office: Office, month: date, by, today: date, note: str = "") -> MonthlySignOff:
    """A supervisor signs the month's report. Automatic counts are frozen as results, so the
    signed report reads the same later. Signing twice returns the first sign-off."""
    from reports.queries import monthly_report_data

    if not by.can_sign_reports:
        raise PermissionDenied(_("Only supervisors sign reports."))
    _check_scope(by, office)
    month = _check_month(month, today=today)
    existing = MonthlySignOff.objects.select_for_update().filter(office=office, month=month).first()
    if existing is not None:
        return existing
    report = monthly_report_data(office, month)
    for line in report.lines:
        if line.is_auto:
            IndicatorResult.objects.get_or_create(
                indicator_id=line.indicator_id,
                month=month,
                defaults={
                    "value": line.result_month or 0,
                    "note": _("Counted by the system"),
                    "entered_by": by,
                },
            )
    return MonthlySignOff.objects.create(
        office=office, month=month, signed_by=by, signed_at=timezone.now(), note=note
    )


def request_monthly_report_pdf(*, office: Office, month: date, user) -> Document:
    """The monthly report as a PDF, rendered in the background from the same query as the page."""
    month = month_start(month)
    return request_document(
        kind=renderers.MONTHLY_REPORT,
        params={"office_id": office.pk, "month": month.isoformat(), "prepared_by": user.pk},
        office=office,
        title=monthly_report_title(office, month),
        user=user,
    )
