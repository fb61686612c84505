"""Driving `coach start` and `coach resume` through a real pseudo-terminal (pexpect), with an
emulated terminal that keeps scrollback, for the tests in this folder."""

from __future__ import annotations

import re
import stat
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pexpect
import pyte
from coach_process import spawn_coach

from coach.content import Content, Prompt

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


class ScrollbackTerminal:
    """A terminal emulator fed with everything coach prints, keeping its whole scrollback.

    It models the least forgiving terminal: no alternate screen (pyte ignores mode 1049), and
    erasing the display pushes what was on it into the scrollback, as VTE and iTerm2 do. Only
    "erase saved lines" (ED 3) empties the scrollback. Whatever this terminal no longer holds,
    no common terminal does.
    """

    def __init__(self, columns: int, lines: int) -> None:
        self.screen = _PushingScreen(columns, lines, history=100_000)
        self.stream = pyte.Stream(self.screen)

    def write(self, data: str) -> None:  # pexpect's logfile interface
        self.stream.feed(data)

    def flush(self) -> None:
        pass

    def everything(self) -> str:
        """The scrollback and the screen, as one text."""
        columns = self.screen.columns
        history = [
            # A line pushed by an erase is a plain dict: a blank cell may be missing from it.
            "".join(line[x].data if x in line else " " for x in range(columns)).rstrip()
            for line in self.screen.history.top
        ]
        return "\n".join([*history, *(row.rstrip() for row in self.screen.display)])

    def flat(self) -> str:
        """Everything with lines joined and spaces squeezed, so wrapped text still matches."""
        return " ".join(self.everything().split())


class _PushingScreen(pyte.HistoryScreen):  # type: ignore[misc]
    def erase_in_display(self, how: int = 0, *args: Any, **kwargs: Any) -> None:
        if how == 2:
            for y in range(self.lines):
                if "".join(self.buffer[y][x].data for x in range(self.columns)).strip():
                    self.history.top.append(self.buffer[y].copy())
        super().erase_in_display(how, *args, **kwargs)


def spawn(
    args: list[str],
    home: Path,
    columns: int = 120,
    extra_env: dict[str, str] | None = None,
    terminal: ScrollbackTerminal | None = None,
) -> pexpect.spawn:
    child = spawn_coach(args, home, columns=columns, env_extra=extra_env)
    if terminal is not None:
        child.logfile_read = terminal
    return child


def answer_for(prompt: Prompt) -> tuple[str, Any]:
    """Keys for a secure-leaning answer, and the value that should be saved."""
    if prompt.type == "scale":
        value = prompt.max - 1 if prompt.secure == "high" else prompt.min + 1
        return f"{value}\r", value  # the number typed is the value recorded
    if prompt.type == "yesno":
        return "y\r", True
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
    keyboard: str | None = None  # who holds the keyboard alone (private moments)
    for number in steps:
        step = content.step(number)
        if number == 3:
            screen_start = position
            order = ("b", "a") if keyboard == "b" else ("a", "b")
            for partner in order:
                if keyboard != partner:
                    yield Step(f"Pass the keyboard to {NAMES[partner]}", "\r")
                    position += 1
                for question in content.safety.screen:
                    safe = "n\r" if question.unsafe else "y\r"
                    yield Step(question.text[:20], safe, restart=screen_start)
                    position += 1
                keyboard = partner if partner == order[1] and mode == "private" else None
        for prompt in step.prompts_in_order():
            if mode == "private" and prompt.partner != keyboard:
                yield Step(f"Pass the keyboard to {NAMES[prompt.partner]}", "\r")
                position += 1
                keyboard = prompt.partner
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
