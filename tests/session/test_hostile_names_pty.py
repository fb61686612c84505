"""Hostile names typed with --a/--b never reach the terminal raw in a guided session (issue 25,
item 7): the names inside the questions, the step leads and the private check are filled in
neutralised, so what a terminal could act on is shown as a visible escape."""

from __future__ import annotations

import io
from pathlib import Path

import pexpect
import pytest
from pty_session import script, spawn

from coach.content import load_content

pytestmark = pytest.mark.slow

TITLE = "\x1b]0;PWNED\x07"  # sets the window title
RLO = "\u202e"


def test_hostile_names_are_shown_as_escapes_in_every_question(tmp_path: Path) -> None:
    content = load_content()
    raw = io.StringIO()
    args = ["start", "--a", f"Sam{TITLE}", "--b", f"Al{RLO}ex", "--steps", "1,3"]
    child = spawn(args, tmp_path / "home")
    child.logfile_read = raw
    shown = {"Sam": "Sam\\x1b]0;PWNED\\x07", "Alex": "Al\\u202eex"}
    for step in script(content, "together", (1, 3)):
        expect = step.expect.replace("Sam", shown["Sam"]).replace("Alex", shown["Alex"])
        # A check item's fragment is as long as it must be to tell it from the next one.
        child.expect_exact(expect if step.part == "check" else expect[:30])
        child.send(step.keys)
    child.expect_exact("What your answers suggest")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    output = raw.getvalue()
    assert "Describe one recent moment when you reached out to Al\\u202eex" in " ".join(
        output.split()
    )
    assert TITLE not in output and RLO not in output
