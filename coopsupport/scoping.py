"""One scoping rule for every model: ``Model.objects.for_user(user)``.

Officers and supervisors see the records of their own office; central staff and admins see all;
anyone else sees nothing. Each model's queryset names the path to its office
(``office_lookup``), e.g. ``"borrower__office"`` for a loan.
"""

from __future__ import annotations

from django.db import models


class ScopedQuerySet(models.QuerySet):
    office_lookup: str = "office"

    def for_user(self, user) -> ScopedQuerySet:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_offices:
            return self.all()
        if user.office_id is None:
            return self.none()
        return self.filter(**{self.office_lookup: user.office_id})


def scoped_manager(office_lookup: str):
    """A manager whose queryset scopes by ``office_lookup`` (for models that need no other methods)."""
    qs_class = type(
        "ScopedBy_" + office_lookup.replace("__", "_"), (ScopedQuerySet,), {"office_lookup": office_lookup}
    )
    return qs_class.as_manager()


def offices_for_user(user):
    """The offices a user may choose when creating records."""
    from coopsupport.models import Office

    if user.sees_all_offices:
        return Office.objects.all()
    return Office.objects.filter(pk=user.office_id)
