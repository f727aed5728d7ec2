"""The collection sheet: a day's receipts for many contracts, all or nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from loans import services
from loans.models import Payment
from tests.loans.factories import make_loan

TODAY = date(2026, 6, 1)


@pytest.fixture
def loans(officer, borrower, fund):
    return [make_loan(officer, borrower=borrower, fund=fund, today=TODAY) for _ in range(3)]


def test_the_sheet_records_every_row(loans, officer):
    rows = [services.CollectionRow(x, D("1000.00"), f"R{i}") for i, x in enumerate(loans)]
    payments = services.record_collection_sheet(paid_on=date(2026, 5, 1), rows=rows, by=officer, today=TODAY)
    assert len(payments) == 3 and Payment.objects.count() == 3


def test_one_bad_row_saves_nothing_and_reports_every_bad_row(loans, officer):
    rows = [
        services.CollectionRow(loans[0], D("1000.00"), "R1"),
        services.CollectionRow(loans[1], D("99999999.00"), "R2"),  # more than owed
        services.CollectionRow(loans[2], D("0"), "R3"),
    ]
    with pytest.raises(services.CollectionSheetError) as info:
        services.record_collection_sheet(paid_on=date(2026, 5, 1), rows=rows, by=officer, today=TODAY)
    assert set(info.value.row_errors) == {1, 2}
    assert not Payment.objects.exists()
    for loan in loans:
        loan.refresh_from_db()
        assert loan.outstanding_principal == D("1000000.00")


def _post(client, paid_on, rows):
    data = {"paid_on": paid_on, "rows-TOTAL_FORMS": "10", "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "0",
            "rows-MAX_NUM_FORMS": "200"}  # fmt: skip
    for i, (loan, amount, receipt) in enumerate(rows):
        data.update(
            {f"rows-{i}-loan": loan.pk, f"rows-{i}-amount": amount, f"rows-{i}-receipt_number": receipt}
        )
    return client.post(reverse("loans:collection_sheet"), data)


def test_the_sheet_page_is_all_or_nothing(officer_client, loans):
    today = timezone.localdate()
    paid_on = f"{today.day}/{today.month}/{today.year + 543}"
    response = _post(officer_client, paid_on, [(loans[0], "1,000", "R1"), (loans[1], "-5", "R2")])
    assert response.status_code == 200 and not Payment.objects.exists()
    response = _post(officer_client, paid_on, [(loans[0], "1,000", "R1"), (loans[1], "99,999,999", "R2")])
    assert response.status_code == 200 and not Payment.objects.exists()
    assert "is-invalid" in response.content.decode() or "invalid-feedback" in response.content.decode()
    response = _post(officer_client, paid_on, [(loans[0], "1,000", "R1"), (loans[1], "๒,๐๐๐", "R2")])
    assert response.status_code == 302
    assert sorted(Payment.objects.values_list("amount", flat=True)) == [D("1000.00"), D("2000.00")]


def test_an_empty_sheet_is_refused(officer_client, loans):
    response = _post(officer_client, "1/5/2569", [])
    assert response.status_code == 200 and not Payment.objects.exists()


def test_the_sheet_cannot_post_to_another_provinces_contract(other_client, loans):
    response = _post(other_client, "1/5/2569", [(loans[0], "1,000", "R1")])
    assert response.status_code == 200 and not Payment.objects.exists()


def _post_sheet_with_a_bad_row(client, rows: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = {"paid_on": "1/10/2568", "rows-TOTAL_FORMS": str(rows), "rows-INITIAL_FORMS": "0",
            "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "1000", "rows-0-amount": "x"}  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(reverse("loans:collection_sheet"), data)
    assert response.status_code == 200 and response.context["formset"].forms[0].errors
    return len(ctx.captured_queries)


def test_the_sheet_reads_the_contracts_once_however_many_rows_it_has(officer_client, loans):
    assert _post_sheet_with_a_bad_row(officer_client, 5) == _post_sheet_with_a_bad_row(officer_client, 50)
