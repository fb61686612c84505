"""coach couples: a therapist's caseload, one line per couple; rename a couple, merge two.

coach delete --couple (in cli/history.py) removes a couple's sessions. Labels match in any
order and case everywhere: "Sam & Alex" is "alex & sam" (coach.domain.labels.couple_key).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from coach.base.errors import UsageError, did_you_mean
from coach.cli.options import LABEL

if TYPE_CHECKING:
    from coach.app.couples import CoupleSummary

FORMATS = ("table", "json")

app = typer.Typer(no_args_is_help=False, invoke_without_command=True)


@app.callback()
def couples(
    ctx: typer.Context,
    output_format: str = typer.Option(
        "table", "--format", "-f", metavar="FORMAT", help="table or json.", show_default=True
    ),
) -> None:
    """Your couples at a glance, the most recently seen first.

    Each line: the couple, how many sessions, the first and last date, each partner's latest
    CSI-4 total, and the direction of the couple's CSI-4 over their last four finished sessions
    with a check-in (up, down, level, or too few check-ins). CSI-4 totals are a reference point
    for conversation (Funk & Rogge 2007), never a verdict or a contest between partners.

    Examples: coach couples
              coach couples --format json
              coach couples rename "sam & alex" "Alex & Sam"
              coach couples merge "Sam & Alex" "Samuel & Alex"
    """
    if ctx.invoked_subcommand is not None:
        return
    if output_format not in FORMATS:
        raise UsageError(f"--format must be table or json{did_you_mean(output_format, FORMATS)}")
    from coach.app.history import caseload
    from coach.base.formats import JSON_SCHEMA_VERSION
    from coach.render.tables import warn_problems

    summaries = caseload(warn_problems)
    if output_format == "json":
        from coach.render.json_out import write_json

        write_json(
            {"schema_version": JSON_SCHEMA_VERSION, "couples": [s.to_dict() for s in summaries]}
        )
        return
    _print_table(summaries)


CITATION = "CSI-4: Funk & Rogge (2007); a reference point for conversation, not a verdict."
HEADINGS = ("COUPLE", "SESSIONS", "FIRST", "LAST", "LATEST CSI-4", "DIRECTION")


def _cells(summary: CoupleSummary) -> tuple[str, ...]:
    from coach.base.dates import day
    from coach.render.tables import one_line

    csi = ", ".join(f"{one_line(name)} {total}" for name, (total, _) in sorted(summary.csi.items()))
    return (
        one_line(summary.label),
        str(summary.sessions),
        day(summary.first) if summary.first else "",
        day(summary.last) if summary.last else "",
        csi or "none to show",  # no check-in, or totals the partners kept private
        summary.direction,
    )


def _print_table(summaries: list[CoupleSummary]) -> None:
    """A Rich table at a terminal; tab-separated lines with a heading when piped."""
    import sys

    from coach.render.tables import is_terminal

    if not summaries:
        print("No couples yet (coach start --a NAME --b NAME begins a session).", file=sys.stderr)
        return
    if not is_terminal():
        lines = ["\t".join(HEADINGS), *("\t".join(_cells(summary)) for summary in summaries)]
        print("\n".join(lines))
        print(CITATION, file=sys.stderr)  # standard error: what is piped stays the listing
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    for column in HEADINGS:
        table.add_column(column)
    for summary in summaries:
        table.add_row(*_cells(summary))
    console = Console()
    console.print(table)
    console.print(CITATION)


@app.command()
def rename(
    old: str = typer.Argument(
        ..., metavar="OLD", click_type=LABEL, help="The couple's label now (any order and case)."
    ),
    new: str = typer.Argument(..., metavar="NEW", click_type=LABEL, help="The new label."),
) -> None:
    """Rename a couple: every session of theirs gets the new label (each file atomically).

    A label another couple already has is refused: coach couples merge puts two couples
    together, on purpose. Example: coach couples rename "sam & alex" "Alex & Sam"
    """
    import sys

    from coach.base.escape import neutralise_line
    from coach.domain.wording import count
    from coach.store import caseload

    renamed = caseload.rename_couple(old, new)
    print(f'Renamed {count(renamed, "session")} to "{neutralise_line(new)}".', file=sys.stderr)


@app.command()
def merge(
    source: str = typer.Argument(
        ...,
        metavar="FROM",
        click_type=LABEL,
        help="The couple whose sessions move (any order and case).",
    ),
    target: str = typer.Argument(
        ..., metavar="INTO", click_type=LABEL, help="The couple they join; its label is kept."
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Merge two couples: every session of FROM gets INTO's label (each file atomically).

    For one couple recorded under two labels. Lists what moves and asks first (--yes for
    scripts); afterwards the sessions cannot be told apart by label again.

    Example: coach couples merge "Sam & Alex" "Samuel & Alex"
    """
    import sys

    from coach.base.escape import neutralise_line
    from coach.domain.wording import count
    from coach.store import caseload

    plan = caseload.plan_merge(source, target)
    source_shown, target_shown = neutralise_line(plan.source), neutralise_line(plan.target)
    print(
        f'Merging "{source_shown}" into "{target_shown}" '
        f"(which has {count(plan.target_sessions, 'session')}) moves "
        f"{count(len(plan.ids), 'session')}:"
    )
    for session_id in plan.ids:
        print(f"  {session_id}")
    question = f'Move {count(len(plan.ids), "session")} to "{target_shown}"?'
    if not _confirmed(question, yes):
        print("Nothing merged.")
        return
    moved = caseload.merge_couples(plan)
    print(f'Merged {count(moved, "session")} into "{target_shown}".', file=sys.stderr)


def _confirmed(question: str, yes: bool) -> bool:
    if yes:
        return True
    from coach.base.stdio import stdin_is_terminal

    if not stdin_is_terminal():
        raise UsageError(
            "coach couples merge asks for confirmation; pass --yes to merge without a terminal"
        )
    from coach.ask import prompts

    return prompts.ask_yes_no(question)
