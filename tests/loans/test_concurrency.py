"""Two officers post on the same contract at the same moment: the row lock serialises them.

Runs on PostgreSQL only (SQLite has no row locks; its single writer serialises anyway):
    DATABASE_URL=postgres://root@127.0.0.1:5432/test .venv/bin/python -m pytest tests/loans
"""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from loans import services
from loans.models import Loan, Payment, PaymentAllocation
from tests.loans.factories import make_fund, make_institution, make_loan

TODAY = date(2026, 6, 1)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _race(loan, officer, amounts):
    barrier = threading.Barrier(len(amounts))
    results = [None] * len(amounts)

    def post(i, amount):
        try:
            barrier.wait()
            results[i] = services.record_payment(
                loan=Loan.objects.get(pk=loan.pk), amount=amount, paid_on=date(2026, 3, 1), receipt_number=f"T{i}",
                by=officer, today=TODAY,
            )  # fmt: skip
        except ValidationError as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(i, a)) for i, a in enumerate(amounts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.fixture
def contract(geo, officer):
    return make_loan(
        officer, borrower=make_institution(geo.office_a, officer=officer), fund=make_fund(), today=TODAY
    )


def test_two_officers_paying_off_the_same_contract_at_once_post_only_one(contract, officer):
    payoff = services.loan_state(contract, date(2026, 3, 1)).payoff_amount
    results = _race(contract, officer, [payoff, payoff])
    assert sum(isinstance(r, Payment) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert Payment.objects.count() == 1
    contract.refresh_from_db()
    assert contract.status == Loan.Status.CLOSED and contract.payoff_amount == 0


def test_two_payments_at_once_are_both_applied_once(contract, officer):
    results = _race(contract, officer, [D("100000.00"), D("50000.00")])
    assert all(isinstance(r, Payment) for r in results)
    for payment in Payment.objects.all():
        total = sum(PaymentAllocation.objects.filter(payment=payment).values_list("amount", flat=True))
        assert total == payment.amount
    state = services.loan_state(contract, TODAY)
    assert state.principal_paid + state.interest_paid + state.penalty_paid == D("150000.00")
