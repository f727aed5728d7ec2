"""Forms for plans, projects and feasibility assessments (they validate; services write)."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Institution
from coopsupport.forms import BaseForm, BaseModelForm, ThaiDateField
from coopsupport.money import MoneyFormField, MoneyInput
from projects.appraisal import MAX_HORIZON
from projects.models import (
    CashFlowLine,
    FeasibilityAssessment,
    Goal,
    InvestmentItem,
    PlanIndicator,
    Project,
    ProjectIndicator,
    ProjectIndicatorPeriod,
    Scenario,
    StrategicPlan,
    Strategy,
    SwotItem,
)

MAX_PLAN_YEARS = 10
MAX_ROWS = 40  # per formset: 40 cash-flow lines x 30 years is the benchmark size


class ScopedInstitutionMixin:
    """Limit the institution (and related) choices to what the user may see."""

    def _scope_institution(self, user):
        field = self.fields["institution"]
        field.queryset = Institution.objects.for_user(user).order_by("name")


class StrategicPlanForm(ScopedInstitutionMixin, BaseModelForm):
    class Meta:
        model = StrategicPlan
        fields = ["institution", "title", "start_year_be", "end_year_be", "vision", "mission", "status"]
        widgets = {"vision": forms.Textarea(attrs={"rows": 2}), "mission": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope_institution(user)
        for name in ("start_year_be", "end_year_be"):
            self.fields[name].widget.attrs.update({"placeholder": "2569", "inputmode": "numeric"})
            self.fields[name].error_messages["invalid"] = _("Enter a Buddhist Era year, e.g. 2569")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year_be"), data.get("end_year_be")
        if start and end:
            if end < start:
                self.add_error("end_year_be", _("The last year must not be before the first year."))
            elif end - start + 1 > MAX_PLAN_YEARS:
                self.add_error("end_year_be", _("A plan covers at most %(n)s years.") % {"n": MAX_PLAN_YEARS})
        return data


class SwotItemForm(BaseModelForm):
    class Meta:
        model = SwotItem
        fields = ["kind", "text", "order"]


class GoalForm(BaseModelForm):
    class Meta:
        model = Goal
        fields = ["text", "order"]


class PlanIndicatorForm(BaseModelForm):
    class Meta:
        model = PlanIndicator
        fields = ["name", "unit", "baseline", "order"]


class StrategyForm(BaseModelForm):
    class Meta:
        model = Strategy
        fields = ["text", "answers", "order"]
        widgets = {"answers": forms.CheckboxSelectMultiple}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answers"].queryset = SwotItem.objects.filter(plan=plan)
        self.fields["answers"].label_from_instance = lambda s: f"{s.kind} · {s.text}"


def _formset(model, form, parent, *, extra=1, title=""):
    fs = inlineformset_factory(
        parent,
        model,
        form=form,
        extra=extra,
        can_delete=True,
        max_num=MAX_ROWS,
        validate_max=True,
    )
    fs.title = title
    return fs


SwotFormSet = _formset(SwotItem, SwotItemForm, StrategicPlan, extra=2, title=_("SWOT"))
GoalFormSet = _formset(Goal, GoalForm, StrategicPlan, title=_("Goals"))
PlanIndicatorFormSet = _formset(PlanIndicator, PlanIndicatorForm, StrategicPlan, title=_("Indicators"))
StrategyFormSet = _formset(Strategy, StrategyForm, StrategicPlan, extra=2, title=_("Strategies"))


def table_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.template = "bootstrap5/table_inline_formset.html"
    return helper


class IndicatorTargetsForm(BaseForm):
    """The plan's indicator grid: a target and an actual for every indicator and year."""

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.indicators = list(plan.indicators.prefetch_related("targets"))
        self.grid = []
        for ind in self.indicators:
            existing = {t.year_be: t for t in ind.targets.all()}
            cells = []
            for year in plan.years:
                row = existing.get(year)
                for part in ("target", "actual"):
                    name = f"{part}_{ind.pk}_{year}"
                    self.fields[name] = forms.DecimalField(
                        required=False,
                        max_digits=16,
                        decimal_places=2,
                        label="",
                        initial=getattr(row, part, None),
                        widget=forms.TextInput(
                            attrs={"class": "form-control form-control-sm text-end", "inputmode": "decimal"}
                        ),
                    )
                cells.append((year, self[f"target_{ind.pk}_{year}"], self[f"actual_{ind.pk}_{year}"]))
            self.grid.append((ind, cells))

    def values(self) -> dict[tuple[int, int], tuple]:
        return {
            (ind.pk, year): (
                self.cleaned_data.get(f"target_{ind.pk}_{year}"),
                self.cleaned_data.get(f"actual_{ind.pk}_{year}"),
            )
            for ind in self.indicators
            for year in self.plan.years
        }


