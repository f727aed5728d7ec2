"""The dashboard and the home panels: numbers, scope, query counts."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperatives.models import Institution
from reports import panels, queries
from tests.reports.factories import DocumentFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)
D = Decimal
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def institutions(office, district, n, **kwargs):
    rows = [
        Institution(
            office=office,
            kind=kwargs.get("kind", Institution.Kind.COOPERATIVE),
            type=kwargs.get("type", Institution.Type.AGRICULTURAL),
            name=f"สหกรณ์ {next(_numbers)}",
            province=office.province,
            district=district,
            status=kwargs.get("status", "operating"),
            registered_on=kwargs.get("registered_on"),
        )  # fmt: skip
        for _ in range(n)
    ]
    return Institution.objects.bulk_create(rows)


HUNDRED_THOUSAND, NOTHING = D("100000.00"), D("0.00")


def loans(officer, n, *, dpd=0, outstanding=HUNDRED_THOUSAND, overdue=NOTHING):
    """One real contract (through loans.services), cloned ``n - 1`` times with the given snapshot."""
    from loans.models import Loan
    from tests.loans.factories import make_loan

    first = make_loan(officer, today=TODAY)
    Loan.objects.filter(pk=first.pk).update(
        days_past_due=dpd, outstanding_principal=outstanding, overdue_amount=overdue,
        overdue_principal=overdue, snapshot_on=TODAY,
    )  # fmt: skip
    first.refresh_from_db()
    clones = []
    for _ in range(n - 1):
        first.pk = first.id = None
        first.contract_number = f"T{next(_numbers):05d}/2569"
        clones.append(Loan(**{f.attname: getattr(first, f.attname) for f in Loan._meta.concrete_fields}))
    Loan.objects.bulk_create(clones)


def test_the_dashboard_counts_institutions_by_kind_status_and_district(officer_client, geo, office):
    institutions(office, geo.district_a1, 3)
    institutions(office, geo.district_a2, 2, kind=Institution.Kind.FARMER_GROUP, type=Institution.Type.FG_RICE,
                 registered_on=date(2026, 10, 5))  # fmt: skip
    institutions(office, geo.district_a2, 1, status="dissolved")
    institutions(geo.office_b, geo.district_b1, 7)
    response = officer_client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    data = response.context["data"]
    assert data.institutions_total == 5 and data.registered_in_fy == 2
    assert {t.key: t.count for t in data.by_kind} == {"cooperative": 3, "farmer_group": 2}
    assert {t.key: t.count for t in data.by_status} == {"operating": 5, "dissolved": 1}
    assert {t.label: t.count for t in data.by_area} == {"เมืองเชียงใหม่": 3, "เชียงดาว": 2}
    assert 'id="dashboard-data"' in response.content.decode()


def test_the_loan_portfolio_gives_outstanding_overdue_aging_and_par(officer_client, officer):
    loans(officer, 3, dpd=0, outstanding=D("100000.00"))
    loans(officer, 2, dpd=45, outstanding=D("50000.00"), overdue=D("10000.00"))
    loans(officer, 1, dpd=400, outstanding=D("200000.00"), overdue=D("80000.00"))
    data = officer_client.get(reverse("reports:dashboard")).context["data"].loans
    assert data.loan_count == 6
    assert data.outstanding == D("600000.00")
    assert data.overdue_amount == D("100000.00") and data.overdue_count == 3
    assert data.par30 == D("0.5000") and data.par90 == D("0.3333")
    buckets = {b.key: (b.count, b.outstanding) for b in data.buckets}
    assert buckets["current"] == (3, D("300000.00")) and buckets["31-90"] == (2, D("100000.00"))
    assert buckets["over-365"] == (1, D("200000.00"))
    assert data.top_overdue[0].overdue_amount == D("80000.00")


def test_an_officer_sees_only_their_office_even_when_asking_for_another(officer_client, geo, office):
    institutions(office, geo.district_a1, 2)
    institutions(geo.office_b, geo.district_b1, 5)
    data = officer_client.get(reverse("reports:dashboard"), {"office": geo.office_b.pk}).context["data"]
    assert data.institutions_total == 2 and data.office == office


def test_central_staff_see_every_office_or_pick_one(central_client, geo, office):
    institutions(office, geo.district_a1, 2)
    institutions(geo.office_b, geo.district_b1, 5)
    everything = central_client.get(reverse("reports:dashboard")).context["data"]
    assert everything.institutions_total == 7 and everything.area_is_office
    one = central_client.get(
        reverse("reports:dashboard"), {"office": geo.office_b.pk, "fiscal_year_be": "2569"}
    )
    assert one.context["data"].institutions_total == 5 and one.context["data"].fiscal_year_be == 2569


def test_a_nonsense_filter_falls_back_to_the_defaults(central_client, geo):
    response = central_client.get(
        reverse("reports:dashboard"), {"office": "<script>", "fiscal_year_be": "๙๙๙๙"}
    )
    assert response.status_code == 200
    assert response.context["data"].fiscal_year_be == 2570 and response.context["data"].office is None


def test_the_dashboard_query_count_does_not_grow_with_the_data(supervisor_client, officer, geo, office):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert supervisor_client.get(reverse("reports:dashboard")).status_code == 200
        return len(ctx)

    institutions(office, geo.district_a1, 20)
    loans(officer, 20, dpd=40, outstanding=D("1000.00"), overdue=D("10.00"))
    few = count()
    institutions(office, geo.district_a2, 180)
    loans(officer, 180, dpd=100, outstanding=D("2000.00"), overdue=D("20.00"))
    assert count() == few


def test_the_supervisor_gets_key_numbers_and_everyone_their_recent_documents(supervisor, officer, office):
    DocumentFactory(office=office, requested_by=officer, title="ของเจ้าหน้าที่")
    DocumentFactory(office=office, requested_by=supervisor, title="ของหัวหน้า")
    request = RequestFactory().get("/")
    request.user = supervisor
    templates = [p["template"] for p in panels.home_panels(request, today=TODAY)]
    assert templates == ["reports/panels/key_numbers.html", "reports/panels/recent_documents.html"]
    request.user = officer
    officer_panels = panels.home_panels(request, today=TODAY)
    assert [p["template"] for p in officer_panels] == ["reports/panels/recent_documents.html"]
    assert [d.title for d in officer_panels[0]["documents"]] == ["ของเจ้าหน้าที่"]


@pytest.mark.parametrize(
    "client_name", ["officer_client", "supervisor_client", "central_client", "admin_client_"]
)
def test_the_home_page_renders_the_report_panels(request, client_name, office):
    response = request.getfixturevalue(client_name).get(reverse("home"))
    assert response.status_code == 200


def test_dashboard_data_for_a_past_fiscal_year_uses_its_last_day(supervisor, office):
    data = queries.dashboard_data(supervisor, office=office, fiscal_year_be=2569, today=TODAY)
    assert data.as_of == date(2026, 9, 30)
