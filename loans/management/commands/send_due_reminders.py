"""Send the debt reminders due on a day — the same service the 07:00 Celery beat job runs.

    python manage.py send_due_reminders [--as-of 2569-11-26 | 26/11/2569 | 2026-11-26] [--dry-run]

Safe to re-run for any day: each (installment, level, channel) is sent at most once.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coopsupport.thai import format_date, parse_date
from loans import reminders


class Command(BaseCommand):
    help = "Send the debt reminders (email and letters) due on a day; --dry-run only lists them."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="the day (B.E. or C.E.: 2569-11-26, 26/11/2569); default today")
        parser.add_argument("--dry-run", action="store_true", help="list what would be sent; send nothing")

    def handle(self, *args, as_of=None, dry_run=False, **options):
        try:
            day = parse_date(as_of) if as_of else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--as-of: {exc}") from None
        summary = reminders.send_due_reminders(as_of=day, dry_run=dry_run)
        out = self.stdout
        head = "ทดลอง (ไม่ส่งจริง) / DRY RUN" if dry_run else "ส่งการแจ้งเตือนหนี้ / debt reminders"
        out.write(f"{head} — {format_date(day, 'long')} ({day.isoformat()})")
        for planned in summary.planned:
            out.write(
                f"  {planned.contract_number} งวด/installment {planned.installment} "
                f"ครบกำหนด/due {format_date(planned.due_on)} ระดับ/level {planned.offset_days:+d} "
                f"{planned.channel}{' (retry)' if planned.retry else ''}"
            )
        rows = [
            ("สัญญาที่ตรวจ / contracts checked", summary.loans_checked),
            ("รายการที่จะส่ง / to send" if dry_run else "รายการที่ส่ง / claimed", len(summary.planned)),
            ("อีเมลที่ส่ง / emails sent", summary.emails_sent),
            ("หนังสือที่ออก / letters issued", summary.letters_issued),
            ("ข้ามไป / skipped", summary.skipped),
            ("พักการทวงถาม / held by moratorium", summary.held_by_moratorium),
            ("ล้มเหลว / failed", summary.failed),
        ]
        for label, value in rows:
            out.write(f"{label}: {value}")
        for error in summary.errors:
            self.stderr.write(f"  ! {error}")
