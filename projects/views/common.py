"""Shared by the projects views: scoped object loading, the institution pre-fill."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from cooperatives.models import Institution
from coopsupport.views import ScopedMixin

APPRAISAL_KIND = "projects.appraisal"


class ScopedObjectMixin(ScopedMixin):
    """Load the object through ``for_user``: out of scope is a 404."""

    def get_object(self, queryset=None):
        if not hasattr(self, "_object"):
            queryset = self.get_queryset() if queryset is None else queryset
            self._object = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self._object


def render_form(request, *, title: str, form, cancel_url: str, formsets=()):
    """The shared form page (``generic/form.html``), optionally with formsets under the form."""
    return render(
        request,
        "generic/form.html",
        {"title": title, "form": form, "formsets": formsets, "cancel_url": cancel_url},
    )


def _initial_institution(request):
    pk = request.GET.get("institution", "")
    if pk.isdigit() and Institution.objects.for_user(request.user).filter(pk=pk).exists():
        return {"institution": int(pk)}
    return {}
