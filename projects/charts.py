"""Server-side SVG chart of yearly and cumulative cash flow, for the PDF (no JavaScript there).

Pure: takes numbers and labels, returns an SVG string (all text is escaped).
"""

from __future__ import annotations

import math
from html import escape


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / max(ticks, 1)
    if raw <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def _short(v: float) -> str:
    a = abs(v)
    if a >= 1_000_000:
        return f"{v / 1_000_000:,.1f} ล้าน"
    if a >= 1_000:
        return f"{v / 1_000:,.0f} พัน"
    return f"{v:,.0f}"


def cash_flow_svg(
    labels: list[str],
    net: list[float],
    cumulative: list[float],
    *,
    series_labels: tuple[str, str],
    width: int = 720,
    height: int = 280,
) -> str:
    """Bars for the yearly net cash flow and a line for the cumulative cash flow."""
    n = len(net)
    left, right, top, bottom = 70, 12, 28, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [*net, *cumulative, 0.0]
    lo, hi = min(values), max(values)
    if lo == hi:
        hi = lo + 1
    step = _nice_step(hi - lo)
    lo_t, hi_t = math.floor(lo / step) * step, math.ceil(hi / step) * step

    def y(v: float) -> float:
        return top + (hi_t - v) / (hi_t - lo_t) * plot_h

    slot = plot_w / max(n, 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Sarabun, sans-serif" font-size="10">'
    ]
    tick = lo_t
    while tick <= hi_t + step / 2:
        ty = y(tick)
        out.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" stroke="#ddd"/>')
        out.append(
            f'<text x="{left - 4}" y="{ty + 3:.1f}" text-anchor="end" fill="#444">{escape(_short(tick))}</text>'
        )
        tick += step
    zero = y(0)
    out.append(f'<line x1="{left}" y1="{zero:.1f}" x2="{width - right}" y2="{zero:.1f}" stroke="#333"/>')
    bar_w = max(2.0, slot * 0.6)
    label_every = max(1, math.ceil(n / 16))
    for i, v in enumerate(net):
        x = left + i * slot + (slot - bar_w) / 2
        y0, y1 = sorted((y(v), zero))
        color = "#2e7d32" if v >= 0 else "#c62828"
        out.append(
            f'<rect x="{x:.1f}" y="{y0:.1f}" width="{bar_w:.1f}" height="{max(y1 - y0, 0.5):.1f}" fill="{color}"/>'
        )
        if i % label_every == 0:
            out.append(
                f'<text x="{left + i * slot + slot / 2:.1f}" y="{height - bottom + 14}" '
                f'text-anchor="middle" fill="#444">{escape(labels[i])}</text>'
            )
    points = " ".join(f"{left + i * slot + slot / 2:.1f},{y(v):.1f}" for i, v in enumerate(cumulative))
    out.append(f'<polyline points="{points}" fill="none" stroke="#1f4e79" stroke-width="2"/>')
    for i, v in enumerate(cumulative):
        out.append(f'<circle cx="{left + i * slot + slot / 2:.1f}" cy="{y(v):.1f}" r="2.5" fill="#1f4e79"/>')
    # legend
    out.append(
        f'<rect x="{left}" y="8" width="12" height="10" fill="#2e7d32"/>'
        f'<text x="{left + 16}" y="17" fill="#222">{escape(series_labels[0])}</text>'
    )
    lx = left + 200
    out.append(
        f'<line x1="{lx}" y1="13" x2="{lx + 14}" y2="13" stroke="#1f4e79" stroke-width="2"/>'
        f'<text x="{lx + 18}" y="17" fill="#222">{escape(series_labels[1])}</text>'
    )
    out.append("</svg>")
    return "".join(out)
