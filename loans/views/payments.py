"""Recording a payment (preview, then confirm), reversing one, and the day's collection sheet."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from coopsupport.views import WriteRequiredMixin
from loans import forms, services
from loans.models import (
    Loan,
    Payment,
)
from loans.views.common import LoanFormView, add_service_errors


class PaymentCreateView(LoanFormView):
    """Two steps: the form posts to a preview of the allocation; "confirm" posts it for real."""

    form_class = forms.PaymentForm
    title = gettext_lazy("Record a payment")
    template_name = "loans/payment_form.html"

    def get_initial(self):
        return {"paid_on": timezone.localdate()}

    def form_valid(self, form):
        data = form.cleaned_data
        today = timezone.localdate()
        if "edit" in self.request.POST:  # "Back" from the confirmation page
            return self.render_to_response(self.get_context_data(form=form))
        if "confirm" not in self.request.POST:
            try:
                preview = services.preview_payment(loan=self.loan, amount=data["amount"], paid_on=data["paid_on"],
                                                   today=today)  # fmt: skip
            except ValidationError as exc:
                add_service_errors(form, exc)
                return self.form_invalid(form)
            return render(self.request, "loans/payment_confirm.html", self._confirm_context(form, preview))
        try:
            payment = services.record_payment(loan=self.loan, by=self.request.user, today=today, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Payment of %(amount)s baht recorded.") % {"amount": f"{payment.amount:,.2f}"},
        )
        return HttpResponseRedirect(self.get_success_url())

    def _confirm_context(self, form, preview):
        numbers = preview.installment_numbers
        due = {i.pk: i for i in self.loan.schedule_versions.get(is_active=True).installment_rows.all()}
        principal = [(due.get(numbers.get(p.installment)), p) for p in preview.allocation.principal]
        return {
            "title": _("Confirm the payment"), "loan": self.loan, "form": form, "preview": preview,
            "principal_rows": principal, "cancel_url": self.loan.get_absolute_url(),
        }  # fmt: skip


class PaymentReverseView(WriteRequiredMixin, FormView):
    form_class = forms.ReversalForm
    template_name = "loans/payment_reverse.html"

    @cached_property
    def payment(self) -> Payment:
        return get_object_or_404(Payment.objects.for_user(self.request.user).select_related("loan__borrower"),
                                 pk=self.kwargs["pk"])  # fmt: skip

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Reverse a payment"), payment=self.payment, loan=self.payment.loan,
            cancel_url=self.payment.loan.get_absolute_url(), **kwargs,
        )  # fmt: skip

    def form_valid(self, form):
        if self.payment.is_reversed:
            messages.info(self.request, _("This payment has already been reversed."))
            return redirect(self.payment.loan)
        try:
            services.reverse_payment(payment=self.payment, reason=form.cleaned_data["reason"], by=self.request.user,
                                     today=timezone.localdate())  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The payment was reversed."))
        return redirect(self.payment.loan)


class CollectionSheetView(WriteRequiredMixin, TemplateView):
    """A day's receipts for many contracts in one form: all saved, or none."""

    template_name = "loans/collection_sheet.html"

    def loans(self):
        return (
            Loan.objects.for_user(self.request.user)
            .open()
            .select_related("borrower")
            .order_by("contract_number")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", forms.CollectionSheetForm(initial={"paid_on": timezone.localdate()}))
        ctx.setdefault("formset", forms.CollectionFormSet(loans=self.loans(), prefix="rows"))
        ctx["title"] = _("Collection sheet")
        return ctx

    def post(self, request, *args, **kwargs):
        form = forms.CollectionSheetForm(request.POST)
        formset = forms.CollectionFormSet(request.POST, loans=self.loans(), prefix="rows")
        if form.is_valid() and formset.is_valid():
            filled = [f for f in formset.forms if f.cleaned_data and not f.is_blank]
            rows = [services.CollectionRow(f.cleaned_data["loan"], f.cleaned_data["amount"],
                                           f.cleaned_data["receipt_number"], f.cleaned_data["note"]) for f in filled]  # fmt: skip
            try:
                payments = services.record_collection_sheet(paid_on=form.cleaned_data["paid_on"], rows=rows,
                                                            by=request.user, today=timezone.localdate())  # fmt: skip
            except services.CollectionSheetError as exc:
                for index, error in exc.row_errors.items():
                    add_service_errors(filled[index], error)
                messages.error(request, exc.messages[0])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                total = sum(p.amount for p in payments)
                messages.success(request, _("%(count)s payments recorded, %(total)s baht in all.")
                                 % {"count": len(payments), "total": f"{total:,.2f}"})  # fmt: skip
                return redirect("loans:loan_list")
        return self.render_to_response(self.get_context_data(form=form, formset=formset))
