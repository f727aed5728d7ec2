"""Shared view kit: scoping and role mixins, the generic list (filter + table + export), home."""

from __future__ import annotations

import importlib
import importlib.util

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from coopsupport import exports
from coopsupport.models import WorkerHeartbeat

OUR_APPS = ("cooperatives", "loans", "projects", "reports")


class ScopedMixin(LoginRequiredMixin):
    """Limit every queryset to what the user may see. Out of scope is a 404 by construction."""

    model = None

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user)


class WriteRequiredMixin(LoginRequiredMixin):
    """Read-only roles (supervisor, central) get 403 on every write view."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.can_write:
            raise PermissionDenied(_("Your role can read but not change records."))
        return super().dispatch(request, *args, **kwargs)


MAX_PER_PAGE = 200


class BoundedPaginator(Paginator):
    """``?per_page=`` comes from the address bar: keep it between 1 and ``MAX_PER_PAGE`` (0 or a
    negative number made django-tables2 raise EmptyPage: a 500)."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, min(max(int(per_page), 1), MAX_PER_PAGE), *args, **kwargs)


class ScopedListView(ScopedMixin, SingleTableMixin, FilterView):
    """The NetBox four-part list: scoped queryset + FilterSet (with ``q``) + Table + pagination,
    and ``?export=xlsx|csv`` for exactly the filtered rows."""

    template_name = "generic/list.html"
    paginate_by = settings.PAGINATE_BY
    paginator_class = BoundedPaginator
    export_name = "export"
    title = ""
    create_url_name: str | None = None
    # GET parameters that are not filters: left out of the "active filters" badge.
    non_filter_params = frozenset({"page", "sort", "export"})

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in exports.FORMATS:
            filterset = self.get_filterset(self.get_filterset_class())
            if not filterset.is_valid():
                return super().get(request, *args, **kwargs)
            if filterset.qs.count() > settings.EXPORT_INLINE_MAX_ROWS:
                # Big exports (central staff, whole regions) are built by the worker, not here.
                document = exports.request_list_export(
                    request=request, fmt=fmt, title=self.title, kwargs=kwargs
                )
                messages.info(request, _("The export is large; it is being prepared and will be ready here."))
                return redirect("reports:document_detail", pk=document.pk)
            return exports.table_response(self.export_table(filterset), fmt, self.export_name)
        return super().get(request, *args, **kwargs)

    def export_table(self, filterset):
        """The table of exactly the filtered rows, unpaginated (also used by the export worker)."""
        return self.get_table_class()(filterset.qs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = self.title
        ctx["create_url_name"] = self.create_url_name if self.request.user.can_write else None
        ctx["export_formats"] = exports.FORMATS
        table = ctx.get("table")
        paginator = getattr(table, "paginator", None)
        ctx["total_count"] = paginator.count if paginator is not None else len(table.rows) if table else 0
        params = self.request.GET.copy()
        params.pop("page", None)
        params.pop("export", None)
        ctx["querystring"] = params.urlencode()
        ctx["active_filters"] = sum(
            1 for k, v in self.request.GET.items() if k not in self.non_filter_params and v
        )
        return ctx


class HomeView(LoginRequiredMixin, TemplateView):
    """The role's home page; each app contributes panels through ``<app>/panels.py``."""

    template_name = "coopsupport/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        panels = []
        for app in OUR_APPS:
            if importlib.util.find_spec(f"{app}.panels") is None:
                continue
            module = importlib.import_module(f"{app}.panels")
            panels.extend(module.home_panels(self.request, today=today))
        # Panels may carry an "order" (default 50): supervisors see key numbers first.
        ctx["panels"] = sorted(panels, key=lambda panel: panel.get("order", 50))
        ctx["today"] = today
        ctx["heartbeat"] = WorkerHeartbeat.objects.filter(name="celery").first()
        return ctx


def healthz(request):
    """Liveness for load balancers: no login, no query."""
    return HttpResponse("ok", content_type="text/plain")
