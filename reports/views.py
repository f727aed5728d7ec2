"""Views of the reports app: documents (status, download, retry), the dashboard, indicators and
the monthly performance report. Views orchestrate; numbers come from ``reports.queries``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView

from coopsupport import thai
from coopsupport.models import Office
from coopsupport.scoping import offices_for_user
from coopsupport.views import ScopedListView, ScopedMixin, WriteRequiredMixin
from reports import queries, renderers, services
from reports.filtersets import DocumentFilterSet, IndicatorFilterSet
from reports.forms import (
    DashboardFilterForm,
    IndicatorForm,
    MonthForm,
    ResultEntryForm,
    SignOffForm,
    month_param,
)
from reports.models import Document, Indicator, IndicatorResult, MonthlySignOff
from reports.tables import DocumentTable, IndicatorTable


class DocumentListView(ScopedListView):
    model = Document
    table_class = DocumentTable
    filterset_class = DocumentFilterSet
    title = gettext_lazy("Documents")
    export_name = "documents"

    def get_queryset(self):
        return super().get_queryset().select_related("office", "requested_by")


class DocumentDetailView(ScopedMixin, DetailView):
    """Status of a document; polls itself (htmx, every 2 s) until the file is ready or failed."""

    model = Document
    template_name = "reports/document_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("office", "requested_by")

    def get_template_names(self):
        if self.request.htmx:
            return ["reports/document_detail.html#status"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["title"] = self.object.title
        ctx["can_retry"] = user.can_write and services.can_retry(self.object, now=timezone.now())
        return ctx


class DocumentDownloadView(ScopedMixin, View):
    model = Document

    def get(self, request, pk):
        document = get_object_or_404(self.get_queryset(), pk=pk, status=Document.Status.DONE)
        try:
            handle = document.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404(_("The file is no longer available.")) from None
        # Django writes filename*=UTF-8''... (RFC 5987) for Thai names, plus an ASCII fallback.
        return FileResponse(handle, as_attachment=True, filename=document.filename or "document.pdf")


class DocumentRetryView(WriteRequiredMixin, ScopedMixin, View):
    model = Document

    def post(self, request, pk):
        document = get_object_or_404(self.get_queryset(), pk=pk)
        if not services.can_retry(document, now=timezone.now()):
            messages.info(request, _("This document does not need a retry."))
            return redirect("reports:document_detail", pk=pk)
        services.retry_document(document=document, by=request.user)
        messages.success(request, _("The document is queued again."))
        return redirect("reports:document_detail", pk=pk)


# ---------------------------------------------------------------- the dashboard


class DashboardView(LoginRequiredMixin, TemplateView):
    """Institutions, loan portfolio and monthly-report progress for an office (or all, for central)."""

    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        form = DashboardFilterForm(self.request.GET or None, user=self.request.user, today=today)
        office, fy = form.selection()
        data = queries.dashboard_data(self.request.user, office=office, fiscal_year_be=fy, today=today)
        ctx.update(title=_("Dashboard"), form=form, data=data, charts=dashboard_charts(data), today=today)
        return ctx


def dashboard_charts(data: queries.Dashboard) -> dict:
    """Chart.js data (labels + values; numbers as plain JSON numbers, money as strings of baht)."""
    charts = {
        "kind": {"labels": [t.label for t in data.by_kind], "values": [t.count for t in data.by_kind]},
        "status": {"labels": [t.label for t in data.by_status], "values": [t.count for t in data.by_status]},
        "area": {
            "labels": [t.label for t in data.by_area[:15]],
            "values": [t.count for t in data.by_area[:15]],
        },
    }
    if data.loans is not None:
        charts["aging"] = {
            "labels": [b.label for b in data.loans.buckets],
            "values": [str(b.outstanding) for b in data.loans.buckets],
            "counts": [b.count for b in data.loans.buckets],
        }
    return charts


# ---------------------------------------------------------------- indicators


class IndicatorListView(ScopedListView):
    model = Indicator
    table_class = IndicatorTable
    filterset_class = IndicatorFilterSet
    title = gettext_lazy("Performance indicators")
    export_name = "indicators"
    create_url_name = "reports:indicator_create"

    def get_queryset(self):
        return super().get_queryset().select_related("office")


class IndicatorFormMixin:
    model = Indicator
    form_class = IndicatorForm
    template_name = "reports/indicator_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_success_url(self):
        return reverse("reports:indicator_list") + f"?fiscal_year_be={self.object.fiscal_year_be}"

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            # Re-check inside the transaction: the saved indicator must still be the user's to see.
            if not Indicator.objects.for_user(self.request.user).filter(pk=self.object.pk).exists():
                raise PermissionDenied
        messages.success(self.request, _("The indicator is saved."))
        return response


class IndicatorCreateView(WriteRequiredMixin, IndicatorFormMixin, CreateView):
    def get_initial(self):
        return {"fiscal_year_be": thai.fiscal_year(timezone.localdate())}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("New indicator")}


class IndicatorUpdateView(WriteRequiredMixin, IndicatorFormMixin, ScopedMixin, UpdateView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Edit indicator")}


# ---------------------------------------------------------------- the monthly report


class MonthlyMixin(LoginRequiredMixin):
    """``self.office`` and ``self.month`` from ``?office=&month=2569-10`` (or the POSTed form).

    Officers and supervisors always get their own office (another office's id is a 404); central
    staff and admins must choose one. The month defaults to last month."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        params = request.POST if request.method == "POST" else request.GET
        today = timezone.localdate()
        self.month_form = MonthForm(
            {"month": params.get("month") or month_param(services.previous_month(today)),
             "office": params.get("office", "")},
            user=request.user,
        )  # fmt: skip
        self.month_form.is_valid()
        self.month = self.month_form.cleaned_data.get("month") or services.previous_month(today)
        self.office = self._office(request.user, params.get("office"))
        return super().dispatch(request, *args, **kwargs)

    def _office(self, user, raw):
        offices = offices_for_user(user).exclude(kind=Office.Kind.CENTRAL)
        if raw:
            try:
                return get_object_or_404(offices, pk=int(raw))
            except ValueError:
                raise Http404 from None
        return None if user.sees_all_offices else get_object_or_404(offices, pk=user.office_id)

    def query(self) -> str:
        params = {"month": month_param(self.month)}
        if self.office is not None and self.request.user.sees_all_offices:
            params["office"] = self.office.pk
        return urlencode(params)

    def back_to_report(self):
        return redirect(reverse("reports:monthly_report") + "?" + self.query())


class MonthlyReportView(MonthlyMixin, TemplateView):
    template_name = "reports/monthly_report.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.update(title=_("Monthly performance report"), month_form=self.month_form, month=self.month,
                   office=self.office, query=self.query(), month_value=month_param(self.month))  # fmt: skip
        if self.office is not None:
            report = queries.monthly_report_data(self.office, self.month)
            ctx.update(
                report=report,
                can_enter=user.can_write and report.signoff is None,
                can_sign=user.can_sign_reports
                and report.signoff is None
                and self.month <= timezone.localdate(),
                signoff_form=SignOffForm(),
                documents=Document.objects.for_user(user)
                .filter(
                    kind=renderers.MONTHLY_REPORT, office=self.office, params__month=self.month.isoformat()
                )
                .order_by("-created_at")[:5],
            )
        return ctx


