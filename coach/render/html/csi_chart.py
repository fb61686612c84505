"""The couple report's CSI-4 chart: each partner's totals over time against the reference point.

Drawn for paper as much as for a screen: a legend inside the drawing names each partner (a
tooltip does nothing on paper), the reference point 13.5 is a labelled line on the axis (its
label sits in the margin, where no line can cross it), and a total below it is a ringed dot
that reads in black and white, not a faint dot.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from coach.base.dates import day
from coach.domain import checkin
from coach.render.html.page import A_COLOUR, A_DASH, B_COLOUR, B_DASH, SVG_NS, html_text
from coach.render.html.trends_page import rolling_known, rolling_window

if TYPE_CHECKING:
    from coach.store.index import HistoryRow

C_WIDTH, C_HEIGHT = 720, 224
C_LEFT, C_RIGHT, C_TOP, C_BOTTOM = 40, 12, 50, 24
LEGEND_ROWS = (16, 34)  # baselines of the legend's two rows, above the plot
REFERENCE_INK, BELOW_SHADE = "#333", "#f2f2f2"


def _c_y(total: float) -> float:
    return C_TOP + (1 - total / checkin.MAX_TOTAL) * (C_HEIGHT - C_TOP - C_BOTTOM)


def _legend(labels: tuple[str, str]) -> list[str]:
    """Two rows: each partner's line and dot on the left; the reference line and the ring that
    marks a total below it on the right."""
    reference = f"{checkin.REFERENCE_POINT:g}"
    parts = []
    for (label, colour, dash), y in zip(
        ((labels[0], A_COLOUR, A_DASH), (labels[1], B_COLOUR, B_DASH)), LEGEND_ROWS, strict=True
    ):
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{C_LEFT}" y1="{y - 4}" x2="{C_LEFT + 26}" y2="{y - 4}" stroke="{colour}" '
            f'stroke-width="2"{dashed}/><circle cx="{C_LEFT + 13}" cy="{y - 4}" r="2.8" '
            f'fill="{colour}"/><text x="{C_LEFT + 34}" y="{y}">{html_text(label)}: each total '
            "and the rolling mean</text>"
        )
    x = C_WIDTH // 2 + 60
    top, bottom = LEGEND_ROWS
    parts.append(
        f'<line x1="{x}" y1="{top - 4}" x2="{x + 26}" y2="{top - 4}" stroke="{REFERENCE_INK}" '
        f'stroke-width="1.4"/><text x="{x + 34}" y="{top}">reference point {reference}</text>'
        f'<circle cx="{x + 13}" cy="{bottom - 4}" r="5.5" fill="none" stroke="{REFERENCE_INK}" '
        f'stroke-width="1.5"/><circle cx="{x + 13}" cy="{bottom - 4}" r="2.8" '
        f'fill="{REFERENCE_INK}"/><text x="{x + 34}" y="{bottom}">a total below {reference}</text>'
    )
    return parts


def csi_svg(rows: Sequence[HistoryRow], labels: tuple[str, str]) -> str | None:
    """Each partner's CSI-4 totals (dots; ringed below the reference point) and their rolling
    means, against the reference line. None when nobody did the check-in in these sessions.
    """
    series = [
        (labels[0], tuple(None if r.csi_a is None else float(r.csi_a) for r in rows), A_COLOUR),
        (labels[1], tuple(None if r.csi_b is None else float(r.csi_b) for r in rows), B_COLOUR),
    ]
    done = [values for _, values, _ in series if any(v is not None for v in values)]
    if not done:
        return None
    window = rolling_window(max(sum(v is not None for v in values) for values in done))
    width = C_WIDTH - C_LEFT - C_RIGHT
    stamps = [row.created.timestamp() for row in rows]
    first, last = min(stamps), max(stamps)
    xs = [
        C_LEFT + (width / 2 if last == first else (s - first) / (last - first) * width)
        for s in stamps
    ]
    right, bottom = C_WIDTH - C_RIGHT, C_HEIGHT - C_BOTTOM
    reference = _c_y(checkin.REFERENCE_POINT)
    parts = [
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {C_WIDTH} {C_HEIGHT}" role="img" '
        'font-family="system-ui, sans-serif" font-size="11">',
        f"<title>CSI-4 totals of {html_text(labels[0])} and {html_text(labels[1])}, with "
        f"rolling means of {window} check-ins and the reference point "
        f"{checkin.REFERENCE_POINT:g}</title>",
        '<g class="legend">',
        *_legend(labels),
        "</g>",
        # Below the reference point, a light shade: a total there stands out in any ink.
        f'<rect x="{C_LEFT}" y="{reference:.1f}" width="{width}" '
        f'height="{bottom - reference:.1f}" fill="{BELOW_SHADE}"/>',
    ]
    for tick in (0, 7, 21):
        y = _c_y(tick)
        parts.append(
            f'<line x1="{C_LEFT}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#e3e3e3"/>'
            f'<text x="{C_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{tick}</text>'
        )
    parts.append(
        f'<line x1="{C_LEFT}" y1="{reference:.1f}" x2="{right}" y2="{reference:.1f}" '
        f'stroke="{REFERENCE_INK}" stroke-width="1.4"/>'
        f'<text x="{C_LEFT - 6}" y="{reference + 4:.1f}" text-anchor="end" font-weight="bold" '
        f'fill="{REFERENCE_INK}">{checkin.REFERENCE_POINT:g}</text>'
        f'<text x="{C_LEFT}" y="{bottom + 17}" fill="#555">{day(rows[0].created)}</text>'
        f'<text x="{right}" y="{bottom + 17}" text-anchor="end" fill="#555">'
        f"{day(rows[-1].created)}</text>"
    )
    for (_, values, colour), dash in zip(series, (A_DASH, B_DASH), strict=True):
        means = rolling_known(values, window)
        points = " ".join(
            f"{x:.1f},{_c_y(m):.1f}" for x, m in zip(xs, means, strict=True) if m is not None
        )
        if points.count(",") > 1:
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"'
                f"{dashed}/>"
            )
    for name, values, colour in series:
        marks = []
        for x, v in zip(xs, values, strict=True):
            if v is None:
                continue
            if v < checkin.REFERENCE_POINT:
                marks.append(
                    f'<circle class="below" cx="{x:.1f}" cy="{_c_y(v):.1f}" r="5.5" fill="none" '
                    f'stroke="{colour}" stroke-width="1.5"/>'
                )
            marks.append(
                f'<circle cx="{x:.1f}" cy="{_c_y(v):.1f}" r="2.8">'
                f"<title>{html_text(name)}: {v:g}</title></circle>"
            )
        parts.append(f'<g fill="{colour}">{"".join(marks)}</g>')
    parts.append("</svg>")
    return "".join(parts)


def csi_key(labels: tuple[str, str]) -> str:
    """The legend again as a list, for a phone (coach.render.html.page shows it below 600 px,
    where the drawing's own legend would be too small to read, and hides that one)."""
    reference = f"{checkin.REFERENCE_POINT:g}"

    def swatch(mark: str) -> str:
        return (
            f'<svg xmlns="{SVG_NS}" width="26" height="12" viewBox="0 0 26 12" '
            f'aria-hidden="true">{mark}</svg>'
        )

    def line(colour: str, dash: str, width: float = 2) -> str:
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        return (
            f'<line x1="0" y1="6" x2="26" y2="6" stroke="{colour}" stroke-width="{width}"{dashed}/>'
        )

    items = [
        (
            line(colour, dash) + f'<circle cx="13" cy="6" r="2.8" fill="{colour}"/>',
            f"{html_text(label)}: each total and the rolling mean",
        )
        for label, colour, dash in ((labels[0], A_COLOUR, A_DASH), (labels[1], B_COLOUR, B_DASH))
    ]
    items += [
        (line(REFERENCE_INK, "", 1.4), f"reference point {reference}"),
        (
            f'<circle cx="13" cy="6" r="5" fill="none" stroke="{REFERENCE_INK}" '
            f'stroke-width="1.5"/><circle cx="13" cy="6" r="2.5" fill="{REFERENCE_INK}"/>',
            f"a total below {reference}",
        ),
    ]
    return (
        '<ul class="key csi-key">'
        + "".join(f"<li>{swatch(mark)}{text}</li>" for mark, text in items)
        + "</ul>"
    )
