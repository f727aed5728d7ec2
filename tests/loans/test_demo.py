import random
from datetime import date

from loans import demo
from loans.models import Fund, Loan, Payment, ReminderLevel
from tests.loans.factories import make_institution

TODAY = date(2026, 11, 26)


def _seed(geo, officer, other_province_officer):
    institutions = {
        geo.office_a: [
            make_institution(geo.office_a, name=f"สหกรณ์ A{i}", district=geo.district_a1) for i in range(8)
        ],
        geo.office_b: [
            make_institution(geo.office_b, name=f"สหกรณ์ B{i}", district=geo.district_b1) for i in range(8)
        ],
    }
    demo.seed_demo(
        offices=[geo.office_a, geo.office_b],
        officers_by_office={geo.office_a.pk: [officer], geo.office_b.pk: [other_province_officer]},
        institutions_by_office=institutions,
        rng=random.Random(7),
        today=TODAY,
    )


def test_demo_seeds_loans_in_every_debtor_state_and_is_idempotent(geo, officer, other_province_officer):
    _seed(geo, officer, other_province_officer)
    assert Fund.objects.count() == 2
    assert ReminderLevel.objects.count() == 16
    statuses = set(Loan.objects.filter(borrower__office=geo.office_a).values_list("status", flat=True))
    assert statuses == set(Loan.Status.values)
    assert Payment.objects.filter(is_reversed=True).exists()
    count = Loan.objects.count()
    _seed(geo, officer, other_province_officer)
    assert Loan.objects.count() == count


def test_demo_is_deterministic(geo, officer, other_province_officer):
    _seed(geo, officer, other_province_officer)
    figures = list(
        Loan.objects.order_by("contract_number").values_list(
            "contract_number", "outstanding_principal", "status"
        )
    )
    assert len(figures) == 40
