"""Strategic plan pages: list, detail, edit with SWOT/goals/indicators, strategies, targets."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from coopsupport.views import ScopedListView, WriteRequiredMixin
from projects import forms, services
from projects.filtersets import StrategicPlanFilterSet
from projects.models import (
    Project,
    StrategicPlan,
    Strategy,
    SwotItem,
)
from projects.tables import StrategicPlanTable
from projects.views.common import ScopedObjectMixin, _initial_institution, render_form


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
        return render_form(self.request, title=title, form=form, formsets=formsets, cancel_url=cancel)

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
