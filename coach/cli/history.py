"""History commands: history (and list, its older name), show, trends; delete and reindex.

The queries are coach.app.history and coach.app.trends, the listings and charts coach.render
(tables, charts, progress); each is imported inside the command that uses it, so `coach --help`
stays quick (no sqlite3, Rich or plotext).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from coach.base.errors import UsageError
from coach.base.formats import Format, choices, parse_format
from coach.cli import completion
from coach.cli.options import LABEL, session_or_couple_argument
from coach.domain.wording import count

if TYPE_CHECKING:
    from collections.abc import Iterator

    from coach.store.index import TrendPoint

DEFAULT_LIMIT = 50  # coach.render.tables.DEFAULT_LIMIT, repeated to keep Rich out of --help

COUPLE_OPTION = typer.Option(
    None,
    "--couple",
    metavar="LABEL",
    click_type=LABEL,
    help="Only this couple's sessions (any case).",
    autocompletion=completion.couples,
)
STATUS_OPTION = typer.Option(None, "--status", metavar="STATUS", help="finished or draft.")
LIMIT_OPTION = typer.Option(
    DEFAULT_LIMIT,
    "--limit",
    min=1,
    metavar="N",
    help="Show the newest N sessions.",
    show_default=True,
)
ALL_OPTION = typer.Option(False, "--all", help="Show every session (overrides --limit).")
LIST_FORMAT_OPTION = typer.Option(
    "text",
    "--format",
    "-f",
    metavar="FORMAT",
    help="text: a table. json: one document (docs/json-output.md).",
)


def register(app: typer.Typer) -> None:
    from coach.cli.helptext import HISTORY
    from coach.cli.show import show  # one session's commands, in their own module

    app.command(rich_help_panel=HISTORY)(history)
    app.command("list", hidden=True)(history)  # its older name, the same listing
    app.command(rich_help_panel=HISTORY)(show)
    app.command(rich_help_panel=HISTORY)(trends)


def register_data(app: typer.Typer) -> None:
    from coach.cli.helptext import DATA

    app.command(rich_help_panel=DATA)(delete)
    app.command(rich_help_panel=DATA)(reindex)


def history(
    couple: str | None = COUPLE_OPTION,
    since: str | None = typer.Option(
        None, "--since", metavar="DATE", help="From this day (YYYY-MM-DD)."
    ),
    until: str | None = typer.Option(
        None, "--until", metavar="DATE", help="Up to and including this day (YYYY-MM-DD)."
    ),
    status: str | None = STATUS_OPTION,
    limit: int = LIMIT_OPTION,
    all_sessions: bool = ALL_OPTION,
    output_format: str = LIST_FORMAT_OPTION,
) -> None:
    """Saved sessions, newest first, with each one's headline.

    A table at a terminal; plain aligned rows when piped (notes go to standard error). Shows
    the newest 50 unless --limit N or --all. Session files that cannot be read are named on
    standard error and skipped.

    Example: coach history --couple "Sam & Alex" --since 2026-01-01
    """
    from coach.app.history import check_status
    from coach.app.history import history as listed
    from coach.render.tables import print_history, warn_problems

    check_status(status)
    fmt = parse_format("history", output_format)
    shown = None if all_sessions else limit
    listing = listed(
        warn_problems, couple=couple, status=status, since=since, until=until, limit=shown
    )
    print_history(listing, limit=shown, as_json=fmt is Format.JSON)


def trends(
    couple: str | None = COUPLE_OPTION,
    target: list[str] | None = typer.Option(
        None,
        "--target",
        "-t",
        metavar="TARGET",
        help="A target to show, e.g. oxytocin or amygdala; repeat for more (default: all ten).",
    ),
    output_format: str = typer.Option(
        "chart", "--format", "-f", metavar="FORMAT", help=f"One of: {choices('trends')}."
    ),
    limit: int = typer.Option(
        DEFAULT_LIMIT,
        "--limit",
        min=1,
        metavar="N",
        help="Use the newest N finished sessions.",
        show_default=True,
    ),
    all_sessions: bool = typer.Option(False, "--all", help="Use every finished session."),
) -> None:
    """How each target's couple score and the CSI-4 totals moved over time.

    chart draws line charts in the terminal; it falls back to a table when standard output is
    not a terminal or the terminal is under 60 columns wide. table, json and csv list one row
    per finished session, oldest first. A chart shows one couple: pick it with --couple when
    the sessions are of several.

    Example: coach trends --couple "Sam & Alex" --target oxytocin --target amygdala
    """
    fmt = parse_format("trends", output_format)
    from coach.app.trends import checked_targets, trend_points

    targets = checked_targets(target)
    from coach.render import tables

    limit_or_all = None if all_sessions else limit
    points = trend_points(tables.warn_problems, couple=couple, targets=targets, limit=limit_or_all)
    if fmt is Format.JSON:
        tables.write_trend_json(points, targets, couple)
    elif fmt is Format.CSV:
        tables.write_trend_csv(points, targets)
    elif fmt is Format.CHART and tables.is_terminal():
        _trend_chart(list(points), targets, couple)
    else:
        _trend_table(points, targets, couple)


def _target_name(target: str) -> str:
    from coach.content import load_content

    return load_content().target(target).name


def _trend_table(
    points: Iterator[TrendPoint], targets: tuple[str, ...], couple: str | None
) -> None:
    from itertools import chain

    from coach.render.tables import print_trend_table

    first = next(points, None)
    if first is None:
        _no_sessions(couple)
        return
    print_trend_table(chain([first], points), targets, _target_name, show_couple=couple is None)


def _trend_chart(points: list[TrendPoint], targets: tuple[str, ...], couple: str | None) -> None:
    from coach.app.trends import chart_couple, one_partner_per_line
    from coach.render.charts import print_trend_chart

    if not points:
        _no_sessions(couple)
        return
    label = chart_couple(points)
    aligned, names = one_partner_per_line(points)
    if not print_trend_chart(aligned, targets, _target_name, label, names):
        _trend_table(iter(points), targets, couple)  # too narrow for a chart


def _no_sessions(couple: str | None) -> None:
    """Nothing found: a note on standard error, exit 0 (the rule in docs/json-output.md)."""
    import sys

    if couple is None:
        print("No finished sessions yet.", file=sys.stderr)
        return
    from coach.app.history import couple_hint
    from coach.base.escape import one_line

    hint = couple_hint(couple)
    print(
        f'No finished sessions for the couple "{one_line(couple)}"{one_line(hint)}.',
        file=sys.stderr,
    )


def reindex() -> None:
    """Rebuild the session index from the session files, from scratch.

    Shows a progress bar at a terminal. Session files that cannot be read are named and
    skipped; they never stop the rebuild. history and trends keep the index up to date by
    themselves; this is for a fresh start.

    Example: coach reindex
    """
    from coach.app.history import rebuild
    from coach.render.progress import progress_bar
    from coach.render.tables import warn_problems

    counted = [0]
    with progress_bar("Indexing sessions") as moved:

        def update(done: int, total: int) -> None:
            counted[0] = total
            moved(done, total)

        problems = rebuild(progress=update)
    warn_problems(problems)
    indexed = counted[0] - len(problems)
    skipped = f"; skipped {len(problems)} unreadable" if problems else ""
    print(f"Indexed {count(indexed, 'session')}{skipped}.")


def delete(
    session_id: str | None = session_or_couple_argument(),
    couple: str | None = typer.Option(
        None,
        "--couple",
        metavar="LABEL",
        click_type=LABEL,
        help="Delete every session of this couple (any order and case).",
        autocompletion=completion.couples,
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete a saved session, or all of a couple's sessions and drafts, and their index rows.

    Examples: coach delete 20261125-193000 --yes
              coach delete --couple "Alex & Sam"
    """
    from coach.store.lookup import delete_session, find_session_path

    if (session_id is None) == (couple is None):
        raise UsageError("name one session ID or one --couple, not both or neither")
    if couple is not None:
        _delete_couple(couple, yes)
        return
    assert session_id is not None
    path = find_session_path(session_id)
    if not _confirmed(f"Delete {path.name} for good?", yes):
        print("Nothing deleted.")
        return
    removed = delete_session(path.stem)
    print(f"Deleted {removed}")


def _confirmed(question: str, yes: bool) -> bool:

    if yes:
        return True
    from coach.base.stdio import stdin_is_terminal

    if not stdin_is_terminal():
        raise UsageError(
            "coach delete asks for confirmation; pass --yes to delete without a terminal"
        )
    from coach.ask import prompts

    return prompts.ask_yes_no(question)


def _delete_couple(couple: str, yes: bool) -> None:
    from coach.base.escape import neutralise_line
    from coach.store import caseload

    sessions = count(len(caseload.couple_sessions(couple)), "session")
    shown = neutralise_line(couple)  # typed on the command line: shown, never acted on
    if not _confirmed(f'Delete all {sessions} of "{shown}" for good?', yes):
        print("Nothing deleted.")
        return
    removed = caseload.delete_couple(couple)
    print(f'Deleted {count(len(removed), "session")} of "{shown}"')
