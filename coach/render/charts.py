"""Line charts of values over time: in the terminal (plotext) and as standalone SVG (reports).

Both take the same inputs: the session dates, and one series of values per line (None where a
session has no value, which breaks the line rather than inventing a point). plotext is imported
only when a terminal chart is drawn; the SVG is written by hand so that an HTML report needs no
script, font or network.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

from coach.base.dates import day
from coach.base.escape import neutralise
from coach.domain.checkin import MAX_TOTAL, REFERENCE_POINT

if TYPE_CHECKING:
    from rich.console import Console

    from coach.store.index import TrendPoint

# Colour-blind friendly (Okabe-Ito and kin), repeated when there are more lines than colours:
# hex for SVG, and the nearest of the terminal's 256 colours for plotext and Rich.
PALETTE = (
    ("#0072B2", 25),
    ("#E69F00", 214),
    ("#009E73", 36),
    ("#CC79A7", 175),
    ("#56B4E9", 74),
    ("#D55E00", 166),
    ("#8C6BB1", 97),
    ("#B8A000", 178),
    ("#666666", 243),
    ("#117733", 29),
)
REFERENCE_COLOUR = ("#888888", 245)
MIN_CHART_WIDTH = 60  # narrower terminals get a table instead


@dataclass(frozen=True)
class Series:
    """One line: a name for the legend and a value (or None) per session date."""

    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    title: str
    dates: tuple[datetime, ...]
    series: tuple[Series, ...]
    low: float
    high: float
    ticks: tuple[float, ...]
    # A horizontal line to read the values against (the CSI-4 reference point), with its label.
    reference: float | None = None
    reference_label: str = ""


# --- terminal ------------------------------------------------------------------------------


def colour(number: int) -> tuple[str, int]:
    """The (hex, terminal) colour of the chart's `number`th line."""
    return PALETTE[number % len(PALETTE)]


def terminal_chart(chart: Chart, width: int, height: int = 18, color: bool = True) -> str:
    """The chart drawn with plotext, `width` columns wide. The legend is left to the caller
    (see `legend`): inside the plot it would cover the lines."""
    import plotext

    figure = plotext.figure
    figure.clear()
    figure.theme("simple")  # no background of its own: readable on light and dark terminals
    figure.date().activate(form="%Y-%m-%d")
    lines = [(s.values, colour(n)[1]) for n, s in enumerate(chart.series)]
    if chart.reference is not None:
        lines.append(((chart.reference,) * len(chart.dates), REFERENCE_COLOUR[1]))
    for values, terminal_colour in lines:
        points = [
            (day(when), value)
            for when, value in zip(chart.dates, values, strict=True)
            if value is not None
        ]
        if points:
            xs, ys = zip(*points, strict=True)
            marker = plotext.marker(pixel=plotext.pixel(foreground=terminal_colour))
            figure.draw(figure.signal(list(xs), list(ys), marker=marker).lines())
    figure.legend(active=False)
    figure.ruler("y").lim(chart.low, chart.high)
    figure.ruler("y").ticks(list(chart.ticks))
    figure.plot_size(width, height)
    figure.title(chart.title)
    text: str = figure.build().string(colorless=not color)
    figure.clear()
    return text


def legend(chart: Chart) -> list[tuple[str, int]]:
    """(name, terminal colour) for each line of the chart, the reference line last."""
    entries = [(s.name, colour(n)[1]) for n, s in enumerate(chart.series)]
    if chart.reference is not None:
        entries.append((chart.reference_label, REFERENCE_COLOUR[1]))
    return entries


# --- SVG -----------------------------------------------------------------------------------

SVG_WIDTH, SVG_HEIGHT = 760, 320
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 190, 36, 44


def _xml_text(text: str) -> str:
    """Names and labels are user text: control characters (invalid in XML) made visible."""
    return escape(neutralise(text))


def spread_by_time(dates: Sequence[datetime], left: float, width: float) -> list[float]:
    """x positions from `left` across `width`, spread by time, so that a gap of weeks looks
    like one; a single session sits centred. Shared by the trend chart and the report's small
    multiples."""
    stamps = [d.timestamp() for d in dates]
    first, last = min(stamps), max(stamps)
    if last == first:
        return [left + width / 2] * len(stamps)
    return [left + (s - first) / (last - first) * width for s in stamps]


def _x_positions(dates: Sequence[datetime]) -> list[float]:
    return spread_by_time(dates, _LEFT, SVG_WIDTH - _LEFT - _RIGHT)


def _y_position(value: float, chart: Chart) -> float:
    plot_height = SVG_HEIGHT - _TOP - _BOTTOM
    share = (value - chart.low) / (chart.high - chart.low)
    return _TOP + (1 - share) * plot_height


