"""SIGTERM and SIGHUP in a guided session end it as Ctrl-C does (issue 25, item 3).

Driven through a real pseudo-terminal, fed into the emulated terminal that keeps its scrollback
(pty_session.ScrollbackTerminal): a signal in a private turn wipes that partner's answers from
the screen and the scrollback, the half-typed answer goes to the draft, and coach exits with
128 + the signal's number (143 for SIGTERM, 129 for SIGHUP; Ctrl-C is 130). SIGINT sent from
outside (`kill -INT`) keeps the half-typed text as Ctrl-C does, exit 130.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pexpect
import pytest
from pty_session import (
    ScrollbackTerminal,
    Step,
    both_checks,
    check_length,
    drive,
    question_fragment,
    read_only_session,
    script,
    spawn,
)

from coach.ask.terminal import EndingSignals, signal_exit_status
from coach.content import load_content

pytestmark = pytest.mark.slow

HALF = "We walked by the river and"
STATUS = {signal.SIGTERM: 143, signal.SIGHUP: 129, signal.SIGINT: 130}


def squeeze(text: str) -> str:
    return " ".join(text.split())


def private_session(home: Path, terminal: ScrollbackTerminal) -> tuple[pexpect.spawn, list[Step]]:
    args = ["start", "--a", "Sam", "--b", "Alex", "--mode", "private", "--steps", "1"]
    return spawn(args, home, 100, None, terminal), script(load_content(), "private", (1,))


def held_answers(terminal: ScrollbackTerminal, steps: list[Step]) -> list[str]:
    """Sam's questions (each with its answer beneath) still on screen or in the scrollback."""
    held = terminal.flat()
    return [s.expect for s in steps if s.prompt_id and squeeze(s.expect) in held]


def ended(child: pexpect.spawn, signum: signal.Signals) -> None:
    # SIGINT (`kill -INT`) is Ctrl-C itself: no line of its own.
    child.expect_exact("coach resume" if signum == signal.SIGINT else f"ended by {signum.name}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus is None  # coach ended itself: it was not killed
    assert child.exitstatus == STATUS[signum]


@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name
)
def test_a_signal_mid_answer_in_a_private_turn_wipes_it_and_keeps_the_half_typed_text(
    tmp_path: Path, signum: signal.Signals
) -> None:
    home = tmp_path / "home"
    terminal = ScrollbackTerminal(100, 40)
    child, steps = private_session(home, terminal)
    moment = next(i for i, s in enumerate(steps) if s.prompt_id == "s1.a.moment")
    for step in steps[:moment]:
        child.expect_exact(step.expect)
        child.send(step.keys)
    child.expect_exact(steps[moment].expect)
    child.send(HALF)
    child.expect_exact(" and")  # echoed: the text is in the prompt
    assert held_answers(terminal, steps[:moment])  # Sam's answers are on screen, until...
    child.kill(signum)
    ended(child, signum)
    held = terminal.flat()
    assert "Paused." in held and "coach resume" in held
    assert held_answers(terminal, steps[: moment + 1]) == []
    assert HALF not in held
    draft = read_only_session(home)
    assert draft["session"]["unfinished"] == ["s1.a.moment"]
    saved = {a["prompt"]: a["value"] for a in draft["answers"]}
    assert saved["s1.a.moment"] == HALF
    assert len(saved) == len([s for s in steps[: moment + 1] if s.prompt_id])


def test_sigterm_at_a_scale_question_keeps_every_answer_given(tmp_path: Path) -> None:
    home = tmp_path / "home"
    terminal = ScrollbackTerminal(100, 40)
    child, steps = private_session(home, terminal)
    at = check_length(steps)
    drive(child, steps[: at + 3])  # both checks, the hand-off and two of Sam's answers
    child.expect_exact(steps[at + 3].expect)
    child.kill(signal.SIGTERM)
    ended(child, signal.SIGTERM)
    assert held_answers(terminal, steps[: at + 4]) == []
    draft = read_only_session(home)
    assert "unfinished" not in draft["session"]
    assert [a["prompt"] for a in draft["answers"]] == [s.prompt_id for s in steps[at + 1 : at + 3]]


