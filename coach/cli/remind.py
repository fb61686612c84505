"""`coach remind`: a repeating reminder as an iCalendar file, or as a crontab line.

The logic is in coach.app.reminders; this module turns options into it and writes the result.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from coach.base.errors import UsageError
from coach.cli import completion
from coach.cli.options import FORCE_OPTION, LABEL, output_option

if TYPE_CHECKING:
    from coach.app.reminders import Reminder
    from coach.store.output import OutputTarget


def register(app: typer.Typer) -> None:
    from coach.cli.helptext import SESSIONS

    app.command(rich_help_panel=SESSIONS)(remind)


def remind(
    every: str = typer.Option(
        "week",
        "--every",
        metavar="PERIOD",
        help="How often: day, week, fortnight or month (its first DAY).",
    ),
    on: str | None = typer.Option(
        None, "--on", metavar="DAY", help="Day(s) of the week, e.g. sun or mon,thu. Default: sun."
    ),
    at: str = typer.Option("19:00", "--at", metavar="HH:MM", help="Time of day, local time."),
    couple: str | None = typer.Option(
        None,
        "--couple",
        metavar="LABEL",
        click_type=LABEL,
        help="Name the couple in the reminder (calendars may be synced).",
        autocompletion=completion.couples,
    ),
    output: str | None = output_option(
        "Write the iCalendar file here; without it, it goes to standard output."
    ),
    force: bool = FORCE_OPTION,
    cron: bool = typer.Option(
        False, "--cron", help="Print a crontab line that reminds you instead of an .ics file."
    ),
    message: bool = typer.Option(
        False, "--message", help="Print the reminder's text (what the crontab line runs)."
    ),
) -> None:
    """Make a repeating reminder for your sessions, for any calendar app or for cron.

    Writes an iCalendar (.ics) event with a recurrence rule and an alarm; import it into your
    calendar. With --cron, prints a crontab line instead: at those times cron runs
    `coach remind --message`, whose text cron mails to you (add it with `crontab -e`).

    Example: coach remind --every week --on sun --at 19:00 -o reminders.ics
    """
    from coach.app.reminders import ReminderError, parse_reminder
    from coach.store.output import output_target

    try:
        reminder = parse_reminder(every, on, at, couple)
    except ReminderError as error:
        raise UsageError(str(error)) from None
    if cron and output is not None:
        raise UsageError("--cron prints a crontab line; it does not go with -o")
    target = output_target(output, force=force)
    if message:
        from coach.app.reminders import message as reminder_message

        print(reminder_message(reminder))
    elif cron:
        _print_cron(reminder)
    else:
        _write_ics(reminder, target)


def _print_cron(reminder: Reminder) -> None:
    from coach.app.reminders import ReminderError, cron_line

    try:
        line = cron_line(reminder, _program())
    except ReminderError as error:
        raise UsageError(str(error)) from None
    print(f"# coach: {reminder.describe()} (add with: crontab -e)")
    print(line)


def _program() -> list[str]:
    """The full path of coach for cron, whose PATH is short; else python -m coach."""
    import shutil
    import sys

    running = Path(sys.argv[0])
    if running.name == "coach" and running.is_file():
        return [str(running.absolute())]
    found = shutil.which("coach")
    if found:
        return [str(Path(found).resolve())]
    return [sys.executable, "-m", "coach"]


def _write_ics(reminder: Reminder, target: OutputTarget) -> None:
    import sys
    import uuid
    from datetime import date

    from coach.app.reminders import ics_text, start_command

    text = ics_text(
        reminder,
        today=date.today(),
        uid=f"{uuid.uuid4()}@coach",
        command=start_command(reminder),
    )
    target.write(text)
    if target.path is not None:
        from coach.base.escape import shown_path

        shown = shown_path(target.path)
        print(f"Wrote a reminder {reminder.describe()} to {shown}", file=sys.stderr)
