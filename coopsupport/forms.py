"""Shared form kit: B.E. date fields, hostile-text guards, the crispy helper default."""

from __future__ import annotations

import re
from datetime import date

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopsupport.thai import format_date, parse_date

_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
TEXT_MAX_LENGTH = 5000


class ThaiDateInput(forms.TextInput):
    """A text box that shows dates as 26/11/2569 and accepts B.E. or C.E. years and Thai digits."""

    def __init__(self, attrs=None):
        base = {
            "placeholder": "วว/ดด/ปปปป",
            "autocomplete": "off",
            "inputmode": "numeric",
            "class": "thai-date",
        }
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, date):
            return format_date(value, "numeric")
        return super().format_value(value)


class ThaiDateField(forms.DateField):
    widget = ThaiDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


def reject_markup(value: str) -> None:
    if _TAG_RE.search(value):
        raise forms.ValidationError(_("HTML or script tags are not allowed here"), code="markup")


def _guard_oversized_pks(field: forms.ModelMultipleChoiceField) -> None:
    """A posted id beyond a 64-bit integer (e.g. 10^20) is an invalid choice, not a database error
    (SQLite raises OverflowError on ``pk__in`` with such a value)."""
    check_values = field._check_values

    def guarded(value):
        for pk in value or ():
            text = str(pk).strip()
            if text.lstrip("-").isdigit() and abs(int(text)) > 2**63 - 1:
                raise forms.ValidationError(
                    field.error_messages["invalid_choice"], code="invalid_choice", params={"value": text}
                )
        return check_values(value)

    field._check_values = guarded


class CleanTextMixin:
    """Every text input is stripped, limited in length, and refused if it carries markup."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if isinstance(field, forms.CharField) and not isinstance(field, forms.EmailField):
                if field.max_length is None:
                    field.max_length = TEXT_MAX_LENGTH
                    field.validators.append(forms.CharField(max_length=TEXT_MAX_LENGTH).validators[0])
                field.validators.append(reject_markup)
            if isinstance(field, forms.ModelMultipleChoiceField):
                _guard_oversized_pks(field)
            if isinstance(field, forms.DateField) and not isinstance(field, ThaiDateField):
                # Swap Django's C.E.-only date field for the B.E.-aware one, keeping its settings.
                self.fields[name] = ThaiDateField(
                    required=field.required,
                    label=field.label,
                    help_text=field.help_text,
                    initial=field.initial,
                )


class BaseModelForm(CleanTextMixin, forms.ModelForm):
    """ModelForm with Thai-friendly fields and a crispy helper that renders the whole form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class BaseForm(CleanTextMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class LockoutAuthenticationForm(AuthenticationForm):
    """Sign-in that locks an account for a while after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed sign-ins. This account is locked until %(until)s. Try again later."),
    }

    def clean(self):
        from coopsupport import services

        username = self.cleaned_data.get("username")
        now = timezone.now()
        locked_until = services.locked_until(username, now=now)
        if locked_until:
            until = timezone.localtime(locked_until).strftime("%H:%M")
            raise forms.ValidationError(self.error_messages["locked"], code="locked", params={"until": until})
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            services.record_failed_login(username, now=now)
            raise
        services.record_successful_login(self.user_cache)
        return cleaned
