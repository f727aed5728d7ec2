"""Forms of the institution register. They validate (through the pure rules) and never write."""

from __future__ import annotations

import re

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperatives import rules
from cooperatives.geo import district_queryset, offices_with_province
from cooperatives.models import BusinessLine, Contact, Institution, Person, YearlyFigure
from coopsupport.forms import BaseForm, BaseModelForm, ThaiDateField
from coopsupport.models import AreaTeam, Office, Subdistrict, User
from coopsupport.money import MoneyFormField
from coopsupport.thai import BE_OFFSET, BE_THRESHOLD, MONTHS_LONG, normalize_digits

PROBLEM_MESSAGES = {
    "type_not_for_kind": _("This type does not belong to the chosen kind of institution."),
    "registration_required": _("Cooperatives and farmer groups must have a registration number."),
    "parent_not_allowed": _(
        "Only women's, youth, occupational and other groups can be attached to a cooperative."
    ),
    "parent_not_cooperative": _("The parent must be a cooperative."),
    "parent_other_office": _("The parent cooperative must belong to the same office."),
    "farmer_group_too_small": _(
        "A farmer group should have at least 30 members (Royal Decree B.E. 2547); please check the member count."
    ),
}
NATIONAL_ID_MESSAGES = {
    "length": _("A national ID number has 13 digits."),
    "format": _("A national ID number may contain only digits."),
    "checksum": _("This national ID number is not valid (check digit)."),
}
MAX_MEMBERS = 10_000_000
MAX_COUNT = 10_000
_PHONE_RE = re.compile(r"^[0-9+\-() ,#.]{3,50}$")
_POSTCODE_RE = re.compile(r"^[1-9][0-9]{4}$")


def problem_message(problem: rules.Problem) -> str:
    return str(PROBLEM_MESSAGES[problem.code])


def clean_phone(value: str) -> str:
    value = normalize_digits(value or "").strip().replace("ต่อ", "#")
    if value and not _PHONE_RE.match(value):
        raise forms.ValidationError(
            _("Enter a phone number using digits, spaces, dashes or +."), code="phone"
        )
    return value.replace("#", " ต่อ ").replace("  ", " ").strip()


def clean_year_be(value) -> int:
    """A B.E. accounting year; a C.E. year (e.g. 2025) is converted. Nonsense is refused in Thai."""
    if value in (None, ""):
        raise forms.ValidationError(_("Enter the accounting year (B.E.), e.g. 2568."), code="required")
    text = normalize_digits(str(value)).strip()
    if not text.isdigit() or len(text) != 4:
        raise forms.ValidationError(_("Enter the accounting year (B.E.), e.g. 2568."), code="invalid")
    year = int(text)
    if year <= BE_THRESHOLD:
        year += BE_OFFSET
    if not 2475 <= year <= 2700:
        raise forms.ValidationError(_("Enter the accounting year (B.E.), e.g. 2568."), code="range")
    return year


