"""Loan forms. Forms validate input; services do the writing (forms never write related rows)."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.th import pin

from coopsupport.forms import BaseForm, BaseModelForm, ThaiDateField
from coopsupport.models import User
from coopsupport.money import MoneyFormField
from coopsupport.thai import normalize_digits
from loans.models import (
    PERIOD_CHOICES,
    Attachment,
    Collateral,
    FollowUp,
    Fund,
    Guarantor,
    Loan,
    MethodChoices,
    Scheme,
)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
UPLOAD_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx"]


class RateField(forms.DecimalField):
    """An annual rate in percent: 0 … 100, Thai digits accepted."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 100)
        kwargs.setdefault("max_digits", 7)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_digits(value).replace("%", "").strip()
        return super().to_python(value)


def _officers(user):
    qs = User.objects.filter(is_active=True, role__in=[User.Role.OFFICER, User.Role.SUPERVISOR])
    if not user.sees_all_offices:
        qs = qs.filter(office_id=user.office_id)
    return qs.order_by("first_name", "username")


class LoanForm(BaseModelForm):
    """A new contract: its terms, the first disbursement and the rate at signing."""

    annual_rate_pct = RateField(
        label=_("interest rate (% a year)"), required=False, help_text=_("Leave empty for the fund's rate.")
    )
    debtor_class = forms.CharField(label=_("debtor class"), required=False, max_length=50)
    disbursed_on = ThaiDateField(label=_("first disbursement date"))
    disbursed_amount = MoneyFormField(
        label=_("amount disbursed"), required=False, positive=True,
        help_text=_("Leave empty if the whole approved amount was paid out."),
    )  # fmt: skip
    assessment = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Loan
        fields = [
            "borrower", "fund", "scheme", "contract_number", "signed_on", "purpose", "approved_amount",
            "committee", "resolution_number", "resolution_on", "method", "period_months", "installments",
            "first_due_on", "day_count", "penalty_rate_pct", "responsible_officer", "note",
        ]  # fmt: skip
        field_classes = {"approved_amount": MoneyFormField}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from cooperatives.models import Institution

        self.fields["borrower"].queryset = Institution.objects.for_user(user).order_by("name")
        self.fields["fund"].queryset = Fund.objects.active()
        self.fields["scheme"].queryset = Scheme.objects.active().select_related("fund")
        self.fields["responsible_officer"].queryset = _officers(user)
        self.fields["penalty_rate_pct"] = RateField(
            label=_("penalty rate (% a year)"),
            required=False,
            help_text=_("Leave empty for the fund's rate."),
        )
        self.fields["approved_amount"].positive = True
        self.fields["installments"].widget.attrs.update({"min": 1, "max": 600})

    def clean(self):
        data = super().clean()
        fund, scheme = data.get("fund"), data.get("scheme")
        if scheme and fund and scheme.fund_id != fund.pk:
            self.add_error("scheme", _("The scheme belongs to another fund."))
        if fund:
            if data.get("annual_rate_pct") is None:
                data["annual_rate_pct"] = scheme.effective_rate_pct if scheme else fund.rate_pct
            if data.get("penalty_rate_pct") is None:
                data["penalty_rate_pct"] = (
                    scheme.effective_penalty_rate_pct if scheme else fund.penalty_rate_pct
                )
        return data

    def _post_clean(self):
        # Model validation would reject the blank penalty rate before clean() fills it in.
        self.instance.penalty_rate_pct = self.cleaned_data.get("penalty_rate_pct") or 0
        super()._post_clean()

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("assessment", None)
        return data


class LoanEditForm(BaseModelForm):
    """The descriptive fields of a contract (money terms change through their own forms)."""

    class Meta:
        model = Loan
        fields = [
            "contract_number", "scheme", "purpose", "committee", "resolution_number", "resolution_on",
            "responsible_officer", "note",
        ]  # fmt: skip
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = Scheme.objects.filter(fund_id=self.instance.fund_id)
        self.fields["responsible_officer"].queryset = _officers(user)


