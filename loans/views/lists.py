"""Contract lists: all contracts, due soon, overdue (with aging), the follow-up log."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopsupport.views import ScopedListView
from loans.filtersets import BUCKET_CHOICES, FollowUpFilterSet, LoanFilterSet, bucket_q
from loans.models import (
    FollowUp,
    Loan,
)
from loans.tables import DueSoonTable, FollowUpTable, LoanTable, OverdueTable


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
    non_filter_params = LoanListView.non_filter_params | {"days"}

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
