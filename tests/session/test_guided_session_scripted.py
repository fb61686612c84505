"""The guided session driven through the prompt seam (coach.prompts.use_backend): fast checks of
the order of screens and questions. The pseudo-terminal tests in tests/session drive the real
terminal; these pin down the flow itself."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest
from rich.console import Console

from coach import prompts
from coach.content import load_content
from coach.interactive import GuidedSession, Interrupted
from coach.rules import load_pack
from coach.session import Session, new_session_id, now

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


def run_session(
    mode: str, steps: list[int], saves: list[Session] | None = None, out: io.StringIO | None = None
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
        saves.append(s)
        return Path("/nowhere") / f"{s.id}.toml"

    console = Console(file=out, width=100)
    GuidedSession(session, content, load_pack(None, content), console, save=save).run()
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
    backend = scripted(script)
    session, saves, _ = run_session("private", [1])
    assert backend.script == []
    assert not session.is_draft
    assert session.answer_map()["s1.a.moment"] == "Tea on the balcony"
    assert len(saves) >= 1 + 7  # the first draft, then one save per answer


def test_the_safety_screen_comes_before_the_conflict_step(scripted: Any) -> None:
    screen = [
        ("Pass the keyboard to Sam", None),
        ("Do you feel safe", True),
        ("Are you afraid", False),
        ("In the past year", False),
        ("Pass the keyboard to Alex", None),
        ("Do you feel safe", True),
        ("Are you afraid", True),  # Alex discloses
        ("In the past year", False),
        ("Press Enter to continue", None),
    ]
    backend = scripted(screen)
    session, _, output = run_session("together", [3])
    assert backend.script == []
    assert session.steps == []
    assert "will not include the conflict exercise" in output
    assert not any(a.prompt_id.startswith("s3.") for a in session.answers)


def test_an_interruption_saves_the_draft_and_says_how_to_continue(scripted: Any) -> None:
    scripted([*step_one_answers()[:2], ("Sam: How much warm", KeyboardInterrupt())])
    saves: list[Session] = []
    out = io.StringIO()
    with pytest.raises(Interrupted):
        run_session("together", [1], saves, out)
    draft = saves[-1]
    assert draft.is_draft
    assert draft.answer_map() == {"s1.a.greeted_warmly": 5, "s1.a.bid_for_connection": True}
    assert f"coach resume {draft.id}" in out.getvalue()


def test_an_unexpected_question_fails_the_test(scripted: Any) -> None:
    scripted([("Sam: In the last week", 5)])
    with pytest.raises(AssertionError, match="unexpected question"):
        run_session("together", [1])


class AnswerAnything(ScriptedBackend):
    """Answers every question with its first option (or a short text); records what was asked.

    For sessions without the conflict step: it would answer the safety screen unsafely."""

    def __init__(self) -> None:
        super().__init__([])

    def _next(self, message: str) -> Any:
        self.asked.append(message)
        return "A walk"  # every text answer

    def choose(self, message: str, options: Sequence[prompts.Option[T]], hint: str) -> Any:
        self._next(message)
        return options[0]


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
    assert len(hand_offs) == changes
    # never two hand-offs in a row to the same partner
    assert all(x != y for x, y in itertools.pairwise(hand_offs))


def test_a_session_left_with_no_steps_ends_kindly_without_scores(scripted: Any) -> None:
    screen = [
        ("Pass the keyboard to Sam", None),
        ("Do you feel safe", False),  # Sam discloses
        ("Are you afraid", False),
        ("In the past year", False),
        ("Pass the keyboard to Alex", None),
        ("Do you feel safe", True),
        ("Are you afraid", False),
        ("In the past year", False),
        ("Press Enter to continue", None),
    ]
    scripted(screen)
    session, _, output = run_session("together", [3])
    assert session.steps == []
    flat = " ".join(output.split())
    assert "nothing to reflect on" in flat
    for word in ("Oxytocin", "Amygdala", "confidence", "point the same way", "To try this week"):
        assert word not in flat


def test_a_free_text_disclosure_is_asked_privately_and_leaves_out_the_conflict_step(
    scripted: Any,
) -> None:
    answers = step_one_answers()
    at = next(i for i, (words, _) in enumerate(answers) if words.startswith("Sam: Describe"))
    answers[at] = (answers[at][0], "He hit me last month")
    answers.insert(at + 1, ("Sam, a question just for you", True))
    answers.insert(at + 2, ("Press Enter when you are ready", None))
    backend = scripted(answers)
    session, saves, output = run_session("together", [1, 3])
    assert backend.script == []  # no safety screen, no step 3: it was left out
    assert session.steps == [1]
    assert "s1.a.moment" in session.skipped
    assert all("hit me" not in str(a.value) for s in saves for a in s.answers)
    assert "hit me" not in output
