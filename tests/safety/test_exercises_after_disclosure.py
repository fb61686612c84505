"""After a safety disclosure (the conflict step left out) nothing asks for touch or closeness."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

import coach.rules
from coach.app.exercises import suggested_exercises
from coach.content import load_content


def ranked_strengths(order: tuple[int, ...]) -> dict[int, float]:
    """Step strengths that rank the steps in `order`, weakest first."""
    return {step: -1.0 + 0.3 * place for place, step in enumerate(order)}


@pytest.mark.parametrize("order", list(itertools.permutations((1, 2, 4, 5))))
def test_no_closeness_exercise_without_the_conflict_step(
    order: tuple[int, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(coach.rules, "step_strengths", lambda _: ranked_strengths(order))
    content = load_content()
    chosen = suggested_exercises(Any, content, sorted(order))  # type: ignore[arg-type]
    assert chosen, "there is always something safe to suggest"
    assert not [e.title for e in chosen if e.closeness]
    assert len(chosen) <= 3


def test_closeness_exercises_are_offered_when_the_conflict_step_was_covered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    content = load_content()
    monkeypatch.setattr(coach.rules, "step_strengths", lambda _: ranked_strengths((4, 1, 2, 3, 5)))
    chosen = suggested_exercises(Any, content, [1, 2, 3, 4, 5])  # type: ignore[arg-type]
    assert any(e.closeness for e in chosen)  # hold hands when it's hard, for a weak step 4


def test_the_closeness_exercises_are_the_ones_that_ask_for_touch_or_closeness() -> None:
    closeness = {e.id for e in load_content().exercises if e.closeness}
    assert {"hold_hands_when_hard", "six_second_kiss", "hold_me_tight"} <= closeness


@pytest.mark.parametrize("steps", [[1, 2, 5], [1, 5], [2], [5], [1]])
def test_a_short_session_suggests_no_touch_closeness_or_vulnerability_exercise(
    steps: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach.domain.pathway import short_steps

    monkeypatch.setattr(coach.rules, "step_strengths", lambda _: ranked_strengths((5, 1, 2)))
    chosen = suggested_exercises(Any, load_content(), short_steps(steps))  # type: ignore[arg-type]
    assert not [e.title for e in chosen if e.closeness]
