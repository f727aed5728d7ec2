"""What is recorded on a contract after signing: debtor status, follow-ups, rate changes,
further disbursements, penalty waivers, guarantors, collateral and attachments."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from coopsupport.views import WriteRequiredMixin
from loans import forms, services
from loans.models import (
    FollowUp,
)
from loans.views.common import LoanFormView


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
    service = staticmethod(services.add_follow_up)

    def get_initial(self):
        return {"contacted_on": timezone.localdate()}


class RateChangeCreateView(LoanFormView):
    form_class = forms.RateChangeForm
    title = gettext_lazy("Interest rate change")
    success_message = gettext_lazy("Rate change recorded.")
    service = staticmethod(services.change_rate)


class DisbursementCreateView(LoanFormView):
    form_class = forms.DisbursementForm
    title = gettext_lazy("Further disbursement")
    success_message = gettext_lazy("Disbursement recorded; the schedule was rebuilt.")
    service = staticmethod(services.add_disbursement)


class WaiverCreateView(LoanFormView):
    form_class = forms.WaiverForm
    title = gettext_lazy("Penalty waiver")
    success_message = gettext_lazy("Penalty waiver recorded.")
    service = staticmethod(services.waive_penalty)


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


class FollowUpDoneView(WriteRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        follow_up = get_object_or_404(FollowUp.objects.for_user(request.user).select_related("loan"), pk=pk)
        services.complete_follow_up(follow_up=follow_up, by=request.user)
        messages.success(request, _("Marked as done."))
        return redirect(follow_up.loan)
