"""Pages for plans, projects and feasibility assessments. Views orchestrate; services write."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from cooperatives.models import Institution
from coopsupport.views import ScopedListView, ScopedMixin, WriteRequiredMixin
from projects import forms, grid_io, services
from projects.filtersets import FeasibilityAssessmentFilterSet, ProjectFilterSet, StrategicPlanFilterSet
from projects.models import (
    FeasibilityAssessment,
    Project,
    ProjectIndicator,
    ProjectIndicatorPeriod,
    StrategicPlan,
    Strategy,
    SwotItem,
)
from projects.report import assessment_report
from projects.tables import FeasibilityAssessmentTable, ProjectTable, StrategicPlanTable

APPRAISAL_KIND = "projects.appraisal"


class ScopedObjectMixin(ScopedMixin):
    """Load the object through ``for_user``: out of scope is a 404."""

    def get_object(self):
        if not hasattr(self, "_object"):
            self._object = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return self._object


def _initial_institution(request):
    pk = request.GET.get("institution", "")
    if pk.isdigit() and Institution.objects.for_user(request.user).filter(pk=pk).exists():
        return {"institution": int(pk)}
    return {}


# =========================================================================== plans
class StrategicPlanListView(ScopedListView):
    model = StrategicPlan
    table_class = StrategicPlanTable
    filterset_class = StrategicPlanFilterSet
    title = gettext_lazy("Strategic plans")
    export_name = "strategic-plans"
    create_url_name = "projects:plan_create"

    def get_queryset(self):
        return super().get_queryset().select_related("institution")


class StrategicPlanDetailView(ScopedObjectMixin, DetailView):
    model = StrategicPlan
    template_name = "projects/plan_detail.html"

    def get_object(self, queryset=None):
        return super().get_object()

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("institution")
            .prefetch_related(
                "swot_items",
                "goals",
                Prefetch("strategies", Strategy.objects.prefetch_related("answers")),
                "indicators__targets",
                Prefetch("projects", Project.objects.order_by("name")),
            )
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = self.object
        items = list(plan.swot_items.all())
        ctx["swot"] = [
            (kind, label, [i for i in items if i.kind == kind]) for kind, label in SwotItem.Kind.choices
        ]
        ctx["indicator_rows"] = [
            (ind, [({t.year_be: t for t in ind.targets.all()}.get(y)) for y in plan.years])
            for ind in plan.indicators.all()
        ]
        ctx["can_write"] = self.request.user.can_write
        return ctx


class StrategicPlanEditView(WriteRequiredMixin, ScopedObjectMixin, View):
    """Create (no pk) or edit a plan with its SWOT items, goals and indicators."""

    model = StrategicPlan
    template_name = "projects/form.html"

    def _forms(self, plan):
        data = self.request.POST if self.request.method == "POST" else None
        form = forms.StrategicPlanForm(
            data,
            instance=plan,
            user=self.request.user,
            initial=_initial_institution(self.request) if plan.pk is None else None,
        )
        formsets = [
            fs(data, instance=plan, prefix=prefix)
            for fs, prefix in (
                (forms.SwotFormSet, "swot"),
                (forms.GoalFormSet, "goals"),
                (forms.PlanIndicatorFormSet, "indicators"),
            )
        ]
        for fs, cls in zip(
            formsets, (forms.SwotFormSet, forms.GoalFormSet, forms.PlanIndicatorFormSet), strict=True
        ):
            fs.helper, fs.title = forms.table_helper(), cls.title
        return form, formsets

    def _plan(self):
        return self.get_object() if "pk" in self.kwargs else StrategicPlan()

    def _render(self, plan, form, formsets):
        title = _("Edit strategic plan") if plan.pk else _("New strategic plan")
        cancel = plan.get_absolute_url() if plan.pk else reverse("projects:plan_list")
        return render(
            self.request,
            self.template_name,
            {"title": title, "form": form, "formsets": formsets, "cancel_url": cancel},
        )

    def get(self, request, *args, **kwargs):
        plan = self._plan()
        return self._render(plan, *self._forms(plan))

    def post(self, request, *args, **kwargs):
        plan = self._plan()
        form, formsets = self._forms(plan)
        if not (form.is_valid() and all(fs.is_valid() for fs in formsets)):
            return self._render(plan, form, formsets)
        plan = services.save_plan(form=form, formsets=formsets, user=request.user)
        messages.success(request, _("The strategic plan was saved."))
        return redirect(plan)


class StrategicPlanStrategiesView(WriteRequiredMixin, ScopedObjectMixin, View):
    model = StrategicPlan

    def _formset(self, plan):
        data = self.request.POST if self.request.method == "POST" else None
        fs = forms.StrategyFormSet(data, instance=plan, prefix="strategies", form_kwargs={"plan": plan})
        fs.helper, fs.title = forms.table_helper(), forms.StrategyFormSet.title
        return fs

    def _render(self, plan, fs):
        return render(
            self.request,
            "projects/plan_strategies.html",
            {
                "title": _("Strategies of %(plan)s") % {"plan": plan.title},
                "plan": plan,
                "formset": fs,
                "cancel_url": plan.get_absolute_url(),
            },
        )

    def get(self, request, *args, **kwargs):
        plan = self.get_object()
        return self._render(plan, self._formset(plan))

    def post(self, request, *args, **kwargs):
        plan = self.get_object()
        fs = self._formset(plan)
        if not fs.is_valid():
            return self._render(plan, fs)
        services.save_strategies(plan=plan, formset=fs, user=request.user)
        messages.success(request, _("The strategies were saved."))
        return redirect(plan)


class StrategicPlanTargetsView(WriteRequiredMixin, ScopedObjectMixin, View):
    model = StrategicPlan

    def _render(self, plan, form):
        return render(
            self.request,
            "projects/plan_targets.html",
            {
                "title": _("Indicator targets and actuals"),
                "plan": plan,
                "form": form,
                "cancel_url": plan.get_absolute_url(),
            },
        )

    def get(self, request, *args, **kwargs):
        plan = self.get_object()
        return self._render(plan, forms.IndicatorTargetsForm(plan=plan))

    def post(self, request, *args, **kwargs):
        plan = self.get_object()
        form = forms.IndicatorTargetsForm(request.POST, plan=plan)
        if not form.is_valid():
            return self._render(plan, form)
        services.save_indicator_targets(plan=plan, values=form.values(), user=request.user)
        messages.success(request, _("The targets and actuals were saved."))
        return redirect(plan)


# =========================================================================== projects
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

    def get_object(self, queryset=None):
        return super().get_object()

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
        return render(
            self.request,
            "projects/form.html",
            {
                "title": _("Edit project") if project.pk else _("New project"),
                "form": form,
                "cancel_url": project.get_absolute_url() if project.pk else reverse("projects:project_list"),
            },
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
        return render(
            self.request,
            "projects/form.html",
            {
                "title": _("Change the status of %(name)s") % {"name": project.name},
                "form": form,
                "cancel_url": project.get_absolute_url(),
            },
        )

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
        return render(
            self.request,
            "projects/form.html",
            {
                "title": _("Progress of %(name)s") % {"name": project.name},
                "form": form,
                "cancel_url": project.get_absolute_url(),
            },
        )

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


# =========================================================================== assessments
class FeasibilityAssessmentListView(ScopedListView):
    model = FeasibilityAssessment
    table_class = FeasibilityAssessmentTable
    filterset_class = FeasibilityAssessmentFilterSet
    title = gettext_lazy("Feasibility assessments")
    export_name = "feasibility-assessments"
    create_url_name = "projects:assessment_create"

    def get_queryset(self):
        return super().get_queryset().select_related("institution").defer("results")


def loan_create_url(assessment) -> str | None:
    """The loans app's create page pre-filled from this assessment, once that page exists."""
    try:
        return reverse("loans:loan_create") + f"?assessment={assessment.pk}"
    except NoReverseMatch:
        return None


