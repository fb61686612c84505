"""Each partner's private check in an answer file: its keys, what is valid, and the plan it makes.

A partner's check sits in the `[check]` table of that partner's own file, keyed by partner:

    [check]
    "a.hurt" = false              # every item of coach/content/check.toml: true or false
    ...
    "a.asq_tried" = false
    # "a.asq_right_now" = false   # the acuity question: after a yes to a self-harm item
    "a.today" = "full"            # how much today: "full", "short" or "stop"
    "a.hits.q1" = 1               # a clinician measure (measures/hits.toml): the answer's number

The plan follows coach.domain.pathway exactly as the interactive check does: a yes (or an item left
unanswered) turns that partner's "full" into "short"; a yes to a self-harm item with the acuity
question answered yes or left out, or a yes to the acuity question, is a stop; a clinician
measure at or above its cut-off counts as a yes; the shorter of the two choices wins.

Nothing here may make a run's output depend on what was answered beyond the plan: problems
name keys and what is valid, never a value, and give no did-you-mean that would name a choice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from coach.content import PARTNERS
from coach.content.check_files import Check
from coach.domain.measures import Measure
from coach.domain.pathway import (
    CHOICES,
    Choice,
    combined,
    discloses,
    forced,
    plan_for,
    self_harm_positive,
)
from coach.domain.steps import STEPS
from coach.domain.validity import (
    YES_OR_NO,
    Invalid,
    check_whole_number,
    check_yes_no,
    kind_of,
    one_of_rule,
)

TODAY = "today"
Kind = Literal["item", "acuity", "today", "measure"]


@dataclass(frozen=True)
class CheckQuestion:
    """One key of a partner's check (without the partner): an item, the acuity question, the
    choice of how much to do today, or a clinician measure's item."""

    key: str  # "hurt", "asq_right_now", "today", "<measure>.<item>"
    kind: Kind
    text: str
    required: bool
    labels: tuple[str, ...] = ()  # a measure item's answers, typed by number from 1

    def expected(self) -> str:
        if self.kind == "today":
            return one_of_rule(CHOICES)
        if self.kind == "measure":
            return f"a whole number from 1 to {len(self.labels)}, the number of your answer"
        return YES_OR_NO

    def check_value(self, value: object) -> Invalid | None:
        if self.kind == "today":
            # No did-you-mean: it would name the choice meant, in logs the other partner reads.
            if not isinstance(value, str):
                return Invalid(self.expected(), given=kind_of(value))
            return None if value in CHOICES else Invalid(self.expected(), problem="not a choice")
        if self.kind == "measure":
            invalid = check_whole_number(value, 1, len(self.labels))
            return (
                None
                if invalid is None
                else Invalid(self.expected(), invalid.problem, invalid.given)
            )
        return check_yes_no(value)


def measure_name(measure: Measure) -> str:
    """A measure's name in keys: its file's name without .toml (measures/hits.toml -> hits)."""
    return PurePath(measure.file).stem


def check_questions(check: Check, measures: Sequence[Measure] = ()) -> dict[str, CheckQuestion]:
    """A partner's check keys in the order a template lists them."""
    found = {i.id: CheckQuestion(i.id, "item", i.text, True) for i in check.items}
    found[check.acuity.id] = CheckQuestion(check.acuity.id, "acuity", check.acuity.text, False)
    for measure in measures:
        for item in measure.items:
            key = f"{measure_name(measure)}.{item.id}"
            found[key] = CheckQuestion(key, "measure", item.text, True, item.answers)
    found[TODAY] = CheckQuestion(TODAY, "today", check.choice.question, True)
    return found


def partner_keys(check: Check, measures: Sequence[Measure] = ()) -> dict[str, CheckQuestion]:
    """Every partner's check keys, "a.hurt" ..., for reading an answer file."""
    questions = check_questions(check, measures)
    return {f"{p}.{key}": q for p in PARTNERS for key, q in questions.items()}


def new_keys(check: Check, partner: str = "a") -> str:
    """The check's keys in words, for the one-line refusal of an old or check-less file."""
    items = ", ".join(f'"{partner}.{i.id}"' for i in check.items)
    return f'[check] {items} = true or false and "{partner}.{TODAY}" = "full", "short" or "stop"'


# --- the plan ------------------------------------------------------------------------------


def _own(values: Mapping[str, object], partner: str) -> dict[str, object]:
    prefix = f"{partner}."
    return {k[len(prefix) :]: v for k, v in values.items() if k.startswith(prefix)}


def partner_choice(
    check: Check, measures: Sequence[Measure], values: Mapping[str, object]
) -> Choice:
    """One partner's effective choice from their check (keys without the partner).

    As at a terminal: a disclosure turns "full" into "short"; a self-harm yes with the acuity
    question answered yes, or left out (nobody can be asked here), stops for today. Anything
    unanswered counts as a yes: when in doubt, stay safe.
    """
    items = {i.id: v for i in check.items if isinstance(v := values.get(i.id), bool)}
    acuity = values.get(check.acuity.id)
    if acuity is True or (self_harm_positive(check, items) and acuity is not False):
        return "stop"
    disclosed = discloses(check, items) or any(
        measure.positive(_chosen(measure, values)) for measure in measures
    )
    today = values.get(TODAY)
    choice: Choice = next((c for c in CHOICES if c == today), "full")
    return forced(choice, disclosed)


def _chosen(measure: Measure, values: Mapping[str, object]) -> dict[str, int]:
    """item id -> the index of the answer chosen, for the items answered validly."""
    chosen = {}
    for item in measure.items:
        value = values.get(f"{measure_name(measure)}.{item.id}")
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and 1 <= value <= len(item.answers)
        ):
            chosen[item.id] = value - 1
    return chosen


def today_plan(
    check: Check,
    measures: Sequence[Measure],
    values: Mapping[str, object],
    steps: Sequence[int] | None,
) -> Choice:
    """Today's plan from both partners' checks ("a.hurt" = ...): the shorter choice wins, and a
    short session with no step left is a stop."""
    choice = combined(partner_choice(check, measures, _own(values, p)) for p in PARTNERS)
    return plan_for(list(steps or STEPS), choice)


def chosen_plan(values: Mapping[str, object], steps: Sequence[int] | None) -> Choice:
    """The plan the "how much today" choices alone make (an unanswered one: "full"): which
    answers a run whose checks are not complete yet asks for, read from nothing else."""
    today = (values.get(f"{p}.{TODAY}") for p in PARTNERS)
    choice = combined(next((c for c in CHOICES if c == t), "full") for t in today)
    return plan_for(list(steps or STEPS), choice)
