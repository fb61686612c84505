"""The key promise of the safety pathway, over a real pseudo-terminal in every mode: what the
other partner can see or find is the same whether a partner disclosed in the private check or
chose a short session (or a stop) for no reason at all.

Each case runs coach twice with identical answers but for the discloser's check: once with a
disclosure ("yes" to an item), once with every item "no" and the same choice. Everything coach
prints goes into an emulated terminal that keeps its scrollback and has no alternate screen
(pty_session.ScrollbackTerminal, the least forgiving kind). At every prompt that is not the
discloser's own private moment (every hand-off, every shared question, every prompt of the
other partner's own private moments) the whole screen and scrollback is taken, and after the
run its last state, the exit status and the saved file. With ids, times and the data
directory's path made the same, both runs must match exactly.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pexpect
import pytest
from pty_session import (
    ScrollbackTerminal,
    Step,
    check_length,
    check_steps,
    script,
    session_files,
    spawn,
)

from coach.content import load_content

pytestmark = pytest.mark.slow

SESSION_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{6}")
WHEN = re.compile(r"\w+day \d\d \w+ \d{4}, \d\d:\d\d")
# The discloser in each mode: before the other partner's check, and after it.
MODES = {"together": "a", "private": "b", "facilitated": "a"}
DISCLOSURE = ("afraid",)


def facilitated(steps: list[Step]) -> list[Step]:
    """A facilitated session adds the facilitator's notes after each step (Enter skips them)
    and the homework before the closing moments (the first exercise suggested)."""
    out: list[Step] = []
    for index, step in enumerate(steps):
        first_closing = step.part == "closing" and (not out or out[-1].part != "closing")
        if first_closing and not any(s.expect.startswith("Facilitator: choose") for s in out):
            out.append(Step("Facilitator: choose homework", "1\r"))
        out.append(step)
        after = steps[index + 1] if index + 1 < len(steps) else None
        number = (step.prompt_id or "")[1:2]
        if number and (after is None or (after.prompt_id or "")[1:2] != number):
            out.append(Step(f"Facilitator's notes for step {number}", "\r"))
    return out


def session_script(mode: str, discloser: str, disclosed: bool, choice: str) -> list[Step]:
    content = load_content()
    base = script(content, "private" if mode == "private" else "together", (1, 2, 5))
    yes = DISCLOSURE if disclosed else ()
    checks = [
        *check_steps("a", yes if discloser == "a" else (), choice if discloser == "a" else "full"),
        *check_steps("b", yes if discloser == "b" else (), choice if discloser == "b" else "full"),
    ]
    rest = base[check_length(base) :] if choice != "stop" else []
    steps = checks + rest
    return facilitated(steps) if mode == "facilitated" else steps


# A key typed at a choice may be drawn for an instant before its prompt gives way to the
# answered line, or not, as prompt_toolkit happens to batch the key with its Enter; where it
# was drawn a lone "y" or digit can stay behind on a line of its own. That depends on timing,
# never on any answer, so such lines (and blank lines) are left out of the comparison.
LONE_KEY = re.compile(r"^\s*[yn0-9]?\s*$")


def normal(text: str, home: Path) -> str:
    text = WHEN.sub("WHEN", SESSION_ID.sub("ID", text.replace(str(home), "HOME")))
    return "\n".join(line for line in text.splitlines() if not LONE_KEY.match(line))


def without_times(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            k: without_times(v)
            for k, v in data.items()
            if k not in ("id", "created", "finished", "time")
        }
    if isinstance(data, list):
        return [without_times(v) for v in data]
    return data


def run(tmp_path: Path, name: str, mode: str, steps: list[Step], discloser: str) -> dict[str, Any]:
    """Run one session; what the other partner could see at each of their moments, and after."""
    home = tmp_path / name
    terminal = ScrollbackTerminal(100, 30)
    args = ["start", "--a", "Sam", "--b", "Alex", "--steps", "1,2,4,5"]
    args += ["--mode", "private"] if mode == "private" else []
    args += ["--facilitator"] if mode == "facilitated" else []
    child = spawn(args, home, 100, {"COACH_COUNTRY": "GB"}, terminal)
    seen = []
    for step in steps:
        child.expect_exact(step.expect)
        child.expect_exact("›")  # the whole prompt is drawn: its input marker comes last
        if step.who != discloser:
            seen.append(normal(terminal.everything(), home))
        child.send(step.keys)
    child.expect(pexpect.EOF)
    child.close()
    files = session_files(home)
    saved = [without_times(tomllib.loads(f.read_text(encoding="utf-8"))) for f in files]
    return {
        "screens": seen,
        "after": normal(terminal.everything(), home),
        "status": child.exitstatus,
        "saved": saved,
        "names": sorted(SESSION_ID.sub("ID", p.name) for p in home.rglob("*") if p.is_file()),
        "flags": (home / "facilitator" / "flags.toml"),
    }


@pytest.fixture
def short_path() -> Iterator[Path]:
    """A short data directory path, so that no saved file's path wraps on screen."""
    path = Path(tempfile.mkdtemp(prefix="c", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("choice", ["short", "stop"])
def test_a_disclosure_looks_the_same_as_a_choice_made_for_no_reason(
    short_path: Path, mode: str, choice: str
) -> None:
    tmp_path = short_path
    discloser = MODES[mode]
    disclosed = run(
        tmp_path, "run-1", mode, session_script(mode, discloser, True, choice), discloser
    )
    chosen = run(tmp_path, "run-2", mode, session_script(mode, discloser, False, choice), discloser)
    assert disclosed["status"] == chosen["status"] == 0
    assert len(disclosed["screens"]) == len(chosen["screens"])
    for number, (one, other) in enumerate(
        zip(disclosed["screens"], chosen["screens"], strict=True)
    ):
        assert one == other, f"screen {number} differs"
    assert disclosed["after"] == chosen["after"]
    assert disclosed["saved"] == chosen["saved"]
    if choice == "stop":
        assert disclosed["saved"] == []
        assert "One of you chose to stop for today" in " ".join(disclosed["after"].split())
    else:
        (saved,) = disclosed["saved"]
        assert saved["session"]["steps"] == [1, 2, 5]
        assert saved["session"]["length"] == "short"
        plan = "Today's plan: a short session, steps 1, 2 and 5."
        assert any(plan in screen for screen in disclosed["screens"])
    # The facilitator's private record is the one difference, and holds no answer.
    other_files = [n for n in disclosed["names"] if n != "facilitator/flags.toml"]
    assert [n for n in other_files if "flags" not in n] == [
        n for n in chosen["names"] if "flags" not in n
    ]
    if mode == "facilitated":
        record = disclosed["flags"].read_text(encoding="utf-8")
        assert "follow up individually" in record
        assert "afraid" not in record.lower()
        assert not chosen["flags"].exists()
    else:
        assert not disclosed["flags"].exists()


def test_the_screens_compared_include_the_other_partners_own_check() -> None:
    """The comparison cannot pass by comparing nothing: the other partner's own check and the
    shared screens are among the moments taken."""
    steps = session_script("together", "a", True, "short")
    taken = [s for s in steps if s.who != "a"]
    assert any(s.who == "b" and s.part == "check" for s in taken)
    assert any(s.prompt_id for s in taken)
    assert any(s.part == "closing" and s.who == "b" for s in taken)
    assert not any(replace(s, keys="").who == "a" for s in taken)
