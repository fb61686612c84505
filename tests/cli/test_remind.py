"""`coach remind`: an iCalendar file read back with icalendar, and the crontab line."""

from __future__ import annotations

import shlex
import stat
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from coach_process import invoke
from icalendar import Calendar

from coach.app.reminders import (
    Reminder,
    ReminderError,
    cron_line,
    first_occurrence,
    parse_reminder,
)


def read_event(text: str) -> Any:
    calendar = Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_weekly_file_has_the_recurrence_rule_and_an_alarm(tmp_path: Path) -> None:
    out = tmp_path / "reminders.ics"
    result = invoke(
        "remind", "--every", "week", "--on", "sun", "--at", "19:00",
        "--couple", "Alex & Sam", "-o", str(out),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    event = read_event(out.read_text(encoding="utf-8"))
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["BYDAY"] == ["SU"]
    start = event.decoded("DTSTART")
    assert start.tzinfo is None  # floating: 19:00 wherever the calendar is
    assert (start.weekday(), start.time()) == (6, time(19, 0))
    assert date.today() <= start.date() < date.today() + timedelta(days=7)
    assert "Alex & Sam" in str(event["SUMMARY"])
    assert "--couple 'Alex & Sam'" in str(event["DESCRIPTION"])
    alarms = event.walk("VALARM")
    assert [str(a["ACTION"]) for a in alarms] == ["DISPLAY"]


def test_without_output_the_calendar_goes_to_stdout() -> None:
    result = invoke("remind", "--every", "fortnight", "--on", "mon,thu", "--at", "7:30")
    assert result.code == 0, result.stderr
    event = read_event(result.stdout)
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    assert event["RRULE"]["INTERVAL"] == [2]
    assert event["RRULE"]["BYDAY"] == ["MO", "TH"]
    assert "SUMMARY" in event and str(event["SUMMARY"]) == "Couples check-in"


def test_monthly_reminder_falls_on_the_first_chosen_weekday() -> None:
    reminder = parse_reminder("month", "sat", "10:00", None)
    result = invoke("remind", "--every", "month", "--on", "sat", "--at", "10:00")
    assert read_event(result.stdout)["RRULE"]["BYDAY"] == ["1SA"]
    first = first_occurrence(reminder, date(2026, 11, 30))
    assert first == datetime(2026, 12, 5, 10, 0)  # the first Saturday of December


def test_daily_reminder_starts_today() -> None:
    reminder = parse_reminder("day", None, "23:59", None)
    assert first_occurrence(reminder, date(2026, 11, 30)) == datetime(2026, 11, 30, 23, 59)


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--every", "year"], "--every"),
        (["--on", "someday"], "--on"),
        (["--at", "25:00"], "--at"),
        (["--at", "7pm"], "--at"),
        (["--every", "day", "--on", "sun"], "--on"),
        (["--couple", "a\nb"], "--couple"),
        (["--every", "month", "--cron"], "cron"),
        (["--cron", "-o", "x.ics"], "--cron"),
    ],
)
def test_bad_options_exit_2_naming_the_option(options: list[str], named: str) -> None:
    result = invoke("remind", *options)
    assert result.code == 2
    assert named in result.stderr
    assert result.stdout == ""


def test_cron_line_runs_the_message_at_the_chosen_time() -> None:
    result = invoke("remind", "--cron", "--on", "sun,wed", "--at", "19:05", "--couple", "A & B")
    assert result.code == 0, result.stderr
    comment, line = result.stdout.splitlines()
    assert comment.startswith("#")
    minute, hour, dom, month, dow, command = line.split(maxsplit=5)
    assert (minute, hour, dom, month, dow) == ("5", "19", "*", "*", "3,0")
    args = shlex.split(command)
    assert args[-4:] == ["remind", "--message", "--couple", "A & B"]


def test_cron_line_escapes_percent_signs() -> None:
    reminder = Reminder(every="day", days=(), at=time(8, 0), couple="100% us")
    line = cron_line(reminder, ["/usr/bin/coach"])
    assert line == r"0 8 * * *  /usr/bin/coach remind --message --couple '100\% us'"


def test_message_names_the_couple_and_the_command() -> None:
    result = invoke("remind", "--message", "--couple", "Alex & Sam")
    assert result.code == 0
    assert "(Alex & Sam)" in result.stdout
    assert "coach start --a NAME --b NAME --couple 'Alex & Sam'" in result.stdout


def test_parse_reminder_rejects_an_empty_label() -> None:
    with pytest.raises(ReminderError, match="--couple"):
        parse_reminder("week", None, "19:00", "   ")
