"""Reference data every installation needs: the geography fixture and the 79 offices."""

from __future__ import annotations

from django.core.management import call_command
from django.db import transaction

from coopsupport.models import Office, Province, Subdistrict

GEOGRAPHY_FIXTURE = "thai_geography.json"
EXPECTED_SUBDISTRICTS = 7000  # the fixture has 7,436; fewer means it was never loaded
BANGKOK_CODE = "10"
CENTRAL_OFFICE_CODE = "CPD"


def load_geography() -> bool:
    """Load provinces, districts and sub-districts once. Returns True if it loaded them now."""
    if Subdistrict.objects.count() >= EXPECTED_SUBDISTRICTS:
        return False
    call_command("loaddata", GEOGRAPHY_FIXTURE, verbosity=0)
    return True


@transaction.atomic
def ensure_offices() -> int:
    """76 provincial offices, 2 Bangkok area offices and the central department (idempotent).

    ``letter_prefix`` (เลขที่หนังสือ, e.g. "ชม 0010") is left blank: each office enters its own
    in the admin; until then letters use the placeholder number (``loans.reminders``).
    Existing offices are never touched (get_or_create), so a prefix once entered is kept.
    """
    created = 0
    for province in Province.objects.all():
        if province.code == BANGKOK_CODE:
            for n in (1, 2):
                _, new = Office.objects.get_or_create(
                    code=f"{BANGKOK_CODE}-{n}",
                    defaults={
                        "name": f"สำนักงานส่งเสริมสหกรณ์กรุงเทพมหานคร พื้นที่ {n}",
                        "kind": Office.Kind.BANGKOK_AREA,
                        "province": province,
                        "head_title": f"ผู้อำนวยการสำนักงานส่งเสริมสหกรณ์กรุงเทพมหานคร พื้นที่ {n}",
                    },
                )
                created += new
            continue
        _, new = Office.objects.get_or_create(
            code=province.code,
            defaults={
                "name": f"สำนักงานสหกรณ์จังหวัด{province.name_th}",
                "kind": Office.Kind.PROVINCIAL,
                "province": province,
                "head_title": f"สหกรณ์จังหวัด{province.name_th}",
            },
        )
        created += new
    _, new = Office.objects.get_or_create(
        code=CENTRAL_OFFICE_CODE,
        defaults={"name": "กรมส่งเสริมสหกรณ์", "kind": Office.Kind.CENTRAL, "head_title": "อธิบดีกรมส่งเสริมสหกรณ์"},
    )
    return created + new
