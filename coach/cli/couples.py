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
    from coach.store.caseload import Merge

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
    from coach.render.caseload_table import print_caseload

    print_caseload(summaries)


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

    from coach.app.couples import merge
    from coach.base.escape import neutralise_line
    from coach.domain.wording import count
    from coach.render.caseload_table import merge_plan_lines

    def confirm(plan: Merge) -> bool:
        for line in merge_plan_lines(plan):
            print(line)
        question = f'Move {count(len(plan.ids), "session")} to "{neutralise_line(plan.target)}"?'
        return _confirmed(question, yes)

    plan, moved = merge(source, target, confirm)
    if moved is None:
        print("Nothing merged.")
        return
    print(
        f'Merged {count(moved, "session")} into "{neutralise_line(plan.target)}".', file=sys.stderr
    )


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
