from __future__ import annotations

from functools import cached_property

from django.shortcuts import get_object_or_404

from cooperatives.models import Institution


class InstitutionFromUrlMixin:
    """``self.institution``: the institution named by the URL's ``institution_pk`` (or ``pk``), in scope or 404."""

    institution_kwarg = "institution_pk"

    @cached_property
    def institution(self) -> Institution:
        return get_object_or_404(
            Institution.objects.for_user(self.request.user), pk=self.kwargs[self.institution_kwarg]
        )
