"""Closed, broken and full standard streams: one clear line and a documented exit code, or a
quiet exit when the reader has simply gone away (`coach learn | head -1`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.base.errors import EXIT_OUTPUT, EXIT_USAGE

COACH = str(Path(sys.executable).parent / "coach")


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    return env | {"COACH_HOME": str(home)}


def with_closed(fd: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run coach with standard input (`<&-`) or output (`>&-`) closed."""
    return subprocess.run(
        ["sh", "-c", f'exec "$0" "$@" {fd}&-', COACH, *args],
        capture_output=fd == "<",
        stderr=subprocess.PIPE if fd == ">" else None,
        text=True,
        env=environment(home),
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("command", [["start", "--a", "Sam", "--b", "Alex"], ["resume"]])
def test_a_closed_standard_input_is_no_terminal(coach_home: Path, command: list[str]) -> None:
    if command == ["resume"]:  # options and the draft are checked before the terminal
        from coach.domain.session import Session, new_session_id, now
        from coach.store.disk import ensure_data_dir
        from coach.store.files import save_session

        ensure_data_dir()
        when = now()
        save_session(Session(new_session_id(when), when, {"a": "Sam", "b": "Alex"}))
    result = with_closed("<", coach_home, *command)
    assert result.returncode == EXIT_USAGE
    assert result.stderr.startswith(f"coach: coach {command[0]} asks questions")
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_closed_standard_output_is_one_line(coach_home: Path) -> None:
    result = with_closed(">", coach_home, "list")
    assert result.returncode == EXIT_OUTPUT
    assert result.stderr == "coach: cannot write to standard output: it is closed\n"


@pytest.mark.parametrize("command", [["demo"], ["learn"], ["template"]])
def test_a_full_standard_output_is_one_line(coach_home: Path, command: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [COACH, *command],
            stdout=full,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=environment(coach_home),
            timeout=60,
            check=False,
        )
    assert result.returncode == EXIT_OUTPUT
    assert result.stderr == "coach: cannot write to standard output: No space left on device\n"


@pytest.mark.parametrize("command", [["demo"], ["learn"], ["template"], ["list"]])
def test_a_reader_that_goes_away_ends_coach_quietly(coach_home: Path, command: list[str]) -> None:
    process = subprocess.Popen(
        [COACH, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=environment(coach_home),
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before coach writes: its first write meets a broken pipe
    errors = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert b"coach:" not in errors and b"Traceback" not in errors and b"Broken pipe" not in errors


def test_a_closed_standard_input_is_no_terminal_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one check every interactive path uses (start, resume, delete, the pager, asking for
    a passphrase): a closed standard input is no terminal, never an AttributeError."""
    from coach.base.stdio import stdin_is_terminal

    monkeypatch.setattr("sys.stdin", None)
    assert stdin_is_terminal() is False
