"""The couple report's charts over time, drawn as inline SVG: small multiples (one chart per
target on shared scales, each with the couple's and each partner's rolling mean, and a key),
and the rolling means the CSI-4 chart (coach.render.html.csi_chart) draws too. Used by the
report page and by the report's standalone SVG (coach.render.html.report).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from coach.app.reports import PartnerScores
from coach.base.dates import day
from coach.content import TARGETS
from coach.render.html.page import (
    A_COLOUR,
    A_DASH,
    B_COLOUR,
    B_DASH,
    COUPLE_COLOUR,
    SVG_NS,
    html_text,
    signed,
)

if TYPE_CHECKING:
    from coach.store.index import HistoryRow

MIN_WINDOW = 5  # sessions in a rolling mean, at least
WINDOWS_PER_CHART = 20  # a longer history gets a wider window: about 20 windows across a chart


@dataclass(frozen=True)
class Multiple:
    """One small chart's data: a target's scores per session, for the couple and each partner."""

    name: str
    couple: tuple[float | None, ...]
    a: tuple[float | None, ...]
    b: tuple[float | None, ...]


def rolling_window(sessions: int) -> int:
    """Sessions per rolling mean: 5, or more for a long history (27 for 544 sessions), so that
    the line shows the drift over months rather than every week's ups and downs."""
    return max(MIN_WINDOW, sessions // WINDOWS_PER_CHART)


def rolling_known(values: Sequence[float | None], window: int) -> list[float | None]:
    """At each session with a value, the mean of the last `window` known values; None elsewhere.

    For measures taken now and then (the CSI-4 check-in), where a session without one is not a
    gap in the measure: the line joins the sessions that have it.
    """
    means: list[float | None] = []
    known: list[float] = []
    for value in values:
        if value is None:
            means.append(None)
            continue
        known.append(value)
        recent = known[-window:]
        means.append(sum(recent) / len(recent))
    return means


def rolling_mean(values: Sequence[float | None], window: int) -> list[float | None]:
    """At each session, the mean of the known values among the last `window` sessions.

    A session with no value of its own gets None: the line breaks there rather than
    pretending a value was measured.
    """
    means: list[float | None] = []
    for index, value in enumerate(values):
        if value is None:
            means.append(None)
            continue
        known = [v for v in values[max(0, index - window + 1) : index + 1] if v is not None]
        means.append(sum(known) / len(known))
    return means


# Small-multiple geometry (viewBox units; the SVG scales with the page).
M_WIDTH, M_HEIGHT = 340, 118
M_LEFT, M_RIGHT, M_TOP, M_BOTTOM = 34, 10, 10, 24


def spread_by_time(dates: Sequence[datetime], left: float, width: float) -> list[float]:
    """x positions from `left` across `width`, spread by time, so that a gap of weeks looks
    like one; a single session sits centred."""
    stamps = [d.timestamp() for d in dates]
    first, last = min(stamps), max(stamps)
    if last == first:
        return [left + width / 2] * len(stamps)
    return [left + (s - first) / (last - first) * width for s in stamps]


def _m_x(dates: Sequence[datetime]) -> list[float]:
    return spread_by_time(dates, M_LEFT, M_WIDTH - M_LEFT - M_RIGHT)


def _m_y(value: float) -> float:
    height = M_HEIGHT - M_TOP - M_BOTTOM
    return M_TOP + (1 - (value + 1) / 2) * height


def _polylines(
    xs: Sequence[float], values: Sequence[float | None], colour: str, width: float, dash: str
) -> list[str]:
    lines, run = [], []
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    for x, value in [*zip(xs, values, strict=True), (0.0, None)]:
        if value is not None:
            run.append(f"{x:.1f},{_m_y(value):.1f}")
            continue
        if len(run) > 1:
            lines.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                f'stroke-width="{width}" stroke-linejoin="round"{dashed}/>'
            )
        elif run:  # a lone session: a dot, so it is not lost
            x_text, y_text = run[0].split(",")
            lines.append(f'<circle cx="{x_text}" cy="{y_text}" r="{width}" fill="{colour}"/>')
        run = []
    return lines


