"""Line charts of values over time in the terminal (plotext), for `coach trends`.

A chart takes the session dates, and one series of values per line (None where a session has no
value, which breaks the line rather than inventing a point). plotext is imported only when a
chart is drawn. The HTML report's and the svg export's charts are coach/render/html/trends_page.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from coach.base.dates import day
from coach.domain.checkin import MAX_TOTAL, REFERENCE_POINT

if TYPE_CHECKING:
    from rich.console import Console

    from coach.store.index import TrendPoint

# Colour-blind friendly (Okabe-Ito and kin), repeated when there are more lines than colours:
# the nearest of the terminal's 256 colours, for plotext and Rich.
PALETTE = (25, 214, 36, 175, 74, 166, 97, 178, 243, 29)
REFERENCE_COLOUR = 245
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


def colour(number: int) -> int:
    """The terminal colour of the chart's `number`th line."""
    return PALETTE[number % len(PALETTE)]


def terminal_chart(chart: Chart, width: int, height: int = 18, color: bool = True) -> str:
    """The chart drawn with plotext, `width` columns wide. The legend is left to the caller
    (see `legend`): inside the plot it would cover the lines."""
    import plotext

    figure = plotext.figure
    figure.clear()
    figure.theme("simple")  # no background of its own: readable on light and dark terminals
    figure.date().activate(form="%Y-%m-%d")
    lines = [(s.values, colour(n)) for n, s in enumerate(chart.series)]
    if chart.reference is not None:
        lines.append(((chart.reference,) * len(chart.dates), REFERENCE_COLOUR))
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
    entries = [(s.name, colour(n)) for n, s in enumerate(chart.series)]
    if chart.reference is not None:
        entries.append((chart.reference_label, REFERENCE_COLOUR))
    return entries


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


def print_trend_chart(
    points: Sequence[TrendPoint],
    targets: Sequence[str],
    names: Callable[[str], str],
    couple: str,
    partner_labels: tuple[str, str],
) -> bool:
    """`coach trends` at a terminal: one couple's charts, keys and the notice. False (after a
    line saying so) when the terminal is too narrow for a chart: the caller shows a table."""
    from rich.console import Console

    from coach.base.escape import one_line
    from coach.render.summary import NOTICE

    console = Console()
    if console.width < MIN_CHART_WIDTH:
        console.print(f"(A chart needs {MIN_CHART_WIDTH} columns; here is a table.)")
        return False
    labels = (one_line(partner_labels[0]), one_line(partner_labels[1]))  # user text
    drawn = trend_charts(points, targets, names, couple, partner_labels=labels)
    print_terminal_charts(console, drawn)
    console.print(NOTICE, style="italic")
    return True
