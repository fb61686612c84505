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


class _Checked(StringParamType):
    """A partner's name or a couple's label typed on the command line, checked as it is parsed
    by the one name rule (coach.domain.validity), whichever command takes it: one line naming the
    option and what is valid, exit 2, before anything runs. "" is left to the command (for
    run and template it means "not given")."""

    def __init__(self, label: bool) -> None:
        self.label = label

    def get_metavar(self, param: object, ctx: object) -> str:
        return ""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        from coach.base.errors import UsageError
        from coach.domain.validity import check_couple_label, check_name, option_problem

        text = super().convert(value, param, ctx)
        if not isinstance(text, str) or text == "":
            return text
        option = param.opts[0] if param is not None and param.opts else "the argument"
        if param is not None and getattr(param, "param_type_name", "") == "argument":
            option = param.human_readable_name
        problem = option_problem(option, (check_couple_label if self.label else check_name)(text))
        if problem:
            raise UsageError(problem)
        return text


NAME = _Checked(label=False)
LABEL = _Checked(label=True)


def output_option(what: str) -> Any:
    """-o FILE, for every command that writes a file (coach.store.output is its one policy).
    `what` says what goes there and what happens without -o."""
    return typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help=f"{what} Written atomically and readable by you only (0600); - is standard output; "
        "an existing file is kept unless --force; never inside coach's data directory.",
    )


FORCE_OPTION: Any = typer.Option(
    False, "--force", help="Replace the -o file if it exists (without it, coach refuses, exit 2)."
)
