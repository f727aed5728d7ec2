"""Views of the reports app: documents (status, download, retry); dashboard and monthly report
views live in ``reports/views_dashboard.py`` and ``reports/views_monthly.py``."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from coopsupport.views import ScopedListView, ScopedMixin, WriteRequiredMixin
from reports import services
from reports.filtersets import DocumentFilterSet
from reports.models import Document
from reports.tables import DocumentTable


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
