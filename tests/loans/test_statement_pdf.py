"""The borrower statement PDF: requested from the contract page, rendered by the worker."""

import pytest
from django.urls import reverse

from reports.models import Document

pytestmark = pytest.mark.django_db


def test_an_officer_gets_the_statement_pdf_of_a_contract(
    officer_client, loan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(reverse("loans:statement_pdf", args=[loan.pk]))
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:document_detail", args=[document.pk])
    document.refresh_from_db()
    assert document.kind == "loans.statement"
    assert document.status == "done", document.error
    assert document.file.read(4) == b"%PDF"


def test_a_supervisor_may_print_the_statement_because_it_changes_no_record(supervisor_client, loan):
    response = supervisor_client.post(reverse("loans:statement_pdf", args=[loan.pk]))
    assert response.status_code == 302


def test_another_province_cannot_request_the_statement(other_client, loan):
    assert other_client.post(reverse("loans:statement_pdf", args=[loan.pk])).status_code == 404
    assert not Document.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, loan):
    response = client.post(reverse("loans:statement_pdf", args=[loan.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_contract_page_offers_the_statement_button(officer_client, loan):
    body = officer_client.get(reverse("loans:loan_detail", args=[loan.pk])).content.decode()
    assert reverse("loans:statement_pdf", args=[loan.pk]) in body
