"""Reminders to come back to the exercises: an iCalendar event that repeats, or a crontab line.

Pure logic: no typer, rich or questionary. The iCalendar file is built with the `icalendar`
package, imported only when a file is made, so that `coach --help` never pays for it.

A reminder is a calendar event in floating local time (no time zone: "19:00" stays 19:00 where
the calendar is), repeating by an RFC 5545 recurrence rule, with an alarm at its start. It names
the couple only when a label is given, because calendars are often synced to other services.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from coach.base.escape import has_unsafe

# --every: how often, as an RFC 5545 frequency and interval.
EVERY = {
    "day": ("DAILY", 1),
    "week": ("WEEKLY", 1),
    "fortnight": ("WEEKLY", 2),
    "month": ("MONTHLY", 1),
}
# Cron cannot say "every other week" or "the first Sunday of the month" in one line.
CRON_EVERY = ("day", "week")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Cron counts days from Sunday = 0.
CRON_DAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 0}
DURATION = timedelta(minutes=45)
PRODID = "-//coach//reminders//EN"
MAX_LABEL_LENGTH = 200
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


class ReminderError(ValueError):
    """An option that cannot make a reminder; the message names the option and what is valid."""


@dataclass(frozen=True)
class Reminder:
    every: str  # a key of EVERY
    days: tuple[str, ...]  # keys of DAYS, in week order; empty for --every day
    at: time
    couple: str | None = None

    @property
    def summary(self) -> str:
        return f"Couples check-in: {self.couple}" if self.couple else "Couples check-in"

    def describe(self) -> str:
        """'every week on Sunday at 19:00', for messages and comments."""
        when = f"at {self.at:%H:%M}"
        if self.every == "day":
            return f"every day {when}"
        names = " and ".join(_DAY_NAMES[day] for day in self.days)
        if self.every == "month":
            return f"on the first {names} of every month {when}"
        return f"every {self.every} on {names} {when}"


_DAY_NAMES = dict(zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                             "Saturday", "Sunday"), strict=True))  # fmt: skip


def parse_reminder(every: str, on: str | None, at: str, couple: str | None) -> Reminder:
    """Check the options of `coach remind`; ReminderError names the first one that is wrong."""
    every = every.strip().lower()
    if every not in EVERY:
        raise ReminderError(f"--every must be one of {', '.join(EVERY)}, not {every!r}")
    days = _parse_days(on, every)
    label = _parse_label(couple)
    return Reminder(every=every, days=days, at=parse_time(at), couple=label)


def _parse_days(on: str | None, every: str) -> tuple[str, ...]:
    if every == "day":
        if on:
            raise ReminderError("--on goes with --every week, fortnight or month, not day")
        return ()
    if not on:
        return ("sun",)
    chosen = set()
    for part in on.split(","):
        day = part.strip().lower()[:3]
        if day not in DAYS:
            raise ReminderError(f"--on takes days like sun or mon,thu (one of {', '.join(DAYS)})")
        chosen.add(day)
    return tuple(day for day in DAYS if day in chosen)


def _parse_label(couple: str | None) -> str | None:
    if couple is None:
        return None
    label = couple.strip()
    if not label or len(label) > MAX_LABEL_LENGTH or has_unsafe(label):
        raise ReminderError(
            f"--couple needs a label of 1 to {MAX_LABEL_LENGTH} characters on one line"
        )
    return label


def parse_time(text: str) -> time:
    """'19:00' or '7:30' as a time; ReminderError for anything else."""
    match = _TIME.fullmatch(text.strip())
    if match:
        hour, minute = int(match[1]), int(match[2])
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ReminderError(f"--at takes a time of day as HH:MM (00:00 to 23:59), not {text!r}")


def first_occurrence(reminder: Reminder, today: date) -> datetime:
    """The first day on or after `today` that the reminder falls on, at its time.

    Months start on the first chosen weekday of the month, like the recurrence rule.
    """
    day = today
    for _ in range(62):  # two months always hold a first weekday of a month
        if _falls_on(reminder, day):
            return datetime.combine(day, reminder.at)
        day += timedelta(days=1)
    raise AssertionError("unreachable: a reminder falls on some day within two months")


def _falls_on(reminder: Reminder, day: date) -> bool:
    if reminder.every == "day":
        return True
    if DAYS[day.weekday()] not in reminder.days:
        return False
    return reminder.every != "month" or day.day <= 7


def recurrence(reminder: Reminder) -> dict[str, object]:
    """The RRULE as icalendar takes it: {'FREQ': 'WEEKLY', 'BYDAY': ['SU']}."""
    frequency, interval = EVERY[reminder.every]
    rule: dict[str, object] = {"FREQ": frequency}
    if interval != 1:
        rule["INTERVAL"] = interval
    if reminder.days:
        codes = [ICAL_DAYS[DAYS.index(day)] for day in reminder.days]
        # Monthly: the first such weekday of the month ("1SU").
        rule["BYDAY"] = [f"1{code}" for code in codes] if reminder.every == "month" else codes
    return rule


def ics_text(
    reminder: Reminder, *, today: date, uid: str, now: datetime | None = None, command: str
) -> str:
    """The reminder as an iCalendar file (RFC 5545), with CRLF line ends as the format wants.

    `command` is what to type when it rings, written into the event's description.
    """
    from icalendar import Alarm, Calendar, Event

    stamp = now or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", first_occurrence(reminder, today))  # naive: floating local time
    event.add("duration", DURATION)
    event.add("rrule", recurrence(reminder))
    event.add("summary", reminder.summary)
    event.add("description", f"Time for your couples exercise with coach. Start with: {command}")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", reminder.summary)
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    calendar.add_component(event)
    text: str = calendar.to_ical().decode("utf-8")
    return text


def start_command(reminder: Reminder) -> str:
    """The command to start a session for this couple, quoted for a shell."""
    if reminder.couple is None:
        return "coach start --a NAME --b NAME"
    return f"coach start --a NAME --b NAME --couple {shlex.quote(reminder.couple)}"


def message(reminder: Reminder) -> str:
    """What a scripted reminder says when it runs (cron mails it, or pipe it to notify-send)."""
    who = f" ({reminder.couple})" if reminder.couple else ""
    return f"Time for your couples exercise{who}. Start with: {start_command(reminder)}"


def cron_line(reminder: Reminder, program: Sequence[str]) -> str:
    """A crontab entry that runs `program remind --message ...` at the reminder's times.

    `program` runs coach: its full path, as cron's PATH is short. Cron reads % as a line break,
    so every % is escaped; the couple label is shell-quoted.
    """
    if reminder.every not in CRON_EVERY:
        raise ReminderError(
            f"cron cannot repeat every {reminder.every} in one line; use --every "
            f"{' or '.join(CRON_EVERY)} with --cron, or write an .ics file (-o reminders.ics)"
        )
    days = "*" if not reminder.days else ",".join(str(CRON_DAYS[d]) for d in reminder.days)
    args = [*program, "remind", "--message"]
    if reminder.couple is not None:
        args += ["--couple", reminder.couple]
    command = " ".join(shlex.quote(arg) for arg in args).replace("%", "\\%")
    return f"{reminder.at.minute} {reminder.at.hour} * * {days}  {command}"