class FeasibilityAssessmentDetailView(ScopedObjectMixin, DetailView):
    model = FeasibilityAssessment
    template_name = "projects/assessment_detail.html"

    def get_object(self, queryset=None):
        return super().get_object()

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("institution__office", "project", "created_by", "decided_by")
            .prefetch_related("investments", "lines", "scenarios")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        a = self.object
        user = self.request.user
        ctx["report"] = assessment_report(a)
        ctx["can_write"] = user.can_write
        ctx["can_edit"] = user.can_write and a.status != FeasibilityAssessment.Status.APPROVED
        ctx["decision_form"] = forms.DecisionForm()
        ctx["upload_form"] = forms.GridUploadForm()
        if a.status == FeasibilityAssessment.Status.APPROVED and user.can_write and a.fund_loan_amount > 0:
            ctx["loan_create_url"] = loan_create_url(a)
        ctx["linked_loan"] = getattr(a, "loan", None)
        return ctx


class FeasibilityAssessmentEditView(WriteRequiredMixin, ScopedObjectMixin, View):
    """The input form: main fields, investment items, the year grid of lines, and scenarios."""

    model = FeasibilityAssessment

    def _assessment(self):
        if "pk" not in self.kwargs:
            return FeasibilityAssessment()
        return self.get_object()

    def _forms(self, a):
        data = self.request.POST if self.request.method == "POST" else None
        initial = _initial_institution(self.request) if a.pk is None else None
        if a.pk is None and self.request.GET.get("project", "").isdigit():
            project = (
                Project.objects.for_user(self.request.user).filter(pk=self.request.GET["project"]).first()
            )
            if project:
                initial = {
                    "institution": project.institution_id,
                    "project": project.pk,
                    "title": project.name,
                }
        return {
            "form": forms.FeasibilityAssessmentForm(
                data, instance=a, user=self.request.user, initial=initial
            ),
            "investments": forms.InvestmentFormSet(data, instance=a, prefix="inv"),
            "lines": forms.CashFlowLineFormSet(data, instance=a, prefix="lines"),
            "scenarios": forms.ScenarioFormSet(data, instance=a, prefix="sc"),
        }

    def _render(self, a, parts):
        return render(
            self.request,
            "projects/assessment_form.html",
            {
                **parts,
                "assessment": a,
                "years": range(1, forms.MAX_HORIZON + 1),
                "horizon": parts["form"]["horizon_years"].value() or 10,
                "title": _("Edit feasibility assessment") if a.pk else _("New feasibility assessment"),
                "cancel_url": a.get_absolute_url() if a.pk else reverse("projects:assessment_list"),
            },
        )

    def get(self, request, *args, **kwargs):
        a = self._assessment()
        if a.status == FeasibilityAssessment.Status.APPROVED:
            messages.warning(request, _("An approved assessment cannot be changed."))
            return redirect(a)
        return self._render(a, self._forms(a))

    def post(self, request, *args, **kwargs):
        a = self._assessment()
        if a.status == FeasibilityAssessment.Status.APPROVED:
            messages.warning(request, _("An approved assessment cannot be changed."))
            return redirect(a)
        parts = self._forms(a)
        if not all(p.is_valid() for p in parts.values()):
            return self._render(a, parts)
        a = services.save_assessment(
            form=parts["form"],
            investment_formset=parts["investments"],
            line_formset=parts["lines"],
            scenario_formset=parts["scenarios"],
            user=request.user,
        )
        messages.success(request, _("The assessment was saved and recomputed."))
        return redirect(a)


