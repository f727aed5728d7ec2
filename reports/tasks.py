"""Celery tasks: thin wrappers around services (each also runnable by hand, see services)."""

from celery import shared_task
from django.utils import timezone

from reports import services


@shared_task(acks_late=True, ignore_result=True)
def render_document_task(document_id: int) -> str:
    document = services.render_document(document_id)
    return document.status if document else "skipped"


@shared_task(ignore_result=True)
def build_monthly_reports_task() -> int:
    """Beat, on the 1st: last month's performance report for every office (``build_monthly_reports``)."""
    return len(services.build_monthly_reports(month_of=services.previous_month(timezone.localdate())))
