"""The terminal chart renderer on its own (plotext), and how points are spread in time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coach.render.charts import Chart, Series, legend, terminal_chart
from coach.render.html.trends_page import spread_by_time

START = datetime(2026, 1, 5, 19, 0, tzinfo=UTC)


def chart(values: tuple[float | None, ...], name: str = "Oxytocin") -> Chart:
    dates = tuple(START + timedelta(weeks=n) for n in range(len(values)))
    return Chart(
        title="Scores <over> time & more",
        dates=dates,
        series=(Series(name, values),),
        low=0.0,
        high=21.0,
        ticks=(0.0, 7.0, 13.5, 21.0),
        reference=13.5,
        reference_label="reference point 13.5",
    )


def test_points_are_spread_by_time() -> None:
    dates = (START, START + timedelta(days=1), START + timedelta(days=10))
    xs = spread_by_time(dates, left=10.0, width=200.0)
    assert xs[0] == 10.0 and xs[2] == 210.0
    assert (xs[1] - xs[0]) * 8 < xs[2] - xs[1]


def test_one_session_is_drawn_in_the_middle() -> None:
    assert spread_by_time((START,), left=10.0, width=200.0) == [110.0]


def test_terminal_chart_has_title_axes_and_ticks_and_a_separate_legend() -> None:
    text = terminal_chart(chart((10.0, 12.0, 15.0)), width=80, height=15, color=False)
    lines = text.splitlines()
    assert "Scores <over> time & more" in lines[0]
    assert max(len(line) for line in lines) <= 80
    assert any(line.startswith("13.5┤") for line in lines)
    assert "\x1b[" not in text
    assert [name for name, _ in legend(chart((1.0,)))] == ["Oxytocin", "reference point 13.5"]
