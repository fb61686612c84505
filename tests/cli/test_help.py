"""Help reads well at any width: Rich wraps it, every command has an example, options read alike."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer.core import TyperArgument, TyperOption
from typer.testing import CliRunner

from coach.cli.helptext import unwrap
from coach.cli.main import app

GROUP = typer.main.get_command(app)


def commands(command: Any = GROUP, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    yield " ".join(("coach", *path)), command
    for name, sub in getattr(command, "commands", {}).items():
        yield from commands(sub, (*path, name))


ALL = list(commands())


def test_unwrap_joins_paragraph_lines_and_keeps_examples_apart() -> None:
    text = """First line
    goes on.

    A second paragraph
    over two lines. Example:
    coach show 2026
    coach list"""
    assert unwrap(text) == (
        "First line goes on.\n\nA second paragraph over two lines. Example:\n"
        "coach show 2026\ncoach list"
    )


@pytest.mark.parametrize(("name", "command"), ALL, ids=[name for name, _ in ALL])
def test_every_command_has_an_example_and_no_hand_wrapping(name: str, command: Any) -> None:
    help_text = command.help or ""
    assert re.search(r"Examples?:", help_text), f"{name} has no example"
    for paragraph in help_text.split("\n\n"):
        for line in paragraph.splitlines()[1:]:
            assert line.startswith(("coach ", "Example")), f"{name}: hand-wrapped at {line!r}"


@pytest.mark.parametrize("width", [40, 80, 120])
def test_help_wraps_to_the_terminal(width: int) -> None:
    result = CliRunner().invoke(app, ["history", "--help"], env={"COLUMNS": str(width)})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    # Rich fills each line: the description's lines (but its last) come near the full width.
    start = next(i for i, line in enumerate(lines) if "A table at a terminal" in line)
    paragraph = []
    for line in lines[start:]:
        if not line.strip():
            break
        paragraph.append(line)
    assert len(paragraph) >= 2
    assert all(len(line.rstrip()) >= width - 20 for line in paragraph[:-1])


def test_top_level_help_tells_where_data_lives_and_the_exit_codes() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    text = result.stdout
    assert "$COACH_HOME" in text and "~/.local/share/coach" in text
    for code in ("0 ok", "1 bad data", "2 bad usage", "3 the data directory", "70", "130"):
        assert code in text, code
    assert "--install-completion" in text


def test_each_option_shows_one_metavar_everywhere() -> None:
    shown: dict[str, set[str]] = defaultdict(set)
    for _, command in ALL:
        ctx = typer.Context(command)
        for param in command.params:
            if isinstance(param, TyperOption) and not param.is_flag:
                metavar = param.make_metavar(ctx)
                assert metavar.isupper() or metavar == "HH:MM", (param.opts, metavar)
                shown[param.opts[0]].add(metavar)
            if isinstance(param, TyperArgument):
                assert param.type.get_metavar(param, ctx) != "<str>", param.name
    assert {option: metavars for option, metavars in shown.items() if len(metavars) > 1} == {}
    assert shown["--rules"] == {"FILE"} and shown["--couple"] == {"LABEL"}
