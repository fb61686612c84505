"""`coach start --facilitator` through a real pseudo-terminal: briefs, a timer ended early with
Enter, notes per step, the CSI-4 check-in and homework, ending in a saved file."""

from __future__ import annotations

import re
import stat
import tomllib
from pathlib import Path
from typing import Any

import pexpect
import pytest
from coach_process import spawn_coach
from pty_session import both_checks, both_closings, drive

from coach.content import load_content

pytestmark = pytest.mark.slow

NAMES = {"a": "Sam", "b": "Alex"}
NOTE_1 = "They laughed about the missed bids"
NOTE_3 = "Soft start-up came easier to Alex"
MOMENT = "We walked by the river"
CHECKIN_KEYS = {
    "a": ("4", "3", "3", "3"),
    "b": ("3", "2", "2", "2"),
}  # the number typed is the score: totals 13 and 9


def spawn(args: list[str], home: Path) -> pexpect.spawn:
    return spawn_coach(args, home, drop=("COACH_",))


def answer(child: pexpect.spawn, expect: str, keys: str) -> None:
    child.expect_exact(expect)
    child.send(keys)


def ask(child: pexpect.spawn, prompt_id: str, keys: str) -> None:
    """Answer a content question, recognised by its partner's name and its first words."""
    prompt = load_content().prompts[prompt_id]
    answer(child, f"{NAMES[prompt.partner]}: {prompt.render_text(NAMES)[:28]}", keys)


def end_timer_early(child: pexpect.spawn, step_title: str) -> None:
    """Wait for the countdown, press Enter, and see it end: the timer is set to a minute and
    pexpect waits 20 s at most, so reaching "done." proves that Enter ended it early."""
    child.expect_exact(f"Conversation time: {step_title}")
    child.expect_exact("press Enter to end early")
    child.send("\r")
    child.expect_exact(f"Conversation time: {step_title}: done.")


SHARE = {"a": "y", "b": "n"}  # Sam agrees to show the total to both, Alex does not


