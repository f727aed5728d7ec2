"""{% load report_format %}: quantities of indicators (whole numbers without decimals)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from coopsupport.thai import MONTHS_LONG, MONTHS_SHORT, format_money

register = template.Library()


@register.filter
def qty(value) -> str:
    """5 -> "5"; 1234.5 -> "1,234.50"; None -> "–"."""
    if value is None or value == "":
        return "–"
    amount = Decimal(value)
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return format_money(amount)


@register.filter
def be_month(value, style: str = "short") -> str:
    """date(2026, 10, 1) -> "ต.ค. 2569"; with "long": "ตุลาคม 2569"."""
    if not hasattr(value, "month"):
        return ""
    names = MONTHS_LONG if style == "long" else MONTHS_SHORT
    return f"{names[value.month - 1]} {value.year + 543}"
