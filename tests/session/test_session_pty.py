"""`coach start` and `coach resume` driven through a real pseudo-terminal with pexpect."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pexpect
import pytest
from coach_process import COACH
from pty_session import (
    NAMES,
    Step,
    all_keys,
    check_finished_file,
    check_length,
    check_steps,
    drive,
    read_only_session,
    script,
    session_files,
    spawn,
)

from coach.content import load_content

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("mode", ["together", "private"])
def test_full_session_in_a_terminal(tmp_path: Path, mode: str) -> None:
    home = tmp_path / "home"
    steps = script(load_content(), mode)
    child = spawn(["start", "--a", "Sam", "--b", "Alex", "--mode", mode], home)
    drive(child, steps)
    child.expect_exact("What your answers suggest")
    child.expect_exact("educational reflection tool")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    data = check_finished_file(home, steps)
    assert data["session"]["mode"] == mode
    assert data["session"]["partners"] == NAMES


def test_interrupt_then_resume_keeps_every_answer(tmp_path: Path) -> None:
    home = tmp_path / "home"
    steps = script(load_content(), "together")
    child = spawn(["start", "--a", "Sam", "--b", "Alex"], home)
    at = check_length(steps) + 5
    drive(child, steps[:at])
    child.expect_exact(steps[at].expect)
    child.sendcontrol("c")
    child.expect_exact("coach resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    draft = read_only_session(home)
    assert "finished" not in draft["session"]
    assert len(draft["answers"]) == 5

    child = spawn(["resume"], home)
    child.expect_exact("Welcome back")
    drive(child, steps[: check_length(steps)])  # every session starts with the checks
    drive(child, steps[at:])
    child.expect_exact("What your answers suggest")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    check_finished_file(home, steps)


def resume_plan(steps: list[Step], stopped_at: int) -> list[int]:
    """What a resumed session asks: both private checks again (every session starts with
    them), then from the question it stopped at; the closing moments start afresh."""
    checks = check_length(steps)
    stopped = steps[stopped_at]
    go_on = stopped.restart if stopped.restart is not None else stopped_at
    return list(range(checks)) + list(range(max(go_on, checks), len(steps)))


def interruption_sample(steps: list[Step]) -> set[int]:
    """Where to interrupt: the first question of every step, of the private check, of the
    closing moment and of every question type, and the very last question. The scripted-backend
    tests cover the flow at every question; this one proves the real terminal's Ctrl-C and
    Ctrl-D at a spread of them."""
    content = load_content()
    groups: dict[str, list[int]] = {}
    for index, step in enumerate(steps):
        if step.restart is None:
            continue
        group = step.prompt_id.split(".")[0] if step.prompt_id else step.part
        groups.setdefault(group, []).append(index)
        kind = content.prompts[step.prompt_id].type if step.prompt_id else step.part
        groups.setdefault(f"type:{kind}", []).append(index)
    chosen = {indices[0] for indices in groups.values()}
    return chosen | {max(max(indices) for indices in groups.values())}


def test_ctrl_c_and_ctrl_d_at_sampled_prompts_lose_nothing(tmp_path: Path) -> None:
    """Interrupt at a sample of questions (Ctrl-C and Ctrl-D alternately), then resume."""
    home = tmp_path / "home"
    steps = script(load_content(), "together")
    sample = interruption_sample(steps)
    answered: dict[str, Any] = {}
    interrupted_at: set[int] = set()
    child = spawn(["start", "--a", "Sam", "--b", "Alex"], home)
    queue = list(range(len(steps)))
    while queue:
        index = queue[0]
        step = steps[index]
        child.expect_exact(step.expect)
        if index in sample and index not in interrupted_at:
            interrupted_at.add(index)
            child.sendcontrol("c" if len(interrupted_at) % 2 else "d")
            if not session_files(home):  # paused in the first checks: nothing saved yet
                child.expect_exact("Stopped before anything was saved")
                child.expect(pexpect.EOF)
                child.close()
                assert child.exitstatus == 130
                assert not session_files(home)
                child = spawn(["start", "--a", "Sam", "--b", "Alex"], home)
                queue = list(range(len(steps)))
                continue
            child.expect_exact("coach resume")
            child.expect(pexpect.EOF)
            child.close()
            assert child.exitstatus == 130, f"interrupt at {step.expect!r}"
            draft = read_only_session(home)
            assert {a["prompt"]: a["value"] for a in draft.get("answers", [])} == answered
            child = spawn(["resume"], home)
            queue = resume_plan(steps, index)
            continue
        child.send(step.keys)
        if step.prompt_id:
            answered[step.prompt_id] = step.value
        queue.pop(0)
    child.expect_exact("What your answers suggest")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert interrupted_at == sample
    check_finished_file(home, steps)


def test_start_without_a_terminal_exits_2_at_once(tmp_path: Path) -> None:
    env = {**os.environ, "COACH_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [COACH, "start", "--a", "Sam", "--b", "Alex"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=20,
    )
    assert result.returncode == 2
    assert "needs an interactive terminal" in result.stderr
    assert "coach run --answers" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "home").exists()


def test_a_disclosure_in_the_check_makes_a_short_session_without_a_trace(tmp_path: Path) -> None:
    home = tmp_path / "home"
    content = load_content()
    full = script(content, "together")
    checks = check_length(full)
    # Alex says yes to being afraid of Sam (then only short or stop is offered); Sam asks for
    # the full session.
    steps = check_steps("a") + check_steps("b", yes=("afraid",), choice="short")
    steps += [s for s in full[checks:] if not (s.prompt_id or "").startswith(("s3.", "s4."))]
    child = spawn(["start", "--a", "Sam", "--b", "Alex"], home)
    drive(child, steps)
    child.expect_exact("What your answers suggest")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    data = read_only_session(home)
    text = session_files(home)[0].read_text(encoding="utf-8").lower()
    assert data["session"]["steps"] == [1, 2, 5]
    assert data["session"]["length"] == "short"
    assert not [a for a in data["answers"] if a["prompt"].startswith(("s3.", "s4."))]
    assert set(data) == {"schema_version", "session", "answers", "results"}
    for word in ("safety", "disclos", "screen", "afraid", "fear", "check"):
        assert not [key for key in all_keys(data) if word in key.lower()]
    for word in ("disclos", "screen", "afraid"):
        assert word not in text


def test_a_half_typed_answer_survives_ctrl_c_and_is_offered_on_resume(tmp_path: Path) -> None:
    home = tmp_path / "home"
    steps = script(load_content(), "together", steps=(1,))
    moment = next(i for i, s in enumerate(steps) if s.prompt_id == "s1.a.moment")
    child = spawn(["start", "--a", "Sam", "--b", "Alex", "--steps", "1"], home)
    drive(child, steps[:moment])
    child.expect_exact(steps[moment].expect)
    child.send("We walked by the river and")
    child.expect_exact(" and")  # echoed (a long line may wrap, so only its end is matched)
    child.sendcontrol("c")
    child.expect_exact("half-typed answer is kept")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    draft = read_only_session(home)
    assert draft["session"]["unfinished"] == ["s1.a.moment"]
    saved = {a["prompt"]: a["value"] for a in draft["answers"]}
    assert saved["s1.a.moment"] == "We walked by the river and"

    child = spawn(["resume"], home)
    drive(child, steps[: check_length(steps)])
    child.expect_exact(steps[moment].expect)
    child.expect_exact(" and")  # pre-filled with what was typed
    child.send(" talked\r")
    drive(child, steps[moment + 1 :])
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    done = read_only_session(home)
    assert "unfinished" not in done["session"]
    saved = {a["prompt"]: a["value"] for a in done["answers"]}
    assert saved["s1.a.moment"] == "We walked by the river and talked"
