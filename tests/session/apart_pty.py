"""Driving two terminals of one room at once (issue 22): Sam runs `coach start --mode apart`,
Alex `coach join DIR`, each in their own pseudo-terminal with their own data directory."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pexpect
from pty_session import NAMES, ScrollbackTerminal, Step, answer_for, check_steps, spawn

from coach.content import Content, load_content

CODE = re.compile(r"([A-Z2-9]{4}-[A-Z2-9]{4})")
SEALED = "Your answers are sealed"


def start(
    room: Path, home: Path, *options: str, terminal: ScrollbackTerminal | None = None
) -> pexpect.spawn:
    args = ["start", "--a", "Sam", "--b", "Alex", "--mode", "apart", "--room", str(room)]
    return spawn([*args, *options], home, terminal=terminal)


def join(room: Path, home: Path, terminal: ScrollbackTerminal | None = None) -> pexpect.spawn:
    return spawn(["join", str(room)], home, terminal=terminal)


def pair(sam: pexpect.spawn, alex: pexpect.spawn) -> None:
    """Alex types the code Sam's terminal shows; Sam the code Alex's terminal shows back."""
    sam.expect(r"Pairing code: " + CODE.pattern)
    code = sam.match.group(1)
    alex.expect_exact("Type the pairing code Sam's terminal shows")
    alex.send(code + "\r")
    alex.expect(r"this code, to type on their terminal: " + CODE.pattern)
    reply = alex.match.group(1)
    sam.expect_exact("Type the code Alex's terminal shows back")
    sam.send(reply + "\r")
    alex.expect_exact("Press Enter once Sam has typed it")
    alex.send("\r")


def own_steps(
    partner: str,
    steps: Sequence[int] = (1, 2, 3, 4, 5),
    *,
    choice: str = "full",
    yes: tuple[str, ...] = (),
    text: str | None = None,
    content: Content | None = None,
    checkin: dict[str, int] | None = None,
    share: bool = True,
) -> list[Step]:
    """Everything one partner's terminal asks: their check, their CSI-4 items (`checkin`: item
    id -> score), their questions, their closing moment."""
    content = content or load_content()
    begin = Step("Press Enter to begin with your private check", "\r", part="check")
    out = [begin, *check_steps(partner, yes=yes, choice=choice, hand_off=False)]
    if checkin is not None:
        out.append(Step("Who sees your total", ""))
        for item in content.checkin.items:
            out.append(Step(item.text[:20], f"{checkin[item.id]}\r", who=partner))
        out.append(Step("your total:", ""))
        out.append(Step("shown to both", "y\r" if share else "n\r"))
    texts = 0
    for number in steps:
        for prompt in content.step(number).prompts_in_order():
            if prompt.partner != partner:
                continue
            keys, value = answer_for(prompt)
            if prompt.type == "text":
                texts += 1
                if text is not None:
                    keys, value = text + "\r", text
            expect = f"{NAMES[partner]}: {prompt.render_text(NAMES)[:28]}"
            out.append(Step(expect, keys, prompt.id, value, who=partner))
    counted = [f" ({n} of {texts})" if texts > 1 else "" for n in range(1, texts + 1)]
    out += [Step(f"Show this answer{c}", "y\r", part="closing", who=partner) for c in counted]
    out.append(Step("Press Enter when you are ready", "\r", part="closing", who=partner))
    return out


def drive(child: pexpect.spawn, steps: Sequence[Step]) -> None:
    for step in steps:
        child.expect_exact(step.expect)
        child.send(step.keys)
