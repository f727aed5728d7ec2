"""Loan pages. Views orchestrate only: load the scoped object, bind the form, call the service,
add a message, redirect. Money comes from ``services.loan_state`` or the snapshot columns."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Sum
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from coopsupport.models import PersonalDataAccess
from coopsupport.views import ScopedListView, ScopedMixin, WriteRequiredMixin
from loans import forms, services
from loans.filtersets import BUCKET_CHOICES, FollowUpFilterSet, LoanFilterSet, bucket_q
from loans.models import (
    FollowUp,
    Guarantor,
    Loan,
    Payment,
    PaymentAllocation,
    Reminder,
)
from loans.tables import DueSoonTable, FollowUpTable, LoanTable, OverdueTable

# GET parameters LoanCreateView accepts as initial data (e.g. from a feasibility assessment).
INITIAL_PARAMS = (
    "borrower",
    "approved_amount",
    "annual_rate_pct",
    "installments",
    "period_months",
    "purpose",
    "note",
)


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# ------------------------------------------------------------------ lists


class LoanListView(ScopedListView):
    model = Loan
    table_class = LoanTable
    filterset_class = LoanFilterSet
    title = gettext_lazy("Loan contracts")
    export_name = "loans"
    create_url_name = "loans:loan_create"
    template_name = "loans/loan_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("borrower", "fund", "responsible_officer")


class DueSoonView(LoanListView):
    """Open contracts with an installment due in the next 30 or 60 days."""

    table_class = DueSoonTable
    export_name = "loans-due"
    create_url_name = None
    template_name = "loans/due_list.html"

    @cached_property
    def days(self) -> int:
        return 60 if self.request.GET.get("days") == "60" else 30

    @property
    def title(self):
        return _("Due in the next %(days)s days") % {"days": self.days}

    def get_queryset(self):
        today = timezone.localdate()
        return (
            super()
            .get_queryset()
            .open()
            .filter(next_due_on__gte=today, next_due_on__lte=today + timedelta(days=self.days))
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["days"] = self.days
        ctx["totals"] = self.object_list.aggregate(count=Count("pk"), amount=Sum("next_due_amount"))
        return ctx


class OverdueView(LoanListView):
    """Contracts with something late, with the aging summary of the filtered rows."""

    table_class = OverdueTable
    export_name = "loans-overdue"
    create_url_name = None
    template_name = "loans/overdue_list.html"
    title = gettext_lazy("Overdue contracts")

    def get_queryset(self):
        return super().get_queryset().overdue()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = self.object_list
        aggregates = {}
        for value, _label in BUCKET_CHOICES[1:]:
            aggregates[f"n_{value}"] = Count("pk", filter=bucket_q(value))
            aggregates[f"o_{value}"] = Sum("outstanding_principal", filter=bucket_q(value))
            aggregates[f"d_{value}"] = Sum("overdue_amount", filter=bucket_q(value))
        totals = qs.aggregate(**aggregates)
        ctx["aging"] = [
            {"label": label, "bucket": value, "count": totals[f"n_{value}"], "outstanding": totals[f"o_{value}"] or 0,
             "overdue": totals[f"d_{value}"] or 0}
            for value, label in BUCKET_CHOICES[1:]
        ]  # fmt: skip
        return ctx


class FollowUpListView(ScopedListView):
    model = FollowUp
    table_class = FollowUpTable
    filterset_class = FollowUpFilterSet
    title = gettext_lazy("Follow-up log")
    export_name = "loan-follow-ups"

    def get_queryset(self):
        return super().get_queryset().select_related("loan__borrower", "recorded_by")


# ------------------------------------------------------------------ the contract page


class LoanDetailView(ScopedMixin, DetailView):
    model = Loan
    template_name = "loans/loan_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "borrower__district", "borrower__province", "fund", "scheme", "responsible_officer"
            )
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        loan = self.object
        today = timezone.localdate()
        try:
            replay = services.loan_replay(loan, today)
        except ValueError as exc:
            replay = None
            messages.error(self.request, _("The figures cannot be computed: %(reason)s") % {"reason": exc})
        versions = list(
            loan.schedule_versions.prefetch_related("installment_rows")
            .select_related("created_by")
            .order_by("-number")
        )
        state = replay.state if replay else None
        by_number = {i.number: i for i in state.installments} if state else {}
        current_version_pk = replay.phase.version.pk if replay else None
        for version in versions:
            version.rows = list(version.installment_rows.all())
            if version.pk == current_version_pk:
                for row in version.rows:
                    row.state = by_number.get(row.number)
        payments = list(
            loan.payments.select_related("posted_by", "reversal__reversed_by")
            .prefetch_related(
                Prefetch(
                    "allocations", queryset=PaymentAllocation.objects.select_related("installment__version")
                )
            )
            .order_by("-paid_on", "-id")
        )
        for payment in payments:
            parts = {"penalty": 0, "interest": 0, "principal": 0}
            for a in payment.allocations.all():
                key = a.component if a.component in ("penalty", "interest") else "principal"
                parts[key] += a.amount
            payment.parts = parts
        ctx.update(
            today=today,
            state=state,
            versions=versions,
            payments=payments,
            disbursements=list(loan.disbursements.all()),
            rate_changes=list(loan.rate_changes.all()),
            waivers=list(loan.penalty_waivers.all()),
            events=list(loan.events.select_related("recorded_by", "schedule_version")),
            follow_ups=list(loan.follow_ups.select_related("recorded_by")),
            guarantors=list(loan.guarantors.all()),
            collaterals=list(loan.collaterals.all()),
            attachments=list(loan.attachments.select_related("uploaded_by")),
            reminders=list(
                Reminder.objects.filter(installment__version__loan=loan).select_related(
                    "level", "installment__version"
                )
            ),
            statement=_statement(state) if state else None,
            can_write=self.request.user.can_write and not loan.is_closed,
            can_reverse=self.request.user.can_write,
        )
        return ctx


def _statement(state):
    """Accrued versus paid, from one ContractState."""
    return {
        "interest_accrued": state.interest_paid + state.accrued_interest,
        "interest_paid": state.interest_paid,
        "interest_unpaid": state.accrued_interest,
        "penalty_accrued": state.penalty_paid + state.accrued_penalty,
        "penalty_paid": state.penalty_paid,
        "penalty_unpaid": state.accrued_penalty,
        "penalty_waived": state.penalty_waived,
        "principal_paid": state.principal_paid,
        "principal_outstanding": state.outstanding_principal,
    }


# ------------------------------------------------------------------ contract create / edit


class LoanCreateView(WriteRequiredMixin, FormView):
    form_class = forms.LoanForm
    template_name = "loans/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = {"method": "equal_principal", "day_count": "actual_365", "period_months": 12,
                   "responsible_officer": self.request.user.pk if self.request.user.role == "officer" else None}  # fmt: skip
        initial.update({k: self.request.GET[k] for k in INITIAL_PARAMS if self.request.GET.get(k)})
        assessment = self.request.GET.get("assessment")
        if assessment and assessment.isdigit():
            from projects import services as project_services  # lazy: projects may depend on loans

            initial.update(project_services.loan_initial_from_assessment(int(assessment), self.request.user))
            initial["assessment"] = int(assessment)
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("New loan contract"), cancel_url=reverse("loans:loan_list"), **kwargs
        )

    def form_valid(self, form):
        assessment = form.cleaned_data.get("assessment")
        try:
            with transaction.atomic():
                loan = services.create_loan(by=self.request.user, **form.service_kwargs())
                if assessment:
                    from projects import services as project_services

                    try:
                        project_services.link_assessment_to_loan(assessment, loan, self.request.user)
                    except ValueError as exc:  # e.g. the borrower is not the assessed institution
                        raise ValidationError(str(exc)) from None
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Contract %(number)s saved.") % {"number": loan.contract_number})
        return redirect(loan)


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
    """Bind a form, call ``perform(form)``; service ValidationErrors come back onto the form."""

    template_name = "loans/form.html"
    title = ""
    success_message = ""

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

    def perform(self, form):  # pragma: no cover - abstract
        raise NotImplementedError


class LoanUpdateView(LoanFormView):
    form_class = forms.LoanEditForm
    title = gettext_lazy("Edit contract")
    success_message = gettext_lazy("Contract saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.loan}

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if fields:
            services.update_loan(loan=self.loan, by=self.request.user, **fields)


class EventCreateView(LoanFormView):
    form_class = forms.EventForm
    title = gettext_lazy("Debtor status")
    success_message = gettext_lazy("Status recorded.")
    template_name = "loans/event_form.html"

    def get_initial(self):
        return {"effective_on": timezone.localdate(), "new_method": self.loan.method,
                "new_period_months": self.loan.period_months}  # fmt: skip

    def perform(self, form):
        data = form.cleaned_data
        services.record_event(
            loan=self.loan, status=data["status"], effective_on=data["effective_on"], committee=data["committee"],
            note=data["note"], by=self.request.user, restructure=form.restructure_terms(),
            today=timezone.localdate(),
        )  # fmt: skip


class FollowUpCreateView(LoanFormView):
    form_class = forms.FollowUpForm
    title = gettext_lazy("Debt follow-up")
    success_message = gettext_lazy("Follow-up recorded.")

    def get_initial(self):
        return {"contacted_on": timezone.localdate()}

    def perform(self, form):
        services.add_follow_up(
            loan=self.loan, by=self.request.user, today=timezone.localdate(), **form.cleaned_data
        )


class RateChangeCreateView(LoanFormView):
    form_class = forms.RateChangeForm
    title = gettext_lazy("Interest rate change")
    success_message = gettext_lazy("Rate change recorded.")

    def perform(self, form):
        services.change_rate(
            loan=self.loan, by=self.request.user, today=timezone.localdate(), **form.cleaned_data
        )


class DisbursementCreateView(LoanFormView):
    form_class = forms.DisbursementForm
    title = gettext_lazy("Further disbursement")
    success_message = gettext_lazy("Disbursement recorded; the schedule was rebuilt.")

    def perform(self, form):
        services.add_disbursement(loan=self.loan, by=self.request.user, today=timezone.localdate(),
                                  **form.cleaned_data)  # fmt: skip


class WaiverCreateView(LoanFormView):
    form_class = forms.WaiverForm
    title = gettext_lazy("Penalty waiver")
    success_message = gettext_lazy("Penalty waiver recorded.")

    def perform(self, form):
        services.waive_penalty(
            loan=self.loan, by=self.request.user, today=timezone.localdate(), **form.cleaned_data
        )


class ChildModelCreateView(LoanFormView):
    """Guarantor, collateral, attachment: one row belonging to the contract."""

    def perform(self, form):
        obj = form.save(commit=False)
        obj.loan = self.loan
        if hasattr(obj, "uploaded_by_id"):
            obj.uploaded_by = self.request.user
        obj.save()


class GuarantorCreateView(ChildModelCreateView):
    form_class = forms.GuarantorForm
    title = gettext_lazy("Guarantor")
    success_message = gettext_lazy("Guarantor saved.")


class CollateralCreateView(ChildModelCreateView):
    form_class = forms.CollateralForm
    title = gettext_lazy("Collateral")
    success_message = gettext_lazy("Collateral saved.")


class AttachmentCreateView(ChildModelCreateView):
    form_class = forms.AttachmentForm
    title = gettext_lazy("Attachment")
    success_message = gettext_lazy("Attachment uploaded.")


# ------------------------------------------------------------------ payments


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


class FollowUpDoneView(WriteRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        follow_up = get_object_or_404(FollowUp.objects.for_user(request.user).select_related("loan"), pk=pk)
        services.complete_follow_up(follow_up=follow_up, by=request.user)
        messages.success(request, _("Marked as done."))
        return redirect(follow_up.loan)


class GuarantorRevealView(LoginRequiredMixin, View):
    """Show a guarantor's full national ID once, and log who saw it (PDPA). Reading, so every role
    in scope may do it; it is a POST because it writes the access log."""

    http_method_names = ["post"]

    def post(self, request, pk):
        guarantor = get_object_or_404(Guarantor.objects.for_user(request.user), pk=pk)
        if not guarantor.national_id:
            raise Http404
        PersonalDataAccess.objects.create(
            user=request.user, object_type="loans.guarantor", object_id=str(guarantor.pk), field="national_id",
            purpose=_("Loan contract page"),
        )  # fmt: skip
        return render(request, "loans/_national_id.html", {"guarantor": guarantor})


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


class InstitutionLoansTabView(LoginRequiredMixin, TemplateView):
    """The "loans" tab on an institution page (an htmx fragment)."""

    template_name = "loans/_institution_tab.html"

    def get_context_data(self, **kwargs):
        from cooperatives.models import Institution

        ctx = super().get_context_data(**kwargs)
        institution = get_object_or_404(Institution.objects.for_user(self.request.user), pk=self.kwargs["pk"])
        loans = list(institution.loans.select_related("fund").order_by("-signed_on"))
        ctx.update(
            institution=institution,
            loans=loans,
            totals={
                "outstanding": sum(x.outstanding_principal for x in loans),
                "overdue": sum(x.overdue_amount for x in loans),
            },  # fmt: skip
            can_write=self.request.user.can_write,
        )
        return ctx


class StatementPdfView(ScopedMixin, View):
    """Borrower statement PDF as of today, rendered in Celery. Any role that can read the loan may
    print it: requesting a document changes no record."""

    model = Loan

    def post(self, request, pk):
        from loans.reminders import STATEMENT_KIND
        from reports.services import request_document

        loan = get_object_or_404(self.get_queryset().select_related("borrower"), pk=pk)
        today = timezone.localdate()
        document = request_document(
            kind=STATEMENT_KIND,
            params={"loan_id": loan.pk, "as_of": today.isoformat()},
            office=loan.borrower.office,
            title=_("Statement of contract %(number)s") % {"number": loan.contract_number},
            user=request.user,
        )
        messages.info(request, _("The statement PDF is being prepared."))
        return redirect("reports:document_detail", pk=document.pk)
