"""Every loan page: works for the officer, 404 out of scope, 403 for read-only writers, login for
anonymous users."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from coopsupport.models import PersonalDataAccess
from loans import services
from loans.models import Attachment, Collateral, FollowUp, Guarantor, Loan, Payment

TODAY = date(2026, 6, 1)


@pytest.fixture
def payment(loan, officer):
    return services.record_payment(
        loan=loan,
        amount=Decimal("225000.00"),
        paid_on=date(2025, 10, 1),
        receipt_number="R-1",
        by=officer,
        today=TODAY,
    )


@pytest.fixture
def promise(loan, officer):
    return services.add_follow_up(
        loan=loan,
        kind="promise",
        contacted_on=date(2025, 11, 1),
        promise_amount="1000",
        promise_on=date(2025, 11, 15),
        by=officer,
        today=TODAY,
    )


@pytest.fixture
def guarantor(loan):
    return Guarantor.objects.create(
        loan=loan, name="นายสมชาย ใจดี", national_id="1101700207366", position="ประธาน"
    )


def loan_pages(loan, payment, promise, guarantor):
    """(url name, args) of every page tied to one contract of office A."""
    return {
        "loan_detail": [loan.pk],
        "loan_edit": [loan.pk],
        "payment_create": [loan.pk],
        "payment_reverse": [payment.pk],
        "event_create": [loan.pk],
        "followup_create": [loan.pk],
        "rate_change_create": [loan.pk],
        "disbursement_create": [loan.pk],
        "waiver_create": [loan.pk],
        "guarantor_create": [loan.pk],
        "collateral_create": [loan.pk],
        "attachment_create": [loan.pk],
        "institution_tab": [loan.borrower_id],
    }


LIST_PAGES = ["loan_list", "due_soon", "overdue", "followup_list"]
WRITE_PAGES = ["loan_create", "collection_sheet"]
POST_ONLY = {"followup_done": "promise", "guarantor_reveal": "guarantor"}


@pytest.fixture
def pages(loan, payment, promise, guarantor):
    return loan_pages(loan, payment, promise, guarantor)


def test_every_loan_page_works_for_the_officer(officer_client, pages):
    for name, args in pages.items():
        response = officer_client.get(reverse(f"loans:{name}", args=args))
        assert response.status_code == 200, name
    for name in LIST_PAGES + WRITE_PAGES:
        response = officer_client.get(reverse(f"loans:{name}"))
        assert response.status_code == 200, name


def test_contract_pages_of_another_province_are_404(other_client, pages, promise, guarantor):
    for name, args in pages.items():
        assert other_client.get(reverse(f"loans:{name}", args=args)).status_code == 404, name
        if name not in ("loan_detail", "institution_tab"):
            assert other_client.post(reverse(f"loans:{name}", args=args), {}).status_code == 404, name
    assert other_client.post(reverse("loans:followup_done", args=[promise.pk])).status_code == 404
    assert other_client.post(reverse("loans:guarantor_reveal", args=[guarantor.pk])).status_code == 404


def test_lists_of_another_province_do_not_show_the_contract(other_client, loan):
    for name in LIST_PAGES:
        response = other_client.get(reverse(f"loans:{name}"))
        assert response.status_code == 200
        assert loan.contract_number not in response.content.decode()


def test_the_officer_sees_the_contract_on_the_list(officer_client, loan):
    response = officer_client.get(reverse("loans:loan_list"))
    assert loan.contract_number in response.content.decode()


@pytest.mark.parametrize("client_fixture", ["supervisor_client", "central_client"])
def test_read_only_roles_get_403_on_every_write(request, client_fixture, pages, promise):
    client = request.getfixturevalue(client_fixture)
    for name, args in pages.items():
        if name in ("loan_detail", "institution_tab"):
            continue
        assert client.post(reverse(f"loans:{name}", args=args), {}).status_code == 403, name
    for name in WRITE_PAGES:
        assert client.post(reverse(f"loans:{name}"), {}).status_code == 403, name
    assert client.post(reverse("loans:followup_done", args=[promise.pk])).status_code == 403
    assert Payment.objects.filter(is_reversed=True).count() == 0


def test_read_only_roles_can_read_the_contract(supervisor_client, central_client, pages):
    for client in (supervisor_client, central_client):
        assert client.get(reverse("loans:loan_detail", args=pages["loan_detail"])).status_code == 200
        assert client.get(reverse("loans:loan_list")).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(db, pages):
    client = Client()
    urls = [reverse(f"loans:{n}", args=a) for n, a in pages.items()] + [
        reverse(f"loans:{n}") for n in LIST_PAGES + WRITE_PAGES
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        assert client.post(url, {}).status_code == 302, url


def test_revealing_a_guarantor_id_is_logged_and_allowed_to_readers(supervisor_client, guarantor, supervisor):
    response = supervisor_client.post(reverse("loans:guarantor_reveal", args=[guarantor.pk]))
    assert response.status_code == 200
    assert "1-1017-00207-36-6" in response.content.decode()
    assert PersonalDataAccess.objects.filter(user=supervisor, object_id=str(guarantor.pk)).count() == 1


def test_the_detail_page_masks_national_ids(officer_client, loan, guarantor):
    html = officer_client.get(reverse("loans:loan_detail", args=[loan.pk])).content.decode()
    assert "1101700207366" not in html
    assert "x-xxxx-xxxxx-36-6" in html


def test_detail_page_shows_be_dates_and_money(officer_client, loan, payment):
    html = officer_client.get(reverse("loans:loan_detail", args=[loan.pk])).content.decode()
    assert "1 ต.ค. 2568" in html  # the first due date in B.E.
    assert "225,000.00" in html
    assert "หนึ่งล้านบาทถ้วน" in html


def test_marking_a_promise_done_is_post_only_and_idempotent(officer_client, promise):
    url = reverse("loans:followup_done", args=[promise.pk])
    assert officer_client.get(url).status_code == 405
    assert officer_client.post(url).status_code == 302
    assert officer_client.post(url).status_code == 302
    promise.refresh_from_db()
    assert promise.is_done


def test_the_institution_tab_lists_its_contracts(officer_client, loan):
    from loans.panels import institution_tabs

    request = type("R", (), {"user": loan.responsible_officer})()
    tab = institution_tabs(request, loan.borrower)[0]
    assert tab["slug"] == "loans"
    html = officer_client.get(tab["url"]).content.decode()
    assert loan.contract_number in html


def test_the_home_panel_counts_overdue_and_promises(rf, officer, loan, promise):
    from loans.panels import home_panels

    request = rf.get("/")
    request.user = officer
    panel = home_panels(request, today=TODAY)[0]
    assert panel["overdue"]["count"] == 1
    assert panel["promises"] == [promise]


# ------------------------------------------------------------------ write pages through the client


def test_officer_records_a_guarantor_with_thai_digits(officer_client, loan):
    response = officer_client.post(
        reverse("loans:guarantor_create", args=[loan.pk]),
        {
            "name": "นางสาวสมหญิง รักไทย",
            "national_id": "๑-๑๐๑๗-๐๐๒๐๗-๓๖-๖",
            "position": "",
            "relation": "",
            "phone": "",
        },
    )
    assert response.status_code == 302
    assert loan.guarantors.get().national_id == "1101700207366"


def test_a_guarantor_with_a_bad_check_digit_is_refused(officer_client, loan):
    response = officer_client.post(
        reverse("loans:guarantor_create", args=[loan.pk]), {"name": "นาย ก", "national_id": "1101700207367"}
    )
    assert response.status_code == 200
    assert not loan.guarantors.exists()


def test_officer_adds_collateral_and_attachment(officer_client, loan):
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer_client.post(
        reverse("loans:collateral_create", args=[loan.pk]),
        {"kind": "land", "description": "โฉนด 1234", "value": "๑,๐๐๐,๐๐๐"},
    )
    assert Collateral.objects.get(loan=loan).value == Decimal("1000000.00")
    upload = SimpleUploadedFile("contract.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    officer_client.post(reverse("loans:attachment_create", args=[loan.pk]), {"title": "สัญญา", "file": upload})
    assert Attachment.objects.get(loan=loan).title == "สัญญา"
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    response = officer_client.post(
        reverse("loans:attachment_create", args=[loan.pk]), {"title": "x", "file": bad}
    )
    assert response.status_code == 200 and Attachment.objects.count() == 1


def test_officer_logs_a_promise_to_pay(officer_client, loan):
    response = officer_client.post(
        reverse("loans:followup_create", args=[loan.pk]),
        {
            "kind": "promise",
            "contacted_on": "1/11/2568",
            "note": "",
            "promise_amount": "50,000",
            "promise_on": "15/11/2568",
        },
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(loan=loan)
    assert follow_up.promise_on == date(2025, 11, 15) and follow_up.promise_amount == Decimal("50000.00")


def test_a_promise_without_a_date_is_refused(officer_client, loan):
    response = officer_client.post(
        reverse("loans:followup_create", args=[loan.pk]),
        {"kind": "promise", "contacted_on": "1/11/2568", "promise_amount": "50,000"},
    )
    assert response.status_code == 200 and not FollowUp.objects.exists()


def test_officer_changes_the_rate_from_a_be_date(officer_client, loan):
    response = officer_client.post(
        reverse("loans:rate_change_create", args=[loan.pk]),
        {"effective_on": "1/10/2568", "rate_pct": "๓.๕", "debtor_class": "ชั้น 2", "reason": ""},
    )
    assert response.status_code == 302
    assert loan.rate_changes.order_by("effective_on").last().rate_pct == Decimal("3.5")


def test_officer_edits_the_descriptive_fields(officer_client, loan, officer):
    response = officer_client.post(
        reverse("loans:loan_edit", args=[loan.pk]),
        {
            "contract_number": loan.contract_number,
            "purpose": "project",
            "committee": "คณะอนุกรรมการ",
            "resolution_number": "3/2567",
            "resolution_on": "",
            "responsible_officer": officer.pk,
            "note": "แก้ไข",
        },
    )
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.purpose == "project" and loan.note == "แก้ไข"


def test_officer_records_a_status_event(officer_client, loan):
    response = officer_client.post(
        reverse("loans:event_create", args=[loan.pk]),
        {"status": "default", "effective_on": "1/1/2569", "committee": "มติที่ 1/2569"},
    )
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.status == Loan.Status.DEFAULT


def test_a_restructuring_without_new_terms_is_refused(officer_client, loan):
    response = officer_client.post(
        reverse("loans:event_create", args=[loan.pk]), {"status": "restructured", "effective_on": "1/1/2569"}
    )
    assert response.status_code == 200
    assert loan.schedule_versions.count() == 1


def test_officer_restructures_through_the_form(officer_client, loan):
    response = officer_client.post(
        reverse("loans:event_create", args=[loan.pk]),
        {
            "status": "restructured",
            "effective_on": "1/1/2569",
            "committee": "มติ 2/2569",
            "new_installments": "4",
            "new_period_months": "12",
            "new_first_due_on": "1/1/2570",
            "new_method": "equal_principal",
            "new_rate_pct": "",
            "waive_penalty": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert loan.schedule_versions.filter(is_active=True).get().number == 2


def test_officer_adds_a_tranche(officer, borrower, fund, officer_client):
    from tests.loans.factories import make_loan

    loan = make_loan(
        officer, borrower=borrower, fund=fund, disbursed_amount=Decimal("600000.00"), today=TODAY
    )
    response = officer_client.post(
        reverse("loans:disbursement_create", args=[loan.pk]),
        {"disbursed_on": "1/12/2567", "amount": "400,000", "note": ""},
    )
    assert response.status_code == 302
    version = loan.schedule_versions.get(is_active=True)
    assert version.number == 2 and version.principal == Decimal("1000000.00")


# ------------------------------------------------------------------ creating a contract


def _create_data(borrower, fund, **overrides):
    data = {
        "borrower": borrower.pk, "fund": fund.pk, "scheme": "", "contract_number": "กพส.9/2569",
        "signed_on": "1/10/2567", "purpose": "working_capital", "approved_amount": "1,000,000", "committee": "",
        "resolution_number": "", "resolution_on": "", "method": "equal_principal", "period_months": "12",
        "installments": "5", "first_due_on": "1/10/2568", "day_count": "actual_365", "penalty_rate_pct": "",
        "responsible_officer": "", "note": "", "annual_rate_pct": "", "debtor_class": "",
        "disbursed_on": "1/10/2567", "disbursed_amount": "", "assessment": "",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_officer_creates_a_contract_with_the_funds_default_rates(officer_client, borrower, fund):
    response = officer_client.post(reverse("loans:loan_create"), _create_data(borrower, fund))
    assert response.status_code == 302, response.content.decode()[:2000]
    loan = Loan.objects.get(contract_number="กพส.9/2569")
    assert loan.penalty_rate_pct == fund.penalty_rate_pct
    assert loan.rate_changes.get().rate_pct == fund.rate_pct
    assert loan.schedule_versions.get().installment_rows.count() == 5


@pytest.mark.parametrize(
    "overrides",
    [
        {"approved_amount": "<script>alert(1)</script>"},
        {"approved_amount": "-1"},
        {"approved_amount": "1e20"},
        {"signed_on": "31/02/2567"},
        {"installments": "0"},
        {"installments": "๑๐๐๐๐"},
        {"first_due_on": "1/9/2567"},
        {"note": "ก" * 10_001},
        {"contract_number": "<b>x</b>"},
        {"annual_rate_pct": "101"},
        {"disbursed_amount": "2,000,000"},
    ],
)
def test_hostile_contract_input_saves_nothing(officer_client, borrower, fund, overrides):
    response = officer_client.post(reverse("loans:loan_create"), _create_data(borrower, fund, **overrides))
    assert response.status_code == 200
    assert not Loan.objects.exists()


def test_an_institution_of_another_province_cannot_borrow_through_the_form(other_client, borrower, fund):
    response = other_client.post(reverse("loans:loan_create"), _create_data(borrower, fund))
    assert response.status_code == 200 and not Loan.objects.exists()


@pytest.mark.parametrize("assessment", ["²", "¹²", "1²"])
def test_an_assessment_number_that_is_not_a_plain_number_is_ignored_not_a_500(officer_client, assessment):
    response = officer_client.get(reverse("loans:loan_create"), {"assessment": assessment})
    assert response.status_code == 200
    assert "assessment" not in response.context["form"].initial


def test_the_create_form_takes_its_initial_data_from_the_query_string(officer_client, borrower, fund):
    url = (
        reverse("loans:loan_create")
        + f"?borrower={borrower.pk}&approved_amount=250000&installments=3&purpose=project"
    )
    form = officer_client.get(url).context["form"]
    assert form.initial["borrower"] == str(borrower.pk)
    assert form.initial["installments"] == "3" and form.initial["purpose"] == "project"


def test_a_contract_from_an_assessment_is_linked_back(officer_client, borrower, fund, monkeypatch):
    from projects import services as project_services

    calls = []
    monkeypatch.setattr(
        project_services, "loan_initial_from_assessment",
        lambda pk, user: {"borrower": borrower.pk, "approved_amount": "750000", "installments": 4},
    )  # fmt: skip
    monkeypatch.setattr(
        project_services, "link_assessment_to_loan", lambda pk, loan, user: calls.append((pk, loan))
    )
    form = officer_client.get(reverse("loans:loan_create") + "?assessment=7").context["form"]
    assert form.initial["approved_amount"] == "750000" and form.initial["assessment"] == 7
    response = officer_client.post(reverse("loans:loan_create"), _create_data(borrower, fund, assessment="7"))
    assert response.status_code == 302
    assert calls == [(7, Loan.objects.get())]


def test_a_failed_assessment_link_rolls_the_contract_back(officer_client, borrower, fund, monkeypatch):
    from projects import services as project_services

    def refuse(pk, loan, user):
        raise ValueError("ผู้กู้ไม่ใช่สถาบันที่ประเมิน")

    monkeypatch.setattr(project_services, "link_assessment_to_loan", refuse)
    response = officer_client.post(reverse("loans:loan_create"), _create_data(borrower, fund, assessment="7"))
    assert response.status_code == 200 and not Loan.objects.exists()


def test_the_next_due_card_shows_the_installments_own_amount_apart_from_what_will_be_owed(
    officer_client, loan
):
    response = officer_client.get(reverse("loans:loan_detail", args=[loan.pk]))
    state, row = response.context["state"], response.context["next_row"]
    card = response.content.decode().split("งวดถัดไป", 1)[1].split("ยอดปิดบัญชี", 1)[0]
    assert row.number == state.next_due.number
    # The big figure is the schedule's amount of that installment (principal + scheduled interest) ...
    big = card.split('<div class="fs-4 fw-semibold">', 1)[1].split("</div>", 1)[0]
    assert big == f"{row.total:,.2f}"
    # ... and what would be owed that day, arrears included, is a separate, labelled line.
    if state.next_due.total_due != row.total:
        assert "ยอดที่ต้องชำระ ณ" in card and f"{state.next_due.total_due:,.2f}" in card
        assert ("(รวมยอดค้าง)" in card) == bool(state.days_past_due)
