from datetime import date

import pytest

from tests.loans.factories import make_fund, make_institution, make_loan

TODAY = date(2026, 6, 1)


@pytest.fixture
def fund(db):
    return make_fund()


@pytest.fixture
def borrower(geo, officer):
    return make_institution(geo.office_a, officer=officer, district=geo.district_a1)


@pytest.fixture
def loan(officer, borrower, fund):
    """1,000,000 at 2.5 %, 3 % penalty, disbursed 1 Oct 2024, 5 annual installments from 1 Oct 2025."""
    return make_loan(officer, borrower=borrower, fund=fund, today=TODAY)
