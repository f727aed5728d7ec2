"""Factories of the reports app."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from reports.models import Document, Indicator, IndicatorResult


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    kind = "tests.sample"
    title = factory.Sequence(lambda n: f"เอกสารทดสอบ {n}")
    params = factory.LazyFunction(dict)
    status = Document.Status.PENDING


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    fiscal_year_be = 2570
    order = factory.Sequence(lambda n: n)
    code = factory.Sequence(lambda n: f"{n + 1}")
    name = factory.Sequence(lambda n: f"จำนวนสหกรณ์ที่ได้รับการแนะนำ {n}")
    unit = "แห่ง"
    annual_target = Decimal("12")


class IndicatorResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorResult

    month = date(2026, 10, 1)
    value = Decimal("1")
