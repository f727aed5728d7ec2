"""Project pages: list, detail, edit, status, progress, indicators."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from coopsupport.views import ScopedListView, WriteRequiredMixin
from projects import forms, services
from projects.filtersets import ProjectFilterSet
from projects.models import (
    FeasibilityAssessment,
    Project,
    ProjectIndicator,
    ProjectIndicatorPeriod,
)
from projects.tables import ProjectTable
from projects.views.common import ScopedObjectMixin, _initial_institution, render_form


class ProjectListView(ScopedListView):
    model = Project
    table_class = ProjectTable
    filterset_class = ProjectFilterSet
    title = gettext_lazy("Projects")
    export_name = "projects"
    create_url_name = "projects:project_create"

    def get_queryset(self):
        return super().get_queryset().select_related("institution")


class ProjectDetailView(ScopedObjectMixin, DetailView):
    model = Project
    template_name = "projects/project_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("institution", "plan", "strategy")
            .prefetch_related(
                "status_events__by",
                "progress_updates__by",
                "indicators__periods",
                Prefetch("assessments", FeasibilityAssessment.objects.order_by("-updated_at")),
            )
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        updates = list(self.object.progress_updates.all())
        ctx["latest_percent"] = updates[0].percent if updates else 0
        ctx["can_write"] = self.request.user.can_write
        return ctx


class ProjectEditView(WriteRequiredMixin, ScopedObjectMixin, View):
    model = Project

    def _project(self):
        return self.get_object() if "pk" in self.kwargs else Project()

    def _render(self, project, form):
        return render_form(
            self.request,
            title=_("Edit project") if project.pk else _("New project"),
            form=form,
            cancel_url=project.get_absolute_url() if project.pk else reverse("projects:project_list"),
        )

    def get(self, request, *args, **kwargs):
        project = self._project()
        initial = _initial_institution(request) if project.pk is None else None
        return self._render(project, forms.ProjectForm(instance=project, user=request.user, initial=initial))

    def post(self, request, *args, **kwargs):
        project = self._project()
        form = forms.ProjectForm(request.POST, instance=project, user=request.user)
        if not form.is_valid():
            return self._render(project, form)
        project = services.save_project(form=form, user=request.user, today=timezone.localdate())
        messages.success(request, _("The project was saved."))
        return redirect(project)


class ProjectStatusView(WriteRequiredMixin, ScopedObjectMixin, View):
    model = Project

    def _render(self, project, form):
        title = _("Change the status of %(name)s") % {"name": project.name}
        return render_form(self.request, title=title, form=form, cancel_url=project.get_absolute_url())

    def get(self, request, *args, **kwargs):
        project = self.get_object()
        return self._render(
            project, forms.ProjectStatusForm(project=project, initial={"on": timezone.localdate()})
        )

    def post(self, request, *args, **kwargs):
        project = self.get_object()
        form = forms.ProjectStatusForm(request.POST, project=project)
        if form.is_valid():
            try:
                services.change_project_status(
                    project=project,
                    status=form.cleaned_data["status"],
                    on=form.cleaned_data["on"],
                    note=form.cleaned_data["note"],
                    user=request.user,
                )
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The project status was changed."))
                return redirect(project)
        return self._render(project, form)


class ProjectProgressView(WriteRequiredMixin, ScopedObjectMixin, View):
    model = Project

    def _render(self, project, form):
        title = _("Progress of %(name)s") % {"name": project.name}
        return render_form(self.request, title=title, form=form, cancel_url=project.get_absolute_url())

    def get(self, request, *args, **kwargs):
        project = self.get_object()
        return self._render(project, forms.ProgressUpdateForm(initial={"on": timezone.localdate()}))

    def post(self, request, *args, **kwargs):
        project = self.get_object()
        form = forms.ProgressUpdateForm(request.POST)
        if not form.is_valid():
            return self._render(project, form)
        services.add_progress(project=project, user=request.user, **form.cleaned_data)
        messages.success(request, _("The progress update was saved."))
        return redirect(project)


class ProjectIndicatorsView(WriteRequiredMixin, ScopedObjectMixin, View):
    model = Project

    def _formsets(self, project):
        data = self.request.POST if self.request.method == "POST" else None
        ind = forms.ProjectIndicatorFormSet(data, instance=project, prefix="indicators")
        per = forms.IndicatorPeriodFormSet(
            data,
            prefix="periods",
            form_kwargs={"project": project},
            queryset=ProjectIndicatorPeriod.objects.filter(indicator__project=project).select_related(
                "indicator"
            ),
        )
        for fs, cls in ((ind, forms.ProjectIndicatorFormSet), (per, forms.IndicatorPeriodFormSet)):
            fs.helper, fs.title = forms.table_helper(), cls.title
        return ind, per

    def _render(self, project, formsets):
        return render(
            self.request,
            "projects/project_indicators.html",
            {
                "title": _("Indicators of %(name)s") % {"name": project.name},
                "project": project,
                "formsets": formsets,
                "cancel_url": project.get_absolute_url(),
                "has_indicators": ProjectIndicator.objects.filter(project=project).exists(),
            },
        )

    def get(self, request, *args, **kwargs):
        project = self.get_object()
        return self._render(project, self._formsets(project))

    def post(self, request, *args, **kwargs):
        project = self.get_object()
        ind, per = self._formsets(project)
        if not (ind.is_valid() and per.is_valid()):
            return self._render(project, (ind, per))
        services.save_project_indicators(
            project=project, indicator_formset=ind, period_formset=per, user=request.user
        )
        messages.success(request, _("The indicators were saved."))
        return redirect(project)