class PaymentForm(BaseForm):
    paid_on = ThaiDateField(label=_("paid on"))
    amount = MoneyFormField(label=_("amount"), positive=True)
    receipt_number = forms.CharField(label=_("receipt number"), max_length=50, required=False)
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class ReversalForm(BaseForm):
    reason = forms.CharField(
        label=_("reason for the reversal"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class EventForm(BaseForm):
    """A debtor-status step; a restructuring also takes the new repayment terms."""

    status = forms.ChoiceField(label=_("new status"), choices=Loan.Status.choices)
    effective_on = ThaiDateField(label=_("effective on"))
    committee = forms.CharField(label=_("committee reference"), max_length=255, required=False,
                                help_text=_("Committee, resolution number and date"))  # fmt: skip
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    new_installments = forms.IntegerField(label=_("number of installments"), required=False, min_value=1,
                                          max_value=600)  # fmt: skip
    new_period_months = forms.TypedChoiceField(label=_("repayment period"), choices=PERIOD_CHOICES, coerce=int,
                                               initial=12, required=False)  # fmt: skip
    new_first_due_on = ThaiDateField(label=_("first due date"), required=False)
    new_method = forms.ChoiceField(label=_("repayment method"), choices=MethodChoices.choices, required=False)
    new_rate_pct = RateField(label=_("interest rate (% a year)"), required=False,
                             help_text=_("Leave empty to keep the rate in force."))  # fmt: skip
    waive_penalty = forms.BooleanField(
        label=_("waive the unpaid penalty (committee resolution)"), required=False
    )

    RESTRUCTURE_FIELDS = ("new_installments", "new_period_months", "new_first_due_on", "new_method")

    def clean(self):
        data = super().clean()
        if data.get("status") == Loan.Status.RESTRUCTURED:
            for name in self.RESTRUCTURE_FIELDS:
                if data.get(name) in (None, ""):
                    self.add_error(name, _("Needed for a restructuring."))
        return data

    def restructure_terms(self):
        from loans.services import RestructureTerms

        data = self.cleaned_data
        if data.get("status") != Loan.Status.RESTRUCTURED:
            return None
        return RestructureTerms(
            installments=data["new_installments"],
            period_months=data["new_period_months"],
            first_due_on=data["new_first_due_on"],
            method=data["new_method"],
            rate_pct=data.get("new_rate_pct"),
            waive_penalty=data.get("waive_penalty", False),
        )


class FollowUpForm(BaseForm):
    kind = forms.ChoiceField(label=pgettext_lazy("loans", "kind"), choices=FollowUp.Kind.choices)
    contacted_on = ThaiDateField(label=_("date"))
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    promise_amount = MoneyFormField(label=_("promised amount"), required=False, positive=True)
    promise_on = ThaiDateField(label=_("promised payment date"), required=False)


class RateChangeForm(BaseForm):
    effective_on = ThaiDateField(label=_("effective from"))
    rate_pct = RateField(label=_("interest rate (% a year)"))
    debtor_class = forms.CharField(label=_("debtor class"), max_length=50, required=False)
    reason = forms.CharField(label=_("reason"), max_length=255, required=False)


class DisbursementForm(BaseForm):
    disbursed_on = ThaiDateField(label=_("disbursed on"))
    amount = MoneyFormField(label=_("amount"), positive=True)
    note = forms.CharField(label=_("note"), max_length=255, required=False)


class WaiverForm(BaseForm):
    waived_on = ThaiDateField(label=_("waived on"))
    amount = MoneyFormField(label=_("amount"), positive=True)
    resolution = forms.CharField(label=_("committee resolution"), max_length=255, required=False)
    note = forms.CharField(label=_("note"), max_length=255, required=False)


_NID_SEPARATORS = re.compile(r"[\s\-]")


class GuarantorForm(BaseModelForm):
    class Meta:
        model = Guarantor
        fields = ["name", "national_id", "position", "relation", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["national_id"].max_length = 30  # dashes and spaces are stripped in clean
        self.fields["national_id"].widget.attrs["maxlength"] = 30
        self.fields["national_id"].validators = [v for v in self.fields["national_id"].validators
                                                 if not hasattr(v, "limit_value")]  # fmt: skip

    def clean_national_id(self):
        raw = self.cleaned_data.get("national_id", "")
        if not raw:
            return ""
        number = _NID_SEPARATORS.sub("", normalize_digits(raw))
        try:
            return pin.validate(number)
        except StdnumError:
            raise forms.ValidationError(
                _("This is not a valid 13-digit national ID number (check digit)."), code="invalid"
            ) from None


class CollateralForm(BaseModelForm):
    class Meta:
        model = Collateral
        fields = ["kind", "description", "value"]
        field_classes = {"value": MoneyFormField}


class AttachmentForm(BaseModelForm):
    class Meta:
        model = Attachment
        fields = ["title", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].validators.append(FileExtensionValidator(UPLOAD_EXTENSIONS))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


# ------------------------------------------------------------------ collection sheet


class CollectionSheetForm(BaseForm):
    paid_on = ThaiDateField(label=_("date received"))


class LoanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.contract_number} — {obj.borrower.name}"


class CollectionRowForm(BaseForm):
    loan = LoanChoiceField(label=_("contract"), queryset=Loan.objects.none(), required=False)
    amount = MoneyFormField(label=_("amount"), positive=True, required=False)
    receipt_number = forms.CharField(label=_("receipt number"), max_length=50, required=False)
    note = forms.CharField(label=_("note"), max_length=255, required=False)

    def __init__(self, *args, loans=None, loan_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if loans is not None:
            self.fields["loan"].queryset = loans
        if loan_choices is not None:  # read once by the formset, not once per row
            self.fields["loan"].choices = loan_choices
        self.helper.form_show_labels = False

    def clean(self):
        data = super().clean()
        if data.get("loan") and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Enter the amount received."))
        if data.get("amount") is not None and not data.get("loan"):
            self.add_error("loan", _("Choose the contract."))
        return data

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get("loan") and self.cleaned_data.get("amount") is None


class BaseCollectionFormSet(forms.BaseFormSet):
    def __init__(self, *args, loans=None, **kwargs):
        self.loans = loans
        super().__init__(*args, **kwargs)

    @cached_property
    def loan_choices(self) -> list | None:
        if self.loans is None:
            return None
        return list(LoanChoiceField(queryset=self.loans, required=False).choices)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["loans"] = self.loans
        kwargs["loan_choices"] = self.loan_choices
        return kwargs

    def clean(self):
        if any(self.errors):
            return
        if not any(not f.is_blank for f in self.forms if f.cleaned_data):
            raise forms.ValidationError(_("Enter at least one receipt."))


CollectionFormSet = forms.formset_factory(
    CollectionRowForm, formset=BaseCollectionFormSet, extra=10, max_num=200, validate_max=True
)
