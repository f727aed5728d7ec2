from __future__ import annotations

import pytest

from reports import pdf, renderers

SAMPLE_KIND = "tests.sample"
FAILING_KIND = "tests.failing"


@pytest.fixture
def sample_renderer():
    """A renderer that makes a real (small) Thai PDF."""

    def render(params: dict) -> tuple[bytes, str]:
        content = pdf.render_pdf(
            "reports/pdf/simple.html",
            {"title": params.get("title", "เอกสารทดสอบ"), "paragraphs": ["สหกรณ์การเกษตรแม่ริม"]},
        )
        return content, "เอกสารทดสอบ.pdf"

    renderers.register(SAMPLE_KIND)(render)
    yield render
    renderers.unregister(SAMPLE_KIND)


@pytest.fixture
def flaky_renderer():
    """Fails until ``state["broken"]`` is set to False."""
    state = {"broken": True, "calls": 0}

    def render(params: dict) -> tuple[bytes, str]:
        state["calls"] += 1
        if state["broken"]:
            raise ValueError("ข้อมูลตัวชี้วัดไม่ครบ")
        return b"%PDF-1.7 fake", "report.pdf"

    renderers.register(FAILING_KIND)(render)
    yield state
    renderers.unregister(FAILING_KIND)


@pytest.fixture(autouse=True, scope="session")
def _celery_results_folder():
    """Eager tasks still open Celery's result backend; the embedded one (file://var/celery-results)
    needs its folder (coopsupport/celery.py only makes the broker's). Reported to the lead."""
    from django.conf import settings

    (settings.VAR_DIR / "celery-results").mkdir(parents=True, exist_ok=True)
