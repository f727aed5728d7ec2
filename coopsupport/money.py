"""Money fields: one helper makes every money column the same shape (14 digits, 2 places)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from coopsupport.thai import format_money, normalize_digits, to_money

MAX_MONEY = Decimal("999999999999.99")


def MoneyField(verbose_name=None, *, allow_negative: bool = False, **kwargs) -> models.DecimalField:  # noqa: N802
    """A model field for baht with satang."""
    validators = list(kwargs.pop("validators", []))
    if not allow_negative:
        validators.append(MinValueValidator(Decimal("0.00")))
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, validators=validators, **kwargs)


def RatePctField(verbose_name=None, **kwargs) -> models.DecimalField:  # noqa: N802
    """An annual rate in percent (2.5 = 2.5 % a year)."""
    kwargs.setdefault("validators", [MinValueValidator(Decimal("0"))])
    return models.DecimalField(verbose_name, max_digits=7, decimal_places=4, **kwargs)


class MoneyInput(forms.TextInput):
    """Shows stored amounts as 1,234.50 and opens the numeric keypad on tablets."""

    def __init__(self, attrs=None):
        base = {"inputmode": "decimal", "autocomplete": "off", "class": "text-end"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            return format_money(value)
        return super().format_value(value)


class MoneyFormField(forms.DecimalField):
    """Accepts 1,234.50, Thai digits and a trailing บาท; rejects absurd or negative amounts in Thai."""

    widget = MoneyInput
    default_error_messages = {
        "invalid": _("Enter an amount in baht, e.g. 1,234.50"),
        "too_large": _("The amount is too large"),
        "negative": _("The amount must not be negative"),
        "positive": _("The amount must be greater than zero"),
    }

    def __init__(self, *, allow_negative: bool = False, positive: bool = False, **kwargs):
        self.allow_negative = allow_negative
        self.positive = positive
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            amount = to_money(normalize_digits(str(value)))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if abs(amount) > MAX_MONEY:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        if amount < 0 and not self.allow_negative:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if self.positive and amount <= 0:
            raise forms.ValidationError(self.error_messages["positive"], code="positive")
        return amount

    def validate(self, value):
        forms.Field.validate(self, value)
