"""Demo data: two provinces with their people, institutions, loans, plans and reports.

Deterministic (a fixed random seed) and idempotent: running it again changes nothing.
Each app contributes through ``<app>/demo.py: seed_demo(...)``.
"""

import importlib
import importlib.util
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from coopsupport import reference
from coopsupport.models import AreaTeam, District, Office, User

DEMO_PASSWORD = "demo1234"  # noqa: S105 - published demo logins, see README
DEMO_OFFICES = [
    # office code, login prefix, officers (first, last), supervisor
    ("50", "cm", [("สมชาย", "ใจดี"), ("วราภรณ์", "แก้วมณี")], ("ประเสริฐ", "ศรีสุข")),
    ("40", "kk", [("อนุชา", "พรหมมา"), ("กนกวรรณ", "บุญเรือง")], ("สุรชัย", "วงศ์ใหญ่")),
]
# Demo letter number prefixes (เลขที่หนังสือ), set only where the office has none yet.
DEMO_LETTER_PREFIXES = {"50": "ชม 0010", "40": "ขก 0010"}
APPS_IN_ORDER = ("cooperatives", "projects", "loans", "reports")


def _user(username, *, role, office, first, last, position="", **extra):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "office": office,
            "first_name": first,
            "last_name": last,
            "position": position,
            "email": f"{username}@example.go.th",
            **extra,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


class Command(BaseCommand):
    help = "Create the demo provinces, users and records (idempotent)."

    def handle(self, *args, **options):
        reference.load_geography()
        reference.ensure_offices()
        rng = random.Random(2569)  # noqa: S311 - demo data, not security
        today = timezone.localdate()
        with transaction.atomic():
            offices, officers_by_office = self._people()
        institutions_by_office: dict[int, list] = {}
        for app in APPS_IN_ORDER:
            if importlib.util.find_spec(f"{app}.demo") is None:
                continue
            module = importlib.import_module(f"{app}.demo")
            with transaction.atomic():
                module.seed_demo(
                    offices=offices,
                    officers_by_office=officers_by_office,
                    institutions_by_office=institutions_by_office,
                    rng=rng,
                    today=today,
                )
            self.stdout.write(f"  {app}: demo data ready")
        self._first_reminders(today)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins: see README (password demo1234)."))

    def _first_reminders(self, today):
        """Run today's reminder job once so the demo shows reminders, letters and the outbox.
        Exactly-once by design: a second seed sends nothing new. Email goes to var/mail."""
        if importlib.util.find_spec("loans.reminders") is None:
            return
        from loans.reminders import send_due_reminders

        summary = send_due_reminders(as_of=today)
        self.stdout.write(f"  reminders for {today:%Y-%m-%d}: {summary.as_dict()}")

    def _people(self):
        offices, officers_by_office = [], {}
        for code, prefix, officers, (sup_first, sup_last) in DEMO_OFFICES:
            office = Office.objects.get(code=code)
            if not office.phone:
                office.address = f"ศาลากลางจังหวัด{office.province.name_th}"
                office.phone = "0 5311 2345" if prefix == "cm" else "0 4323 4567"
                office.email = f"{prefix}@example.go.th"
                office.head_name = "นายวิชัย รักษ์สหกรณ์" if prefix == "cm" else "นางสาวจันทร์เพ็ญ มีสุข"
                office.save(update_fields=["address", "phone", "email", "head_name"])
            if not office.letter_prefix and code in DEMO_LETTER_PREFIXES:
                office.letter_prefix = DEMO_LETTER_PREFIXES[code]
                office.save(update_fields=["letter_prefix"])
            districts = list(District.objects.filter(province=office.province).order_by("code"))
            teams = []
            for n in (1, 2, 3):
                team, created = AreaTeam.objects.get_or_create(
                    office=office, number=n, defaults={"name": f"กลุ่มส่งเสริมสหกรณ์ {n}"}
                )
                if created:
                    team.districts.set(districts[n - 1 :: 3])
                teams.append(team)
            users = [
                _user(
                    f"{prefix}.officer{i}",
                    role=User.Role.OFFICER,
                    office=office,
                    first=first,
                    last=last,
                    position="นักวิชาการสหกรณ์ชำนาญการ",
                    area_team=teams[i - 1],
                )
                for i, (first, last) in enumerate(officers, start=1)
            ]
            _user(
                f"{prefix}.supervisor",
                role=User.Role.SUPERVISOR,
                office=office,
                first=sup_first,
                last=sup_last,
                position="ผู้อำนวยการกลุ่มส่งเสริมและพัฒนาการบริหารการจัดการสหกรณ์",
            )
            offices.append(office)
            officers_by_office[office.pk] = users
        _user(
            "central",
            role=User.Role.CENTRAL,
            office=None,
            first="มานพ",
            last="ส่วนกลาง",
            position="กรมส่งเสริมสหกรณ์",
        )
        _user(
            "admin",
            role=User.Role.ADMIN,
            office=None,
            first="ผู้ดูแล",
            last="ระบบ",
            is_staff=True,
            is_superuser=True,
        )
        return offices, officers_by_office
