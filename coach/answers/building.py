"""The draft session built from checked answers, with the safety screen and the free-text risk
check applied as an interactive session applies them; and what a run of answer files needs to
know afterwards (did the screen leave the conflict step out, did free text mention risk)."""

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
    """Build a draft session from validated answers, applying the safety screen and the
    free-text risk check.

    After a disclosure, on the screen or in free text, the conflict step and its answers are left
    out, exactly as if it had not been covered; the screen answers and the disclosing text are
    never part of the session.
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
    # Free text that mentions harm is kept out, as its writer may keep it out at a terminal:
    # here no one can be asked, and the summary may be read by the other partner. It stays in
    # the answer file, which is its writer's own.
    risky = set(risky_text_keys(answers, content))
    # Record in the order a session asks, so the saved file reads like an interactive one.
    for prompt in prompts_for(content, session.steps):
        if prompt.id in answers.answers and prompt.id not in risky:
            session.record(prompt, answers.answers[prompt.id], created)
    session.checkin = {p: dict(items) for p, items in sorted(answers.checkin.items())}
    session.checkin_shared = {p: answers.checkin_shared[p] for p in sorted(answers.checkin_shared)}
    if CONFLICT_STEP in session.steps and (risky or screen_disclosed(answers, content)):
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


def screen_left_out_conflict(answers: AnswerSet, content: Content) -> bool:
    """True when the conflict step was asked for and the safety screen left it out."""
    requested = answers.steps or list(ALL_STEPS)
    return CONFLICT_STEP in requested and screen_disclosed(answers, content)


def risky_text_keys(answers: AnswerSet, content: Content) -> list[str]:
    """The free-text answers that mention self-harm, violence or fear of the partner."""
    from coach.safety import text_mentions_risk

    return [
        key
        for key, value in answers.answers.items()
        if content.prompts[key].type == "text"
        and isinstance(value, str)
        and text_mentions_risk(content.safety, value)
    ]
