"""The chart renderers on their own: SVG drawn by hand, and plotext in the terminal."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from coach.render.charts import Chart, Series, legend, svg_chart, terminal_chart

SVG = "{http://www.w3.org/2000/svg}"
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


def test_svg_is_valid_xml_with_escaped_text_and_a_reference_line() -> None:
    root = ET.fromstring(svg_chart(chart((10.0, 12.0, 15.0), name="<b>A & B</b>")))
    assert root.find(f"{SVG}title").text == "Scores <over> time & more"  # type: ignore[union-attr]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "<b>A & B</b>" in texts and "reference point 13.5" in texts
    assert "13.5" in texts and "2026-01-05" in texts and "2026-01-19" in texts
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 1


def test_a_missing_value_breaks_the_line_instead_of_inventing_a_point() -> None:
    root = ET.fromstring(svg_chart(chart((10.0, 11.0, None, 14.0, 15.0))))
    lines = list(root.iter(f"{SVG}polyline"))
    assert [len(line.get("points", "").split()) for line in lines] == [2, 2]
    assert len(list(root.iter(f"{SVG}circle"))) == 4


def test_points_are_spread_by_time() -> None:
    dates = (START, START + timedelta(days=1), START + timedelta(days=10))
    spaced = Chart("t", dates, (Series("s", (1.0, 2.0, 3.0)),), 0.0, 21.0, (0.0, 21.0))
    root = ET.fromstring(svg_chart(spaced))
    xs = [float(c.get("cx", "0")) for c in root.iter(f"{SVG}circle")]
    assert (xs[1] - xs[0]) * 8 < xs[2] - xs[1]


def test_one_session_is_drawn_in_the_middle() -> None:
    root = ET.fromstring(svg_chart(chart((12.0,))))
    (point,) = root.iter(f"{SVG}circle")
    assert 250 < float(point.get("cx", "0")) < 350


def test_terminal_chart_has_title_axes_and_ticks_and_a_separate_legend() -> None:
    text = terminal_chart(chart((10.0, 12.0, 15.0)), width=80, height=15, color=False)
    lines = text.splitlines()
    assert "Scores <over> time & more" in lines[0]
    assert max(len(line) for line in lines) <= 80
    assert any(line.startswith("13.5┤") for line in lines)
    assert "\x1b[" not in text
    assert [name for name, _ in legend(chart((1.0,)))] == ["Oxytocin", "reference point 13.5"]
