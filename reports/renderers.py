"""The document renderer registry, and the reports app's own renderers.

A renderer turns JSON-safe ``params`` into ``(content: bytes, filename: str)``. Apps register
theirs in ``<app>/renderers.py``::

    from reports.renderers import register

    @register("loans.statement")
    def render_statement(params: dict) -> tuple[bytes, str]:
        ...
        return render_pdf("loans/pdf/statement.html", context), "statement.pdf"

``ReportsConfig.ready`` imports ``<app>.renderers`` of every project app, so the web process and
the Celery worker know the same kinds.
"""

from __future__ import annotations

from collections.abc import Callable

Renderer = Callable[[dict], tuple[bytes, str]]

_REGISTRY: dict[str, Renderer] = {}


class UnknownDocumentKind(LookupError):
    """No renderer is registered under this kind."""


def register(kind: str) -> Callable[[Renderer], Renderer]:
    """Decorator: ``@register("loans.statement")`` on ``func(params) -> (bytes, filename)``."""
    if not kind or not isinstance(kind, str):
        raise ValueError("a renderer kind must be a non-empty string")

    def decorator(func: Renderer) -> Renderer:
        existing = _REGISTRY.get(kind)
        if existing is not None and existing is not func and _qualname(existing) != _qualname(func):
            raise ValueError(f"renderer kind {kind!r} is already registered by {_qualname(existing)}")
        _REGISTRY[kind] = func
        return func

    return decorator


def get(kind: str) -> Renderer:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise UnknownDocumentKind(f"no renderer registered for document kind {kind!r}") from None


def kinds() -> list[str]:
    return sorted(_REGISTRY)


def unregister(kind: str) -> None:
    """For tests that register a throw-away renderer."""
    _REGISTRY.pop(kind, None)


def _qualname(func: Callable) -> str:
    return f"{func.__module__}.{func.__qualname__}"


# ---------------------------------------------------------------- the reports app's own kinds


@register("coopsupport.list_export")
def render_list_export(params: dict) -> tuple[bytes, str]:
    """A large list export (see ``coopsupport.exports.request_list_export``)."""
    from coopsupport.exports import render_list_export as render

    return render(params)


MONTHLY_REPORT = "reports.monthly"


@register(MONTHLY_REPORT)
def render_monthly_report(params: dict) -> tuple[bytes, str]:
    """params: {"office_id": int, "month": "YYYY-MM-DD"} -> the monthly performance report PDF,
    from ``reports.queries.monthly_report_data`` (the same numbers as the page)."""
    from datetime import date

    from coopsupport.models import Office
    from reports.pdf import render_pdf
    from reports.queries import monthly_report_data

    office = Office.objects.get(pk=params["office_id"])
    month = date.fromisoformat(params["month"])
    report = monthly_report_data(office, month)
    prepared_by = _user(params.get("prepared_by"))
    context = {
        "office": office,
        "report": report,
        "title": _monthly_title(report),
        "signatures": monthly_signatures(report, prepared_by=prepared_by),
    }
    filename = f"รายงานผลการปฏิบัติงาน-{office.code}-{month.year + 543}-{month.month:02d}.pdf"
    return render_pdf("reports/pdf/monthly_report.html", context), filename


def monthly_signatures(report, *, prepared_by=None) -> list[dict]:
    """Reporter (who asked for the PDF) and the supervisor who signs it off (or the head of office)."""
    from django.utils.translation import gettext as _

    office, signoff = report.office, report.signoff
    certifier = {"label": _("Certified by"), "name": office.head_name,
                 "position": office.head_title or _("Provincial Cooperative Officer")}  # fmt: skip
    if signoff is not None:
        signer = signoff.signed_by
        certifier = {"label": _("Certified by"), "name": signer.get_full_name() or signer.username,
                     "position": signer.position, "signed_at": signoff.signed_at}  # fmt: skip
    reporter = {"label": _("Reporter"), "name": "", "position": ""}
    if prepared_by is not None:
        reporter.update(
            name=prepared_by.get_full_name() or prepared_by.username, position=prepared_by.position
        )
    return [reporter, certifier]


def _user(pk):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=pk).first() if pk else None


def _monthly_title(report) -> str:
    from django.utils.translation import gettext as _

    return _("Monthly performance report, %(month)s") % {"month": report.month_label}
