"""What the loan pages share: service errors onto forms, and the form view on one contract."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView

from coopsupport.views import WriteRequiredMixin
from loans.models import (
    Loan,
)


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class LoanChildMixin(WriteRequiredMixin):
    """A write view on one contract in the user's scope (out of scope: 404)."""

    loan_kwarg = "pk"

    @cached_property
    def loan(self) -> Loan:
        return get_object_or_404(Loan.objects.for_user(self.request.user).select_related("borrower"),
                                 pk=self.kwargs[self.loan_kwarg])  # fmt: skip

    def get_success_url(self):
        return self.loan.get_absolute_url()


class LoanFormView(LoanChildMixin, FormView):
    """Bind a form, call ``perform(form)``; service ValidationErrors come back onto the form.
    By default ``perform`` hands the cleaned data to ``service`` with the contract, the user and today."""

    template_name = "loans/form.html"
    title = ""
    success_message = ""
    service = None  # staticmethod(services.<verb>), unless the view overrides perform()

    def get_context_data(self, **kwargs):
        title = f"{self.title} · {self.loan.contract_number}"
        return super().get_context_data(
            title=title, cancel_url=self.loan.get_absolute_url(), loan=self.loan, **kwargs
        )

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def perform(self, form):
        self.service(loan=self.loan, by=self.request.user, today=timezone.localdate(), **form.cleaned_data)
