from __future__ import annotations

import pytest

from cooperatives.models import BusinessLine
from tests.cooperatives.factories import (
    ContactFactory,
    InstitutionFactory,
    PersonFactory,
    YearlyFigureFactory,
)


@pytest.fixture
def inst(geo, officer):
    """A cooperative of office A (Chiang Mai) with a contact, a board member and figures."""
    institution = InstitutionFactory(
        office=geo.office_a,
        name="สหกรณ์การเกษตรเมืองเชียงใหม่ จำกัด",
        registration_number="ชม.001/2530",
        district=geo.district_a1,
        subdistrict=geo.subdistrict_a1,
        postcode="50200",
        responsible_officer=officer,
    )
    institution.business_lines.set(BusinessLine.objects.filter(code__in=["credit", "supply"]))
    ContactFactory(institution=institution, name="นางสาวมาลี คำมา", email="malee@example.coop")
    PersonFactory(institution=institution, name="นายสมศักดิ์ ศรีสุข", national_id="1234567890121")
    YearlyFigureFactory(institution=institution, year_be=2567, members=1000)
    YearlyFigureFactory(institution=institution, year_be=2568, members=1100)
    return institution


@pytest.fixture
def inst_b(geo):
    return InstitutionFactory(
        office=geo.office_b, name="สหกรณ์การเกษตรเมืองขอนแก่น จำกัด", registration_number="ขก.001/2530"
    )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The personas' passwords are hashed on creation; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
