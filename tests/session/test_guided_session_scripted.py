"""The guided session driven through the prompt seam (coach.ask.prompts.use_backend): fast checks of
the order of screens and questions. The pseudo-terminal tests in tests/session drive the real
terminal; these pin down the flow itself."""

from __future__ import annotations

import copy
import io
import itertools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest
from rich.console import Console

from coach.ask import prompts
from coach.ask.guided import GuidedSession, Interrupted
from coach.ask.safety_flow import Safety
from coach.content import load_content
from coach.content.check_files import load_check, load_support
from coach.domain.measures import parse_measure
from coach.domain.session import Session, new_session_id, now
from coach.rules import load_pack

T = TypeVar("T")


class ScriptedBackend:
    """Answers each question from a list of (expected words, answer); anything else fails."""

    def __init__(self, script: list[tuple[str, Any]]) -> None:
        self.script = list(script)
        self.asked: list[str] = []

    def _next(self, message: str) -> Any:
        self.asked.append(message)
        assert self.script, f"unexpected question: {message!r}"
        expected, answer = self.script.pop(0)
        assert expected in message, f"expected {expected!r}, was asked {message!r}"
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def choose(self, message: str, options: Sequence[prompts.Option[T]], hint: str) -> Any:
        answer = self._next(message)
        chosen = [o for o in options if o.value == answer and type(o.value) is type(answer)]
        assert chosen, f"{answer!r} is not offered for {message!r}"
        return chosen[0]

    def text(
        self,
        message: str,
        validate: Callable[[str], str | None],
        instruction: str,
        default: str = "",
    ) -> str:
        answer = self._next(message)
        assert validate(answer) is None
        return str(answer)

    def pause(self, message: str) -> None:
        self._next(message)


@pytest.fixture
def scripted() -> Iterator[Callable[[list[tuple[str, Any]]], ScriptedBackend]]:
    previous: list[prompts.Backend] = []

    def install(script: list[tuple[str, Any]]) -> ScriptedBackend:
        backend = ScriptedBackend(script)
        previous.append(prompts.use_backend(backend))
        return backend

    yield install
    for backend in previous[:1]:
        prompts.use_backend(backend)


NAMES = {"a": "Sam", "b": "Alex"}


def check(
    partner: str, yes: tuple[str, ...] = (), choice: str = "full", acute: bool = False
) -> list[tuple[str, Any]]:
    """One partner's private check, after the hand-off: "no" but to `yes`, then `choice`."""
    items = load_check()
    other = NAMES["b" if partner == "a" else "a"]
    script: list[tuple[str, Any]] = [(f"Pass the keyboard to {NAMES[partner]}", None)]
    for item in items.items:
        script.append((item.text.replace("{other}", other), item.id in yes))
        if item.id in yes and item.self_harm:
            script.append((items.acuity.text, acute))
            break
    if acute:
        return [*script, ("Press Enter when you are ready", None)]
    script.append(("How much would you like to do today?", choice))
    if any(i.id in yes and not i.self_harm for i in items.items):
        script.append(("Press Enter when you are ready", None))  # after the support reply
    return script


def checks(**choices: str) -> list[tuple[str, Any]]:
    return check("a", choice=choices.get("a", "full")) + check("b", choice=choices.get("b", "full"))


def closing(partner: str, *consents: bool, hand_off: bool = True) -> list[tuple[str, Any]]:
    script = [(f"Pass the keyboard to {NAMES[partner]}", None)] if hand_off else []
    script += [("Show this answer", yes) for yes in consents]
    return [*script, ("Press Enter when you are ready", None)]


def run_session(
    mode: str,
    steps: list[int],
    saves: list[Session] | None = None,
    out: io.StringIO | None = None,
    safety: Safety | None = None,
) -> tuple[Session, list[Session], str]:
    content = load_content()
    when = now()
    session = Session(
        id=new_session_id(when),
        created=when,
        partners={"a": "Sam", "b": "Alex"},
        mode="private" if mode == "private" else "together",
        steps=steps,
    )
    saves = [] if saves is None else saves
    out = io.StringIO() if out is None else out

    def save(s: Session) -> Path:
        saves.append(copy.deepcopy(s))  # each save as it was then
        return Path("/nowhere") / f"{s.id}.toml"

    console = Console(file=out, width=100)
    pack = load_pack(None, content)
    GuidedSession(session, content, pack, console, save=save, safety=safety).run()
    return session, saves, out.getvalue()


def step_one_answers() -> list[tuple[str, Any]]:
    return [
        ("Sam: In the last week", 5),
        ("Sam: Did you reach out", True),
        ("Sam: How much warm", 4),
        ("Sam: Describe one recent moment", "Tea on the balcony"),
        ("Alex: How much did you notice", 4),
        ("Alex: The last time Sam reached out", "toward"),
        ("Alex: After those moments", 5),
    ]


