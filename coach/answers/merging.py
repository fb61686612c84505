"""Several answer files into one: each partner's file may carry its own answers, and the couple
label, steps and names may repeat as long as the files agree."""

from __future__ import annotations

from collections.abc import Iterable

from coach.answers.model import AnswerSet
from coach.document import Problem

# Keys every file may carry, as long as the files agree; any other key is given once.
HEADER_KEYS = ("couple", "steps", "partners.a", "partners.b")


def merge(parts: Iterable[AnswerSet]) -> tuple[AnswerSet, list[Problem]]:
    """Merge several files (one per partner is common).

    An answer given in two files is a problem naming both. The couple label, steps and names may
    repeat (each partner's file can carry them) as long as the files agree.
    """
    merged = AnswerSet()
    problems: list[Problem] = []
    for part in parts:
        merged.files += part.files
        for key, here in part.origin.items():
            earlier = merged.origin.get(key)
            if earlier is None:
                merged.origin[key] = here
            elif key not in HEADER_KEYS:
                message = f"answered twice: in {earlier} and in {here}"
                problems.append(Problem(here.filename, here.line, key, message))
            elif _header_value(part, key) != _header_value(merged, key):
                message = f"differs between {earlier} and {here}; give it once or make them match"
                problems.append(Problem(here.filename, here.line, key, message))
        for key, here in part.blank.items():
            merged.blank.setdefault(key, here)
        merged.invalid |= part.invalid
        _take_values(merged, part)
    return merged, problems


def _header_value(answers: AnswerSet, key: str) -> object:
    if key == "couple":
        return answers.couple
    if key == "steps":
        return answers.steps
    return answers.partners.get(key.split(".", 1)[1])


def _take_values(merged: AnswerSet, part: AnswerSet) -> None:
    for partner, name in part.partners.items():
        merged.partners.setdefault(partner, name)
    for key, value in part.answers.items():
        merged.answers.setdefault(key, value)
    for key, flag in part.safety.items():
        merged.safety.setdefault(key, flag)
    for partner, items in part.checkin.items():
        for item, score in items.items():
            merged.checkin.setdefault(partner, {}).setdefault(item, score)
    for partner, shared in part.checkin_shared.items():
        merged.checkin_shared.setdefault(partner, shared)
    merged.couple = merged.couple or part.couple
    if merged.steps is None:
        merged.steps = part.steps
