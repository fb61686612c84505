"""Dates print with four-digit years everywhere they are shown (issue 25, item 16): a session
dated in the year 1 (a hand-edited or restored file) is 0001-01-01 in listings, the summary,
exports and reports, never 1-01-01, whatever the platform's strftime does with %Y."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from coach_process import invoke_checked
from store_helpers import SessionFactory

from coach.base.dates import day, day_and_time, long_date
from coach.store import files

YEAR_ONE = datetime(1, 1, 1, 9, 30, tzinfo=UTC)
SHORT_YEAR = "1-01-01"  # what %Y gives for the year 1 on glibc


def test_the_formatter_pads_the_year() -> None:
    assert day(YEAR_ONE) == "0001-01-01"
    assert day_and_time(YEAR_ONE) == "0001-01-01 09:30"
    assert long_date(YEAR_ONE) == "Monday 01 January 0001, 09:30"
    assert day(datetime(2026, 12, 4, tzinfo=UTC)) == "2026-12-04"


@pytest.fixture
def year_one(make_session: SessionFactory) -> str:
    """Two finished sessions of one couple, the first in the year 1; returns its id."""
    first = make_session(session_id="00010101-093000-aaaaaa", created=YEAR_ONE)
    files.save_session(first)
    later = YEAR_ONE + timedelta(days=3)
    files.save_session(make_session(session_id="00010104-093000-bbbbbb", created=later))
    return first.id


def shows_four_digits(text: str) -> None:
    text = text.replace("&#160;", " ")  # Rich's SVG writes its spaces so
    assert "0001-01-0" in text or "January 0001" in text, text[:2000]
    for line in text.splitlines():
        # "1-01-01" may only appear inside "0001-01-01" (or an ISO date-time).
        stripped = line.replace("0001-01-0", "")
        assert SHORT_YEAR not in stripped and "January 1," not in stripped, line


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["history"],
        ["trends"],
        ["couples"],
        ["show", "{id}"],
        ["export", "{id}"],
        ["export", "{id}", "-f", "csv"],
        ["export", "--couple", "Sam & Alex"],
        ["export", "--couple", "Sam & Alex", "-f", "csv"],
    ],
    ids=" ".join,
)
def test_every_listing_summary_and_export_shows_the_year_in_four_digits(
    year_one: str, command: list[str]
) -> None:
    args = [a.format(id=year_one) for a in command]
    shows_four_digits(invoke_checked(*args).stdout)


@pytest.mark.parametrize("fmt", ["html", "svg"])
def test_html_and_svg_reports_and_pages_show_the_year_in_four_digits(
    year_one: str, tmp_path: Path, fmt: str
) -> None:
    report = tmp_path / f"report.{fmt}"
    invoke_checked("export", "--couple", "Sam & Alex", "-f", fmt, "-o", str(report))
    shows_four_digits(report.read_text(encoding="utf-8"))
    page = tmp_path / f"session.{fmt}"
    invoke_checked("export", year_one, "-f", fmt, "-o", str(page))
    shows_four_digits(page.read_text(encoding="utf-8"))