def test_private_mode_hands_off_between_partners(scripted: Any) -> None:
    script = step_one_answers()
    script.insert(0, ("Pass the keyboard to Sam", None))
    script.insert(5, ("Pass the keyboard to Alex", None))
    # Alex holds the keyboard at the end: Alex's closing moment first, then Sam decides
    # about the text written alone.
    script = checks() + script + closing("b", hand_off=False) + closing("a", True)
    backend = scripted(script)
    session, saves, _ = run_session("private", [1])
    assert backend.script == []
    assert not session.is_draft
    assert session.answer_map()["s1.a.moment"] == "Tea on the balcony"
    assert len(saves) >= 1 + 7  # the first draft, then one save per answer


def test_a_text_written_alone_reaches_the_reflection_only_with_its_writers_yes(
    scripted: Any,
) -> None:
    script = step_one_answers()
    script.insert(0, ("Pass the keyboard to Sam", None))
    script.insert(5, ("Pass the keyboard to Alex", None))
    scripted(checks() + script + closing("b", hand_off=False) + closing("a", False))
    session, _saves, output = run_session("private", [1])
    assert "s1.a.moment" not in session.answer_map()
    assert "s1.a.moment" in session.skipped
    assert "In your own words" not in output.split("Your reflection")[-1]


def test_the_check_comes_first_for_any_steps(scripted: Any) -> None:
    backend = scripted([*checks(), *step_one_answers(), *closing("a"), *closing("b")])
    _session, saves, output = run_session("together", [1])
    assert backend.script == []
    assert backend.asked[0] == "Pass the keyboard to Sam, then press Enter."
    assert backend.asked[1].startswith("In the past year, has Alex hit")
    assert "Today's plan: the full session, step 1." in output
    # The check's answers are never saved: the first draft comes after both checks.
    assert saves[0].answers == [] and saves[0].steps == [1]


def test_a_disclosure_makes_a_short_session_that_looks_chosen(scripted: Any) -> None:
    # Alex discloses; Sam asks for the full session: today is short, and says no more.
    script = check("a") + check("b", yes=("afraid",), choice="short")
    script += [
        ("Sam: In the last week", 5),
        ("Sam: Did you reach out", True),
        ("Sam: How much warm", 4),
        ("Sam: Describe one recent moment", ""),
        ("Alex: How much did you notice", 4),
        ("Alex: The last time Sam reached out", "toward"),
        ("Alex: After those moments", 5),
    ]
    backend = scripted([*script, *closing("a"), *closing("b")])
    session, _, output = run_session("together", [1, 3, 4])
    assert backend.script == []
    assert session.steps == [1] and session.length == "short"
    assert "Today's plan: a short session, step 1." in output
    shared = output.split("Today's plan")[1]
    assert "A note from the coach" not in output
    for word in ("Alex chose", "Sam chose", "disclos", "afraid"):
        assert word not in shared


def test_a_stop_for_today_saves_nothing(scripted: Any) -> None:
    backend = scripted(checks(b="stop"))
    _session, saves, output = run_session("together", [1, 2])
    assert backend.script == []
    assert saves == []
    assert "One of you chose to stop for today" in " ".join(output.split())


def test_a_self_harm_yes_gets_the_crisis_reply_first_then_the_acuity_question(
    scripted: Any,
) -> None:
    out = io.StringIO()
    script = check("a", yes=("asq_wished_dead",), acute=True) + check("b")
    backend = scripted(script)
    _session, saves, _ = run_session("together", [1], out=out)
    assert backend.script == []
    text = " ".join(out.getvalue().split())
    crisis = text.index("Help is there now")
    order = [text.index(words, crisis) for words in ("call 911", "988", "116 123", "findahelpline")]
    assert order == sorted(order)
    asked = backend.asked
    assert asked.index("Are you having thoughts of killing yourself right now?") == (
        asked.index("In the past few weeks, have you wished you were dead?") + 1
    )
    # Acute: the session stops for today as any stop does.
    assert saves == []
    assert "One of you chose to stop for today" in text


def test_an_interruption_saves_the_draft_and_says_how_to_continue(scripted: Any) -> None:
    scripted([*checks(), *step_one_answers()[:2], ("Sam: How much warm", KeyboardInterrupt())])
    saves: list[Session] = []
    out = io.StringIO()
    with pytest.raises(Interrupted):
        run_session("together", [1], saves, out)
    draft = saves[-1]
    assert draft.is_draft
    assert draft.answer_map() == {"s1.a.greeted_warmly": 5, "s1.a.bid_for_connection": True}
    assert f"coach resume {draft.id}" in out.getvalue()


