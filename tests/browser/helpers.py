"""Shared steps of the browser journeys: sign in, save a full-page screenshot, measure overflow."""

from __future__ import annotations

import os

PASSWORD = "pass-1234-word"  # tests.factories.UserFactory

# The page is no wider than the window (1 px of rounding allowed).
NO_OVERFLOW_JS = "document.documentElement.scrollWidth <= window.innerWidth + 1"
WIDTHS_JS = "[document.documentElement.scrollWidth, window.innerWidth]"


def sign_in(page, live_server, username: str) -> None:
    """Sign in through the login form (the navbar's language switch is also a submit button)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")


def sign_out(page) -> None:
    page.context.clear_cookies()


def shot(page, screenshot_dir: str, name: str) -> str:
    path = os.path.join(screenshot_dir, name)
    page.screenshot(path=path, full_page=True)
    return path


def main_text(page) -> str:
    """What the person reads in the page body (no hidden template text, no script data)."""
    return page.locator("main").inner_text()


def widest_elements(page, limit: int = 5) -> list[str]:
    """For a failure message: the elements that stick out past the window's right edge."""
    return page.evaluate(
        """(limit) => {
        const w = window.innerWidth;
        const out = [];
        for (const el of document.querySelectorAll('body *')) {
          const r = el.getBoundingClientRect();
          if (r.right > w + 1 && r.width > 0) {
            out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} right=${Math.round(r.right)}`);
          }
          if (out.length >= limit) break;
        }
        return out;
      }""",
        limit,
    )


def wait_for_charts(page, *canvas_ids: str, timeout: float = 15_000) -> None:
    """Each canvas holds a Chart.js chart that has finished its entry animation (so a screenshot
    shows the real bar heights, not a frame half-way up)."""
    page.wait_for_function(
        """(ids) => window.Chart && ids.every((id) => {
            const chart = Chart.getChart(id);
            return chart !== undefined && !Chart.animator.running(chart);
        })""",
        arg=list(canvas_ids),
        timeout=timeout,
    )