def checkin(child: pexpect.spawn) -> None:
    """Each partner alone: who sees what before the first item, the items, their own total,
    and their private yes or no to showing it to both."""
    items = load_content().checkin.items
    for partner in ("a", "b"):
        answer(child, f"Pass the keyboard to {NAMES[partner]}", "\r")
        child.expect_exact("Who sees your total")
        child.expect_exact(items[0].text[:30])
        said = " ".join(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|[│╭╮╰╯─]", " ", child.before).split())
        assert "The facilitator's own view holds both totals." in said
        assert "anyone who can open it can read" in said
        child.send(CHECKIN_KEYS[partner][0] + "\r")
        for item, key in list(zip(items, CHECKIN_KEYS[partner], strict=True))[1:]:
            answer(child, item.text[:30], key + "\r")
        total = sum(map(int, CHECKIN_KEYS[partner]))
        child.expect_exact(f"{NAMES[partner]}, your total: {total} of 21")
        answer(child, "May your total be shown to both of you?", SHARE[partner] + "\r")


def step_one(child: pexpect.spawn) -> None:
    child.expect_exact("Step 1 of 2: Warm engagement")
    child.expect_exact("Facilitator brief: step 1")
    child.expect_exact("Aim:")
    end_timer_early(child, "Warm engagement")
    ask(child, "s1.a.greeted_warmly", "4\r")
    ask(child, "s1.a.bid_for_connection", "y\r")
    ask(child, "s1.a.offered_touch", "4\r")
    ask(child, "s1.a.moment", MOMENT + "\r")
    ask(child, "s1.b.noticed_warmth", "4\r")
    ask(child, "s1.b.turned_toward", "1\r")
    ask(child, "s1.b.felt_safe", "5\r")
    answer(child, "Facilitator's notes for step 1", NOTE_1 + "\r")


def step_three(child: pexpect.spawn) -> None:
    child.expect_exact("Step 2 of 2: Conflict")
    child.expect_exact("Facilitator brief: step 3")
    end_timer_early(child, "Conflict")
    for partner in ("a", "b"):
        ask(child, f"s3.{partner}.soft_startup", "4\r")
        ask(child, f"s3.{partner}.named_feeling", "y\r")
        ask(child, f"s3.{partner}.felt_heard", "4\r")
        ask(child, f"s3.{partner}.escalated", "2\r")
    answer(child, "Facilitator's notes for step 3", NOTE_3 + "\r")


def saved_session(home: Path) -> tuple[Path, dict[str, Any]]:
    files = sorted((home / "sessions").glob("*.toml"))
    assert len(files) == 1, files
    return files[0], tomllib.loads(files[0].read_text(encoding="utf-8"))


def test_facilitated_session_with_timer_notes_checkin_and_homework(tmp_path: Path) -> None:
    args = ["start", "--a", "Sam", "--b", "Alex", "--couple", "S & A"]
    args += ["--facilitator", "--steps", "1,3", "--timer", "1m", "--checkin"]
    child = spawn(args, tmp_path)
    drive(child, both_checks())
    child.expect_exact("Today's plan: the full session, steps 1 and 3.")
    checkin(child)
    step_one(child)
    step_three(child)
    answer(child, "Facilitator: choose homework for the couple", "1\r")
    drive(child, both_closings())
    child.expect_exact("Steps covered: 1 Warm engagement, 3 Conflict")  # the details' heading
    child.expect_exact("Saved:")
    summary = " ".join(child.before.split())
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    # The summary the couple sees holds the homework, not the facilitator's notes, and no
    # totals: Alex did not agree to show them to both.
    assert "Homework" in summary
    assert "Facilitator's notes" not in summary
    assert NOTE_1[:20] not in summary and NOTE_3[:20] not in summary
    assert "13 of 21" not in summary and "9 of 21" not in summary
    assert "stay private" in summary

    path, data = saved_session(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    session = data["session"]
    assert session["facilitated"] is True
    assert session["steps"] == [1, 3]
    assert session["couple"] == "S & A"
    assert "finished" in session
    assert data["facilitator"]["notes"] == {"1": NOTE_1, "3": NOTE_3}
    titles = {e.title for e in load_content().exercises}
    assert len(data["facilitator"]["homework"]) == 1
    assert data["facilitator"]["homework"][0] in titles
    assert data["checkin"]["a"] == {
        "happiness": 4,
        "warm_comfortable": 3,
        "rewarding": 3,
        "satisfied": 3,
    }
    assert sum(data["checkin"]["b"].values()) == 9
    assert data["checkin"]["shared"] == {"a": True, "b": False}
    answers = {a["prompt"]: a["value"] for a in data["answers"]}
    assert answers["s1.a.moment"] == MOMENT
    assert answers["s3.b.escalated"] == 2
    assert not any(prompt.startswith(("s2.", "s4.", "s5.")) for prompt in answers)


def test_pause_during_checkin_keeps_every_item_and_resume_asks_the_rest(tmp_path: Path) -> None:
    # Check-in items are saved one by one like any answer: a pause half-way through a partner's
    # items keeps those given, and resume asks only the items still missing.
    args = ["start", "--a", "Sam", "--b", "Alex", "--steps", "1", "--checkin"]
    child = spawn(args, tmp_path)
    items = load_content().checkin.items
    drive(child, both_checks())
    answer(child, "Pass the keyboard to Sam", "\r")
    for item, key in zip(items, CHECKIN_KEYS["a"], strict=True):
        answer(child, item.text[:30], key + "\r")
    answer(child, "May your total be shown to both of you?", "y\r")
    answer(child, "Pass the keyboard to Alex", "\r")
    answer(child, items[0].text[:30], "1\r")
    child.expect_exact(items[1].text[:30])
    child.sendcontrol("c")
    child.expect_exact("coach resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    _, data = saved_session(tmp_path)
    assert "finished" not in data["session"]
    assert sum(data["checkin"]["a"].values()) == 13
    assert data["checkin"]["b"] == {items[0].id: 1}

    child = spawn(["resume"], tmp_path)
    drive(child, both_checks())
    answer(child, "Pass the keyboard to Alex", "\r")
    for item in items[1:]:
        answer(child, item.text[:30], "2\r")
    answer(child, "May your total be shown to both of you?", "y\r")
    child.expect_exact(f"{NAMES['a']}: ")  # on to step 1: Sam's check-in was not asked again
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    _, data = saved_session(tmp_path)
    assert data["checkin"]["b"] == {items[0].id: 1} | {item.id: 2 for item in items[1:]}
    assert data["checkin"]["shared"] == {"a": True, "b": True}


def test_a_pause_before_the_first_checkin_item_still_asks_it_on_resume(tmp_path: Path) -> None:
    args = ["start", "--a", "Sam", "--b", "Alex", "--steps", "1", "--checkin"]
    child = spawn(args, tmp_path)
    items = load_content().checkin.items
    drive(child, both_checks())
    answer(child, "Pass the keyboard to Sam", "\r")
    child.expect_exact(items[0].text[:30])
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    _, data = saved_session(tmp_path)
    assert data["checkin"] == {"a": {}, "b": {}}  # asked for, nothing answered yet

    child = spawn(["resume"], tmp_path)
    drive(child, both_checks())
    answer(child, "Pass the keyboard to Sam", "\r")
    answer(child, items[0].text[:30], "3\r")
    child.expect_exact(items[1].text[:30])
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    _, data = saved_session(tmp_path)
    assert data["checkin"]["a"] == {items[0].id: 3}
