"""Celery tasks of the loans app: thin wrappers around ``loans.reminders`` (each also a command)."""

from celery import shared_task
from django.utils import timezone

from loans import reminders


@shared_task(ignore_result=True)
def send_due_reminders_task() -> dict:
    """Beat, 07:00 Bangkok: ``manage.py send_due_reminders --as-of <today>``."""
    return reminders.send_due_reminders(as_of=timezone.localdate()).as_dict()


@shared_task(ignore_result=True)
def retry_failed_reminders_task() -> dict:
    """Beat, every 15 minutes (optional): failed reminders whose backoff has passed."""
    return reminders.retry_failed_reminders(as_of=timezone.localdate()).as_dict()


@shared_task(acks_late=True, ignore_result=True)
def send_reminder_task(reminder_id: int) -> dict:
    """One reminder a person put back in the queue (claimed like any other: sent at most once)."""
    return reminders.send_reminder(reminder_id, as_of=timezone.localdate()).as_dict()


@shared_task(ignore_result=True)
def refresh_loan_snapshots_task() -> int:
    """Daily, shortly after midnight: ``manage.py refresh_loan_snapshots`` (days past due move with
    the calendar, so the list columns are recomputed every day)."""
    from loans import services

    return services.refresh_loan_snapshots(as_of=timezone.localdate())
