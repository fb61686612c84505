"""Which exercises to suggest after a session."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.content import Content, Exercise
    from coach.rules import Inference


def suggested_exercises(
    inference: Inference, content: Content, steps: Sequence[int]
) -> list[Exercise]:
    """Two or three exercises for the weakest covered steps, weakest first.

    Without the conflict step (left out after a safety disclosure, or not chosen: the saved
    file cannot tell the two apart, by design) nothing that asks for touch or closeness is
    suggested: such exercises can put a partner who fears the other at risk.
    """
    from coach.content import CONFLICT_STEP
    from coach.rules import step_strengths

    strengths = step_strengths(inference)
    safe_for_closeness = CONFLICT_STEP in steps
    ranked = sorted(steps, key=lambda n: (strengths.get(n, 0.0), n))
    chosen: list[Exercise] = []
    steps_used = 0
    for step in ranked:
        options = [
            e
            for e in content.exercises
            if e.step == step and (safe_for_closeness or not e.closeness)
        ]
        if not options:
            continue
        chosen.extend(options[: 1 if chosen else 2])  # two for the weakest step, one for the next
        steps_used += 1
        if steps_used == 2:
            break
    return chosen[:3]
