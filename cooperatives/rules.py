"""Pure rules of the institution register (no Django, no clock, no database).

* Which types an institution kind may have (Cooperatives Act B.E. 2542 for cooperatives,
  Royal Decree B.E. 2547 for farmer groups; women's, youth, occupational and other groups are
  "general"), and which cooperative types form the agricultural sector.
* Farmer groups need at least 30 members: reported as a *warning*, never an error, because
  officers must still be able to record a group that has fallen below the threshold.
* Thai national ID numbers (13 digits, mod-11 check digit): normalise Thai digits and
  separators, validate, mask for screens (1-2345-xxxxx-xx-1).

Problems are returned as ``Problem(code, field)``; the Django layer turns codes into
translated messages (``cooperatives.forms.PROBLEM_MESSAGES``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field

from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.th import pin

# These strings are the stored values of Institution.Kind / Institution.Type (a test keeps them in step).
COOPERATIVE = "cooperative"
FARMER_GROUP = "farmer_group"
GROUP_KINDS = ("women_group", "youth_group", "occupational_group", "other")
COOPERATIVE_TYPES = (
    "agricultural", "fisheries", "land_settlement", "store", "service", "savings", "credit_union",
)  # fmt: skip
AGRICULTURAL_SECTOR_TYPES = ("agricultural", "fisheries", "land_settlement")
FARMER_GROUP_TYPES = ("fg_rice", "fg_orchard", "fg_field_crops", "fg_livestock", "fg_fisheries", "fg_other")
GENERAL_TYPES = ("general",)
FARMER_GROUP_MIN_MEMBERS = 30
# Kinds that may be attached to a parent cooperative.
ATTACHABLE_KINDS = GROUP_KINDS
# Kinds registered by law: they must carry a registration number.
REGISTERED_KINDS = (COOPERATIVE, FARMER_GROUP)

AGRICULTURAL = "agricultural"
NON_AGRICULTURAL = "non_agricultural"

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@dataclass(frozen=True)
class Problem:
    """One rule broken: a code (translated by the caller), the field it belongs to ("" = whole form)."""

    code: str
    field: str = ""


@dataclass(frozen=True)
class RuleResult:
    errors: tuple[Problem, ...] = field(default_factory=tuple)
    warnings: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.errors


def types_for_kind(kind: str) -> tuple[str, ...]:
    """The types an institution of ``kind`` may have (empty for an unknown kind)."""
    if kind == COOPERATIVE:
        return COOPERATIVE_TYPES
    if kind == FARMER_GROUP:
        return FARMER_GROUP_TYPES
    if kind in GROUP_KINDS:
        return GENERAL_TYPES
    return ()


def type_allowed_for_kind(kind: str, type_: str) -> bool:
    return type_ in types_for_kind(kind)


def sector_of(kind: str, type_: str) -> str:
    """``agricultural`` / ``non_agricultural`` for cooperatives; ``""`` for everything else."""
    if kind != COOPERATIVE:
        return ""
    return AGRICULTURAL if type_ in AGRICULTURAL_SECTOR_TYPES else NON_AGRICULTURAL


def check_institution(
    *,
    kind: str,
    type_: str,
    registration_number: str = "",
    members: int | None = None,
    parent_kind: str | None = None,
    parent_same_office: bool = True,
) -> RuleResult:
    """Everything the register checks about one institution's kind, type, parent and size."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    if kind and type_ and not type_allowed_for_kind(kind, type_):
        errors.append(Problem("type_not_for_kind", "type"))
    if kind in REGISTERED_KINDS and not (registration_number or "").strip():
        errors.append(Problem("registration_required", "registration_number"))
    if parent_kind is not None:
        if kind not in ATTACHABLE_KINDS:
            errors.append(Problem("parent_not_allowed", "parent"))
        elif parent_kind != COOPERATIVE:
            errors.append(Problem("parent_not_cooperative", "parent"))
        elif not parent_same_office:
            errors.append(Problem("parent_other_office", "parent"))
    if kind == FARMER_GROUP and members is not None and members < FARMER_GROUP_MIN_MEMBERS:
        warnings.append(Problem("farmer_group_too_small", "members"))
    return RuleResult(tuple(errors), tuple(warnings))


def valid_year_end(month: int, day: int) -> bool:
    """An accounting year-end day exists in that month of a common year (no 29 Feb year-end)."""
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(2001, month)[1]


# --- National ID (PDPA) -------------------------------------------------------------------------


def normalize_national_id(text: str) -> str:
    """Thai digits to ASCII, drop spaces, dashes and dots: "๑-๒๓๔๕ ..." -> "12345..."."""
    return "".join(ch for ch in str(text or "").translate(_THAI_DIGITS) if ch not in " -.\u00a0\t")


def validate_national_id(text: str) -> str:
    """The 13-digit number, or ValueError("length" | "format" | "checksum")."""
    number = normalize_national_id(text)
    if len(number) != 13:
        raise ValueError("length")
    if not number.isascii() or not number.isdigit():
        raise ValueError("format")
    try:
        return pin.validate(number)
    except StdnumValidationError:
        raise ValueError("checksum") from None


def national_id_check_digit(first12: str) -> str:
    """The check digit for 12 ASCII digits (used to generate demo numbers)."""
    return pin.calc_check_digit(first12)


def format_national_id(number: str) -> str:
    """1234567890121 -> 1-2345-67890-12-1 (anything else is returned unchanged)."""
    if len(number) != 13:
        return number
    return f"{number[0]}-{number[1:5]}-{number[5:10]}-{number[10:12]}-{number[12]}"


def mask_national_id(number: str) -> str:
    """1234567890121 -> 1-2345-xxxxx-xx-1: enough to tell people apart, not enough to use."""
    if not number:
        return ""
    if len(number) != 13:
        return "x" * len(number)
    return f"{number[0]}-{number[1:5]}-xxxxx-xx-{number[12]}"
