from datetime import date
from decimal import Decimal as D
import pytest
from loans import services
from loans.models import Loan, Payment, PaymentAllocation
from tests.loans.factories import make_loan

def test_smoke(officer):
    loan = make_loan(officer)
    v = loan.schedule_versions.get()
    print([ (i.number, i.due_on, i.principal, i.interest) for i in v.installment_rows.all()])
    loan.refresh_from_db()
    print(loan.status, loan.outstanding_principal, loan.overdue_amount, loan.days_past_due, loan.next_due_on, loan.next_due_amount)
    p = services.record_payment(loan=loan, amount=D("225000.00"), paid_on=date(2025,10,1), receipt_number="R1", by=officer, today=date(2026,6,1))
    print(list(PaymentAllocation.objects.filter(payment=p).values_list("component","amount", "installment__number")))
    loan.refresh_from_db()
    print(loan.status, loan.outstanding_principal, loan.overdue_amount, loan.days_past_due, loan.next_due_on, loan.next_due_amount)
    pv = services.preview_payment(loan=loan, amount=D("811616.44"), paid_on=date(2026,5,1), today=date(2026,6,1))
    print(pv.allocation, pv.finishes_loan, pv.finishes_early)
    services.reverse_payment(payment=p, reason="ผิด", by=officer, today=date(2026,6,1))
    loan.refresh_from_db()
    print(loan.status, loan.outstanding_principal, loan.overdue_amount, loan.days_past_due)
    services.record_event(loan=loan, status="restructured", effective_on=date(2026,3,1), by=officer, today=date(2026,6,1),
        restructure=services.RestructureTerms(installments=4, period_months=12, first_due_on=date(2027,3,1), method="equal_principal"))
    loan.refresh_from_db()
    print(loan.status, loan.outstanding_principal, loan.overdue_amount, loan.days_past_due, loan.next_due_on, loan.next_due_amount)
    print(loan.events.values_list("status","effective_on","note"))
