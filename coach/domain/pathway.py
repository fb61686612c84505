"""The safety pathway's decisions: what each partner's private check leads to. Pure: no I/O.

Each partner answers the private check alone (coach/content/check.toml, and any clinician
measure) and ends it with a choice anyone may make for any reason: the full session, a short
one, or stop for today. A disclosure privately turns the discloser's "full" into "short". Today's
plan is the shorter of the two choices; nothing in the plan says whose choice it was, or why.

A short session is today's steps without the conflict and co-regulation steps; with no step
left, it is a stop. The answers of the check are never stored: only the plan survives, and a
plan made after a disclosure is the same plan as one chosen for no reason at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal, TypeAlias

from coach.domain.steps import CO_REGULATION_STEP, CONFLICT_STEP

if TYPE_CHECKING:
    from coach.content import Content
    from coach.content.check_files import Check

Choice: TypeAlias = Literal["full", "short", "stop"]
CHOICES: tuple[Choice, ...] = ("full", "short", "stop")  # longest first
# The steps a short session leaves out: the conflict step and co-regulation.
SHORT_LEAVES_OUT: tuple[int, ...] = (CONFLICT_STEP, CO_REGULATION_STEP)


def shorter(first: Choice, second: Choice) -> Choice:
    """The shorter of two choices: stop before short before full."""
    return max(first, second, key=CHOICES.index)


def combined(choices: Iterable[Choice]) -> Choice:
    """Today's plan from every partner's choice: the shortest wins ("full" when none)."""
    plan: Choice = "full"
    for choice in choices:
        plan = shorter(plan, choice)
    return plan


def offered(disclosed: bool) -> tuple[Choice, ...]:
    """The choices a partner is offered: after a disclosure, short or stop only."""
    return CHOICES[1:] if disclosed else CHOICES


def forced(choice: Choice, disclosed: bool) -> Choice:
    """A discloser's choice: "full" becomes "short"; "short" and "stop" stand."""
    return shorter(choice, "short") if disclosed else choice


def short_steps(steps: Sequence[int]) -> list[int]:
    """Today's steps without the conflict and co-regulation steps."""
    return [s for s in steps if s not in SHORT_LEAVES_OUT]


def plan_for(steps: Sequence[int], choice: Choice) -> Choice:
    """The plan a choice makes of these steps: a short session with no step left is a stop."""
    if choice == "short" and not short_steps(steps):
        return "stop"
    return choice


def planned_steps(steps: Sequence[int], plan: Choice) -> list[int]:
    """The steps a plan covers, in order."""
    if plan == "stop":
        return []
    return short_steps(steps) if plan == "short" else list(steps)


def plan_line(plan: Choice, steps: Sequence[int]) -> str:
    """The one shared line that says what today holds, and never whose choice it was."""
    if plan == "stop":
        return "One of you chose to stop for today. Nothing of this session is saved."
    shown = _step_words(planned_steps(steps, plan))
    if plan == "short":
        return f"Today's plan: a short session, {shown}."
    return f"Today's plan: the full session, {shown}."


def _step_words(steps: Sequence[int]) -> str:
    """ "step 3", "steps 1, 2 and 5"."""
    from coach.domain.wording import noun

    numbers = [str(s) for s in steps]
    listed = " and ".join(filter(None, [", ".join(numbers[:-1]), numbers[-1]]))
    return f"{noun(len(steps), 'step')} {listed}"


def discloses(check: Check, answers: Mapping[str, bool]) -> bool:
    """A yes to any item of the check (an unanswered item counts as a yes: stay safe)."""
    return any(answers.get(item.id, True) for item in check.items)


def self_harm_positive(check: Check, answers: Mapping[str, bool]) -> bool:
    """A yes to any self-harm item: the crisis-first reply and the acuity question follow."""
    return any(answers.get(item.id, False) for item in check.self_harm_items)


def text_risk(content: Content, text: str) -> tuple[bool, str | None]:
    """Whether free text discloses risk, and its kind (coach.domain.lexicon.KINDS: self_harm,
    sexual_coercion, physical_violence, threats, coercive_control; None when no risk).

    The one place the flow asks: the free-text lexicon's verdict (coach.domain.risk_text.classify).
    `content` is kept so that the flow does not change if the check ever needs it.
    """
    from coach.domain.risk_text import classify

    verdict = classify(text)
    return verdict.risk, verdict.kind


def reads_suicidal(content: Content, text: str) -> bool:
    """A text whose private reply is crisis-first."""
    risk, kind = text_risk(content, text)
    return risk and kind == "self_harm"
