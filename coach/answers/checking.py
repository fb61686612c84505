"""Checking a complete set of answers: the problems that need every file at once (missing answers,
answers for steps not covered, two partners with one name), and the one error that lists them all.

A file of the old shape (a `[safety]` table) or a run without a partner's private check is
refused in one line naming the new keys, before anything else is checked. Which answers are
required follows today's plan (coach.answers.check_keys.today_plan): a short session needs no
conflict or co-regulation answers, a stop none, whoever chose it and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from coach.answers.answer_model import AnswerSet
from coach.answers.check_keys import check_questions, chosen_plan, new_keys, today_plan
from coach.answers.reading import read_answer_text
from coach.base.document import Problem
from coach.base.errors import DataError
from coach.content import PARTNERS, Content
from coach.content.check_files import load_check
from coach.domain.pathway import planned_steps
from coach.domain.session import prompts_for
from coach.domain.steps import STEPS
from coach.domain.validity import same_names, why_same

if TYPE_CHECKING:
    from coach.domain.measures import Measure


def parse_answer_text(
    text: str, filename: str, content: Content, measures: Sequence[Measure] = ()
) -> AnswerSet:
    """Parse and check one complete answer file; raises DataError listing every problem."""
    result, problems = read_answer_text(text, filename, content, measures)
    raise_if_problems(problems + check_answer_set(result, content, measures=measures))
    return result


def shape_problems(answers: AnswerSet) -> list[Problem]:
    """An old `[safety]` table, or a partner with no check at all: one line, naming the new keys
    (not a line for each key of the check)."""
    check = load_check()
    if answers.old_safety:
        message = (
            "the [safety] table is no longer read: each partner answers the private check in "
            f"their own file, {new_keys(check)} (coach template --partner a prints it)"
        )
        return [Problem(here.filename, here.line, "safety", message) for here in answers.old_safety]
    given = {k.split(".")[1] for k in _all_keys(answers) if k.startswith("check.")}
    absent = [p for p in PARTNERS if p not in given]
    if not absent:
        return []
    whose = "both partners'" if len(absent) == 2 else f"partner {absent[0]}'s"
    table = answers.check_tables[0] if answers.check_tables else None
    message = (
        f"{whose} private check is missing: each partner answers it in their own file, "
        f"{new_keys(check, absent[0])} (coach template --partner {absent[0]} prints it)"
    )
    if table is not None and len(answers.files) == 1:
        return [Problem(table.filename, table.line, "check", message)]
    return [Problem(_source(answers), None, "check", message)]


def _all_keys(answers: AnswerSet) -> set[str]:
    return set(answers.origin) | set(answers.blank) | answers.invalid


def check_answer_set(
    answers: AnswerSet,
    content: Content,
    names: Mapping[str, str | None] | None = None,
    measures: Sequence[Measure] = (),
) -> list[Problem]:
    """Problems that need every file at once: missing answers, answers for steps not covered,
    two partners with one name. `names` are --a/--b, which override the files' [partners]."""
    return (
        shape_problems(answers)
        + _uncovered_answers(answers)
        + missing_answers(answers, content, measures)
        + _same_names(answers, names or {})
    )


def _source(answers: AnswerSet) -> str:
    return ", ".join(answers.files) or "answers"


def missing_answers(
    answers: AnswerSet, content: Content, measures: Sequence[Measure] = ()
) -> list[Problem]:
    """Required answers, check keys and partial check-ins that are missing.

    Only today's planned steps need answers: a short session leaves out the conflict and
    co-regulation steps (their answers, if given, are ignored), a stop needs none. Until both
    checks are complete, the "how much today" choices alone say which (so a run never asks
    twice, and what it asks for never reads the check's other answers).
    """
    check = load_check()
    questions = check_questions(check, measures)
    complete = all(
        f"{p}.{key}" in answers.check
        for p in PARTNERS
        for key, question in questions.items()
        if question.required
    )
    if complete:
        plan = today_plan(check, measures, answers.check, answers.steps)
    else:
        plan = chosen_plan(answers.check, answers.steps)
    steps = planned_steps(answers.steps or STEPS, plan)
    problems = [
        _missing(answers, f"answers.{p.id}", f"expected {p.expected()}")
        for p in prompts_for(content, steps)
        if p.required and p.id not in answers.answers and f"answers.{p.id}" not in answers.invalid
    ]
    keys = _all_keys(answers)
    for partner in PARTNERS:
        if not any(k.startswith(f"check.{partner}.") for k in keys):
            continue  # a whole check missing is shape_problems' one line
        problems += [
            _missing(answers, f"check.{partner}.{key}", f"expected {question.expected()}")
            for key, question in questions.items()
            if question.required
            and f"{partner}.{key}" not in answers.check
            and f"check.{partner}.{key}" not in answers.invalid
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
    steps = answers.steps or list(STEPS)
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
    if not a or not b or not same_names(a, b):
        return []
    here = answers.origin.get("partners.b") or answers.origin.get("partners.a")
    filename, line = (here.filename, here.line) if here else ("--a/--b", None)
    return [
        Problem(
            filename,
            line,
            "partners",
            f"a and b need different names to tell answers apart: {why_same(a, b)}",
        )
    ]


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