def _segments(
    xs: Sequence[float], values: Sequence[float | None]
) -> list[list[tuple[float, float]]]:
    """Runs of consecutive known values: a None ends one run."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, value in zip(xs, values, strict=True):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((x, value))
    return [run for run in runs if run]


def _axes(chart: Chart) -> list[str]:
    right, bottom = SVG_WIDTH - _RIGHT, SVG_HEIGHT - _BOTTOM
    parts = [
        f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{bottom}" stroke="#555"/>',
        f'<line x1="{_LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#555"/>',
    ]
    for value in chart.ticks:
        y = _y_position(value, chart)
        parts.append(
            f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>'
        )
    # Five dates evenly spread in time (as the points are), so labels never crowd together.
    first, last = min(chart.dates), max(chart.dates)
    marks = [first + (last - first) * i / 4 for i in range(5)] if last > first else [first]
    for moment, x in zip(marks, _x_positions(marks), strict=True):
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 18}" text-anchor="middle">{day(moment)}</text>'
        )
    return parts


def _reference(chart: Chart) -> list[str]:
    if chart.reference is None:
        return []
    y = _y_position(chart.reference, chart)
    label = _xml_text(chart.reference_label or f"{chart.reference:g}")
    return [
        f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{SVG_WIDTH - _RIGHT}" y2="{y:.1f}" '
        f'stroke="{REFERENCE_COLOUR[0]}" stroke-dasharray="6 4"/>'
        f'<text x="{SVG_WIDTH - _RIGHT - 4}" y="{y - 5:.1f}" text-anchor="end" fill="#555">'
        f"{label}</text>"
    ]


def _shown(value: float, chart: Chart) -> str:
    """Scores with their sign (+0.25); counts such as CSI-4 totals as they are (15)."""
    return f"{value:+.2f}" if chart.low < 0 else f"{value:g}"


def _lines(chart: Chart, xs: Sequence[float]) -> list[str]:
    parts = []
    for number, item in enumerate(chart.series):
        stroke = colour(number)[0]
        name = _xml_text(item.name)
        for run in _segments(xs, item.values):
            points = " ".join(f"{x:.1f},{_y_position(v, chart):.1f}" for x, v in run)
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{stroke}" stroke-width="2"/>'
            )
            for x, value in run:
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{_y_position(value, chart):.1f}" r="3" '
                    f'fill="{stroke}"><title>{name}: {_shown(value, chart)}</title></circle>'
                )
        y = _TOP + 8 + number * 18
        left = SVG_WIDTH - _RIGHT + 16
        parts.append(
            f'<line x1="{left}" y1="{y}" x2="{left + 18}" y2="{y}" stroke="{stroke}" '
            f'stroke-width="3"/><text x="{left + 24}" y="{y + 4}">{name}</text>'
        )
    return parts


def svg_chart(chart: Chart) -> str:
    """The chart as a standalone SVG element (valid XML; no scripts, fonts or links)."""
    title = _xml_text(chart.title)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SVG_WIDTH} {SVG_HEIGHT}" '
        f'width="{SVG_WIDTH}" height="{SVG_HEIGHT}" role="img" aria-label="{title}" '
        'font-family="sans-serif" font-size="12">'
    )
    body = [
        f"<title>{title}</title>",
        f'<rect width="{SVG_WIDTH}" height="{SVG_HEIGHT}" fill="#fff"/>',
    ]
    body.append(
        f'<text x="{_LEFT}" y="{_TOP - 14}" font-size="15" font-weight="bold">{title}</text>'
    )
    if chart.dates:
        xs = _x_positions(chart.dates)
        body += _axes(chart) + _reference(chart) + _lines(chart, xs)
    return head + "".join(body) + "</svg>"


# --- trends --------------------------------------------------------------------------------


def trend_charts(
    points: Sequence[TrendPoint],
    targets: Sequence[str],
    names: Callable[[str], str],
    couple: str,
    partner_labels: tuple[str, str] = ("Partner A", "Partner B"),
) -> list[Chart]:
    """The couple scores of the targets over time, and the CSI-4 totals when there are any."""
    dates = tuple(point.created for point in points)
    label = f": {couple}" if couple else ""
    charts = [
        Chart(
            title=f"Couple scores over time{label}",
            dates=dates,
            series=tuple(Series(names(t), tuple(p.scores.get(t) for p in points)) for t in targets),
            low=-1.0,
            high=1.0,
            ticks=(-1.0, -0.5, 0.0, 0.5, 1.0),
        )
    ]
    totals = (
        Series(f"CSI-4 {partner_labels[0]}", tuple(p.csi_a for p in points)),
        Series(f"CSI-4 {partner_labels[1]}", tuple(p.csi_b for p in points)),
    )
    if any(value is not None for series in totals for value in series.values):
        charts.append(
            Chart(
                title=f"CSI-4 check-in totals (0-{MAX_TOTAL}){label}",
                dates=dates,
                series=totals,
                low=0.0,
                high=float(MAX_TOTAL),
                ticks=(0.0, 7.0, REFERENCE_POINT, float(MAX_TOTAL)),
                reference=REFERENCE_POINT,
                reference_label=f"reference point {REFERENCE_POINT:g}",
            )
        )
    return charts


def print_terminal_charts(console: Console, charts: Sequence[Chart]) -> None:
    """Each chart as plotext draws it, with its key underneath in Rich."""
    from rich.text import Text

    for chart in charts:
        # plotext's text carries its own colour codes: written as is, not re-wrapped by Rich.
        console.file.write(terminal_chart(chart, console.width, color=console.is_terminal) + "\n")
        key = Text("  ")
        for name, number in legend(chart):
            key.append("━━ ", style=f"color({number})")
            key.append(f"{name}   ")
        console.print(key)
        console.print()
