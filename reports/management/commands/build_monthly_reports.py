"""Request the monthly performance report PDFs for every office (what beat runs on the 1st)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports import services
from reports.measures import parse_month


class Command(BaseCommand):
    help = "Request the monthly performance report PDF of every office (default: last month)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="month to report, B.E. or C.E.: 2569-10 or 2026-10")

    def handle(self, *args, month=None, **options):
        try:
            month_of = parse_month(month) if month else services.previous_month(timezone.localdate())
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        created = services.build_monthly_reports(month_of=month_of)
        self.stdout.write(f"{services.month_label(month_of)}: {len(created)} document(s) requested")
