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


def table_dataset(table) -> tablib.Dataset:
    values = iter(table.as_values(exclude_columns=getattr(table, "export_exclude", ())))
    headers = [str(h) for h in next(values)]
    return dataset_from_rows(headers, values)


def table_response(table, fmt: str, name: str) -> HttpResponse:
    return dataset_response(table_dataset(table), fmt, name)


def dataset_bytes(data: tablib.Dataset, fmt: str) -> bytes:
    # A BOM lets Excel open Thai CSV as UTF-8.
    return ("\ufeff" + data.export("csv")).encode("utf-8") if fmt == "csv" else data.export("xlsx")


LIST_EXPORT_KIND = "coopsupport.list_export"


def request_list_export(*, request, fmt: str, title: str, kwargs: dict):
    """Queue an export of a list page's filtered rows as a document rendered by the worker."""
    from reports.services import request_document

    user = request.user
    params = {
        "view": request.resolver_match.view_name,
        "kwargs": kwargs,
        "query": request.GET.urlencode(),
        "user_id": user.pk,
        "format": fmt,
    }
    office = None if user.sees_all_offices else user.office
    return request_document(
        kind=LIST_EXPORT_KIND, params=params, office=office, title=f"{title} ({fmt.upper()})", user=user
    )


def render_list_export(params: dict) -> tuple[bytes, str]:
    """Worker side of ``request_list_export``: replay the list view as the same user, same filters."""
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory
    from django.urls import resolve, reverse
    from django_htmx.middleware import HtmxDetails

    user = get_user_model().objects.get(pk=params["user_id"])
    path = reverse(params["view"], kwargs=params.get("kwargs") or {})
    request = RequestFactory().get(path + "?" + params["query"])
    request.user = user
    request.htmx = HtmxDetails(request)
    view_class = resolve(path).func.view_class
    view = view_class()
    view.setup(request, **(params.get("kwargs") or {}))
    filterset = view.get_filterset(view.get_filterset_class())
    if not filterset.is_valid():
        raise ValueError("the export's filters are no longer valid")
    fmt = params["format"]
    stamp = timezone.localdate().strftime("%Y%m%d")
    return dataset_bytes(
        table_dataset(view.export_table(filterset)), fmt
    ), f"{view.export_name}-{stamp}.{fmt}"


def dataset_response(data: tablib.Dataset, fmt: str, name: str) -> HttpResponse:
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(dataset_bytes(data, fmt), content_type=_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response
