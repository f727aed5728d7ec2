"""The contract page, creating and editing a contract, its statement PDF, the guarantor ID
reveal and the institution page's loans tab."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from coopsupport.models import PersonalDataAccess
from coopsupport.views import ScopedMixin, WriteRequiredMixin
from loans import forms, services
from loans.models import (
    Attachment,
    Guarantor,
    Loan,
    PaymentAllocation,
    Reminder,
)
from loans.views.common import LoanFormView, add_service_errors

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
        next_number = state.next_due.number if state and state.next_due else None
        next_row = None  # the next installment as the schedule in force has it (principal + interest)
        for version in versions:
            version.rows = list(version.installment_rows.all())
            if version.pk == current_version_pk:
                for row in version.rows:
                    row.state = by_number.get(row.number)
                    if row.number == next_number:
                        next_row = row
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
            next_row=next_row,
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
        if assessment and assessment.isdecimal():  # not isdigit(): "²" is a digit that int() refuses
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


class AttachmentDownloadView(ScopedMixin, View):
    """Attachments are served through the scoping rule, never from a public /media/ URL."""

    model = Attachment

    def get(self, request, pk):
        attachment = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404(_("The file is no longer available.")) from None
        return FileResponse(handle, as_attachment=True, filename=attachment.file.name.rsplit("/", 1)[-1])
