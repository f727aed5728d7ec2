"""Contracts, schedules, rates, tranches, events, restructuring and the daily snapshot refresh."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from loans import services
from loans.models import DebtorEvent, Installment, Loan, Payment, RateChange, ScheduleVersion
from tests.loans.factories import make_institution, make_loan

TODAY = date(2026, 6, 1)


def test_a_new_contract_gets_its_rate_history_and_schedule_version_1(loan):
    version = loan.schedule_versions.get()
    assert version.number == 1 and version.is_active and version.reason == "original"
    interest = list(version.installment_rows.values_list("interest", flat=True))
    assert interest == [D("25000.00"), D("20000.00"), D("15000.00"), D("10027.40"), D("5000.00")]
    assert sum(version.installment_rows.values_list("principal", flat=True)) == D("1000000.00")
    assert list(loan.rate_changes.values_list("rate_pct", flat=True)) == [D("2.5")]
    assert loan.events.filter(status="current").exists()


def test_the_snapshot_holds_the_figures_the_list_shows(loan):
    loan.refresh_from_db()
    # On 1 Jun 2026 installment 1 (due 1 Oct 2025) is 243 days late.
    assert loan.status == Loan.Status.OVERDUE
    assert loan.days_past_due == 243
    assert loan.overdue_principal == D("200000.00")
    assert loan.outstanding_principal == D("1000000.00")
    assert loan.next_due_on == date(2026, 10, 1)
    assert loan.snapshot_on == TODAY


def test_a_borrower_of_another_office_is_refused(geo, officer, fund):
    foreign = make_institution(geo.office_b, name="สหกรณ์ขอนแก่น")
    with pytest.raises(PermissionDenied):
        make_loan(officer, borrower=foreign, fund=fund)
    assert not Loan.objects.exists()


def test_a_supervisor_cannot_create_a_contract(supervisor, borrower, fund):
    with pytest.raises(PermissionDenied):
        make_loan(supervisor, borrower=borrower, fund=fund)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"disbursed_amount": D("2000000.00")}, "disbursed_amount"),
        ({"installments": 20}, "installments"),
        ({"disbursed_on": date(2024, 9, 1)}, "disbursed_on"),
        ({"disbursed_on": date(2026, 7, 1), "signed_on": date(2026, 7, 1)}, "disbursed_on"),
    ],
)
def test_bad_contract_terms_are_refused(officer, borrower, fund, overrides, field):
    fund.max_term_months = 60
    fund.save()
    with pytest.raises(ValidationError) as info:
        make_loan(officer, borrower=borrower, fund=fund, **overrides)
    assert field in info.value.error_dict
    assert not Loan.objects.exists()


def test_a_first_due_date_before_disbursement_is_a_schedule_error(officer, borrower, fund):
    with pytest.raises(ValidationError):
        make_loan(officer, borrower=borrower, fund=fund, first_due_on=date(2024, 9, 1))
    assert not Loan.objects.exists()


def test_a_duplicate_contract_number_is_refused(officer, borrower, fund, loan):
    with pytest.raises(ValidationError):
        make_loan(officer, borrower=borrower, fund=fund, contract_number=loan.contract_number)


def test_a_rate_change_accrues_from_its_date(loan, officer):
    before = services.loan_state(loan, TODAY).accrued_interest
    services.change_rate(
        loan=loan,
        effective_on=date(2025, 10, 1),
        rate_pct="4.5",
        debtor_class="ชั้น 3",
        by=officer,
        today=TODAY,
    )
    after = services.loan_state(loan, TODAY).accrued_interest
    # 365 days at 2.5 % (25,000.00) then 243 days at 4.5 % (29,958.90) on 1,000,000.
    assert before == D("41643.84")
    assert after == D("54958.90")
    with pytest.raises(ValidationError):
        services.change_rate(loan=loan, effective_on=date(2025, 10, 1), rate_pct="3", by=officer, today=TODAY)
    assert RateChange.objects.filter(loan=loan).count() == 2


def test_a_tranche_rebuilds_the_schedule_on_the_total(officer, borrower, fund):
    loan = make_loan(officer, borrower=borrower, fund=fund, disbursed_amount=D("400000.00"), today=TODAY)
    services.add_disbursement(
        loan=loan, disbursed_on=date(2025, 1, 1), amount="600000", by=officer, today=TODAY
    )
    versions = list(loan.schedule_versions.order_by("number"))
    assert [v.is_active for v in versions] == [False, True]
    assert versions[1].principal == D("1000000.00")
    loan.refresh_from_db()
    assert loan.disbursed_amount == D("1000000.00")
    with pytest.raises(ValidationError):
        services.add_disbursement(
            loan=loan, disbursed_on=date(2025, 2, 1), amount="1", by=officer, today=TODAY
        )


def test_restructuring_adds_a_schedule_and_keeps_the_old_one(loan, officer):
    services.record_payment(
        loan=loan, amount=D("225000.00"), paid_on=date(2025, 10, 1), by=officer, today=TODAY
    )
    on = date(2026, 1, 15)
    payoff = services.loan_state(loan, on).payoff_amount
    event = services.record_event(
        loan=loan, status="restructured", effective_on=on, committee="มติ 1/2569", by=officer, today=TODAY,
        restructure=services.RestructureTerms(installments=4, period_months=12, first_due_on=date(2027, 1, 15),
                                              method="equal_principal", rate_pct=D("1.5")),
    )  # fmt: skip
    old, new = loan.schedule_versions.order_by("number")
    assert not old.is_active and old.installment_rows.count() == 5  # kept, viewable
    assert new.is_active and new.reason == "restructure" and event.schedule_version == new
    assert new.principal == payoff  # outstanding principal + interest accrued to the day, capitalised
    assert sum(new.installment_rows.values_list("principal", flat=True)) == payoff
    state = services.loan_state(loan, TODAY)
    assert state.outstanding_principal == payoff
    assert state.days_past_due == 0
    assert [i.number for i in state.installments] == [1, 2, 3, 4]
    assert state.accrued_interest == (payoff * D("0.015") * 137 / 365).quantize(D("0.01"))
    loan.refresh_from_db()
    assert loan.status == Loan.Status.RESTRUCTURED and loan.days_past_due == 0


def test_nothing_can_be_dated_on_or_before_a_restructuring(loan, officer):
    paid = services.record_payment(
        loan=loan, amount=D("1000.00"), paid_on=date(2025, 10, 1), by=officer, today=TODAY
    )
    services.record_event(
        loan=loan, status="restructured", effective_on=date(2026, 1, 15), by=officer, today=TODAY,
        restructure=services.RestructureTerms(installments=4, period_months=12, first_due_on=date(2027, 1, 15),
                                              method="equal_principal"),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.record_payment(
            loan=loan, amount=D("1000.00"), paid_on=date(2026, 1, 15), by=officer, today=TODAY
        )
    with pytest.raises(ValidationError):
        services.reverse_payment(payment=paid, reason="x", by=officer, today=TODAY)
    with pytest.raises(ValidationError):
        services.change_rate(loan=loan, effective_on=date(2026, 1, 1), rate_pct="1", by=officer, today=TODAY)
    services.record_payment(
        loan=loan, amount=D("1000.00"), paid_on=date(2026, 1, 16), by=officer, today=TODAY
    )
    assert Payment.objects.count() == 2


def test_restructuring_can_waive_the_unpaid_penalty(loan, officer):
    on = date(2026, 1, 15)
    state = services.loan_state(loan, on)
    assert state.accrued_penalty > 0
    services.record_event(
        loan=loan, status="restructured", effective_on=on, by=officer, today=TODAY,
        restructure=services.RestructureTerms(installments=4, period_months=12, first_due_on=date(2027, 1, 15),
                                              method="equal_principal", waive_penalty=True),
    )  # fmt: skip
    new = loan.schedule_versions.get(is_active=True)
    assert new.principal == state.payoff_amount - state.accrued_penalty
    assert loan.penalty_waivers.get().amount == state.accrued_penalty


def test_a_deferral_pauses_reminders_until_the_next_step(loan, officer):
    services.record_event(
        loan=loan, status="deferral", effective_on=date(2026, 1, 1), by=officer, today=TODAY
    )
    loan.refresh_from_db()
    assert loan.is_paused and loan.status == Loan.Status.DEFERRAL
    services.record_event(loan=loan, status="default", effective_on=date(2026, 3, 1), by=officer, today=TODAY)
    loan.refresh_from_db()
    assert not loan.is_paused and loan.status == Loan.Status.DEFAULT
    assert list(loan.events.filter(is_automatic=False).values_list("status", flat=True))[:2] == [
        "default",
        "deferral",
    ]


def test_a_contract_that_still_owes_cannot_be_closed_by_hand(loan, officer):
    with pytest.raises(ValidationError):
        services.record_event(loan=loan, status="closed", effective_on=TODAY, by=officer, today=TODAY)
    services.record_event(loan=loan, status="written_off", effective_on=TODAY, by=officer, today=TODAY)
    with pytest.raises(ValidationError):
        services.record_event(loan=loan, status="default", effective_on=TODAY, by=officer, today=TODAY)


def test_the_daily_refresh_moves_days_past_due_and_status(officer, borrower, fund):
    loan = make_loan(officer, borrower=borrower, fund=fund, today=date(2025, 9, 1))
    loan.refresh_from_db()
    assert loan.status == Loan.Status.CURRENT and loan.days_past_due == 0
    call_command("refresh_loan_snapshots", "--as-of", "2025-10-11")
    loan.refresh_from_db()
    assert loan.status == Loan.Status.OVERDUE and loan.days_past_due == 10
    event = loan.events.filter(is_automatic=True).first()
    assert event.status == "overdue" and event.effective_on == date(2025, 10, 2)


def test_loan_states_uses_a_fixed_number_of_queries(officer, borrower, fund, django_assert_max_num_queries):
    loans = [make_loan(officer, borrower=borrower, fund=fund, today=TODAY) for _ in range(3)]
    with django_assert_max_num_queries(10):
        states = services.loan_states(Loan.objects.all(), TODAY)
    assert set(states) == {x.pk for x in loans}


def test_the_reminder_unique_constraint_has_the_agreed_name():
    from loans.models import Reminder

    names = [c.name for c in Reminder._meta.constraints]
    assert "loans_reminder_unique_installment_level_channel" in names


def test_every_model_scopes_to_the_users_office(loan, officer, other_province_officer, central):
    from django.apps import apps

    for model in apps.get_app_config("loans").get_models():
        assert hasattr(model.objects, "for_user"), model
    assert Installment.objects.for_user(officer).count() == 5
    assert Installment.objects.for_user(other_province_officer).count() == 0
    assert ScheduleVersion.objects.for_user(central).count() == 1
    assert DebtorEvent.objects.for_user(other_province_officer).count() == 0
