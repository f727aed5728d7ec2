"""Request the monthly performance report PDFs for every office (what beat runs on the 1st)."""

from __future__ import annotations

import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coopsupport import thai
from reports import services

_MONTH_RE = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{1,2})\s*$")


def parse_month(text: str) -> date:
    """``2569-10`` (B.E.) or ``2026-10`` (C.E.), Thai digits allowed -> date(2026, 10, 1)."""
    match = _MONTH_RE.match(thai.normalize_digits(text or ""))
    if not match:
        raise ValueError(f"month must look like 2569-10 (B.E.) or 2026-10 (C.E.), got {text!r}")
    year, month = thai.ce_year(int(match[1])), int(match[2])
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        raise ValueError(f"no such month: {text!r}")
    return date(year, month, 1)


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
