"""`coach start` and `coach resume` driven through a real pseudo-terminal with pexpect."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pexpect
import pytest

from coach.content import Content, Prompt, load_content

COACH = str(Path(sys.executable).parent / "coach")
NAMES = {"a": "Sam", "b": "Alex"}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass
class Step:
    """One thing the terminal will ask, and the keys that answer it."""

    expect: str
    keys: str
    prompt_id: str | None = None
    value: Any = None
    # Where a resumed session starts again when interrupted here: a question resumes at itself;
    # a safety question resumes at the start of the private screen, which is asked again.
    restart: int | None = None


def spawn(args: list[str], home: Path, columns: int = 120) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update({"COACH_HOME": str(home), "TERM": "xterm", "COLUMNS": str(columns), "LINES": "40"})
    # pexpect does not answer the cursor-position requests prompt_toolkit sends; without this
    # every prompt that ends waits a second for the reply. Real terminals do answer.
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    return pexpect.spawn(
        COACH, args, env=env, encoding="utf-8", timeout=20, dimensions=(40, columns)
    )


def answer_for(prompt: Prompt) -> tuple[str, Any]:
    """Keys for a secure-leaning answer, and the value that should be saved."""
    if prompt.type == "scale":
        value = prompt.max - 1 if prompt.secure == "high" else prompt.min + 1
        return str(value - prompt.min + 1) + "\r", value
    if prompt.type == "yesno":
        return "1\r", True
    if prompt.type == "choice":
        index = 1 if prompt.id.endswith("celebrated_news") else 0
        return f"{index + 1}\r", prompt.choices[index].value
    text = "We cooked together 🍝 — שלום"
    return text + "\r", text


def question_fragment(prompt: Prompt) -> str:
    text = prompt.render_text(NAMES)
    return f"{NAMES[prompt.partner]}: {text[:28]}"


def script(content: Content, mode: str, steps: tuple[int, ...] = (1, 2, 3, 4, 5)) -> list[Step]:
    """Everything a full session asks, in order, with the answers to give."""
    return list(_script(content, mode, steps))


def _script(content: Content, mode: str, steps: tuple[int, ...]) -> Iterator[Step]:
    position = 0
    for number in steps:
        step = content.step(number)
        if number == 3:
            screen_start = position
            for partner in ("a", "b"):
                yield Step(f"Pass the keyboard to {NAMES[partner]}", "\r")
                position += 1
                for question in content.safety.screen:
                    safe = "2\r" if question.unsafe else "1\r"  # Yes is 1, No is 2
                    yield Step(question.text[:20], safe, restart=screen_start)
                    position += 1
        order = step.prompts_in_order()
        last_partner = None
        for prompt in order:
            if mode == "private" and prompt.partner != last_partner:
                yield Step(f"Pass the keyboard to {NAMES[prompt.partner]}", "\r")
                position += 1
                last_partner = prompt.partner
            keys, value = answer_for(prompt)
            yield Step(question_fragment(prompt), keys, prompt.id, value, restart=position)
            position += 1


def drive(child: pexpect.spawn, steps: list[Step]) -> None:
    for step in steps:
        child.expect_exact(step.expect)
        child.send(step.keys)


def session_files(home: Path) -> list[Path]:
    return sorted((home / "sessions").glob("*.toml"))


def read_only_session(home: Path) -> dict[str, Any]:
    files = session_files(home)
    assert len(files) == 1, files
    return tomllib.loads(files[0].read_text(encoding="utf-8"))


def all_keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from all_keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from all_keys(item)


def check_finished_file(home: Path, steps: list[Step]) -> dict[str, Any]:
    data = read_only_session(home)
    assert data["schema_version"] == 1
    assert "finished" in data["session"]
    saved = {a["prompt"]: a["value"] for a in data["answers"]}
    expected = {s.prompt_id: s.value for s in steps if s.prompt_id}
    assert saved == expected
    assert data["results"]["couple"]["oxytocin"]["score"] > 0
    path = session_files(home)[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    return data


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


def test_private_mode_clears_the_screen_between_partners(tmp_path: Path) -> None:
    home = tmp_path / "home"
    steps = script(load_content(), "private", steps=(1,))
    child = spawn(["start", "--a", "Sam", "--b", "Alex", "--mode", "private", "--steps", "1"], home)
    for step in steps:
        child.expect_exact(step.expect)
        if step.expect.startswith("Pass the keyboard to Alex"):
            # the screen was cleared (ESC [2J) after Sam's answers, before the hand-off
            assert "\x1b[2J" in child.before
        child.send(step.keys)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_interrupt_then_resume_keeps_every_answer(tmp_path: Path) -> None:
    home = tmp_path / "home"
    steps = script(load_content(), "together")
    child = spawn(["start", "--a", "Sam", "--b", "Alex"], home)
    drive(child, steps[:5])
    child.expect_exact(steps[5].expect)
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
    drive(child, steps[5:])
    child.expect_exact("What your answers suggest")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    check_finished_file(home, steps)


def resume_plan(steps: list[Step], stopped_at: int) -> list[int]:
    """What a resumed session asks: the private screen again while step 3 is unfinished
    (a pause can be long, so safety is checked afresh), then the unanswered questions."""
    screen = [i for i, s in enumerate(steps) if s.restart is not None and not s.prompt_id]
    screen_start = screen[0] - 1  # the hand-off to partner A
    first_s3 = next(i for i, s in enumerate(steps) if (s.prompt_id or "").startswith("s3."))
    stopped = steps[stopped_at]
    if not stopped.prompt_id:
        return list(range(screen_start, len(steps)))
    if stopped.prompt_id.startswith("s3."):
        return list(range(screen_start, first_s3)) + list(range(stopped_at, len(steps)))
    return list(range(stopped_at, len(steps)))


def test_ctrl_c_and_ctrl_d_at_every_prompt_lose_nothing(tmp_path: Path) -> None:
    """Interrupt at each question in turn (Ctrl-C and Ctrl-D alternately), then resume."""
    home = tmp_path / "home"
    steps = script(load_content(), "together")
    answered: dict[str, Any] = {}
    interrupted_at: set[int] = set()
    child = spawn(["start", "--a", "Sam", "--b", "Alex"], home)
    queue = list(range(len(steps)))
    while queue:
        index = queue[0]
        step = steps[index]
        child.expect_exact(step.expect)
        if step.restart is not None and index not in interrupted_at:
            interrupted_at.add(index)
            child.sendcontrol("c" if len(interrupted_at) % 2 else "d")
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
    assert len(interrupted_at) == len([s for s in steps if s.restart is not None])
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


def test_a_safety_disclosure_leaves_out_the_conflict_step_without_a_trace(tmp_path: Path) -> None:
    home = tmp_path / "home"
    content = load_content()
    steps = script(content, "together")
    # Alex answers "yes" to being afraid of Sam's reaction.
    fear = next(
        i
        for i, s in enumerate(steps)
        if s.expect == content.safety.screen[1].text[:20]
        and i > next(j for j, t in enumerate(steps) if t.expect.endswith("Alex"))
    )
    steps[fear] = Step(steps[fear].expect, "1\r")
    without_conflict = [s for s in steps if not (s.prompt_id or "").startswith("s3.")]
    # The screen asks all its questions whatever the answers, then the message appears.
    conflict_end = next(
        i for i, s in enumerate(without_conflict) if (s.prompt_id or "")[:2] == "s4"
    )
    child = spawn(["start", "--a", "Sam", "--b", "Alex"], home)
    drive(child, without_conflict[:conflict_end])
    child.expect_exact("will not include the conflict exercise")
    child.expect_exact("988")
    child.expect_exact("Press Enter to continue")
    child.send("\r")
    drive(child, without_conflict[conflict_end:])
    child.expect_exact("What your answers suggest")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    data = read_only_session(home)
    text = session_files(home)[0].read_text(encoding="utf-8").lower()
    assert data["session"]["steps"] == [1, 2, 4, 5]
    assert not [a for a in data["answers"] if a["prompt"].startswith("s3.")]
    assert set(data) == {"schema_version", "session", "answers", "results"}
    for word in ("safety", "disclos", "screen", "afraid", "fear"):
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
