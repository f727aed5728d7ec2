"""Page benchmark: response time and query count of the main pages as the data grows.

Not a test: it prints figures for the README / closing notes. It builds a scratch SQLite database
(or uses DATABASE_URL), seeds the demo, then multiplies institutions and loans by bulk-cloning
and measures each page at every size with Django's test client.

    .venv/bin/python benchmarks/bench_pages.py --sizes 60,600,3000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("COOPSUPPORT_VAR_DIR", tempfile.mkdtemp(prefix="coop-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopsupport.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cooperatives.models import Institution  # noqa: E402
from coopsupport.models import User  # noqa: E402
from loans.models import Loan  # noqa: E402

PAGES = [
    ("home", "/"),
    ("institution list", "/institutions/"),
    ("institution list, filtered", "/institutions/?kind=cooperative&status=operating"),
    ("institution export xlsx (all rows)", "/institutions/?export=xlsx"),
    ("loan list", "/loans/"),
    ("overdue loans", "/loans/overdue/"),
    ("dashboard", "/reports/"),
]


def grow(target_institutions: int) -> None:
    officer = User.objects.get(username="cm.officer1")
    base = list(Institution.objects.filter(office=officer.office).order_by("pk"))
    have = Institution.objects.filter(office=officer.office).count()
    clones = []
    i = 0
    while have + len(clones) < target_institutions:
        src = base[i % len(base)]
        clones.append(
            Institution(
                office=src.office, kind=src.kind, type=src.type, name=f"{src.name} #{have + len(clones)}",
                province=src.province, district=src.district, subdistrict=src.subdistrict,
                status=src.status, area_team=src.area_team, responsible_officer=src.responsible_officer,
                registered_on=src.registered_on,
            )
        )  # fmt: skip
        i += 1
    Institution.objects.bulk_create(clones, batch_size=500)
    # Loans: clone the demo contracts' rows (lists and dashboards read the per-loan snapshot fields).
    loans = list(Loan.objects.filter(borrower__office=officer.office).order_by("pk"))
    target_loans = target_institutions // 3
    have_loans = len(loans)
    new = []
    for n in range(max(0, target_loans - have_loans)):
        src = loans[n % len(loans)]
        src.pk = None
        src.id = None
        src.contract_number = f"BENCH-{target_institutions}-{n}"
        new.append(Loan(**{f.attname: getattr(src, f.attname) for f in Loan._meta.concrete_fields}))
    Loan.objects.bulk_create(new, batch_size=500)


def measure(client: Client, url: str, runs: int = 5) -> tuple[float, int, int]:
    times = []
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(ctx.captured_queries), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="60,600,3000", help="institutions in the officer's office")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    client = Client()
    client.force_login(User.objects.get(username="cm.officer1"))
    supervisor = Client()
    supervisor.force_login(User.objects.get(username="cm.supervisor"))
    print(f"database: {connection.vendor}")
    print(f"{'page':40} {'institutions':>12} {'loans':>6} {'median ms':>10} {'queries':>8} {'status':>6}")
    for size in (int(s) for s in args.sizes.split(",")):
        grow(size)
        n_inst = Institution.objects.filter(office__code="50").count()
        n_loans = Loan.objects.filter(borrower__office__code="50").count()
        for name, url in PAGES:
            c = supervisor if url.startswith("/reports/") else client
            ms, queries, status = measure(c, url, runs=3 if "export" in url else 5)
            print(f"{name:40} {n_inst:>12} {n_loans:>6} {ms:>10.1f} {queries:>8} {status:>6}")


if __name__ == "__main__":
    main()
