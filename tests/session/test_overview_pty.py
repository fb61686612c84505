"""The summary after `coach start` and `coach resume` is paged, and its overview (who is where,
what the two share, up to three things to try) fills the first 80x24 screen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pexpect
import pytest
from coach_process import spawn_coach
from pty_session import ScrollbackTerminal, check_length, drive, script

from coach.content import load_content

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("less") is None, reason="needs less"),
]


def first_screen(terminal: ScrollbackTerminal) -> list[str]:
    return [row.rstrip() for row in terminal.screen.display]


def check_overview_on_one_screen(rows: list[str]) -> None:
    """The overview panel, top border to bottom border, is on the screen less shows first."""
    text = "\n".join(rows)
    top = next(n for n, row in enumerate(rows) if "Your reflection" in row)
    bottom = next(n for n, row in enumerate(rows) if n > top and row.startswith("╰"))
    assert bottom < len(rows) - 1, text  # less keeps the last line for its prompt
    panel = " ".join(" ".join(rows[top : bottom + 1]).replace("│", " ").split())
    for heading in ("Sam ", "Alex ", "Both of you", "To try", "1. "):
        assert heading in panel, text
    assert "Toward a secure pattern" in panel or "The other way" in panel, text
    # Words, never a score or a percentage.
    assert "+0." not in text and "-0." not in text and "%" not in text, text


@pytest.mark.parametrize("command", ["start", "resume"])
def test_the_summary_is_paged_with_the_overview_on_the_first_screen(
    tmp_path: Path, command: str
) -> None:
    home = tmp_path / "home"
    steps = script(load_content(), "together")
    env = {"PAGER": "less", "LESS": "FRX"}
    terminal = ScrollbackTerminal(80, 24)
    child = spawn_coach(
        ["start", "--a", "Sam", "--b", "Alex"], home, columns=80, lines=24, env_extra=env
    )
    child.logfile_read = terminal
    if command == "resume":
        at = check_length(steps) + 4  # past both private checks and four answers
        drive(child, steps[:at])
        child.expect_exact(steps[at].expect)
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
        child.close()
        terminal = ScrollbackTerminal(80, 24)
        child = spawn_coach(["resume"], home, columns=80, lines=24, env_extra=env)
        child.logfile_read = terminal
        steps = steps[: check_length(steps)] + steps[at:]  # every session starts with the checks
    drive(child, steps)
    # less waits at its prompt on the first screen: the summary did not scroll past.
    child.expect_exact("Your reflection")
    child.expect(r"\n:(\x1b\[K)?")  # less's prompt, on the last line of the screen
    check_overview_on_one_screen(first_screen(terminal))
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
