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
from coach.content.check_files import load_check

NAMES = {"a": "Sam", "b": "Alex"}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass
class Step:
    """One thing the terminal will ask, and the keys that answer it."""

    expect: str
    keys: str
    prompt_id: str | None = None
    value: Any = None
    # Where a resumed session goes on, after the private check it asks again, when interrupted
    # here: a question resumes at itself, the check and the closing moments start afresh.
    restart: int | None = None
    # "check" (the private check), "step" (a hand-off or a question) or "closing".
    part: str = "step"
    # The partner whose private moment this is ("a" or "b"), None on the shared screen.
    who: str | None = None


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


CHOICE_KEYS = {"full": "1", "short": "2", "stop": "3"}
# After a disclosure only "short" (1) and "stop" (2) are offered.
FORCED_KEYS = {"short": "1", "stop": "2"}


def fragment(text: str, others: list[str]) -> str:
    """The shortest start of `text`, at least 20 characters, that starts no other text: what
    to wait for, so that the line answered just before cannot match instead."""
    for length in range(20, len(text) + 1):
        if not any(other.startswith(text[:length]) for other in others if other != text):
            return text[:length]
    return text


def check_texts(partner: str) -> list[str]:
    other = NAMES["b" if partner == "a" else "a"]
    return [item.text.replace("{other}", other) for item in load_check().items]


def check_steps(
    partner: str,
    yes: tuple[str, ...] = (),
    choice: str = "full",
    *,
    hand_off: bool = True,
    resume_at: int | None = None,
) -> list[Step]:
    """One partner's private check: "no" to every item but those in `yes`, then `choice`."""
    check = load_check()
    texts = check_texts(partner)
    out = [Step(f"Pass the keyboard to {NAMES[partner]}", "\r")] if hand_off else []
    disclosed = False
    for item, text in zip(check.items, texts, strict=True):
        said_yes = item.id in yes
        keys = "y\r" if said_yes else "n\r"
        out.append(Step(fragment(text, texts), keys, part="check", who=partner))
        disclosed = disclosed or said_yes
        if said_yes and item.self_harm:
            out.append(Step(check.acuity.text[:30], "n\r", part="check", who=partner))
            break
    keys = FORCED_KEYS[choice] if disclosed else CHOICE_KEYS[choice]
    choose = "How much would you like to do today?"
    out.append(Step(choose, keys + "\r", part="check", who=partner))
    if any(i.id in yes and not i.self_harm for i in check.items):
        # The support reply, on a screen of its own, until its reader presses Enter.
        out.append(Step("Press Enter when you are ready", "\r", part="check", who=partner))
    for step in out:
        if step.part == "check":
            step.restart = resume_at
    return out


def closing_steps(partner: str, consents: int = 0, hand_off: bool = True) -> list[Step]:
    """One partner's private closing moment: `consents` texts to say yes to, then Enter."""
    hand = Step(f"Pass the keyboard to {NAMES[partner]}", "\r", part="closing")
    out = [hand] if hand_off else []
    counted = [f" ({n} of {consents})" if consents > 1 else "" for n in range(1, consents + 1)]
    out += [
        Step(f"Show this answer{count}", "y\r", part="closing", who=partner) for count in counted
    ]
    out.append(Step("Press Enter when you are ready", "\r", part="closing", who=partner))
    return out


def script(content: Content, mode: str, steps: tuple[int, ...] = (1, 2, 3, 4, 5)) -> list[Step]:
    """Everything a full session asks, in order, with the answers to give."""
    return list(_script(content, mode, steps))


def _script(content: Content, mode: str, steps: tuple[int, ...]) -> Iterator[Step]:
    checks = check_steps("a") + check_steps("b")
    yield from checks
    position = len(checks)
    after_check = position
    for step in checks:
        if step.part == "check":
            step.restart = after_check
    keyboard: str | None = None  # who holds the keyboard alone (private moments)
    texts = {"a": 0, "b": 0}
    for number in steps:
        step = content.step(number)
        for prompt in step.prompts_in_order():
            if mode == "private" and prompt.partner != keyboard:
                yield Step(f"Pass the keyboard to {NAMES[prompt.partner]}", "\r")
                position += 1
                keyboard = prompt.partner
            keys, value = answer_for(prompt)
            if prompt.type == "text" and mode == "private":
                texts[prompt.partner] += 1
            who = prompt.partner if mode == "private" else None
            yield Step(question_fragment(prompt), keys, prompt.id, value, position, who=who)
            position += 1
    closing_start = position
    order = ("b", "a") if keyboard == "b" else ("a", "b")
    for partner in order:
        for closing in closing_steps(partner, texts[partner], hand_off=partner != keyboard):
            closing.restart = closing_start if closing.part == "closing" else None
            yield closing
        keyboard = None


def check_length(steps: list[Step]) -> int:
    """How many of the script's first steps are the two private checks (hand-offs included)."""
    last = max(i for i, s in enumerate(steps) if s.part == "check")
    return last + 1


def drive(child: pexpect.spawn, steps: list[Step]) -> None:
    for step in steps:
        child.expect_exact(step.expect)
        child.send(step.keys)


def both_checks(**choices: str) -> list[Step]:
    """Both private checks, "no" to everything; `choices` may set a partner's ("a"="short")."""
    return check_steps("a", choice=choices.get("a", "full")) + check_steps(
        "b", choice=choices.get("b", "full")
    )


def both_closings(consents: dict[str, int] | None = None) -> list[Step]:
    """Both closing moments of a together-mode session (the keyboard is shared before them)."""
    counts = consents or {}
    return closing_steps("a", counts.get("a", 0)) + closing_steps("b", counts.get("b", 0))


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
