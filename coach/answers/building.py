"""The draft session built from checked answers, with today's plan applied as an interactive
session applies it (coach.domain.pathway): a short session, whoever chose it and why, is today's
steps
without the conflict and co-regulation steps and their answers; a stop builds no session.

Free text that reads as a disclosure (coach.domain.pathway.text_risk) is withheld, as it is at a
terminal
by default: its writer would be asked whether to share it, and here no one can be asked. It is
left out exactly as an optional answer left empty is, so the run looks the same as one where
that question was not answered. It stays in the answer file, which is its writer's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from coach.answers.answer_model import AnswerSet
from coach.answers.check_keys import today_plan
from coach.content import Content
from coach.content.check_files import load_check
from coach.domain.pathway import Choice
from coach.domain.session import Session, new_session_id, now, prompts_for
from coach.domain.steps import STEPS
from coach.domain.validity import DEFAULT_NAMES, default_couple_label

if TYPE_CHECKING:
    from coach.domain.measures import Measure


def answers_plan(answers: AnswerSet, measures: Sequence[Measure] = ()) -> Choice:
    """Today's plan from both partners' checks: "full", "short" or "stop"."""
    return today_plan(load_check(), measures, answers.check, answers.steps)


def session_from_answers(
    answers: AnswerSet,
    content: Content,
    *,
    a: str | None = None,
    b: str | None = None,
    couple: str | None = None,
    measures: Sequence[Measure] = (),
) -> Session:
    """Build a draft session from validated answers, with today's plan applied.

    A plan of "stop" builds no session: ask answers_plan first (ValueError otherwise).
    The check's answers are never part of the session, nor is withheld free text.
    """
    plan = answers_plan(answers, measures)
    if plan == "stop":
        raise ValueError("today's plan is a stop: there is no session to build")
    name_a = a or answers.partners.get("a") or DEFAULT_NAMES["a"]
    name_b = b or answers.partners.get("b") or DEFAULT_NAMES["b"]
    created = now()
    session = Session(
        id=new_session_id(created),
        created=created,
        partners={"a": name_a, "b": name_b},
        couple=couple or answers.couple or default_couple_label(name_a, name_b),
        steps=list(answers.steps or STEPS),
        content_version=content.version,
    )
    withheld = set(withheld_text_keys(answers, content))
    # Record in the order a session asks, so the saved file reads like an interactive one.
    for prompt in prompts_for(content, session.steps):
        if prompt.id in answers.answers and prompt.id not in withheld:
            session.record(prompt, answers.answers[prompt.id], created)
    session.checkin = {p: dict(items) for p, items in sorted(answers.checkin.items())}
    session.checkin_shared = {p: answers.checkin_shared[p] for p in sorted(answers.checkin_shared)}
    if plan == "short":
        session.make_short()
    return session


def withheld_text_keys(answers: AnswerSet, content: Content) -> list[str]:
    """The free-text answers that read as a disclosure: not shared, as no one can be asked."""
    from coach.domain.pathway import text_risk

    return [
        key
        for key, value in answers.answers.items()
        if content.prompts[key].type == "text"
        and isinstance(value, str)
        and text_risk(content, value)[0]
    ]
