"""The command surface (issue 24 item 9): `coach --help` groups the commands by use; `list` is
the older name of `history`; the encryption commands live under `coach vault`, their older
top-level names still work, hidden, with a one-line note naming the new command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from coach_process import invoke

from coach.cli.helptext import DATA, HISTORY, RULES, SESSIONS, THERAPIST

PANELS = {
    SESSIONS: ["start", "resume", "demo", "join", "template", "run", "remind"],
    HISTORY: ["history", "show", "trends", "export"],
    DATA: ["delete", "reindex", "room-key", "vault"],
    RULES: ["learn", "rules"],
    THERAPIST: ["notes", "couples", "flags", "safety"],
}
VAULT = ["init", "encrypt", "decrypt", "passphrase"]


def panels(help_text: str) -> dict[str, list[str]]:
    """Each panel of a Rich help screen and the command names listed in it, in order."""
    found: dict[str, list[str]] = {}
    current = None
    for line in help_text.splitlines():
        if heading := re.match(r"╭─ (.+?) ─", line):
            current = heading.group(1)
            found[current] = []
        elif current and (row := re.match(r"│ ([a-z][a-z-]*) ", line)):
            found[current].append(row.group(1))
    return found


def top_level_help() -> str:
    result = invoke("--help")
    assert result.code == 0
    return result.stdout


def test_the_help_groups_every_command_by_use() -> None:
    shown = panels(top_level_help())
    assert {name: names for name, names in shown.items() if name != "Options"} == PANELS
    assert "Commands" not in shown  # no command left outside a panel


@pytest.mark.parametrize("hidden", ["list", *VAULT])
def test_the_older_names_are_hidden_from_the_help(hidden: str) -> None:
    listed = [name for names in panels(top_level_help()).values() for name in names]
    assert hidden not in listed


def test_list_prints_what_history_prints(coach_home: Path) -> None:
    assert invoke("demo", "--save").code == 0
    for options in ([], ["--format", "json"], ["--status", "draft"], ["--limit", "1"]):
        listed, history = invoke("list", *options), invoke("history", *options)
        assert (listed.code, listed.stdout, listed.stderr) == (
            history.code,
            history.stdout,
            history.stderr,
        )
    assert "Sam & Alex" in invoke("list").stdout


def test_the_vault_group_lists_the_encryption_commands() -> None:
    result = invoke("vault", "--help")
    assert result.code == 0
    assert panels(result.stdout)["Commands"] == VAULT
    assert "coach vault init --encrypt" in result.stdout


@pytest.mark.parametrize("command", VAULT)
def test_each_vault_command_has_its_help_under_the_group(command: str) -> None:
    result = invoke("vault", command, "--help")
    assert result.code == 0
    assert f"coach vault {command}" in result.stdout


def test_an_older_name_still_works_and_names_the_new_command(coach_home: Path) -> None:
    new, old = invoke("vault", "init"), invoke("init")
    assert new.code == old.code == 0
    assert old.stdout == new.stdout and "not encrypted" in old.stdout
    assert old.stderr == "coach: `coach init` is now `coach vault init`\n"
    assert new.stderr == ""


@pytest.mark.parametrize("command", ["decrypt", "passphrase"])
def test_an_older_name_runs_the_same_command(coach_home: Path, command: str) -> None:
    new, old = invoke("vault", command), invoke(command)
    assert (old.code, old.stdout) == (new.code, new.stdout)
    note, rest = old.stderr.split("\n", 1)
    assert note == f"coach: `coach {command}` is now `coach vault {command}`"
    assert rest == new.stderr
