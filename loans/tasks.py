"""Celery tasks of the loans app: thin wrappers around services (each is also a command)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(name="loans.tasks.refresh_loan_snapshots_task")
def refresh_loan_snapshots_task(as_of: str | None = None) -> int:
    """Daily refresh of the contracts' snapshot figures (see ``manage.py refresh_loan_snapshots``)."""
    from datetime import date

    from loans import services

    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    return services.refresh_loan_snapshots(as_of=day)
