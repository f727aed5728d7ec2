from __future__ import annotations

from django import template

from cooperatives.rules import mask_national_id
from coopsupport.thai import MONTHS_LONG

register = template.Library()


@register.filter
def national_id_masked(value: str) -> str:
    """{{ person.national_id|national_id_masked }} -> 1-2345-xxxxx-xx-1"""
    return mask_national_id(value or "")


@register.filter
def user_name(user) -> str:
    """{{ user|user_name }} -> the full name, else the user name, else "–" (safe for None)."""
    if not user:
        return "–"
    return user.get_full_name() or user.username


@register.filter
def thai_month(month) -> str:
    """{{ 3|thai_month }} -> มีนาคม"""
    try:
        return MONTHS_LONG[int(month) - 1]
    except (TypeError, ValueError, IndexError):
        return ""
