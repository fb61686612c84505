"""The guided session driven through the prompt seam (coach.prompts.use_backend): fast checks of
the order of screens and questions. The pseudo-terminal tests in tests/session drive the real
terminal; these pin down the flow itself."""

from __future__ import annotations

import io
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

    def select(self, message: str, choices: Sequence[tuple[str, T]], instruction: str) -> T:
        answer = self._next(message)
        values = [value for _, value in choices]
        assert answer in values, f"{answer!r} is not offered for {message!r}"
        return answer  # type: ignore[no-any-return]

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
