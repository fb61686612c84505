"""Options shared by several commands, so that each one reads the same everywhere.

Every option that takes a value shows one metavar across commands (--rules is always FILE,
--couple always LABEL, --format always FORMAT), and arguments show their name only: Typer would
add a "<str>" type column that tells a reader nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

# typer 0.26-0.28 vendor click as typer._click (pyproject pins typer below 0.29).
from typer._click.types import StringParamType


class _Word(StringParamType):
    """Text whose argument name (ID, TOPIC) already says what it is: no type column."""

    def get_metavar(self, param: object, ctx: object) -> str:
        return ""


WORD = _Word()

RULES_HELP = "Rule pack TOML file (default: $COACH_RULES, else the built-in pack)."
RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", envvar="COACH_RULES", dir_okay=False, metavar="FILE", help=RULES_HELP),
]


def session_or_couple_argument() -> Any:  # typer.Argument is typed Any too
    """The optional ID of commands that take one session or a --couple (export, delete)."""
    from coach.cli import completion

    return typer.Argument(
        None,
        metavar="ID",
        click_type=WORD,
        help="Session id or unique prefix (or use --couple).",
        autocompletion=completion.session_ids,
    )
