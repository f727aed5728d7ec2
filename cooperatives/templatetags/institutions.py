from __future__ import annotations

from django import template

from cooperatives.rules import mask_national_id

register = template.Library()


@register.filter
def national_id_masked(value: str) -> str:
    """{{ person.national_id|national_id_masked }} -> 1-2345-xxxxx-xx-1"""
    return mask_national_id(value or "")
