"""The change-history tab: who changed what and when, with field-by-field differences.

Built from django-simple-history rows of the institution and of its contacts, people and yearly
figures, in a fixed number of queries (diffs are computed in Python from consecutive rows rather
than with ``diff_against``, which queries per row for many-to-many fields). National ID numbers
are masked here too (PDPA).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

from cooperatives.models import BusinessLine, Contact, Institution, Person, YearlyFigure
from cooperatives.rules import mask_national_id
from coopsupport.thai import format_date, format_money

SKIP_FIELDS = {"id", "created_at", "updated_at", "institution"}
LIMIT_PER_MODEL = 200


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    at: datetime
    user: object
    action: str
    subject: str
    changes: list[Change] = field(default_factory=list)


def _fk_targets(model) -> dict[str, type[models.Model]]:
    return {
        f.attname: f.related_model
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.name not in SKIP_FIELDS
    }


class _Labels:
    """Turns raw stored values into what a person reads (one query per related model)."""

    def __init__(self, wanted: dict[type[models.Model], set]):
        self.names: dict[tuple[type, object], str] = {}
        for model, ids in wanted.items():
            ids = {i for i in ids if i is not None}
            if not ids:
                continue
            manager = model._base_manager
            for obj in manager.filter(pk__in=ids):
                label = obj.get_full_name() or obj.username if hasattr(obj, "get_full_name") else str(obj)
                self.names[(model, obj.pk)] = label

    def show(self, model_field, value, fk_model=None) -> str:
        if value is None or value == "":
            return "–"
        if fk_model is not None:
            return self.names.get((fk_model, value), f"#{value}")
        if model_field.name == "national_id":
            return mask_national_id(value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, date):
            return format_date(value)
        if isinstance(value, Decimal):
            return format_money(value)
        return str(value)


def _rows(model, institution_id: int, *, by_object: bool):
    history_model = model.history.model
    qs = history_model.objects.select_related("history_user")
    qs = qs.filter(id=institution_id) if not by_object else qs.filter(institution_id=institution_id)
    return list(qs.order_by("-history_date", "-history_id")[:LIMIT_PER_MODEL])[::-1]


def _business_lines_by_history(history_ids) -> dict[int, frozenset]:
    m2m_model = apps.get_model("cooperatives", "HistoricalInstitution_business_lines")
    out: dict[int, set] = {}
    for hid, line_id in m2m_model.objects.filter(history_id__in=history_ids).values_list(
        "history_id", "businessline"
    ):
        out.setdefault(hid, set()).add(line_id)
    return {k: frozenset(v) for k, v in out.items()}


def change_log(institution: Institution, *, limit: int = 100) -> list[Entry]:
    """The newest ``limit`` changes of the institution and its contacts, people and figures."""
    sources = [
        (Institution, _rows(Institution, institution.pk, by_object=False)),
        (Contact, _rows(Contact, institution.pk, by_object=True)),
        (Person, _rows(Person, institution.pk, by_object=True)),
        (YearlyFigure, _rows(YearlyFigure, institution.pk, by_object=True)),
    ]
    lines = _business_lines_by_history([r.history_id for r in sources[0][1]])
    wanted: dict[type, set] = {}
    for model, rows in sources:
        for attname, target in _fk_targets(model).items():
            wanted.setdefault(target, set()).update(getattr(r, attname) for r in rows)
    labels = _Labels(wanted)
    line_names = {bl.pk: bl.name for bl in BusinessLine.objects.all()} if lines else {}

    entries: list[Entry] = []
    for model, rows in sources:
        fields = [f for f in model._meta.concrete_fields if f.name not in SKIP_FIELDS]
        fk_models = _fk_targets(model)
        previous: dict[int, object] = {}
        for row in rows:
            before = previous.get(row.id)
            previous[row.id] = row
            entry = Entry(
                at=row.history_date,
                user=row.history_user,
                action={"+": _("created"), "~": _("changed"), "-": _("deleted")}[row.history_type],
                subject=_subject(model, row),
            )
            if before is not None and row.history_type == "~":
                for f in fields:
                    old, new = getattr(before, f.attname), getattr(row, f.attname)
                    if old != new:
                        fk = fk_models.get(f.attname)
                        entry.changes.append(
                            Change(str(f.verbose_name), labels.show(f, old, fk), labels.show(f, new, fk))
                        )
                if model is Institution:
                    old_l, new_l = (
                        lines.get(before.history_id, frozenset()),
                        lines.get(row.history_id, frozenset()),
                    )
                    if old_l != new_l:
                        entry.changes.append(
                            Change(
                                str(Institution._meta.get_field("business_lines").verbose_name),
                                ", ".join(sorted(line_names.get(i, "?") for i in old_l)) or "–",
                                ", ".join(sorted(line_names.get(i, "?") for i in new_l)) or "–",
                            )
                        )
                if not entry.changes:
                    continue
            entries.append(entry)
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def _subject(model, row) -> str:
    if model is Institution:
        return str(Institution._meta.verbose_name)
    if model is YearlyFigure:
        return _("Yearly figures %(year)s") % {"year": row.year_be}
    return f"{model._meta.verbose_name}: {row.name}"
