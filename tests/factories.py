"""factory_boy factories shared by every app's tests. Apps add theirs in tests/<app>/factories.py."""

from __future__ import annotations

from dataclasses import dataclass

import factory

from coopsupport.models import AreaTeam, District, Office, Province, Subdistrict, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.go.th")
    role = User.Role.OFFICER
    password = factory.django.Password("pass-1234-word")


@dataclass
class Geo:
    province_a: Province
    province_b: Province
    district_a1: District
    district_a2: District
    district_b1: District
    subdistrict_a1: Subdistrict
    subdistrict_a2: Subdistrict
    subdistrict_b1: Subdistrict
    office_a: Office
    office_b: Office
    team_a1: AreaTeam


def make_geography() -> Geo:
    """Two provinces (Chiang Mai and Khon Kaen) with a district or two each and their offices."""
    cm = Province.objects.create(code="50", name_th="เชียงใหม่", name_en="Chiang Mai")
    kk = Province.objects.create(code="40", name_th="ขอนแก่น", name_en="Khon Kaen")
    d1 = District.objects.create(code="5001", province=cm, name_th="เมืองเชียงใหม่")
    d2 = District.objects.create(code="5004", province=cm, name_th="เชียงดาว")
    d3 = District.objects.create(code="4001", province=kk, name_th="เมืองขอนแก่น")
    s1 = Subdistrict.objects.create(code="500101", district=d1, name_th="ศรีภูมิ", postcode="50200")
    s2 = Subdistrict.objects.create(code="500401", district=d2, name_th="เชียงดาว", postcode="50170")
    s3 = Subdistrict.objects.create(code="400101", district=d3, name_th="ในเมือง", postcode="40000")
    oa = Office.objects.create(code="50", name="สำนักงานสหกรณ์จังหวัดเชียงใหม่", province=cm)
    ob = Office.objects.create(code="40", name="สำนักงานสหกรณ์จังหวัดขอนแก่น", province=kk)
    team = AreaTeam.objects.create(office=oa, number=1, name="กลุ่มส่งเสริมสหกรณ์ 1")
    team.districts.add(d1)
    return Geo(cm, kk, d1, d2, d3, s1, s2, s3, oa, ob, team)