class MonthlyReportPdfView(MonthlyMixin, View):
    """Any role that can read the report may print it (supervisors print to sign)."""

    def post(self, request):
        if self.office is None:
            raise Http404
        document = services.request_monthly_report_pdf(
            office=self.office, month=self.month, user=request.user
        )
        messages.info(request, _("The PDF is being prepared."))
        return redirect("reports:document_detail", pk=document.pk)


class MonthlySignOffView(MonthlyMixin, View):
    def post(self, request):
        if not request.user.can_sign_reports:
            raise PermissionDenied(_("Only supervisors sign reports."))
        if self.office is None:
            raise Http404
        form = SignOffForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The note is not valid."))
            return self.back_to_report()
        try:
            services.sign_off_month(office=self.office, month=self.month, by=request.user,
                                    today=timezone.localdate(), note=form.cleaned_data["note"])  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return self.back_to_report()
        messages.success(request, _("The month is signed off."))
        return self.back_to_report()


class MonthlyEntryView(WriteRequiredMixin, MonthlyMixin, TemplateView):
    """Officers type the month's results of their manual indicators."""

    template_name = "reports/monthly_entry.html"

    def get_form(self):
        fy = thai.fiscal_year(self.month)
        indicators = Indicator.objects.filter(
            office=self.office, fiscal_year_be=fy, is_active=True, source=Indicator.Source.MANUAL
        )
        existing = {
            r.indicator_id: r
            for r in IndicatorResult.objects.filter(indicator__in=indicators, month=self.month)
        }
        data = self.request.POST if self.request.method == "POST" else None
        return ResultEntryForm(data, indicators=indicators, existing=existing)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        signed = (
            MonthlySignOff.objects.filter(office=self.office, month=self.month).exists()
            if self.office
            else False
        )
        ctx.update(title=_("Enter monthly results"), month_form=self.month_form, month=self.month, office=self.office,
                   query=self.query(), month_value=month_param(self.month), signed=signed)  # fmt: skip
        ctx.setdefault("form", self.get_form() if self.office else None)
        return ctx

    def post(self, request):
        if self.office is None:
            raise Http404
        form = self.get_form()
        if form.is_valid():
            try:
                services.record_results(office=self.office, month=self.month, entries=form.entries(),
                                        by=request.user, today=timezone.localdate())  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The results are saved."))
                return self.back_to_report()
        return self.render_to_response(self.get_context_data(form=form))
