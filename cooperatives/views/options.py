"""htmx fragments for the chained selects of the institution form (read-only GETs)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cooperatives.forms import grouped_type_choices
from cooperatives.geo import district_queryset
from coopsupport.models import District, Subdistrict


def _allowed_districts(user):
    return District.objects.all() if user.sees_all_offices else district_queryset(user.office)


def _digits(value: str | None) -> str | None:
    # At most 18 digits: a bigger number is no id and would overflow the database integer (500).
    return value if value and value.isascii() and value.isdigit() and len(value) <= 18 else None


@require_GET
@login_required
def type_options(request):
    kind = request.GET.get("kind", "")
    groups = [(None, grouped_type_choices(kind))] if kind else grouped_type_choices()
    return render(request, "cooperatives/partials/options.html", {"groups": groups})


@require_GET
@login_required
def subdistrict_options(request):
    district_id = _digits(request.GET.get("district"))
    subs = (
        Subdistrict.objects.filter(district_id=district_id, district__in=_allowed_districts(request.user))
        if district_id
        else Subdistrict.objects.none()
    )
    groups = [(None, [(s.pk, s.name_th) for s in subs])]
    return render(request, "cooperatives/partials/options.html", {"groups": groups})


@require_GET
@login_required
def postcode(request):
    sub_id = _digits(request.GET.get("subdistrict"))
    value = ""
    if sub_id:
        sub = Subdistrict.objects.filter(pk=sub_id, district__in=_allowed_districts(request.user)).first()
        value = sub.postcode if sub else ""
    attrs = {
        "id": "id_postcode",
        "class": "textinput form-control",
        "maxlength": "5",
        "inputmode": "numeric",
    }
    return HttpResponse(forms.TextInput(attrs=attrs).render("postcode", value))
