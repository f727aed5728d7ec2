"""Feasibility assessment pages, their actions, the Excel grid, the PDF, and the institution tab."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from cooperatives.models import Institution
from coopsupport.views import ScopedListView, WriteRequiredMixin
from projects import forms, grid_io, services
from projects.filtersets import FeasibilityAssessmentFilterSet
from projects.models import (
    FeasibilityAssessment,
    Project,
    StrategicPlan,
)
from projects.report import assessment_report
from projects.tables import FeasibilityAssessmentTable
from projects.views.common import APPRAISAL_KIND, ScopedObjectMixin, _initial_institution


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
