"""The register's pure rules: kind/type, sector, parent, farmer-group size, national ID."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cooperatives import rules


def test_the_rules_module_imports_no_django():
    tree = ast.parse(Path(rules.__file__).read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "django" not in imported


@pytest.mark.django_db(databases=[])
def test_the_rules_use_the_same_codes_as_the_model():
    from cooperatives.models import Institution

    assert set(rules.COOPERATIVE_TYPES) == {str(t) for t in Institution.COOPERATIVE_TYPES}
    assert set(rules.FARMER_GROUP_TYPES) == {str(t) for t in Institution.FARMER_GROUP_TYPES}
    assert set(rules.AGRICULTURAL_SECTOR_TYPES) == {str(t) for t in Institution.AGRICULTURAL_SECTOR_TYPES}
    assert {rules.COOPERATIVE, rules.FARMER_GROUP, *rules.GROUP_KINDS} == set(Institution.Kind.values)
    every_type = {*rules.COOPERATIVE_TYPES, *rules.FARMER_GROUP_TYPES, *rules.GENERAL_TYPES}
    assert every_type == set(Institution.Type.values)


@pytest.mark.parametrize(
    ("kind", "type_", "allowed"),
    [
        ("cooperative", "agricultural", True),
        ("cooperative", "credit_union", True),
        ("cooperative", "fg_rice", False),
        ("farmer_group", "fg_rice", True),
        ("farmer_group", "savings", False),
        ("women_group", "general", True),
        ("women_group", "agricultural", False),
        ("nonsense", "general", False),
    ],
)
def test_a_type_must_belong_to_its_kind(kind, type_, allowed):
    assert rules.type_allowed_for_kind(kind, type_) is allowed


def test_only_agricultural_fisheries_and_land_settlement_cooperatives_are_the_agricultural_sector():
    assert rules.sector_of("cooperative", "fisheries") == rules.AGRICULTURAL
    assert rules.sector_of("cooperative", "savings") == rules.NON_AGRICULTURAL
    assert rules.sector_of("farmer_group", "fg_rice") == ""


def test_a_small_farmer_group_is_a_warning_not_an_error():
    result = rules.check_institution(
        kind="farmer_group", type_="fg_rice", registration_number="1", members=29
    )
    assert result.ok
    assert [p.code for p in result.warnings] == ["farmer_group_too_small"]
    assert not rules.check_institution(
        kind="farmer_group", type_="fg_rice", registration_number="1", members=30
    ).warnings


def test_only_groups_can_have_a_parent_and_it_must_be_a_cooperative_of_the_same_office():
    def codes(**kw):
        return [p.code for p in rules.check_institution(registration_number="1", **kw).errors]

    assert codes(kind="cooperative", type_="agricultural", parent_kind="cooperative") == [
        "parent_not_allowed"
    ]
    assert codes(kind="women_group", type_="general", parent_kind="farmer_group") == [
        "parent_not_cooperative"
    ]
    assert codes(
        kind="women_group", type_="general", parent_kind="cooperative", parent_same_office=False
    ) == ["parent_other_office"]
    assert codes(kind="women_group", type_="general", parent_kind="cooperative") == []


def test_cooperatives_and_farmer_groups_need_a_registration_number_but_other_groups_do_not():
    assert [p.code for p in rules.check_institution(kind="cooperative", type_="store").errors] == [
        "registration_required"
    ]
    assert rules.check_institution(kind="occupational_group", type_="general").ok


@pytest.mark.parametrize(
    ("month", "day", "ok"),
    [(3, 31, True), (2, 28, True), (2, 29, False), (4, 31, False), (13, 1, False), (1, 0, False)],
)
def test_an_accounting_year_end_must_exist_in_its_month(month, day, ok):
    assert rules.valid_year_end(month, day) is ok


def test_a_national_id_accepts_thai_digits_and_dashes_and_checks_the_digit():
    assert rules.validate_national_id("๑-๒๓๔๕-๖๗๘๙๐-๑๒-๑") == "1234567890121"
    assert rules.validate_national_id(" 1 2345 67890 12 1 ") == "1234567890121"
    for bad, reason in [("1234567890122", "checksum"), ("123", "length"), ("12345678901a1", "format")]:
        with pytest.raises(ValueError, match=reason):
            rules.validate_national_id(bad)


def test_a_national_id_is_masked_except_for_its_first_five_and_last_digit():
    assert rules.mask_national_id("1234567890121") == "1-2345-xxxxx-xx-1"
    assert rules.format_national_id("1234567890121") == "1-2345-67890-12-1"
    assert rules.mask_national_id("") == ""
    assert "5" not in rules.mask_national_id("55555")


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.integers(min_value=1, max_value=8))
def test_every_generated_check_digit_validates(rest, first):
    first12 = f"{first}{rest}"
    number = first12 + rules.national_id_check_digit(first12)
    assert rules.validate_national_id(number) == number
