"""Forms of the reports app: indicators, monthly results, the month/office pickers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from coopsupport import thai
from coopsupport.forms import BaseForm, BaseModelForm, reject_markup
from coopsupport.models import Office
from coopsupport.scoping import offices_for_user
from reports import measures, metrics
from reports.models import Indicator
from reports.templatetags.report_format import qty

MAX_QUANTITY = Decimal("999999999999.99")
MIN_FY, MAX_FY = 2550, 2700


class QuantityInput(forms.TextInput):
    """Shows 12 rather than 12.00 and 1,234.50 with its separator; opens the numeric keypad."""

    def __init__(self, attrs=None):
        super().__init__(
            {"inputmode": "decimal", "autocomplete": "off", "class": "text-end", **(attrs or {})}
        )

    def format_value(self, value):
        if isinstance(value, Decimal):
            return qty(value)
        return super().format_value(value)


class QuantityField(forms.DecimalField):
    """A plan or result: accepts 1,234.5 and Thai digits; refuses negative or absurd numbers."""

    default_error_messages = {
        "invalid": _("Enter a number, e.g. 12 or 1,234.50"),
        "negative": _("The number must not be negative"),
        "too_large": _("The number is too large"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", QuantityInput)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            amount = measures.quantity(str(value).replace(" ", ""))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if amount < 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if amount > MAX_QUANTITY:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        return amount

    def validate(self, value):
        forms.Field.validate(self, value)


class FiscalYearField(forms.IntegerField):
    """A B.E. fiscal year (2570); Thai digits accepted."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", MIN_FY)
        kwargs.setdefault("max_value", MAX_FY)
        kwargs.setdefault("help_text", _("Buddhist Era, e.g. 2570 (1 Oct 2569 – 30 Sep 2570)"))
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(
            thai.normalize_digits(str(value)) if value not in self.empty_values else value
        )


def month_field_name(month: date) -> str:
    return f"target_{month:%Y_%m}"


class IndicatorForm(BaseModelForm):
    fiscal_year_be = FiscalYearField(label=_("fiscal year (B.E.)"))
    annual_target = QuantityField(label=_("annual plan target"))

    class Meta:
        model = Indicator
        fields = ("office", "fiscal_year_be", "order", "code", "name", "unit", "annual_target", "source",
                  "auto_metric", "is_active")  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["office"].queryset = offices_for_user(user).exclude(kind=Office.Kind.CENTRAL)
        if not user.sees_all_offices:
            self.fields.pop("office")
            if not self.instance.pk:
                self.instance.office = user.office
        self.fields["auto_metric"] = forms.ChoiceField(
            label=_("counted from"), required=False, choices=[("", "—"), *metrics.choices()],
            help_text=_("Only for indicators counted by the system."),
        )  # fmt: skip
        fy = self._fiscal_year()
        existing = measures.parse_monthly_targets(self.instance.monthly_targets) if self.instance.pk else ()
        for i, month in enumerate(measures.fiscal_months(fy)):
            self.fields[month_field_name(month)] = QuantityField(
                label=thai.format_date(month).split(" ", 1)[1], required=False,
                initial=existing[i] if existing else None,
            )  # fmt: skip
        self.month_fields = [month_field_name(m) for m in measures.fiscal_months(fy)]

    def _fiscal_year(self) -> int:
        raw = self.data.get(self.add_prefix("fiscal_year_be")) if self.is_bound else None
        try:
            fy = int(thai.normalize_digits(str(raw))) if raw else None
        except ValueError:
            fy = None
        if fy is None or not MIN_FY <= fy <= MAX_FY:
            fy = self.instance.fiscal_year_be or self.initial.get("fiscal_year_be") or MIN_FY
        return int(fy)

    def clean(self):
        cleaned = super().clean()
        # The database refuses a second indicator of the same name for an office and year; say so
        # here (officers have no office field, so model validation would not check it).
        office = cleaned.get("office") if "office" in self.fields else self.instance.office
        name, fy = cleaned.get("name"), cleaned.get("fiscal_year_be")
        if office and name and fy:
            same = Indicator.objects.filter(office=office, fiscal_year_be=fy, name=name)
            if same.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "name", _("This office already has an indicator of this name for that fiscal year.")
                )
        if cleaned.get("source") == Indicator.Source.AUTO and not cleaned.get("auto_metric"):
            self.add_error("auto_metric", _("Choose what the system counts."))
        if cleaned.get("source") == Indicator.Source.MANUAL:
            cleaned["auto_metric"] = ""
        targets = [cleaned.get(name) for name in self.month_fields]
        if any(t is not None for t in targets):
            targets = [t or Decimal("0.00") for t in targets]
            annual = cleaned.get("annual_target")
            if annual is not None:
                try:
                    measures.check_monthly_targets(annual, targets)
                except ValueError:
                    raise forms.ValidationError(
                        _("The monthly targets add up to %(sum)s but the annual target is %(annual)s."),
                        params={"sum": thai.format_money(sum(targets)), "annual": thai.format_money(annual)},
                    ) from None
            cleaned["monthly_targets"] = [str(t) for t in targets]
        else:
            cleaned["monthly_targets"] = []
        return cleaned

    def save(self, commit=True):
        self.instance.monthly_targets = self.cleaned_data["monthly_targets"]
        self.instance.auto_metric = self.cleaned_data.get("auto_metric", "")
        if "office" not in self.fields:
            self.instance.office = self.user.office
        return super().save(commit)


