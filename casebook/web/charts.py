"""Server-rendered SVG bar charts (no JavaScript). Every label is escaped.

Kept by hand rather than a chart library: a few bar charts, and the casebook's CSP allows no script.
"""

from __future__ import annotations

from collections import Counter

from markupsafe import Markup, escape

PALETTE = ("#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8e6c8a", "#30638e", "#c3423f",
           "#9bc53d", "#5a3e36", "#e76f51", "#2a9d8f", "#264653", "#f4a261", "#7f7f7f")  # fmt: skip
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 260, 44, 36, 12


def stacked_bars(data: dict[str, Counter[str]], title: str) -> Markup:
    keys = sorted({k for counts in data.values() for k in counts})
    colour = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(keys)}
    peak = max((sum(c.values()) for c in data.values()), default=0) or 1
    plot_h, slot = HEIGHT - BOTTOM - TOP, (WIDTH - LEFT) / max(len(data), 1)
    parts = [_frame(title, peak)]
    for i, (label, counts) in enumerate(data.items()):
        x, y = LEFT + i * slot + slot * 0.15, float(HEIGHT - BOTTOM)
        for key in keys:
            h = counts.get(key, 0) / peak * plot_h
            if h:
                y -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{colour[key]}">'
                    f"<title>{escape(label)} {escape(key)}: {counts[key]}</title></rect>"
                )
        parts.append(_xlabel(x + slot * 0.35, label))
    legend = "".join(
        f'<span class="key"><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" '
        f'fill="{colour[k]}"/></svg> {escape(k)}</span>'
        for k in keys
    )
    return Markup("".join(parts) + "</svg>") + Markup(f'<p class="legend">{legend}</p>')


def bars(data: dict[str, float], title: str, unit: str) -> Markup:
    peak = max(data.values(), default=0) or 1
    plot_h, slot = HEIGHT - BOTTOM - TOP, (WIDTH - LEFT) / max(len(data), 1)
    parts = [_frame(title, peak)]
    for i, (label, value) in enumerate(data.items()):
        h = value / peak * plot_h
        x = LEFT + i * slot + slot * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{HEIGHT - BOTTOM - h:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {value} {escape(unit)}</title></rect>'
            f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - BOTTOM - h - 3:.1f}" text-anchor="middle">{value}</text>'
        )
        parts.append(_xlabel(x + slot * 0.35, label))
    return Markup("".join(parts) + "</svg>")


def _frame(title: str, peak: float) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH}" y2="{HEIGHT - BOTTOM}" stroke="#444"/>'
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" stroke="#444"/>'
        f'<text x="{LEFT - 4}" y="{TOP + 10}" text-anchor="end">{peak:g}</text>'
        f'<text x="{LEFT - 4}" y="{HEIGHT - BOTTOM}" text-anchor="end">0</text>'
    )


def _xlabel(x: float, label: str) -> str:
    return f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{escape(label)}</text>'