def test_an_unexpected_question_fails_the_test(scripted: Any) -> None:
    scripted([*checks(), ("Sam: In the last week", 5)])
    with pytest.raises(AssertionError, match="unexpected question"):
        run_session("together", [1])


class AnswerAnything(ScriptedBackend):
    """Answers every question with its first option (or a short text), but "no" to yes or no
    questions (the private check), and records what was asked."""

    def __init__(self) -> None:
        super().__init__([])

    def _next(self, message: str) -> Any:
        self.asked.append(message)
        return "A walk"  # every text answer

    def choose(self, message: str, options: Sequence[prompts.Option[T]], hint: str) -> Any:
        self._next(message)
        return options[1] if options[0].key == "y" else options[0]


def test_hand_offs_come_only_when_the_keyboard_changes_hands() -> None:
    content = load_content()
    backend = AnswerAnything()
    previous = prompts.use_backend(backend)
    try:
        run_session("private", [1, 2, 4, 5])
    finally:
        prompts.use_backend(previous)
    partners_in_turn = [p.partner for n in (1, 2, 4, 5) for p in content.step(n).prompts_in_order()]
    changes = 1 + sum(1 for x, y in itertools.pairwise(partners_in_turn) if x != y)
    hand_offs = [m for m in backend.asked if m.startswith("Pass the keyboard")]
    # Both checks, then one per change of hands, then the second partner's closing moment.
    assert len(hand_offs) == 2 + changes + 1
    # never two hand-offs in a row to the same partner
    assert all(x != y for x, y in itertools.pairwise(hand_offs))


def test_a_short_session_with_no_step_left_is_a_stop(scripted: Any) -> None:
    scripted(check("a", choice="short") + check("b"))
    _session, saves, output = run_session("together", [3, 4])
    flat = " ".join(output.split())
    assert saves == []
    assert "One of you chose to stop for today" in flat
    for word in ("Oxytocin", "Amygdala", "confidence", "point the same way", "To try this week"):
        assert word not in flat


def test_a_flagged_text_changes_nothing_mid_session_and_is_decided_in_private(
    scripted: Any,
) -> None:
    answers = step_one_answers()
    at = next(i for i, (words, _) in enumerate(answers) if words.startswith("Sam: Describe"))
    answers[at] = (answers[at][0], "He hit me last month")
    conflict = [
        (f"{name}: {words}", value)
        for name in ("Sam", "Alex")
        for words, value in (("", 4), ("", True), ("", 4), ("", 2))
    ]
    out = io.StringIO()
    backend = scripted([*checks(), *answers, *conflict, *closing("a", False), *closing("b")])
    session, saves, _ = run_session("together", [1, 3], out=out)
    assert backend.script == []
    assert session.steps == [1, 3]  # the plan stood: step 3 was still asked
    assert "s1.a.moment" in session.skipped
    assert all("hit me" not in str(a.value) for s in saves for a in s.answers)
    shown = out.getvalue()
    before_closing = shown.split("a moment just for you")[0]
    assert "A note from the coach" not in shown
    assert "confidential" not in before_closing.lower()
    # Sam's closing moment shows the private reply; Alex's shows none.
    sam, alex = shown.split("a moment just for you")[1:3]
    assert "Something you wrote today" in sam and "findahelpline" in sam
    assert "Something you wrote today" not in alex


def test_a_positive_clinician_measure_counts_as_a_disclosure(scripted: Any) -> None:
    measure = parse_measure(
        {
            "name": "A licensed screen",
            "citation": "Someone et al. 2001",
            "permission": "Licensed to the clinic",
            "cutoff": 1,
            "item": [{"id": "q1", "text": "Has {other} ever ...?", "answers": ["No", "Yes"]}],
        },
        "measures/screen.toml",
    )
    safety = Safety(load_check(), load_support(), "GB", (measure,))
    items = load_check()

    def with_measure(partner: str, answer: int) -> list[tuple[str, Any]]:
        script = check(partner, choice="short" if answer else "full")
        at = next(
            i for i, (words, _) in enumerate(script) if words == items.self_harm_items[0].text
        )
        script.insert(at, ("Has " + NAMES["b" if partner == "a" else "a"] + " ever", answer))
        if answer:  # a positive measure: only short or stop, then the support reply
            script.append(("Press Enter when you are ready", None))
        return script

    backend = scripted(with_measure("a", 0) + with_measure("b", 1))
    out = io.StringIO()
    _, saves, _ = run_session("together", [3], out=out, safety=safety)
    assert backend.script == []
    assert saves == []  # step 3 alone, short: nothing left, so a stop
    assert "0808 2000 247" in out.getvalue()  # GB's lines, in Alex's check
