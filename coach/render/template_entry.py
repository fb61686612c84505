"""One key of an answer file, as `coach template` lists it (coach.render.answer_template for the
questions of a session, coach.render.check_template for a partner's private check)."""

from __future__ import annotations

from dataclasses import dataclass

from coach.content import AnswerValue, CheckinItem, Prompt


@dataclass(frozen=True)
class TemplateEntry:
    """One key of an answer file, with everything a person or a script needs to fill it in."""

    section: str  # check, checkin or answers
    key: str  # the key within its section
    partner: str
    step: int | None
    type: str
    required: bool
    text: str  # the question, with the partners' names filled in
    valid: str  # what a valid answer looks like
    secure: str | None = None  # "high"/"low", "yes"/"no" or a choice value, as in flow.toml
    secure_answer: AnswerValue | None = None
    prompt: Prompt | None = None
    item: CheckinItem | None = None
    labels: tuple[str, ...] = ()  # a clinician measure's answers, typed by number from 1