def test_sighup_at_a_hand_off_ends_with_129_and_the_draft(tmp_path: Path) -> None:
    home = tmp_path / "home"
    terminal = ScrollbackTerminal(100, 40)
    child, steps = private_session(home, terminal)
    at = check_length(steps)
    drive(child, steps[:at])  # both private checks: the first draft is saved after them
    child.expect_exact(steps[at].expect)  # "Pass the keyboard to Sam", for step 1
    child.kill(signal.SIGHUP)
    ended(child, signal.SIGHUP)
    assert read_only_session(home).get("answers", []) == []


def test_sighup_in_the_first_check_ends_with_129_and_saves_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    terminal = ScrollbackTerminal(100, 40)
    child, steps = private_session(home, terminal)
    drive(child, steps[:2])  # the hand-off to Sam and the check's first item
    child.expect_exact(steps[2].expect)
    child.kill(signal.SIGHUP)
    child.expect_exact("ended by SIGHUP")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 129
    assert not (home / "sessions").exists() or not list((home / "sessions").iterdir())
    assert squeeze(steps[1].expect) not in terminal.flat()  # the check is wiped


def test_sigterm_in_the_private_checkin_wipes_it(tmp_path: Path) -> None:
    content = load_content()
    home = tmp_path / "home"
    terminal = ScrollbackTerminal(100, 40)
    args = ["start", "--a", "Sam", "--b", "Alex", "--steps", "1", "--checkin"]
    child = spawn(args, home, 100, None, terminal)
    drive(child, both_checks())
    child.expect_exact("Pass the keyboard to Sam")
    child.send("\r")
    first, second = content.checkin.items[:2]
    child.expect_exact(first.text[:20])
    child.send("3\r")
    child.expect_exact(second.text[:20])
    child.kill(signal.SIGTERM)
    ended(child, signal.SIGTERM)
    held = terminal.flat()
    assert squeeze(first.text)[:24] not in held and squeeze(second.text)[:24] not in held
    assert read_only_session(home)["checkin"]["a"] == {first.id: 3}


def test_a_terminal_that_hangs_up_mid_answer_keeps_the_half_typed_text(tmp_path: Path) -> None:
    """The window closed: the terminal goes away (the pseudo-terminal's other end is closed,
    so writes fail and input ends) as SIGHUP arrives."""
    home = tmp_path / "home"
    child, steps = private_session(home, ScrollbackTerminal(100, 40))
    moment = next(i for i, s in enumerate(steps) if s.prompt_id == "s1.a.moment")
    for step in steps[:moment]:
        child.expect_exact(step.expect)
        child.send(step.keys)
    child.expect_exact(steps[moment].expect)
    child.send(HALF)
    child.expect_exact(" and")
    os.close(child.child_fd)
    # pexpect must not close that descriptor number again: another file may have it by then.
    child.child_fd, child.closed = -1, True
    _, status = os.waitpid(child.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 129
    draft = read_only_session(home)
    assert draft["session"]["unfinished"] == ["s1.a.moment"]
    assert {a["prompt"]: a["value"] for a in draft["answers"]}["s1.a.moment"] == HALF


def test_the_handlers_are_restored_afterwards() -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    with EndingSignals():
        assert signal.getsignal(signal.SIGTERM) not in (before[signal.SIGTERM], None)
    assert {s: signal.getsignal(s) for s in before} == before
    assert signal_exit_status(signal.SIGTERM) == 143 and signal_exit_status(signal.SIGHUP) == 129


def test_question_fragment_names_the_partner() -> None:  # the helper the checks rely on
    prompt = load_content().step(1).prompts_in_order()[0]
    assert question_fragment(prompt).startswith("Sam: ")


def test_the_ending_line_wraps_at_word_boundaries_at_40_columns(tmp_path: Path) -> None:
    """At 40 columns the SIGTERM line is wrapped by word, not broken mid-word by the terminal."""
    terminal = ScrollbackTerminal(40, 30)
    args = ["start", "--a", "Sam", "--b", "Alex", "--mode", "private", "--steps", "1"]
    child = spawn(args, tmp_path / "home", 40, None, terminal)
    first = script(load_content(), "private", (1,))[0]
    child.expect_exact(first.expect[:20])
    child.kill(signal.SIGTERM)
    ended(child, signal.SIGTERM)
    lines = [line.rstrip() for line in terminal.everything().splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("coach: ended by"))
    block = lines[start : start + 3]
    assert all(len(line) < 40 for line in block), block  # none filled to the edge and cut
    joined = squeeze(" ".join(block))
    assert "coach: ended by SIGTERM (exit 143); every answer given so far is kept" in joined
