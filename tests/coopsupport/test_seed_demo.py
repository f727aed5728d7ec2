"""`manage.py seed_demo`: two provinces of realistic data, deterministic and idempotent."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from cooperatives.models import Institution
from coopsupport.models import Office, User
from loans.models import Loan, Payment, Reminder
from projects.models import FeasibilityAssessment


@pytest.mark.django_db
def test_seed_demo_builds_two_provinces_and_a_second_run_changes_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    counts = {
        "users": User.objects.count(),
        "institutions": Institution.objects.count(),
        "loans": Loan.objects.count(),
        "payments": Payment.objects.count(),
        "reminders": Reminder.objects.count(),
        "assessments": FeasibilityAssessment.objects.count(),
        "emails": len(mail.outbox),
    }
    assert Office.objects.count() == 79
    assert set(User.objects.values_list("username", flat=True)) >= {
        "cm.officer1", "cm.officer2", "cm.supervisor", "kk.officer1", "kk.officer2", "kk.supervisor", "central", "admin",
    }  # fmt: skip
    for code in ("50", "40"):
        office_institutions = Institution.objects.filter(office__code=code)
        assert office_institutions.count() >= 50
        assert set(office_institutions.values_list("kind", flat=True)) == set(Institution.Kind.values)
    assert Loan.objects.values("status").distinct().count() >= 8  # loans in (almost) every debtor state
    assert counts["reminders"] > 0 and counts["emails"] > 0  # today's reminder run, exactly once

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    assert counts == {
        "users": User.objects.count(),
        "institutions": Institution.objects.count(),
        "loans": Loan.objects.count(),
        "payments": Payment.objects.count(),
        "reminders": Reminder.objects.count(),
        "assessments": FeasibilityAssessment.objects.count(),
        "emails": len(mail.outbox),
    }
