"""Loan attachments are downloaded through the scoping rule, never from a public URL."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from loans.models import Attachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(loan, officer):
    item = Attachment(loan=loan, title="สัญญากู้ยืมเงิน (สแกน)", uploaded_by=officer)
    item.file.save("contract.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return item


def test_the_officer_and_the_supervisor_download_an_attachment(officer_client, supervisor_client, attachment):
    for client in (officer_client, supervisor_client):
        response = client.get(reverse("loans:attachment_download", args=[attachment.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_province_gets_404_for_an_attachment(other_client, attachment):
    assert other_client.get(reverse("loans:attachment_download", args=[attachment.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, attachment):
    response = client.get(reverse("loans:attachment_download", args=[attachment.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_media_files_are_not_served_publicly(client, attachment):
    assert client.get("/media/" + attachment.file.name).status_code == 404


def test_the_contract_page_links_to_the_scoped_download(officer_client, loan, attachment):
    body = officer_client.get(reverse("loans:loan_detail", args=[loan.pk])).content.decode()
    assert reverse("loans:attachment_download", args=[attachment.pk]) in body
    assert "/media/" not in body
