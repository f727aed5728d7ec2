"""Shared by the projects views: scoped object loading, the institution pre-fill."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from cooperatives.models import Institution
from coopsupport.views import ScopedMixin

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
