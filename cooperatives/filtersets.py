"""The institution list's filters: a search box, the register's categories and a "mine" toggle.

Lookup expressions are never exposed in the UI (django-filter ships no Thai for them)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperatives.geo import district_queryset, offices_with_province
from cooperatives.models import BusinessLine, Institution
from coopsupport.models import AreaTeam, District, User
from coopsupport.thai import normalize_digits


class InstitutionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Name or registration number"), "type": "search"}),
    )
    mine = django_filters.BooleanFilter(
        label=_("Only institutions I am responsible for"), method="only_mine", widget=forms.CheckboxInput
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of institution"), choices=Institution.Kind.choices, empty_label=_("All")
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=Institution.Type.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Institution.Status.choices, empty_label=_("All")
    )
    office = django_filters.ModelChoiceFilter(label=_("Office"), queryset=None, empty_label=_("All"))
    district = django_filters.ModelChoiceFilter(label=_("District"), queryset=None, empty_label=_("All"))
    area_team = django_filters.ModelChoiceFilter(label=_("Area team"), queryset=None, empty_label=_("All"))
    responsible_officer = django_filters.ModelChoiceFilter(
        label=_("Responsible officer"), queryset=None, empty_label=_("All")
    )
    business_line = django_filters.ModelChoiceFilter(
        label=_("Business line"),
        field_name="business_lines",
        queryset=BusinessLine.objects.all(),
        empty_label=_("All"),
        distinct=True,
    )

    class Meta:
        model = Institution
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        f = self.filters
        if user.sees_all_offices:
            f["office"].queryset = offices_with_province()
            f["district"].queryset = District.objects.select_related("province").order_by(
                "province__name_th", "name_th"
            )
            f["area_team"].queryset = AreaTeam.objects.select_related("office")
            f["responsible_officer"].queryset = User.objects.filter(role=User.Role.OFFICER).order_by(
                "first_name"
            )
        else:
            del f["office"]
            f["district"].queryset = district_queryset(user.office)
            f["area_team"].queryset = AreaTeam.objects.filter(office=user.office_id)
            f["responsible_officer"].queryset = User.objects.filter(
                role=User.Role.OFFICER, office=user.office_id
            ).order_by("first_name")

    @property
    def form(self):
        form = super().form
        form.fields["responsible_officer"].label_from_instance = lambda u: u.get_full_name() or u.username
        return form

    def search(self, queryset, name, value):
        value = normalize_digits(value).strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(name_en__icontains=value) | Q(registration_number__icontains=value)
        )

    def only_mine(self, queryset, name, value):
        return queryset.filter(responsible_officer=self.request.user) if value else queryset
