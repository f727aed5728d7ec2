"""Recompute every open contract's figures (run daily, shortly after midnight Bangkok time).

    python manage.py refresh_loan_snapshots [--as-of YYYY-MM-DD]

Days past due, overdue amounts and next due dates change with the calendar, not only with
payments, so the snapshot columns the lists read must be refreshed once a day.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from loans import services


class Command(BaseCommand):
    help = "Recompute the figures (outstanding, overdue, days past due, next due) of every contract."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="the day to compute for (default: today, Bangkok time)")

    def handle(self, *args, as_of=None, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError("--as-of must be YYYY-MM-DD") from None
        count = services.refresh_loan_snapshots(as_of=day)
        self.stdout.write(f"refreshed {count} contracts as of {day.isoformat()}")
