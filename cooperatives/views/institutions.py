"""List, detail, create, edit and status change of institutions."""

from __future__ import annotations

import importlib

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, UpdateView

from cooperatives import services
from cooperatives.filtersets import InstitutionFilterSet
from cooperatives.forms import InstitutionForm, StatusChangeForm
from cooperatives.history import change_log
from cooperatives.models import Institution, StatusEvent, YearlyFigure
from cooperatives.tables import InstitutionTable
from cooperatives.views.common import InstitutionFromUrlMixin
from coopsupport.views import OUR_APPS, ScopedListView, ScopedMixin, WriteRequiredMixin

FORM_FIELDS = services.INSTITUTION_FIELDS
# Yearly figures are shown with years as columns (as in the office's annual reports): fits a tablet.
FIGURE_ROWS = [
    ("members", False), ("share_capital", True), ("volume_credit", True), ("volume_deposits", True),
    ("volume_supply", True), ("volume_collection", True), ("volume_processing", True), ("volume_services", True),
    ("total_volume", True), ("board_count", False), ("staff_count", False),
]  # fmt: skip


def figure_rows(figures) -> list[dict]:
    rows = []
    for attr, money in FIGURE_ROWS:
        if attr == "total_volume":
            label = gettext_lazy("Total business volume")
        else:
            label = capfirst(YearlyFigure._meta.get_field(attr).verbose_name)
        rows.append({"label": label, "money": money, "total": attr == "total_volume",
                     "values": [getattr(f, attr) for f in figures]})  # fmt: skip
    return rows


class InstitutionListView(ScopedListView):
    model = Institution
    table_class = InstitutionTable
    filterset_class = InstitutionFilterSet
    template_name = "cooperatives/institution_list.html"
    title = gettext_lazy("Institutions")
    export_name = "institutions"
    create_url_name = "cooperatives:institution_create"

    def get_queryset(self):
        return super().get_queryset().select_related("district", "responsible_officer").with_latest_members()


def other_app_tabs(request, institution) -> list[dict]:
    """Tabs other apps add to the institution page (``<app>.panels.institution_tabs``)."""
    tabs: list[dict] = []
    for app in OUR_APPS:
        if app == "cooperatives":
            continue
        try:
            module = importlib.import_module(f"{app}.panels")
        except ModuleNotFoundError as exc:
            if exc.name not in (app, f"{app}.panels"):
                raise
            continue
        provider = getattr(module, "institution_tabs", None)
        if provider is not None:
            tabs.extend(provider(request, institution))
    return tabs


class InstitutionDetailView(ScopedMixin, DetailView):
    model = Institution
    template_name = "cooperatives/institution_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "office", "province", "district", "subdistrict", "parent", "area_team", "responsible_officer"
            )
            .prefetch_related(
                "business_lines",
                Prefetch(
                    "attached_groups",
                    queryset=Institution.objects.only("id", "name", "kind", "status", "parent"),
                ),
                "contacts",
                "people",
                "yearly_figures",
                Prefetch("status_events", queryset=StatusEvent.objects.select_related("recorded_by")),
            )
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        inst = self.object
        people = list(inst.people.all())
        figures = list(inst.yearly_figures.all())
        ctx.update(
            title=inst.name,
            can_write=self.request.user.can_write,
            board=[p for p in people if p.kind == p.Kind.BOARD],
            staff=[p for p in people if p.kind == p.Kind.STAFF],
            people_count=len(people),
            figures=figures,  # newest first
            figure_columns=figures[::-1],  # oldest to newest, left to right
            figure_rows=figure_rows(figures[::-1]),
            events=list(inst.status_events.all()),
            history=change_log(inst),
            extra_tabs=other_app_tabs(self.request, inst),
        )
        return ctx


class InstitutionFormMixin(WriteRequiredMixin):
    model = Institution
    form_class = InstitutionForm
    template_name = "cooperatives/institution_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def warn(self, form) -> None:
        for warning in form.warnings:
            messages.warning(self.request, warning)


class InstitutionCreateView(InstitutionFormMixin, FormView):
    def get_initial(self):
        # An administrator changing the office re-renders the form (htmx) with what was typed so far.
        return {k: v for k, v in self.request.GET.items() if k in InstitutionForm.Meta.fields} or {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Add an institution"), cancel_url="/institutions/", **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        institution = services.create_institution(
            office=form.target_office,
            by=self.request.user,
            today=timezone.localdate(),
            status=data["status"],
            business_lines=data["business_lines"],
            members=data.get("members"),
            **{k: data[k] for k in FORM_FIELDS if k in data},
        )
        messages.success(self.request, _("%(name)s was added to the register.") % {"name": institution.name})
        self.warn(form)
        return redirect(institution)


class InstitutionUpdateView(InstitutionFormMixin, ScopedMixin, UpdateView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            title=_("Edit %(name)s") % {"name": self.object.name}, cancel_url=self.object.get_absolute_url()
        )
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        institution = services.update_institution(
            # A fresh copy: the form has already written the new values onto self.object.
            institution=self.get_object(),
            by=self.request.user,
            business_lines=data["business_lines"],
            **{k: data[k] for k in FORM_FIELDS if k in data},
        )
        messages.success(self.request, _("The changes to %(name)s were saved.") % {"name": institution.name})
        self.warn(form)
        return redirect(institution)


class InstitutionStatusView(WriteRequiredMixin, InstitutionFromUrlMixin, FormView):
    """Record a dated status change (dormant, liquidating, dissolved, operating again)."""

    form_class = StatusChangeForm
    template_name = "generic/form.html"
    institution_kwarg = "pk"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "institution": self.institution, "today": timezone.localdate()}

    def get_context_data(self, **kwargs):
        title = _("Change the status of %(name)s") % {"name": self.institution.name}
        return super().get_context_data(title=title, cancel_url=self.institution.get_absolute_url(), **kwargs)

    def form_valid(self, form):
        try:
            services.change_status(institution=self.institution, by=self.request.user, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        status = self.institution.get_status_display()
        messages.success(self.request, _("The status is now “%(status)s”.") % {"status": status})
        return redirect(self.institution.get_absolute_url() + "#status")
