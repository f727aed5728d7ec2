"""Loan list filters: fund, status, district, officer, aging bucket and a free-text ``q``."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coopsupport.models import District, User
from loans.models import FollowUp, Fund, Loan
from loans.portfolio import BUCKET_DAY_RANGES, Bucket

# Bucket -> (min, max) days past due, inclusive; None = open-ended.
BUCKET_RANGES = BUCKET_DAY_RANGES
BUCKET_CHOICES = [
    (Bucket.CURRENT.value, _("Not overdue")),
    (Bucket.D1_30.value, _("1–30 days")),
    (Bucket.D31_90.value, _("31–90 days")),
    (Bucket.D91_180.value, _("91–180 days")),
    (Bucket.D181_365.value, _("181–365 days")),
    (Bucket.OVER_365.value, _("Over 365 days")),
]


def bucket_q(value: str) -> Q:
    low, high = BUCKET_RANGES[Bucket(value)]
    q = Q(days_past_due__gte=low)
    if high is not None:
        q &= Q(days_past_due__lte=high)
    return q


class LoanFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    fund = django_filters.ModelChoiceFilter(label=_("fund"), queryset=Fund.objects.all())
    status = django_filters.MultipleChoiceFilter(label=_("debtor status"), choices=Loan.Status.choices)
    district = django_filters.ModelChoiceFilter(
        label=_("district"), field_name="borrower__district", queryset=District.objects.none()
    )
    officer = django_filters.ModelChoiceFilter(
        label=_("responsible officer"), field_name="responsible_officer", queryset=User.objects.none()
    )
    bucket = django_filters.ChoiceFilter(label=_("overdue"), choices=BUCKET_CHOICES, method="filter_bucket")

    class Meta:
        model = Loan
        fields = ["q", "fund", "status", "district", "officer", "bucket"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        districts = District.objects.select_related("province")
        officers = User.objects.filter(is_active=True).exclude(role=User.Role.ADMIN)
        if user is not None and user.is_authenticated and not user.sees_all_offices:
            province_id = user.office.province_id if user.office else None
            districts = districts.filter(province_id=province_id)
            officers = officers.filter(office_id=user.office_id)
        self.filters["district"].queryset = districts
        self.filters["officer"].queryset = officers.order_by("first_name", "username")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(contract_number__icontains=value) | Q(borrower__name__icontains=value))

    def filter_bucket(self, queryset, name, value):
        return queryset.filter(bucket_q(value)) if value else queryset


class FollowUpFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=pgettext_lazy("loans", "kind"), choices=FollowUp.Kind.choices)
    is_done = django_filters.BooleanFilter(label=_("done"))

    class Meta:
        model = FollowUp
        fields = ["q", "kind", "is_done"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(loan__contract_number__icontains=value) | Q(loan__borrower__name__icontains=value)
            | Q(note__icontains=value)
        )  # fmt: skip
