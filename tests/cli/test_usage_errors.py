"""Usage errors are one line on standard error, like coach's own, with the fix, and exit 2
(the README: "Errors are one line"), where Typer would draw a five-line box."""

from __future__ import annotations

from pathlib import Path

import pytest
from coach_process import run_coach

BOX = set("╭╮╰╯│─")


def one_line(*args: str) -> str:
    result = run_coach(*args, code=2)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert not BOX & set(result.stderr), result.stderr
    return lines[0]


def test_an_unknown_command_suggests_the_nearest_one() -> None:
    line = one_line("strat")
    assert line.startswith('coach: no command "strat" (did you mean "start"?)')
    assert "history" in line  # and names the others


def test_an_unknown_sub_command_names_its_group() -> None:
    line = one_line("rules", "lst")
    assert line.startswith('coach rules: no command "lst" (did you mean "list"?)')


def test_an_unknown_option_names_the_valid_ones() -> None:
    line = one_line("list", "--colour")
    assert line.startswith('coach list: no option --colour (did you mean "--couple"?)')
    assert "--limit" in line and "--format" in line


def test_a_missing_argument_shows_the_usage() -> None:
    line = one_line("show")
    assert line.startswith("coach show: missing argument 'ID'; usage: coach show [OPTIONS]")
    assert line.endswith("(more: coach show --help)")


def test_extra_arguments_are_counted_in_words() -> None:
    assert one_line("show", "a", "b", "c").startswith("coach show: unexpected arguments b c;")
    assert one_line("show", "a", "b").startswith("coach show: unexpected argument b;")


def test_an_option_without_its_value() -> None:
    assert "option '--a' requires an argument" in one_line("start", "--a")


@pytest.mark.parametrize("args", [(), ("rules",)])
def test_a_group_alone_still_shows_its_help(args: tuple[str, ...]) -> None:
    result = run_coach(*args, code=2)
    assert "Usage: coach" in result.stdout and result.stderr == ""


def test_an_exit_status_a_command_chose_is_kept(tmp_path: Path) -> None:
    assert run_coach("--version", code=0).stdout.startswith("coach ")
    pack = tmp_path / "broken.toml"  # rules check ends with typer.Exit(1) on a broken pack
    pack.write_text('[[rule]]\nid = "x"\n', encoding="utf-8")
    result = run_coach("rules", "check", str(pack), code=1)
    assert "broken.toml" in result.stderr