class ThaiIntegerField(forms.IntegerField):
    """An integer with Thai digits and thousands separators accepted, and a sane upper bound."""

    def __init__(self, *, max_value: int = MAX_COUNT, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(max_value=max_value, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric"})
        self.error_messages["invalid"] = _("Enter a whole number, e.g. 120.")

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_digits(value).replace(",", "").strip()
            if len(value) > 20:
                raise forms.ValidationError(_("The number is too large."), code="max_value")
        return super().to_python(value)


class NationalIdField(forms.CharField):
    """13 digits with a check digit; accepts Thai digits, dashes and spaces; returns 13 ASCII digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        try:
            return rules.validate_national_id(value)
        except ValueError as exc:
            raise forms.ValidationError(NATIONAL_ID_MESSAGES[str(exc)], code=str(exc)) from None


class InstitutionForm(BaseModelForm):
    """Create or edit an institution. Choices follow the institution's office (the user's own office;
    administrators pick the office)."""

    members = ThaiIntegerField(
        label=_("Members (latest accounting year)"),
        required=False,
        max_value=MAX_MEMBERS,
        help_text=_("Optional: recorded as this year's figure."),
    )

    class Meta:
        model = Institution
        fields = [
            "office", "kind", "type", "registration_number", "name", "name_en", "parent", "registered_on",
            "status", "accounting_year_end_month", "accounting_year_end_day", "address", "district",
            "subdistrict", "postcode", "phone", "email", "area_team", "responsible_officer",
            "business_lines", "note",
        ]  # fmt: skip
        widgets = {
            "business_lines": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.warnings: list[str] = []
        self.creating = self.instance.pk is None
        self.target_office = self._resolve_office()
        self._configure_fields()

    # --- set-up ----------------------------------------------------------------------------------

    def _resolve_office(self) -> Office | None:
        if not self.creating:
            return self.instance.office
        if not self.user.sees_all_offices:
            return self.user.office
        raw = self.data.get(self.add_prefix("office")) if self.is_bound else self.initial.get("office")
        raw = getattr(raw, "pk", raw)
        if raw and str(raw).isdigit():
            return offices_with_province().filter(pk=raw).first()
        return None

    def _configure_fields(self) -> None:
        f = self.fields
        if self.creating and self.user.sees_all_offices:
            f["office"].queryset = offices_with_province()
            f["office"].required = True
            f["office"].widget.attrs.update(
                {
                    "hx-get": reverse("cooperatives:institution_create"),
                    "hx-include": "closest form",
                    "hx-select": "#institution-form",
                    "hx-target": "#institution-form",
                    "hx-swap": "outerHTML",
                }
            )
        else:
            del f["office"]
        if not self.creating:
            del f["status"]
            del f["members"]
        office = self.target_office
        f["district"].queryset = district_queryset(office)
        district_id = self._bound_or_initial("district")
        f["subdistrict"].queryset = (
            Subdistrict.objects.filter(district_id=district_id, district__in=f["district"].queryset)
            if district_id
            else Subdistrict.objects.none()
        )
        f["parent"].queryset = (
            Institution.objects.filter(office=office, kind=Institution.Kind.COOPERATIVE).exclude(
                pk=self.instance.pk
            )
            if office
            else Institution.objects.none()
        )
        f["area_team"].queryset = (
            AreaTeam.objects.filter(office=office) if office else AreaTeam.objects.none()
        )
        f["responsible_officer"].queryset = (
            User.objects.filter(office=office, role=User.Role.OFFICER, is_active=True).order_by("first_name")
            if office
            else User.objects.none()
        )
        f["responsible_officer"].label_from_instance = lambda u: u.get_full_name() or u.username
        f["business_lines"].queryset = BusinessLine.objects.all()
        f["kind"].label = _("Kind of institution")
        f["type"].choices = [("", "---------"), *grouped_type_choices()]
        f["kind"].widget.attrs.update(
            {"hx-get": reverse("cooperatives:type_options"), "hx-target": "#id_type", "hx-swap": "innerHTML"}
        )
        f["district"].widget.attrs.update(
            {"hx-get": reverse("cooperatives:subdistrict_options"), "hx-target": "#id_subdistrict"}
        )
        f["subdistrict"].widget.attrs.update(
            {"hx-get": reverse("cooperatives:postcode"), "hx-target": "#id_postcode", "hx-swap": "outerHTML"}
        )
        f["postcode"].widget.attrs.update({"inputmode": "numeric"})
        f["accounting_year_end_month"].choices = [(m, MONTHS_LONG[m - 1]) for m in range(1, 13)]
        f["accounting_year_end_day"] = ThaiIntegerField(
            label=f["accounting_year_end_day"].label, max_value=31, min_value=1, initial=31
        )
        if self.creating and not self.is_bound and self.user.role == User.Role.OFFICER:
            f["responsible_officer"].initial = self.user.pk

    def _bound_or_initial(self, name: str):
        if self.is_bound:
            value = self.data.get(self.add_prefix(name))
        else:
            value = self.initial.get(name, getattr(self.instance, f"{name}_id", None))
        value = getattr(value, "pk", value)
        # At most 18 digits: a bigger number is no id and would overflow the database integer.
        return value if value and str(value).isdigit() and len(str(value)) <= 18 else None

    def _get_validation_exclusions(self):
        # Registration numbers are checked in clean_registration_number with a clear message.
        return {*super()._get_validation_exclusions(), "registration_number"}

    # --- validation ------------------------------------------------------------------------------

    def clean_registration_number(self):
        number = normalize_digits(self.cleaned_data.get("registration_number") or "").strip()
        kind = self.data.get(self.add_prefix("kind"))
        if (
            number
            and Institution.objects.filter(kind=kind, registration_number=number)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(
                _("Another institution of this kind already has this registration number.")
            )
        return number

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))

    def clean_postcode(self):
        value = normalize_digits(self.cleaned_data.get("postcode") or "").strip()
        if value and not _POSTCODE_RE.match(value):
            raise forms.ValidationError(_("A postcode has 5 digits."))
        return value

    def clean(self):
        data = super().clean()
        if self.target_office is None:
            self.add_error("office" if "office" in self.fields else None, _("Choose the office."))
            return data
        parent = data.get("parent")
        result = rules.check_institution(
            kind=data.get("kind") or "",
            type_=data.get("type") or "",
            registration_number=data.get("registration_number") or "",
            members=data.get("members"),
            parent_kind=parent.kind if parent else None,
            parent_same_office=bool(parent and parent.office_id == self.target_office.pk),
        )
        for problem in result.errors:
            field = (
                problem.field if problem.field in self.fields and problem.field not in self.errors else None
            )
            self.add_error(field, problem_message(problem))
        self.warnings = [problem_message(p) for p in result.warnings]
        district, subdistrict = data.get("district"), data.get("subdistrict")
        if subdistrict and district and subdistrict.district_id != district.pk:
            self.add_error("subdistrict", _("This sub-district is not in the chosen district."))
        if subdistrict and not data.get("postcode"):
            data["postcode"] = subdistrict.postcode
        month, day = data.get("accounting_year_end_month"), data.get("accounting_year_end_day")
        if month and day and not rules.valid_year_end(int(month), int(day)):
            self.add_error("accounting_year_end_day", _("This day does not exist in the chosen month."))
        return data


def grouped_type_choices(kind: str | None = None):
    """Type choices grouped under their kind (optgroups), or only the types of ``kind``."""
    labels = dict(Institution.Type.choices)
    if kind:
        return [(t, labels[t]) for t in rules.types_for_kind(kind)]
    return [
        (_("Cooperatives"), [(t, labels[t]) for t in rules.COOPERATIVE_TYPES]),
        (_("Farmer groups"), [(t, labels[t]) for t in rules.FARMER_GROUP_TYPES]),
        (_("Other groups"), [(t, labels[t]) for t in rules.GENERAL_TYPES]),
    ]


class StatusChangeForm(BaseForm):
    status = forms.ChoiceField(label=_("New status"), choices=Institution.Status.choices)
    effective_on = ThaiDateField(label=_("Effective date"))
    reference = forms.CharField(label=_("Order or resolution"), max_length=255, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, institution: Institution, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        self.today = today
        self.fields["status"].choices = [c for c in Institution.Status.choices if c[0] != institution.status]
        self.fields["effective_on"].initial = today

    def clean_effective_on(self):
        value = self.cleaned_data["effective_on"]
        if value > self.today:
            raise forms.ValidationError(_("The effective date cannot be in the future."))
        since = self.institution.status_since
        if since and value < since:
            raise forms.ValidationError(_("The effective date cannot be before the current status began."))
        return value


class ContactForm(BaseModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "phone", "email", "receives_reminders"]

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))


class PersonForm(BaseModelForm):
    """A board or staff member. The stored national ID is never put back into the form (PDPA)."""

    national_id = NationalIdField(label=_("National ID number"), required=False)
    remove_national_id = forms.BooleanField(label=_("Remove the stored national ID number"), required=False)

    class Meta:
        model = Person
        fields = ["kind", "name", "position", "term_start_on", "term_end_on", "national_id", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_national_id = self.instance.national_id
        self.initial["national_id"] = ""
        if self.stored_national_id:
            masked = rules.mask_national_id(self.stored_national_id)
            self.fields["national_id"].help_text = _("Stored: %(masked)s. Leave empty to keep it.") % {
                "masked": masked
            }
            self.fields["national_id"].widget.attrs["placeholder"] = masked
        else:
            del self.fields["remove_national_id"]

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))

    def clean(self):
        data = super().clean()
        start, end = data.get("term_start_on"), data.get("term_end_on")
        if start and end and end < start:
            self.add_error("term_end_on", _("The term cannot end before it starts."))
        if data.get("remove_national_id"):
            data["national_id"] = ""
        elif not data.get("national_id"):
            data["national_id"] = self.stored_national_id
        return data


class YearlyFigureForm(BaseModelForm):
    year_be = forms.CharField(label=_("Accounting year (B.E.)"), max_length=10)
    members = ThaiIntegerField(label=_("Members"), max_value=MAX_MEMBERS)
    share_capital = MoneyFormField(label=_("Share capital"))
    volume_credit = MoneyFormField(label=_("Credit business"), required=False)
    volume_deposits = MoneyFormField(label=_("Deposits"), required=False)
    volume_supply = MoneyFormField(label=_("Supply business"), required=False)
    volume_collection = MoneyFormField(label=_("Produce collection"), required=False)
    volume_processing = MoneyFormField(label=_("Processing"), required=False)
    volume_services = MoneyFormField(label=_("Services"), required=False)
    board_count = ThaiIntegerField(label=_("Board members"), required=False)
    staff_count = ThaiIntegerField(label=_("Staff"), required=False)

    class Meta:
        model = YearlyFigure
        fields = [
            "year_be", "members", "share_capital", "volume_credit", "volume_deposits", "volume_supply",
            "volume_collection", "volume_processing", "volume_services", "board_count", "staff_count",
        ]  # fmt: skip

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        self.warnings: list[str] = []

    def clean_year_be(self):
        year = clean_year_be(self.cleaned_data.get("year_be"))
        taken = YearlyFigure.objects.filter(institution=self.institution, year_be=year).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(_("Figures for this year already exist; edit them instead."))
        return year

    def clean(self):
        data = super().clean()
        for name in ("volume_credit", "volume_deposits", "volume_supply", "volume_collection",
                     "volume_processing", "volume_services", "board_count", "staff_count"):  # fmt: skip
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        result = rules.check_institution(
            kind=self.institution.kind, type_=self.institution.type, registration_number="x",
            members=data.get("members"),
        )  # fmt: skip
        self.warnings = [problem_message(p) for p in result.warnings]
        return data


class ImportUploadForm(BaseForm):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("Use the template. Dates may be B.E. (26/11/2569) and digits may be Thai."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if user.sees_all_offices:
            self.fields["office"].queryset = offices_with_province()
        else:
            del self.fields["office"]
