"""Checking a complete set of answers: the problems that need every file at once (missing answers,
answers for steps not covered, two partners with one name), and the one error that lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from coach.answers.model import AnswerSet
from coach.answers.reading import read_answer_text
from coach.content import CONFLICT_STEP, PARTNERS, Content
from coach.document import Problem
from coach.errors import DataError
from coach.session import ALL_STEPS, prompts_for
from coach.validity import same_names


def parse_answer_text(text: str, filename: str, content: Content) -> AnswerSet:
    """Parse and check one complete answer file; raises DataError listing every problem."""
    result, problems = read_answer_text(text, filename, content)
    problems += check_answer_set(result, content)
    raise_if_problems(problems)
    return result


def check_answer_set(
    answers: AnswerSet, content: Content, names: Mapping[str, str | None] | None = None
) -> list[Problem]:
    """Problems that need every file at once: missing answers, answers for steps not covered,
    two partners with one name. `names` are --a/--b, which override the files' [partners]."""
    return (
        _uncovered_answers(answers)
        + missing_answers(answers, content)
        + _same_names(answers, names or {})
    )


def _source(answers: AnswerSet) -> str:
    return ", ".join(answers.files) or "answers"


def missing_answers(answers: AnswerSet, content: Content) -> list[Problem]:
    """Required answers, safety questions and partial check-ins that are missing.

    When a screen answer already discloses fear or harm the conflict step will be left out, so
    its answers (and the rest of the screen) are not asked for.
    """
    steps = set(answers.steps or ALL_STEPS)
    if CONFLICT_STEP in steps and _disclosed_so_far(answers, content):
        steps.discard(CONFLICT_STEP)
    problems = [
        _missing(answers, f"answers.{p.id}", f"expected {p.expected()}")
        for p in prompts_for(content, steps)
        if p.required and p.id not in answers.answers and f"answers.{p.id}" not in answers.invalid
    ]
    if CONFLICT_STEP in steps:
        problems += [
            _missing(
                answers,
                f"safety.{partner}.{q.id}",
                f"the safety screen is needed when step 3 is covered; expected {q.expected()}",
            )
            for partner in PARTNERS
            for q in content.safety.screen
            if f"{partner}.{q.id}" not in answers.safety
            and f"safety.{partner}.{q.id}" not in answers.invalid
        ]
    for partner in PARTNERS:
        given = answers.checkin.get(partner)
        started = given or any(k.startswith(f"checkin.{partner}.") for k in answers.invalid)
        if not started:
            continue
        problems += [
            _missing(
                answers,
                f"checkin.{partner}.{item.id}",
                f"a check-in needs every item; expected {item.expected()}",
            )
            for item in content.checkin.items
            if item.id not in (given or {})
            and f"checkin.{partner}.{item.id}" not in answers.invalid
        ]
    return problems


def _missing(answers: AnswerSet, key: str, expected: str) -> Problem:
    blank = answers.blank.get(key)
    if blank is not None:
        return Problem(blank.filename, blank.line, key, f"not answered yet: {expected}")
    return Problem(_source(answers), None, key, f"missing required answer: {expected}")


def _uncovered_answers(answers: AnswerSet) -> list[Problem]:
    steps = answers.steps or list(ALL_STEPS)
    problems = []
    for key, here in answers.origin.items():
        if not key.startswith("answers.s"):
            continue
        step = int(key[len("answers.s")])
        if step not in steps:
            message = (
                f"step {step} is not among this session's steps {steps}; "
                f"remove this answer or add {step} to steps"
            )
            problems.append(Problem(here.filename, here.line, key, message))
    return problems


def _same_names(answers: AnswerSet, names: Mapping[str, str | None]) -> list[Problem]:
    a = names.get("a") or answers.partners.get("a")
    b = names.get("b") or answers.partners.get("b")
    if not same_names(a, b):
        return []
    here = answers.origin.get("partners.b") or answers.origin.get("partners.a")
    filename, line = (here.filename, here.line) if here else ("--a/--b", None)
    return [
        Problem(filename, line, "partners", "a and b need different names to tell answers apart")
    ]


def _disclosed_so_far(answers: AnswerSet, content: Content) -> bool:
    """True when any screen answer given so far is the one that signals fear or harm."""
    return any(
        answers.safety.get(f"{partner}.{q.id}") is q.unsafe
        for partner in PARTNERS
        for q in content.safety.screen
    )


def in_file_order(problems: Iterable[Problem], files: Sequence[str]) -> list[Problem]:
    """Problems file by file in the order given, each file's by line; the rest after."""
    rank = {name: n for n, name in enumerate(files)}
    return sorted(problems, key=lambda p: (rank.get(p.file, len(files)), p.line or float("inf")))


def problems_error(problems: Sequence[Problem]) -> DataError:
    """One DataError carrying every problem: one line each, under a count."""
    if len(problems) == 1:
        return DataError(str(problems[0]))
    return DataError(
        f"{len(problems)} problems in the answers:", details=[str(p) for p in problems]
    )


def raise_if_problems(problems: Sequence[Problem]) -> None:
    if problems:
        raise problems_error(problems)
