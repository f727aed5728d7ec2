"""Payments: allocation order, prepayment, hostile input, reversal, receipts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from loans import services
from loans.models import Loan, Payment, PaymentAllocation, PaymentReversal

TODAY = date(2026, 6, 1)


def pay(loan, officer, amount, paid_on, receipt="", **kwargs):
    return services.record_payment(
        loan=loan,
        amount=D(amount),
        paid_on=paid_on,
        receipt_number=receipt,
        by=officer,
        today=kwargs.pop("today", TODAY),
        **kwargs,
    )


def parts(payment):
    return list(
        PaymentAllocation.objects.filter(payment=payment).order_by("id")
        .values_list("component", "installment__number", "amount")
    )  # fmt: skip


def snapshot(loan):
    loan.refresh_from_db()
    return {f: getattr(loan, f) for f in (
        "status", "outstanding_principal", "overdue_principal", "accrued_interest", "accrued_penalty", "overdue_amount",
        "payoff_amount", "days_past_due", "next_due_on", "next_due_amount")}  # fmt: skip


# ------------------------------------------------------------------ allocation


def test_a_payment_on_the_due_date_pays_the_domain_example_interest_then_principal(loan, officer):
    payment = pay(loan, officer, "225000.00", date(2025, 10, 1))
    assert parts(payment) == [("interest", None, D("25000.00")), ("current_principal", 1, D("200000.00"))]
    loan.refresh_from_db()
    assert loan.status == Loan.Status.CURRENT
    assert loan.outstanding_principal == D("800000.00")


def test_a_late_payment_goes_to_penalty_first_then_interest(loan, officer):
    # 45 days late on 200,000 at 3 %: 739.73 penalty (DOMAIN.md).
    payment = pay(loan, officer, "1000.00", date(2025, 11, 15))
    assert parts(payment) == [("penalty", None, D("739.73")), ("interest", None, D("260.27"))]


def test_overdue_principal_is_paid_oldest_first_before_principal_now_due(loan, officer):
    state = services.loan_state(loan, date(2026, 10, 1))
    payment = pay(loan, officer, str(state.total_due_now), date(2026, 10, 1), today=date(2026, 10, 1))
    components = [(c, n) for c, n, _ in parts(payment)]
    assert components == [
        ("penalty", None),
        ("interest", None),
        ("overdue_principal", 1),
        ("current_principal", 2),
    ]
    loan.refresh_from_db()
    assert loan.days_past_due == 0 and loan.overdue_amount == 0


def test_money_beyond_what_is_due_reduces_the_last_installments(loan, officer):
    payment = pay(loan, officer, "275000.00", date(2025, 10, 1))
    assert parts(payment)[-1] == ("prepayment", 5, D("50000.00"))


def test_the_preview_says_when_a_payment_finishes_the_loan_early(loan, officer):
    payoff = services.loan_state(loan, date(2026, 3, 1)).payoff_amount
    preview = services.preview_payment(loan=loan, amount=payoff, paid_on=date(2026, 3, 1), today=TODAY)
    assert preview.finishes_loan and preview.finishes_early
    assert preview.allocation.prepaid_principal > 0
    assert not Payment.objects.exists()
    pay(loan, officer, str(payoff), date(2026, 3, 1))
    loan.refresh_from_db()
    assert loan.status == Loan.Status.CLOSED
    assert loan.events.filter(status="closed", is_automatic=True).exists()


def test_a_backdated_payment_re_derives_the_allocation_of_later_payments(loan, officer):
    later = pay(loan, officer, "225000.00", date(2025, 10, 1), "R2")
    assert parts(later)[1] == ("current_principal", 1, D("200000.00"))
    pay(loan, officer, "100000.00", date(2025, 6, 1), "R1")  # early: interest, then principal of inst. 1
    assert parts(later)[1][0] == "current_principal"
    assert sum(a for c, _n, a in parts(later) if c != "interest") == D("225000.00") - parts(later)[0][2]
    assert parts(later)[-1][0] == "prepayment"


# ------------------------------------------------------------------ rejections


@pytest.mark.parametrize(
    ("amount", "paid_on", "code"),
    [
        ("0", date(2025, 10, 1), "positive"),
        ("-100", date(2025, 10, 1), "positive"),
        ("12.345", date(2025, 10, 1), "satang"),
        ("abc", date(2025, 10, 1), "invalid"),
        ("NaN", date(2025, 10, 1), "invalid"),
        ("100000000000000000000", date(2025, 10, 1), "too_large"),
        ("100.00", date(2026, 6, 2), "future"),
        ("100.00", date(2024, 9, 30), "before_disbursement"),
        ("5000000.00", date(2025, 10, 1), "overpayment"),
    ],
)
def test_the_service_rejects_bad_payments_and_saves_nothing(loan, officer, amount, paid_on, code):
    with pytest.raises(ValidationError) as info:
        services.record_payment(loan=loan, amount=amount, paid_on=paid_on, by=officer, today=TODAY)
    error = info.value
    codes = (
        [e.code for errors in error.error_dict.values() for e in errors]
        if hasattr(error, "error_dict")
        else [error.code]
    )
    assert code in codes
    assert not Payment.objects.exists()


def test_the_rejection_messages_are_thai(loan, officer):
    with pytest.raises(ValidationError) as info:
        services.record_payment(loan=loan, amount="100", paid_on=date(2026, 6, 2), by=officer, today=TODAY)
    assert "อนาคต" in info.value.messages[0]


def test_a_closed_contract_takes_no_payment(loan, officer):
    payoff = services.loan_state(loan, date(2026, 3, 1)).payoff_amount
    pay(loan, officer, str(payoff), date(2026, 3, 1))
    with pytest.raises(ValidationError) as info:
        pay(loan, officer, "10.00", date(2026, 4, 1))
    assert info.value.code == "closed"
    assert Payment.objects.count() == 1


def test_a_receipt_number_is_used_once_per_contract(loan, officer):
    pay(loan, officer, "1000.00", date(2025, 10, 1), "R-9")
    with pytest.raises(ValidationError):
        pay(loan, officer, "1000.00", date(2025, 10, 2), "R-9")


HOSTILE = [
    {"paid_on": "1/10/2568", "amount": "0"},
    {"paid_on": "1/10/2568", "amount": "-500"},
    {"paid_on": "1/10/2568", "amount": "1e20"},
    {"paid_on": "1/10/2568", "amount": "100000000000000000000"},
    {"paid_on": "1/10/2568", "amount": "๑๒x"},
    {"paid_on": "1/10/2568", "amount": ""},
    {"paid_on": "1/10/2568", "amount": "<script>alert(1)</script>"},
    {"paid_on": "31/02/2569", "amount": "1000"},
    {"paid_on": "", "amount": "1000"},
    {"paid_on": "1/10/9999", "amount": "1000"},
    {"paid_on": "1/1/2567", "amount": "1000"},
    {"paid_on": "1/10/2568", "amount": "1000", "receipt_number": "<script>x</script>"},
    {"paid_on": "1/10/2568", "amount": "1000", "note": "ก" * 10_000},
    {"paid_on": "1/10/2568", "amount": "99,999,999"},
]


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_payment_input_gets_a_form_error_and_saves_nothing(officer_client, loan, data):
    for step in ({}, {"confirm": "1"}):
        response = officer_client.post(reverse("loans:payment_create", args=[loan.pk]), {**data, **step})
        assert response.status_code == 200
        assert "is-invalid" in response.content.decode() or "alert-danger" in response.content.decode()
    assert not Payment.objects.exists()


def test_the_payment_form_previews_then_confirms(officer_client, loan):
    url = reverse("loans:payment_create", args=[loan.pk])
    data = {"paid_on": "๑/๑๐/๒๕๖๘", "amount": "๒๗๕,๐๐๐.๐๐", "receipt_number": "R-1", "note": ""}
    response = officer_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and not Payment.objects.exists()
    assert "25,000.00" in html and "50,000.00" in html  # interest, and the prepayment
    assert "สองแสนเจ็ดหมื่นห้าพันบาทถ้วน" in html
    response = officer_client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert payment.amount == D("275000.00") and payment.paid_on == date(2025, 10, 1)


def test_the_confirm_page_says_when_the_loan_finishes_early(officer_client, loan):
    payoff = services.loan_state(loan, date(2026, 3, 1)).payoff_amount
    response = officer_client.post(
        reverse("loans:payment_create", args=[loan.pk]), {"paid_on": "1/3/2569", "amount": f"{payoff:,.2f}"}
    )
    assert "ก่อนกำหนด" in response.content.decode()


# ------------------------------------------------------------------ reversal


def test_a_reversal_restores_exactly_the_prior_state(loan, officer):
    first = pay(loan, officer, "225000.00", date(2025, 10, 1), "R1")
    later = pay(loan, officer, "30000.00", date(2026, 3, 1), "R3")
    before_state = services.loan_state(loan, TODAY)
    before_snapshot = snapshot(loan)
    before_later = parts(later)
    middle = pay(loan, officer, "123456.78", date(2025, 12, 1), "R2")
    assert parts(later) != before_later
    services.reverse_payment(payment=middle, reason="ผิดสัญญา", by=officer, today=TODAY)
    assert services.loan_state(loan, TODAY) == before_state
    assert snapshot(loan) == before_snapshot
    assert parts(later) == before_later
    assert parts(first)[0] == ("interest", None, D("25000.00"))
    middle.refresh_from_db()
    assert middle.is_reversed and middle.amount == D("123456.78")  # kept, never deleted
    assert PaymentReversal.objects.get(payment=middle).reversed_by == officer


def test_a_reversal_needs_a_reason_and_happens_once(loan, officer):
    payment = pay(loan, officer, "1000.00", date(2025, 10, 1))
    with pytest.raises(ValidationError):
        services.reverse_payment(payment=payment, reason="  ", by=officer, today=TODAY)
    services.reverse_payment(payment=payment, reason="ซ้ำ", by=officer, today=TODAY)
    with pytest.raises(ValidationError):
        services.reverse_payment(payment=payment, reason="ซ้ำ", by=officer, today=TODAY)
    assert PaymentReversal.objects.count() == 1


def test_reversing_the_closing_payment_reopens_the_contract(loan, officer):
    pay(loan, officer, "225000.00", date(2025, 10, 1))
    payoff = services.loan_state(loan, date(2026, 3, 1)).payoff_amount
    last = pay(loan, officer, str(payoff), date(2026, 3, 1))
    loan.refresh_from_db()
    assert loan.status == Loan.Status.CLOSED
    services.reverse_payment(payment=last, reason="เช็คคืน", by=officer, today=TODAY)
    loan.refresh_from_db()
    assert loan.status == Loan.Status.CURRENT
    assert loan.outstanding_principal == D("800000.00")


def test_the_reverse_page_requires_a_reason(officer_client, loan, officer):
    payment = pay(loan, officer, "1000.00", date(2025, 10, 1))
    url = reverse("loans:payment_reverse", args=[payment.pk])
    assert officer_client.post(url, {"reason": ""}).status_code == 200
    assert officer_client.post(url, {"reason": "<script>x</script>"}).status_code == 200
    assert not PaymentReversal.objects.exists()
    assert officer_client.post(url, {"reason": "ออกใบเสร็จผิด"}).status_code == 302
    assert (
        officer_client.post(url, {"reason": "อีกครั้ง"}).status_code == 302
    )  # already done: no second reversal
    assert PaymentReversal.objects.count() == 1
