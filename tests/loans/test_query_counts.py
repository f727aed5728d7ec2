"""Lists read the snapshot columns: the same number of queries for 20 or 200 contracts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from loans.models import FollowUp, Loan
from tests.loans.factories import make_institution


def _bulk_loans(office, officer, fund, start, count):
    today = timezone.localdate()
    institutions = [make_institution(office, name=f"สหกรณ์ {start + i}", officer=officer) for i in range(3)]
    loans = Loan.objects.bulk_create(
        Loan(
            borrower=institutions[i % 3], fund=fund, contract_number=f"Q-{start + i:04d}", signed_on=date(2024, 1, 1),
            purpose="project", approved_amount=D("100000.00"), method="equal_principal", installments=5,
            first_due_on=date(2025, 1, 1), day_count="actual_365", status="overdue", responsible_officer=officer,
            outstanding_principal=D("80000.00"), overdue_amount=D("21000.00"), days_past_due=5 + i,
            next_due_on=today + timedelta(days=i % 25), next_due_amount=D("20000.00"), snapshot_on=today,
        )
        for i in range(count)
    )  # fmt: skip
    FollowUp.objects.bulk_create(
        FollowUp(loan=x, kind="promise", contacted_on=today, promise_amount=D("1000"), promise_on=today, recorded_by=officer)
        for x in loans
    )  # fmt: skip


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        reverse("loans:loan_list"),
        reverse("loans:loan_list") + "?export=xlsx",
        reverse("loans:loan_list") + "?export=csv",
        reverse("loans:loan_list") + "?bucket=1-30&q=Q",
        reverse("loans:due_soon") + "?days=60",
        reverse("loans:overdue"),
        reverse("loans:followup_list"),
        reverse("home"),
    ],
)
def test_lists_use_the_same_number_of_queries_for_20_and_200_contracts(
    officer_client, officer, geo, fund, url
):
    _bulk_loans(geo.office_a, officer, fund, 0, 20)
    small = _count(officer_client, url)
    _bulk_loans(geo.office_a, officer, fund, 20, 180)
    assert _count(officer_client, url) == small


def test_the_export_has_every_filtered_row_with_be_dates(officer_client, officer, geo, fund):
    _bulk_loans(geo.office_a, officer, fund, 0, 30)
    response = officer_client.get(reverse("loans:loan_list") + "?export=csv")
    text = response.content.decode("utf-8-sig")
    assert text.count("Q-00") == 30
    assert str(timezone.localdate().year + 543) in text


def test_the_institution_loans_tab_uses_the_same_number_of_queries_for_20_and_200_contracts(
    officer_client, officer, geo, fund
):
    _bulk_loans(geo.office_a, officer, fund, 0, 20)
    institution = Loan.objects.order_by("pk").first().borrower
    url = reverse("loans:institution_tab", args=[institution.pk])
    small = _count(officer_client, url)
    Loan.objects.bulk_create(
        Loan(
            borrower=institution, fund=fund, contract_number=f"T-{i:04d}", signed_on=date(2024, 1, 1),
            purpose="project", approved_amount=D("100000.00"), method="equal_principal", installments=5,
            first_due_on=date(2025, 1, 1), day_count="actual_365", status="overdue", responsible_officer=officer,
            outstanding_principal=D("80000.00"), overdue_amount=D("21000.00"), days_past_due=5,
        )
        for i in range(180)
    )  # fmt: skip
    assert _count(officer_client, url) == small
