"""Template filters for Thai dates and money. Loaded as a builtin: no {% load %} needed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from coopsupport import thai

register = template.Library()


def _as_date(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value if isinstance(value, date) else None


@register.filter
def be_date(value, style: str = "short") -> str:
    """{{ d|be_date }} -> 26 พ.ย. 2569; {{ d|be_date:"long" }}; {{ d|be_date:"numeric" }}."""
    d = _as_date(value)
    return thai.format_date(d, style) if d else ""


@register.filter
def be_datetime(value) -> str:
    """{{ instant|be_datetime }} -> 26 พ.ย. 2569 14:05 (Bangkok time)."""
    if not isinstance(value, datetime):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{thai.format_date(local.date())} {local:%H:%M}"


@register.filter
def baht(value, places: int = 2) -> str:
    """{{ amount|baht }} -> 1,234,567.89"""
    if value in (None, ""):
        return ""
    try:
        return thai.format_money(Decimal(value), int(places))
    except (ArithmeticError, ValueError, TypeError):
        return ""


@register.filter
def baht_text(value) -> str:
    """{{ amount|baht_text }} -> หนึ่งพันบาทถ้วน"""
    if value in (None, ""):
        return ""
    return thai.baht_text(Decimal(value))


@register.filter
def fiscal_year(value) -> str:
    d = _as_date(value)
    return str(thai.fiscal_year(d)) if d else ""


@register.filter
def pct(value, places: int = 2) -> str:
    """{{ 0.1523|pct }} -> 15.23 % (value is a fraction)."""
    if value in (None, ""):
        return "–"
    return f"{Decimal(value) * 100:,.{int(places)}f} %"


@register.filter
def thai_digits(value) -> str:
    return thai.thai_digits(str(value))