class _AssessmentActionView(WriteRequiredMixin, ScopedObjectMixin, View):
    """POST-only state changes on an assessment."""

    model = FeasibilityAssessment
    http_method_names = ["post"]


class AssessmentSubmitView(_AssessmentActionView):
    def post(self, request, *args, **kwargs):
        a = self.get_object()
        try:
            done = services.submit_assessment(assessment=a, user=request.user)
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            if done:
                messages.success(request, _("The assessment was submitted for a decision."))
            else:
                messages.info(request, _("The assessment is not a draft; nothing was changed."))
        return redirect(a)


class AssessmentDecideView(_AssessmentActionView):
    approve = True

    def post(self, request, *args, **kwargs):
        a = self.get_object()
        form = forms.DecisionForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        if not form.is_valid():
            messages.error(request, _("The decision note is not valid."))
            return redirect(a)
        if services.decide_assessment(assessment=a, approve=self.approve, note=note, user=request.user):
            messages.success(
                request,
                _("The assessment was approved.") if self.approve else _("The assessment was rejected."),
            )
        else:
            messages.info(request, _("The assessment is not awaiting a decision; nothing was changed."))
        return redirect(a)


class AssessmentGridTemplateView(ScopedObjectMixin, View):
    model = FeasibilityAssessment

    def get(self, request, *args, **kwargs):
        a = self.get_object()
        response = HttpResponse(grid_io.grid_template(a), content_type=grid_io.XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="cashflow-grid-{a.pk}.xlsx"'
        return response


class AssessmentGridUploadView(WriteRequiredMixin, ScopedObjectMixin, View):
    model = FeasibilityAssessment
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        a = self.get_object()
        form = forms.GridUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose an Excel file to upload."))
            return redirect(a)
        try:
            upload = form.cleaned_data["file"]
            if upload.size > settings.IMPORT_MAX_BYTES:
                raise grid_io.GridImportError([(None, _("The file is too large."))])
            parsed = grid_io.parse_grid(upload.read(), horizon=a.horizon_years)
            services.replace_lines(assessment=a, lines=parsed.lines, user=request.user)
        except grid_io.GridImportError as exc:
            return render(
                request,
                "projects/grid_upload_errors.html",
                {"assessment": a, "errors": exc.errors, "title": _("The file was not imported")},
                status=400,
            )
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect(a)
        messages.success(
            request, _("%(n)s lines were imported and the results recomputed.") % {"n": len(parsed.lines)}
        )
        return redirect(a)


class AssessmentExportView(ScopedObjectMixin, View):
    model = FeasibilityAssessment

    def get(self, request, *args, **kwargs):
        a = get_object_or_404(self.get_queryset().select_related("institution"), pk=kwargs["pk"])
        report = assessment_report(a)
        if not report["ok"]:
            messages.error(request, _("The results have not been computed yet."))
            return redirect(a)
        response = HttpResponse(grid_io.results_workbook(a, report), content_type=grid_io.XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="appraisal-{a.pk}.xlsx"'
        return response


class AssessmentPdfView(ScopedObjectMixin, View):
    """Queue the appraisal PDF in the reports app and go to its waiting page."""

    model = FeasibilityAssessment
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        from reports.services import request_document

        a = get_object_or_404(self.get_queryset().select_related("institution__office"), pk=kwargs["pk"])
        if not a.results.get("ok"):
            messages.error(request, _("The results have not been computed yet."))
            return redirect(a)
        document = request_document(
            kind=APPRAISAL_KIND,
            params={"assessment_pk": a.pk},
            office=a.institution.office,
            title=_("Feasibility appraisal: %(title)s") % {"title": a.title},
            user=request.user,
        )
        return HttpResponseRedirect(reverse("reports:document_detail", args=[document.pk]))


# =========================================================================== institution tab
class InstitutionTabView(LoginRequiredMixin, View):
    """The "plans and projects" tab of an institution page (an htmx fragment)."""

    def get(self, request, institution_pk):
        institution = get_object_or_404(Institution.objects.for_user(request.user), pk=institution_pk)
        return render(
            request,
            "projects/institution_tab.html",
            {
                "institution": institution,
                "plans": list(
                    StrategicPlan.objects.filter(institution=institution).annotate(
                        n_projects=Count("projects")
                    )
                ),
                "projects": list(
                    Project.objects.filter(institution=institution).order_by("-created_at")[:50]
                ),
                "assessments": list(
                    FeasibilityAssessment.objects.filter(institution=institution)
                    .defer("results")
                    .order_by("-updated_at")[:50]
                ),
                "can_write": request.user.can_write,
            },
        )
