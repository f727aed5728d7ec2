"""List filters: every FilterSet has a ``q`` search."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.models import FeasibilityAssessment, Project, StrategicPlan


class _SearchMixin(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        value = (value or "").strip()[:100]
        if not value:
            return queryset
        cond = Q()
        for f in self.search_fields:
            cond |= Q(**{f"{f}__icontains": value})
        return queryset.filter(cond)


class StrategicPlanFilterSet(_SearchMixin):
    search_fields = ("title", "institution__name", "vision")
    status = django_filters.ChoiceFilter(label=_("status"), choices=StrategicPlan.Status.choices)

    class Meta:
        model = StrategicPlan
        fields = ["q", "status"]


class ProjectFilterSet(_SearchMixin):
    search_fields = ("name", "institution__name", "objectives")
    status = django_filters.ChoiceFilter(label=_("status"), choices=Project.Status.choices)

    class Meta:
        model = Project
        fields = ["q", "status"]


class FeasibilityAssessmentFilterSet(_SearchMixin):
    search_fields = ("title", "institution__name", "project__name")
    status = django_filters.ChoiceFilter(label=_("status"), choices=FeasibilityAssessment.Status.choices)
    verdict = django_filters.ChoiceFilter(label=_("verdict"), choices=FeasibilityAssessment.Verdict.choices)

    class Meta:
        model = FeasibilityAssessment
        fields = ["q", "status", "verdict"]
