"""Several answer files into one: each partner's file may carry its own answers, and the couple
label, steps and names may repeat as long as the files agree.

Each partner's private check comes from that partner's own file: when answers come from several
files, a file that holds one partner's check holds nothing of the other's (no check, answers or
check-in), so that neither partner writes, or reads, the other's check."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from coach.answers.answer_model import AnswerSet, Location
from coach.base.document import Problem
from coach.content import PARTNERS

# Keys every file may carry, as long as the files agree; any other key is given once.
HEADER_KEYS = ("couple", "steps", "partners.a", "partners.b")


def merge(parts: Iterable[AnswerSet]) -> tuple[AnswerSet, list[Problem]]:
    """Merge several files (one per partner is common).

    An answer given in two files is a problem naming both. The couple label, steps and names may
    repeat (each partner's file can carry them) as long as the files agree.
    """
    merged = AnswerSet()
    parts = list(parts)
    problems: list[Problem] = []
    if len(parts) > 1:
        problems += [p for part in parts if (p := _whose_check(part)) is not None]
    for part in parts:
        merged.files += part.files
        merged.check_tables += part.check_tables
        merged.old_safety += part.old_safety
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
    for key, given in part.check.items():
        merged.check.setdefault(key, given)
    for partner, items in part.checkin.items():
        for item, score in items.items():
            merged.checkin.setdefault(partner, {}).setdefault(item, score)
    for partner, shared in part.checkin_shared.items():
        merged.checkin_shared.setdefault(partner, shared)
    merged.couple = merged.couple or part.couple
    if merged.steps is None:
        merged.steps = part.steps


def _keys(part: AnswerSet) -> dict[str, Location]:
    """Every key the file gives, answered, blank or invalid, with where (invalid: no line)."""
    found = {key: Location(part.files[0] if part.files else "", None) for key in part.invalid}
    return {**found, **part.blank, **part.origin}


def _partner_of(key: str) -> str | None:
    """The partner a check, answers or check-in key belongs to ("answers.s1.a.x" -> "a")."""
    parts = key.split(".")
    index = {"check": 1, "checkin": 1, "answers": 2}.get(parts[0])
    if index is None or len(parts) <= index or parts[index] not in PARTNERS:
        return None
    return parts[index]


def _whose_check(part: AnswerSet) -> Problem | None:
    """A file of several that holds a check for a partner and anything of the other partner."""
    keys = _keys(part)
    checks = {key: _partner_of(key) for key in keys if key.startswith("check.")}
    checked = {p for p in checks.values() if p is not None}
    others = {p for k in keys if not k.startswith("check.") and (p := _partner_of(k)) is not None}
    filename = part.files[0] if part.files else ""
    if not checked or (len(checked) == 1 and others <= checked):
        return None
    # Whose file it is: the one partner whose answers it holds, else the one whose check it holds.
    owner = (
        next(iter(others))
        if len(others) == 1
        else next(iter(checked))
        if len(checked) == 1
        else None
    )
    if owner is None:
        message = (
            f"this file holds both partners' checks; {_OWN_FILE}, so that neither writes the "
            "other's (coach template --partner a, and --partner b)"
        )
        return Problem(filename, _first(keys, list(checks)), "check", message)
    other = "b" if owner == "a" else "a"
    wrong = other if other in checked else owner
    holder = owner if wrong == other else other
    message = (
        f"partner {wrong}'s check is in a file with partner {holder}'s answers; "
        f"{_OWN_FILE}, so that neither writes the other's (coach template --partner {wrong})"
    )
    first = _first(keys, [k for k, p in checks.items() if p == wrong])
    return Problem(filename, first, f"check.{wrong}", message)


_OWN_FILE = "when answers come from several files, each partner's check comes from their own file"


def _first(keys: dict[str, Location], chosen: Sequence[str]) -> int | None:
    lines = [line for k in chosen if (line := keys[k].line) is not None]
    return min(lines, default=None)