def multiple_svg(
    chart: Multiple, dates: Sequence[datetime], window: int, placement: str = ""
) -> str:
    """One target's small chart: every couple score as a faint dot, and three rolling means.

    `placement` (x, y, width and height attributes) places it inside a larger SVG.
    """
    xs = _m_x(dates)
    right, bottom = M_WIDTH - M_RIGHT, M_HEIGHT - M_BOTTOM
    title = (
        f"{chart.name}: couple score and each partner's, rolling mean of "
        f"{window} sessions, {day(dates[0])} to {day(dates[-1])}"
    )
    parts = [
        f'<svg xmlns="{SVG_NS}"{placement} viewBox="0 0 {M_WIDTH} {M_HEIGHT}" '
        f'role="img" font-family="system-ui, sans-serif" font-size="10">',
        f"<title>{html_text(title)}</title>",
    ]
    for tick in (-1.0, -0.5, 0.0, 0.5, 1.0):
        y = _m_y(tick)
        stroke = "#9a9a9a" if tick == 0 else "#e3e3e3"
        parts.append(
            f'<line x1="{M_LEFT}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{stroke}"/>'
        )
        if tick in (-1.0, 0.0, 1.0):
            parts.append(
                f'<text x="{M_LEFT - 5}" y="{y + 3.5:.1f}" text-anchor="end" fill="#555">'
                f"{signed(tick) if tick else '0'}</text>"
            )
    parts.append(
        f'<text x="{M_LEFT}" y="{bottom + 15}" fill="#555">{day(dates[0])}</text>'
        f'<text x="{right}" y="{bottom + 15}" text-anchor="end" fill="#555">'
        f"{day(dates[-1])}</text>"
    )
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{_m_y(v):.1f}" r="1.6"/>'
        for x, v in zip(xs, chart.couple, strict=True)
        if v is not None
    )
    parts.append(f'<g fill="{COUPLE_COLOUR}" fill-opacity="0.28">{dots}</g>')
    # The couple's line first and widest, the partners' thinner lines over it, so that where
    # they run together (the couple's score is their mean) both stay visible.
    parts += _polylines(xs, rolling_mean(chart.couple, window), COUPLE_COLOUR, 3.2, "")
    parts += _polylines(xs, rolling_mean(chart.a, window), A_COLOUR, 1.5, A_DASH)
    parts += _polylines(xs, rolling_mean(chart.b, window), B_COLOUR, 1.5, B_DASH)
    parts.append("</svg>")
    return "".join(parts)


def chart_key(labels: tuple[str, str], window: int) -> str:
    """The key under the small multiples: what the dots and each line stand for."""

    def swatch(colour: str, width: float, dash: str = "", dot: bool = False) -> str:
        if dot:
            mark = f'<circle cx="13" cy="6" r="2.4" fill="{colour}" fill-opacity="0.45"/>'
        else:
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            mark = (
                f'<line x1="0" y1="6" x2="26" y2="6" stroke="{colour}" '
                f'stroke-width="{width}"{dashed}/>'
            )
        return (
            f'<svg xmlns="{SVG_NS}" width="26" height="12" viewBox="0 0 26 12" '
            f'aria-hidden="true">{mark}</svg>'
        )

    items = [
        (swatch(COUPLE_COLOUR, 0, dot=True), "each session's couple score"),
        (swatch(COUPLE_COLOUR, 3.2), f"couple, rolling mean of {window} sessions"),
        (swatch(A_COLOUR, 1.5, A_DASH), f"{html_text(labels[0])}, rolling mean"),
        (swatch(B_COLOUR, 1.5, B_DASH), f"{html_text(labels[1])}, rolling mean"),
    ]
    return '<ul class="key">' + "".join(f"<li>{s}{text}</li>" for s, text in items) + "</ul>"


def multiples(
    rows: Sequence[HistoryRow], partner_scores: Sequence[PartnerScores], names: Callable[[str], str]
) -> list[Multiple]:
    """One Multiple per target, from the index rows (couple) and each session's partner scores."""
    charts = []
    for target in TARGETS:
        charts.append(
            Multiple(
                name=names(target),
                couple=tuple(row.scores.get(target) for row in rows),
                a=tuple(scores["a"].get(target) for scores in partner_scores),
                b=tuple(scores["b"].get(target) for scores in partner_scores),
            )
        )
    return charts
