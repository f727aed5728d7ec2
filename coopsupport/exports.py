"""Excel and CSV exports of a django-tables2 table, safe against formula injection."""

from __future__ import annotations

import tablib
from django.http import HttpResponse
from django.utils import timezone

FORMATS = ("xlsx", "csv")
MAX_EXPORT_ROWS = 50_000
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def safe_cell(value):
    """A spreadsheet must never execute what a user typed: prefix formula-like text with '."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


def dataset_from_rows(headers: list[str], rows) -> tablib.Dataset:
    data = tablib.Dataset(headers=[safe_cell(h) for h in headers])
    for i, row in enumerate(rows):
        if i >= MAX_EXPORT_ROWS:
            break
        data.append([safe_cell(v) for v in row])
    return data


def table_response(table, fmt: str, name: str) -> HttpResponse:
    values = iter(table.as_values(exclude_columns=getattr(table, "export_exclude", ())))
    headers = [str(h) for h in next(values)]
    data = dataset_from_rows(headers, values)
    return dataset_response(data, fmt, name)


def dataset_response(data: tablib.Dataset, fmt: str, name: str) -> HttpResponse:
    stamp = timezone.localdate().strftime("%Y%m%d")
    # A BOM lets Excel open Thai CSV as UTF-8.
    body = ("\ufeff" + data.export("csv")).encode("utf-8") if fmt == "csv" else data.export("xlsx")
    response = HttpResponse(body, content_type=_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response
