"""Which districts and offices a register form may offer (the office's own province)."""

from __future__ import annotations

from coopsupport.models import District, Office


def offices_with_province():
    """Offices that can hold institutions (the central department has no province)."""
    return Office.objects.filter(province__isnull=False).select_related("province")


def district_queryset(office: Office | None):
    """Districts of the office's province; a Bangkok area office that lists its districts gets only those."""
    if office is None:
        return District.objects.none()
    own = District.objects.filter(office=office)
    if own.exists():
        return own
    return District.objects.filter(province_id=office.province_id)
