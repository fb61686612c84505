"""Long output goes through a pager at a terminal, never when piped; `coach run` fits the width."""

from __future__ import annotations

import io
import os
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest
from coach_process import invoke
from rich.console import Console

from coach.render import pager

ROOT = Path(__file__).resolve().parents[2]
COACH_BIN = ROOT / ".venv" / "bin" / "coach"
DEMO = ROOT / "coach" / "content" / "demo.toml"


def recording_pager(tmp_path: Path) -> tuple[str, Path]:
    """A $PAGER that copies what it is given into a file."""
    record = tmp_path / "paged.txt"
    script = f"import sys; open({str(record)!r}, 'w').write(sys.stdin.read())"
    return f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}", record


@pytest.fixture
def at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO()))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.delenv("COACH_NO_PAGER", raising=False)
    pager.set_enabled(True)
    yield
    pager.set_enabled(True)


def terminal_console(height: int = 10) -> Console:
    return Console(
        file=io.StringIO(), force_terminal=True, width=60, height=height, highlight=False
    )


def print_lines(console: Console, count: int) -> None:
    with pager.paged(console):
        for number in range(count):
            console.print(f"line {number}", style="bold")


def test_long_output_goes_to_the_pager_with_its_colours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at_a_terminal: None
) -> None:
    command, record = recording_pager(tmp_path)
    monkeypatch.setenv("PAGER", command)
    console = terminal_console()
    print_lines(console, 30)
    paged = record.read_text()
    assert "line 0" in paged and "line 29" in paged and "\x1b[1m" in paged
    assert console.file.getvalue() == ""  # type: ignore[attr-defined]


def test_short_output_is_printed_as_usual(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at_a_terminal: None
) -> None:
    command, record = recording_pager(tmp_path)
    monkeypatch.setenv("PAGER", command)
    console = terminal_console()
    print_lines(console, 3)
    assert not record.exists()
    assert "line 2" in console.file.getvalue()  # type: ignore[attr-defined]


def test_no_pager_when_piped_or_turned_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at_a_terminal: None
) -> None:
    command, record = recording_pager(tmp_path)
    monkeypatch.setenv("PAGER", command)
    piped = Console(file=io.StringIO(), force_terminal=False, width=60, height=10)
    print_lines(piped, 30)
    assert "line 29" in piped.file.getvalue()  # type: ignore[attr-defined]
    pager.set_enabled(False)
    print_lines(terminal_console(), 30)
    pager.set_enabled(True)
    monkeypatch.setenv("COACH_NO_PAGER", "1")
    print_lines(terminal_console(), 30)
    assert not record.exists()


def test_a_missing_pager_prints_the_text(
    monkeypatch: pytest.MonkeyPatch, at_a_terminal: None
) -> None:
    monkeypatch.setenv("PAGER", "/nonexistent/pager")
    console = terminal_console()
    print_lines(console, 30)
    assert "line 29" in console.file.getvalue()  # type: ignore[attr-defined]


def test_the_default_pager_is_less_keeping_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAGER", raising=False)
    assert pager.pager_command() == ["less", "-R"]
    monkeypatch.setenv("PAGER", "most -s")
    assert pager.pager_command() == ["most", "-s"]


@pytest.mark.skipif(not COACH_BIN.exists(), reason="needs the project's venv")
@pytest.mark.parametrize("options", [[], ["--no-pager"]])
def test_learn_at_a_real_terminal(tmp_path: Path, options: list[str]) -> None:
    command, record = recording_pager(tmp_path)
    env = {**os.environ, "PAGER": command, "COACH_HOME": str(tmp_path / "home")}
    env.pop("COACH_NO_PAGER", None)
    child = pexpect.spawn(
        str(COACH_BIN), [*options, "learn"], env=env, dimensions=(24, 100), encoding="utf-8"
    )
    child.expect(pexpect.EOF, timeout=60)
    child.close()
    assert child.exitstatus == 0
    if options:
        assert not record.exists()
        assert "Oxytocin" in (child.before or "")
    else:
        assert "Oxytocin" in record.read_text()


@pytest.mark.parametrize("columns", [40, 72, 160])
def test_run_follows_the_terminal_width(monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = invoke("run", "--answers", str(DEMO), "--no-save")
    assert result.code == 0
    widths = [len(line) for line in result.stdout.splitlines()]
    assert max(widths) == columns


def test_run_without_a_terminal_or_columns_is_100_wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    result = invoke("run", "--answers", str(DEMO), "--no-save")
    assert max(len(line) for line in result.stdout.splitlines()) == 100


@pytest.mark.parametrize("command", [["demo"], ["learn"], ["rules", "list"], ["show", "{id}"]])
def test_piped_output_carries_no_padding_at_line_ends(
    command: list[str], monkeypatch: pytest.MonkeyPatch, coach_home: Path
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert invoke("demo", "--save").code == 0  # something for `coach show`
    (saved,) = (coach_home / "sessions").glob("*.toml")
    result = invoke(*(word.format(id=saved.stem) for word in command))
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) > 10
    assert [line for line in lines if line != line.rstrip()] == []
