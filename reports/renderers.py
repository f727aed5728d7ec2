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

MONTHLY_REPORT = "reports.monthly"


@register(MONTHLY_REPORT)
def render_monthly_report(params: dict) -> tuple[bytes, str]:
    """params: {"office_id": int, "month": "YYYY-MM-DD"} -> the monthly performance report PDF."""
    from reports import documents

    return documents.monthly_report_pdf(params)