# =========================================================================== projects
class ProjectForm(ScopedInstitutionMixin, BaseModelForm):
    class Meta:
        model = Project
        fields = [
            "institution",
            "plan",
            "strategy",
            "name",
            "objectives",
            "activities",
            "budget",
            "funding_sources",
            "start_on",
            "end_on",
            "responsible_people",
        ]
        field_classes = {"budget": MoneyFormField}
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "activities": forms.Textarea(attrs={"rows": 3}),
            "funding_sources": forms.Textarea(attrs={"rows": 2}),
            "responsible_people": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope_institution(user)
        self.fields["plan"].queryset = StrategicPlan.objects.for_user(user).select_related("institution")
        self.fields["strategy"].queryset = Strategy.objects.for_user(user).select_related("plan")

    def clean(self):
        data = super().clean()
        inst, plan, strategy = data.get("institution"), data.get("plan"), data.get("strategy")
        if inst and plan and plan.institution_id != inst.pk:
            self.add_error("plan", _("The plan belongs to another institution."))
        if strategy and (plan is None or strategy.plan_id != plan.pk):
            self.add_error("strategy", _("Choose a strategy of the chosen plan."))
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("The end date must not be before the start date."))
        return data


class ProjectStatusForm(BaseForm):
    status = forms.ChoiceField(label=_("new status"))
    on = ThaiDateField(label=_("date"))
    note = forms.CharField(label=_("note"), required=False, max_length=500)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Project.Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in project.allowed_next_statuses()]


