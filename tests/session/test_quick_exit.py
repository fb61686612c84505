"""The quick exit (Ctrl-Q) at a real terminal: the screen and scrollback cleared, nothing
printed, exit status 0, the draft kept and the check's answers never."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pexpect
import pytest
from pty_session import (
    ScrollbackTerminal,
    both_checks,
    check_steps,
    drive,
    question_fragment,
    session_files,
    spawn,
)

from coach.content import load_content

pytestmark = pytest.mark.slow


def quit_now(child: pexpect.spawn) -> None:
    child.sendcontrol("q")
    child.expect(pexpect.EOF)
    child.close()


def test_the_check_names_the_quick_exit_on_its_first_screen(tmp_path: Path) -> None:
    child = spawn(["start", "--a", "Sam", "--b", "Alex"], tmp_path / "home")
    child.expect_exact("Pass the keyboard to Sam")
    child.send("\r")
    child.expect_exact("Quick exit: Ctrl-Q")
    child.expect_exact(check_steps("a")[1].expect)  # the first item
    quit_now(child)
    assert child.exitstatus == 0


@pytest.mark.parametrize("columns", [80, 40])
def test_ctrl_q_in_the_check_leaves_nothing_on_screen_and_nothing_saved(
    tmp_path: Path, columns: int
) -> None:
    home = tmp_path / "home"
    terminal = ScrollbackTerminal(columns, 24)
    child = spawn(["start", "--a", "Sam", "--b", "Alex"], home, columns, terminal=terminal)
    steps = check_steps("a", yes=("afraid",), choice="short")
    drive(child, steps[:4])  # the hand-off, "no", "yes" to being afraid, then the next item
    child.expect_exact(steps[4].expect)
    assert "Are you afraid of Alex" in terminal.flat()  # the check is on screen until then
    quit_now(child)
    assert child.exitstatus == 0
    assert terminal.everything().strip() == ""  # the screen and the scrollback: empty
    assert session_files(home) == []  # no draft yet, and the check's answers never
    leftovers = [p for p in home.rglob("*") if p.is_file() and b"afraid" in p.read_bytes()]
    assert leftovers == []


def test_ctrl_q_at_a_question_keeps_the_draft_and_prints_nothing(tmp_path: Path) -> None:
    content = load_content()
    home = tmp_path / "home"
    terminal = ScrollbackTerminal(80, 24)
    child = spawn(["start", "--a", "Sam", "--b", "Alex", "--steps", "1"], home, terminal=terminal)
    drive(child, both_checks())
    first, second = content.step(1).prompts_in_order()[:2]
    child.expect_exact(question_fragment(first))
    child.send("4\r")
    child.expect_exact(question_fragment(second))
    quit_now(child)
    assert child.exitstatus == 0
    assert terminal.everything().strip() == ""
    (path,) = session_files(home)
    draft = tomllib.loads(path.read_text(encoding="utf-8"))
    assert "finished" not in draft["session"]
    assert {a["prompt"]: a["value"] for a in draft["answers"]} == {first.id: 4}
    # Nothing after the key but the codes that clear the screen: no "Paused", no "Saved".
    tail = str(child.before or "")
    for words in ("Paused", "Saved", "coach resume", "interrupted"):
        assert words not in tail
