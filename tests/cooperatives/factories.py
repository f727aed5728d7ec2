"""Factories for the institution register."""

from __future__ import annotations

import random
from decimal import Decimal

import factory

from cooperatives import rules
from cooperatives.models import Contact, Institution, Person, StatusEvent, YearlyFigure


def valid_national_id(seed: int = 1) -> str:
    rng = random.Random(seed)
    first12 = str(rng.randint(1, 8)) + "".join(str(rng.randint(0, 9)) for _ in range(11))
    return first12 + rules.national_id_check_digit(first12)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    office = None  # pass office=geo.office_a
    province = factory.LazyAttribute(lambda o: o.office.province)
    kind = Institution.Kind.COOPERATIVE
    type = Institution.Type.AGRICULTURAL
    name = factory.Sequence(lambda n: f"สหกรณ์การเกษตรทดสอบ {n} จำกัด")
    registration_number = factory.Sequence(lambda n: f"ทด.{n:04d}/2540")
    status = Institution.Status.OPERATING


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"ผู้ติดต่อ {n}")
    role = "ผู้จัดการ"
    email = factory.Sequence(lambda n: f"contact{n}@example.coop")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    kind = Person.Kind.BOARD
    name = factory.Sequence(lambda n: f"นายกรรมการ ทดสอบ{n}")
    position = "กรรมการ"
    national_id = factory.Sequence(lambda n: valid_national_id(n))


class YearlyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearlyFigure

    year_be = 2568
    members = 120
    share_capital = Decimal("500000.00")


class StatusEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusEvent

    status = Institution.Status.OPERATING
    effective_on = factory.Faker("date_object")