class ProgressUpdateForm(BaseForm):
    on = ThaiDateField(label=_("date"))
    percent = forms.IntegerField(label=_("work done (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("progress"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ProjectIndicatorForm(BaseModelForm):
    class Meta:
        model = ProjectIndicator
        fields = ["name", "unit", "baseline", "order"]


ProjectIndicatorFormSet = _formset(ProjectIndicator, ProjectIndicatorForm, Project, title=_("Indicators"))


class IndicatorPeriodForm(BaseModelForm):
    class Meta:
        model = ProjectIndicatorPeriod
        fields = ["indicator", "label", "period_end_on", "target", "actual"]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = ProjectIndicator.objects.filter(project=project)


IndicatorPeriodFormSet = forms.modelformset_factory(
    ProjectIndicatorPeriod, form=IndicatorPeriodForm, extra=2, can_delete=True, max_num=200, validate_max=True
)
IndicatorPeriodFormSet.title = _("Targets and actuals by period")


# =========================================================================== assessments
_ASSESSMENT_MONEY = ("working_capital", "own_funds", "grants", "fund_loan_amount", "other_loans_amount")


class FeasibilityAssessmentForm(ScopedInstitutionMixin, BaseModelForm):
    npv_min = MoneyFormField(label=_("minimum NPV"), allow_negative=True)

    class Meta:
        model = FeasibilityAssessment
        fields = [
            "institution",
            "project",
            "title",
            "horizon_years",
            "discount_rate_pct",
            "working_capital",
            "working_capital_year",
            "own_funds",
            "grants",
            "fund_loan_amount",
            "fund_loan_rate_pct",
            "fund_loan_years",
            "fund_loan_method",
            "fund_loan_period_months",
            "other_loans_amount",
            "other_loans_rate_pct",
            "other_loans_years",
            "npv_min",
            "bcr_min",
            "dscr_min",
            "irr_min_pct",
            "recommendation",
        ]
        field_classes = dict.fromkeys(_ASSESSMENT_MONEY, MoneyFormField)
        widgets = {"recommendation": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope_institution(user)
        self.fields["project"].queryset = Project.objects.for_user(user).select_related("institution")
        self.fields["horizon_years"].widget.attrs.update({"min": 1, "max": MAX_HORIZON, "data-horizon": "1"})

    def clean(self):
        data = super().clean()
        inst, project = data.get("institution"), data.get("project")
        if inst and project and project.institution_id != inst.pk:
            self.add_error("project", _("The project belongs to another institution."))
        n = data.get("horizon_years")
        if n and data.get("working_capital_year") is not None and data["working_capital_year"] > n:
            self.add_error("working_capital_year", _("The year must be within the horizon."))
        return data


class TableRowMixin:
    """Formset rows are drawn as table cells without labels: give the widgets Bootstrap's classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                continue
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = f"{css} {field.widget.attrs.get('class', '')}".strip()
            field.widget.attrs.setdefault("aria-label", str(field.label or ""))


class InvestmentItemForm(TableRowMixin, BaseModelForm):
    class Meta:
        model = InvestmentItem
        fields = ["name", "year", "amount", "useful_life_years", "salvage_value"]
        field_classes = {"amount": MoneyFormField, "salvage_value": MoneyFormField}

    def clean(self):
        data = super().clean()
        amount, salvage = data.get("amount"), data.get("salvage_value")
        if amount is not None and salvage is not None and data.get("useful_life_years") and salvage > amount:
            self.add_error("salvage_value", _("The salvage value must not exceed the amount."))
        return data


class ScenarioForm(TableRowMixin, BaseModelForm):
    class Meta:
        model = Scenario
        fields = ["name", "investment_change_pct", "revenue_change_pct", "cost_change_pct"]


class CashFlowLineForm(TableRowMixin, BaseModelForm):
    """One row of the year grid: year 1 + growth, or an amount in every year column."""

    class Meta:
        model = CashFlowLine
        fields = ["name", "kind", "mode", "first_year_amount", "growth_pct"]
        field_classes = {"first_year_amount": MoneyFormField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = list(self.instance.amounts or []) if self.instance.pk else []
        self.fields["first_year_amount"].required = False
        self.fields["growth_pct"].required = False
        for year in range(1, MAX_HORIZON + 1):
            initial = Decimal(stored[year - 1]) if year <= len(stored) else None
            self.fields[f"y{year}"] = MoneyFormField(
                required=False,
                label=_("year %(n)s") % {"n": year},
                initial=initial,
                widget=MoneyInput(attrs={"class": "text-end"}),
            )

    @property
    def year_fields(self):
        return [self[f"y{year}"] for year in range(1, MAX_HORIZON + 1)]

    def clean(self):
        data = super().clean()
        if data.get("mode") == CashFlowLine.Mode.GROWTH:
            if data.get("first_year_amount") is None:
                self.add_error("first_year_amount", _("Enter the year 1 amount."))
            if data.get("growth_pct") is None:
                data["growth_pct"] = Decimal(0)
        else:
            data["first_year_amount"] = data.get("first_year_amount") or Decimal(0)
            data["growth_pct"] = data.get("growth_pct") or Decimal(0)
        return data

    def _post_clean(self):
        super()._post_clean()
        if self.cleaned_data.get("mode") == CashFlowLine.Mode.PER_YEAR:
            self.instance.amounts = [
                str(self.cleaned_data.get(f"y{year}") or Decimal("0.00"))
                for year in range(1, MAX_HORIZON + 1)
            ]
        elif "mode" in self.cleaned_data:
            self.instance.amounts = []


InvestmentFormSet = inlineformset_factory(
    FeasibilityAssessment,
    InvestmentItem,
    form=InvestmentItemForm,
    extra=1,
    can_delete=True,
    max_num=MAX_ROWS,
    validate_max=True,
)
CashFlowLineFormSet = inlineformset_factory(
    FeasibilityAssessment,
    CashFlowLine,
    form=CashFlowLineForm,
    extra=2,
    can_delete=True,
    max_num=MAX_ROWS,
    validate_max=True,
)
ScenarioFormSet = inlineformset_factory(
    FeasibilityAssessment,
    Scenario,
    form=ScenarioForm,
    extra=1,
    can_delete=True,
    max_num=10,
    validate_max=True,
)


class DecisionForm(BaseForm):
    note = forms.CharField(
        label=_("decision note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(
            attrs={"rows": 2, "class": "form-control", "placeholder": _("Decision note (optional)")}
        ),
    )


class GridUploadForm(BaseForm):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
