"""FilterSets of the reports app; each has a ``q`` search."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coopsupport.models import Office
from coopsupport.scoping import offices_for_user
from reports.models import Document, Indicator


class _OfficeSearchFilterSet(django_filters.FilterSet):
    """``q`` searches ``search_fields``; the office filter is offered only to users who see every office."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    office = django_filters.ModelChoiceFilter(label=_("office"), queryset=Office.objects.none())

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.sees_all_offices:
            self.filters["office"].queryset = offices_for_user(user)
        else:
            del self.filters["office"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        cond = Q()
        for field in self.search_fields:
            cond |= Q(**{f"{field}__icontains": value})
        return queryset.filter(cond)


class DocumentFilterSet(_OfficeSearchFilterSet):
    search_fields = ("title", "filename")
    status = django_filters.ChoiceFilter(label=_("status"), choices=Document.Status.choices)

    class Meta:
        model = Document
        fields = ("q", "status", "office")


class IndicatorFilterSet(_OfficeSearchFilterSet):
    search_fields = ("name", "code", "unit")
    fiscal_year_be = django_filters.NumberFilter(label=_("fiscal year (B.E.)"))
    source = django_filters.ChoiceFilter(label=_("source"), choices=Indicator.Source.choices)

    class Meta:
        model = Indicator
        fields = ("q", "fiscal_year_be", "source", "office")
