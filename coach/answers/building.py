"""The draft session built from checked answers, with the safety screen applied as an interactive
session applies it; and what a run of answer files needs to know afterwards (was the conflict step
left out by the screen, which answers are free text for the risk check)."""

from __future__ import annotations

from coach.answers.model import AnswerSet
from coach.content import CONFLICT_STEP, PARTNERS, Content
from coach.session import ALL_STEPS, Session, new_session_id, now, prompts_for
from coach.validity import DEFAULT_NAMES, default_couple_label


def session_from_answers(
    answers: AnswerSet,
    content: Content,
    *,
    a: str | None = None,
    b: str | None = None,
    couple: str | None = None,
) -> Session:
    """Build a draft session from validated answers, applying the safety screen.

    After a disclosure the conflict step and its answers are left out, exactly as if it had not
    been covered; the screen answers themselves are never part of the session.
    """
    name_a = a or answers.partners.get("a") or DEFAULT_NAMES["a"]
    name_b = b or answers.partners.get("b") or DEFAULT_NAMES["b"]
    created = now()
    session = Session(
        id=new_session_id(created),
        created=created,
        partners={"a": name_a, "b": name_b},
        couple=couple or answers.couple or default_couple_label(name_a, name_b),
        steps=list(answers.steps or ALL_STEPS),
        content_version=content.version,
    )
    # Record in the order a session asks, so the saved file reads like an interactive one.
    for prompt in prompts_for(content, session.steps):
        if prompt.id in answers.answers:
            session.record(prompt, answers.answers[prompt.id], created)
    session.checkin = {p: dict(items) for p, items in sorted(answers.checkin.items())}
    if CONFLICT_STEP in session.steps and screen_disclosed(answers, content):
        session.leave_out_conflict_step()
    return session


def screen_disclosed(answers: AnswerSet, content: Content) -> bool:
    """True when either partner's screen signals fear or harm; an unanswered question counts."""
    from coach.safety import screen_discloses

    return any(
        screen_discloses(
            content.safety,
            {
                q.id: answers.safety.get(f"{partner}.{q.id}", q.unsafe)
                for q in content.safety.screen
            },
        )
        for partner in PARTNERS
    )


def safety_left_out_conflict(answers: AnswerSet, session: Session) -> bool:
    """True when the screen (not the user's choice of steps) left the conflict step out."""
    requested = answers.steps or list(ALL_STEPS)
    return CONFLICT_STEP in requested and CONFLICT_STEP not in session.steps


def text_answers(answers: AnswerSet, content: Content) -> list[str]:
    """Every free-text answer given, for the risk check (including any later left out)."""
    return [
        value
        for key, value in answers.answers.items()
        if content.prompts[key].type == "text" and isinstance(value, str)
    ]