class MonthForm(BaseForm):
    """Which month (B.E. or C.E. year, e.g. 2569-10) and, for central staff, which office."""

    month = forms.CharField(label=_("month"), max_length=20, help_text=_("e.g. 2569-10"))
    office = forms.ModelChoiceField(label=_("office"), queryset=Office.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.sees_all_offices:
            self.fields["office"].queryset = offices_for_user(user).exclude(kind=Office.Kind.CENTRAL)
        else:
            self.fields.pop("office")

    def clean_month(self):
        try:
            return measures.parse_month(self.cleaned_data["month"])
        except ValueError:
            raise forms.ValidationError(
                _("Enter a month like 2569-10 (year B.E. – month)."), code="invalid"
            ) from None


def month_param(month: date) -> str:
    """date(2026, 10, 1) -> "2569-10" (what MonthForm reads back)."""
    return f"{thai.be_year(month.year)}-{month.month:02d}"


class ResultEntryForm(BaseForm):
    """One value and note per manual indicator of the month."""

    def __init__(self, *args, indicators, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        self.rows = []
        for ind in self.indicators:
            result = existing.get(ind.pk)
            value_name, note_name = f"value_{ind.pk}", f"note_{ind.pk}"
            self.fields[value_name] = QuantityField(
                label=str(ind), required=False, initial=result.value if result else None
            )
            self.fields[note_name] = forms.CharField(
                label=_("note"), required=False, max_length=1000, initial=result.note if result else "",
                widget=forms.TextInput(), validators=[reject_markup],
            )  # fmt: skip
            self.rows.append((ind, value_name, note_name))

    def entries(self) -> dict:
        return {
            ind: (self.cleaned_data.get(value_name), self.cleaned_data.get(note_name, ""))
            for ind, value_name, note_name in self.rows
        }

    def bound_rows(self):
        return [(ind, self[value_name], self[note_name]) for ind, value_name, note_name in self.rows]


class SignOffForm(BaseForm):
    note = forms.CharField(
        label=_("note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DashboardFilterForm(BaseForm):
    """Fiscal year (B.E.) and, for central staff, an office (empty = every office)."""

    fiscal_year_be = forms.TypedChoiceField(label=_("fiscal year"), coerce=int, required=False)
    office = forms.ModelChoiceField(
        label=_("office"), queryset=Office.objects.none(), required=False, empty_label=_("All offices")
    )

    def __init__(self, *args, user, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.current_fy = thai.fiscal_year(today)
        years = range(self.current_fy + 1, self.current_fy - 5, -1)
        self.fields["fiscal_year_be"].choices = [(fy, str(fy)) for fy in years]
        self.fields["fiscal_year_be"].initial = self.current_fy
        if user.sees_all_offices:
            self.fields["office"].queryset = offices_for_user(user).exclude(kind=Office.Kind.CENTRAL)
        else:
            self.fields.pop("office")

    def selection(self) -> tuple[Office | None, int]:
        """(office or None for all, fiscal year); anything invalid falls back to the defaults."""
        office = None if self.user.sees_all_offices else self.user.office
        fy = self.current_fy
        if self.is_bound and self.is_valid():
            fy = self.cleaned_data.get("fiscal_year_be") or fy
            if self.user.sees_all_offices:
                office = self.cleaned_data.get("office")
        return office, fy
