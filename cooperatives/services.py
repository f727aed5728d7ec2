"""Writes of the institution register. Every function is atomic and keyword-only, and re-checks,
inside the transaction, that what it wrote is still within the user's scope (else it rolls back)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from cooperatives.models import BusinessLine, Institution, Person, StatusEvent, YearlyFigure
from coopsupport.models import AreaTeam, Office, PersonalDataAccess, User
from coopsupport.thai import be_year

INSTITUTION_FIELDS = (
    "kind", "type", "registration_number", "name", "name_en", "parent", "registered_on",
    "accounting_year_end_month", "accounting_year_end_day", "address", "district", "subdistrict",
    "postcode", "phone", "email", "area_team", "responsible_officer", "note",
)  # fmt: skip


class OutOfScope(PermissionDenied):
    """The record would end up outside what the user may see: the transaction is rolled back."""


def _ensure_in_scope(obj: Model, by: User) -> None:
    if not type(obj).objects.for_user(by).filter(pk=obj.pk).exists():
        raise OutOfScope(_("This change would move the record outside your office."))


def _area_team_for(office: Office, district_id: int | None) -> AreaTeam | None:
    if not district_id:
        return None
    return AreaTeam.objects.filter(office=office, districts=district_id).order_by("number").first()


@transaction.atomic
def create_institution(
    *,
    office: Office,
    by: User,
    status: str = Institution.Status.OPERATING,
    business_lines: Iterable[BusinessLine] = (),
    members: int | None = None,
    today: date | None = None,
    **fields,
) -> Institution:
    """Create an institution in ``office`` (its province), its first status event and, if given,
    this year's member count."""
    data = {
        k: v
        for k, v in fields.items()
        if k in INSTITUTION_FIELDS or k.removesuffix("_id") in INSTITUTION_FIELDS
    }
    institution = Institution(office=office, province_id=office.province_id, status=status, **data)
    if institution.area_team_id is None:
        institution.area_team = _area_team_for(office, institution.district_id)
    # An operating institution has been operating since registration; any other status we only
    # know to hold from today.
    institution.status_since = (
        institution.registered_on if status == Institution.Status.OPERATING else None
    ) or today
    institution._history_user = by
    institution.save()
    institution.business_lines.set(business_lines)
    if institution.status_since:
        StatusEvent.objects.create(
            institution=institution,
            status=status,
            effective_on=institution.status_since,
            note=_("Recorded when the institution was added to the register."),
            recorded_by=by,
        )
    if members is not None and today is not None:
        figure = YearlyFigure(institution=institution, year_be=be_year(today.year), members=members)
        figure._history_user = by
        figure.save()
    _ensure_in_scope(institution, by)
    return institution


@transaction.atomic
def update_institution(
    *, institution: Institution, by: User, business_lines: Iterable[BusinessLine] | None = None, **fields
) -> Institution:
    """Change the register fields (not the status: see ``change_status``)."""
    changed = []
    for name, value in fields.items():
        if name not in INSTITUTION_FIELDS:
            continue
        attname = Institution._meta.get_field(name).attname
        new = getattr(value, "pk", value)
        if getattr(institution, attname) != new:
            setattr(institution, name, value)
            changed.append(name)
    if "district" in changed and "area_team" not in changed:
        institution.area_team = (
            _area_team_for(institution.office, institution.district_id) or institution.area_team
        )
        changed.append("area_team")
    if business_lines is not None:
        new_lines = {bl.pk for bl in business_lines}
        if new_lines != set(institution.business_lines.values_list("pk", flat=True)):
            # One history row for the whole edit: m2m signals are muted, the save below snapshots the lines.
            institution.skip_history_when_saving = True
            try:
                institution.business_lines.set(new_lines)
            finally:
                del institution.skip_history_when_saving
            changed.append("business_lines")
    institution._history_user = by
    if changed:
        institution.save(
            update_fields=[name for name in changed if name != "business_lines"] + ["updated_at"]
        )
    _ensure_in_scope(institution, by)
    return institution


@transaction.atomic
def change_status(
    *,
    institution: Institution,
    status: str,
    effective_on: date,
    reference: str = "",
    note: str = "",
    by: User,
) -> StatusEvent:
    """Record a dated status change (with its order/resolution) and make it the current status."""
    locked = Institution.objects.select_for_update().get(pk=institution.pk)
    if status not in Institution.Status.values:
        raise ValueError(_("Unknown status."))
    if locked.status == status:
        raise ValueError(_("The institution already has this status."))
    if locked.status_since and effective_on < locked.status_since:
        raise ValueError(_("The effective date cannot be before the current status began."))
    event = StatusEvent.objects.create(
        institution=locked,
        status=status,
        effective_on=effective_on,
        reference=reference,
        note=note,
        recorded_by=by,
    )
    locked.status, locked.status_since = status, effective_on
    locked._history_user = by
    locked.save(update_fields=["status", "status_since", "updated_at"])
    institution.status, institution.status_since = status, effective_on
    _ensure_in_scope(locked, by)
    return event


@transaction.atomic
def save_related(obj: Model, *, by: User) -> Model:
    """Save a contact, person or yearly figure of an institution (history records ``by``)."""
    obj._history_user = by
    obj.save()
    _ensure_in_scope(obj, by)
    return obj


@transaction.atomic
def delete_related(obj: Model, *, by: User) -> None:
    _ensure_in_scope(obj, by)
    obj._history_user = by
    obj.delete()


@transaction.atomic
def reveal_national_id(*, person: Person, by: User, purpose: str = "") -> str:
    """Log (PDPA) that ``by`` saw this person's full national ID number, and return it."""
    _ensure_in_scope(person, by)
    PersonalDataAccess.objects.create(
        user=by,
        object_type="cooperatives.person",
        object_id=str(person.pk),
        field="national_id",
        purpose=purpose[:255],
    )
    return person.national_id
