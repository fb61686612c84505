"""The content model: targets, the five-step flow and its prompts, exercises, safety, check-in.

Frozen dataclasses and the constants that shape them. Reading and checking the TOML files that
fill them is coach.content.loader; what a valid answer is, coach.domain.validity. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from coach.base.errors import DataError, did_you_mean
from coach.base.escape import neutralise_line
from coach.domain.steps import CONFLICT_STEP as CONFLICT_STEP
from coach.domain.steps import STEP_IDS as STEP_IDS
from coach.domain.targets import TARGETS
from coach.domain.validity import (
    DEFAULT_NAMES,
    YES_OR_NO,
    Invalid,
    check_one_of,
    check_text,
    check_whole_number,
    check_yes_no,
    one_of_rule,
    text_rule,
    whole_number_rule,
)

PromptType: TypeAlias = Literal["scale", "choice", "yesno", "text"]
Partner: TypeAlias = Literal["a", "b"]
AnswerValue: TypeAlias = int | str | bool

PARTNERS: tuple[Partner, Partner] = ("a", "b")
PROMPT_TYPES: tuple[str, ...] = ("scale", "choice", "yesno", "text")
# The labels of docs/science-and-wording.md in the order the learn page lists them (the same set
# as coach.domain.evidence.EVIDENCE_ORDER, which ranks them).
EVIDENCE_LABELS: tuple[str, ...] = (
    "Strong",
    "Moderate",
    "Preliminary",
    "Unmeasured",
    "Contested",
    "Practice",
)
PROMPT_ID = re.compile(r"^s([1-9][0-9]*)\.([ab])\.([a-z][a-z0-9_]*)$")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Prompt:
    """One question asked of one partner at one step."""

    id: str
    step: int
    partner: Partner
    type: PromptType
    text: str
    min: int = 0
    max: int = 0
    low: str = ""
    high: str = ""
    choices: tuple[Choice, ...] = ()
    secure: str | None = None
    required: bool = True

    @property
    def name(self) -> str:
        """The part after the partner: `greeted_warmly` in `s1.a.greeted_warmly`."""
        return self.id.split(".", 2)[2]

    def choice_values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def secure_value(self) -> AnswerValue | None:
        """The answer at the end or choice matching the source model's secure pattern, if any."""
        if self.type == "scale":
            return self.max if self.secure == "high" else self.min
        if self.type == "yesno":
            return self.secure == "yes"
        if self.type == "choice":
            return self.secure
        return None

    def describe(self, value: AnswerValue) -> str:
        """An answer in the words it was chosen by: "yes", a choice's label, "5 (very much)"."""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if self.type == "choice":
            return next((c.label for c in self.choices if c.value == value), str(value))
        if self.type == "scale" and value in (self.min, self.max):
            return f"{value} ({self.low if value == self.min else self.high})"
        return str(value)

    def expected(self) -> str:
        """What a valid answer looks like, for messages and the answer-file template."""
        if self.type == "scale":
            return whole_number_rule(self.min, self.max, self.low, self.high)
        if self.type == "yesno":
            return YES_OR_NO
        if self.type == "choice":
            return one_of_rule(self.choice_values())
        return text_rule()

    def check_value(self, value: object) -> Invalid | None:
        """Why `value` is not a valid answer to this prompt (never quoting it), or None."""
        if self.type == "scale":
            return check_whole_number(value, self.min, self.max, self.low, self.high)
        if self.type == "yesno":
            return check_yes_no(value)
        if self.type == "choice":
            return check_one_of(value, self.choice_values())
        return check_text(value)

    def render_text(self, names: dict[str, str]) -> str:
        return fill_names(self.text, names, self.partner)


@dataclass(frozen=True)
class Step:
    number: int
    id: str
    title: str
    seed: str
    shown: str
    leads: str
    lead_text: str
    about: str
    evidence: str
    source: str
    aim: str
    listen_for: tuple[str, ...]
    talking_points: tuple[str, ...]
    prompts: tuple[Prompt, ...]

    def prompts_in_order(self) -> tuple[Prompt, ...]:
        """The leading partner's prompts first, then the other's; both: A then B."""
        first: Partner = "b" if self.leads == "b" else "a"
        return tuple(p for p in self.prompts if p.partner == first) + tuple(
            p for p in self.prompts if p.partner != first
        )


@dataclass(frozen=True)
class Target:
    id: str
    kind: Literal["chemical", "region"]
    name: str
    role: str
    effect: str
    evidence_note: str
    evidence: str
    positive: str
    negative: str
    # What a reading of this target must not be taken to mean, each ending with its own label.
    caveats: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exercise:
    id: str
    step: int
    title: str
    how: str
    source: str
    evidence: str
    # Asks for touch or emotional closeness: never suggested after a safety disclosure.
    closeness: bool = False


@dataclass(frozen=True)
class ScreenQuestion:
    """A private safety screen question, answered yes or no; `unsafe` is the answer that
    signals fear or harm."""

    id: str
    text: str
    unsafe: bool

    def expected(self) -> str:
        return YES_OR_NO

    def check_value(self, value: object) -> Invalid | None:
        return check_yes_no(value)


@dataclass(frozen=True)
class Safety:
    title: str
    intro: str
    screen: tuple[ScreenQuestion, ...]
    message_title: str
    message_body: str
    text_body: str
    resources: tuple[str, ...]


@dataclass(frozen=True)
class CheckinItem:
    id: str
    text: str
    answers: tuple[str, ...]

    @property
    def max_score(self) -> int:
        return len(self.answers) - 1

    def expected(self) -> str:
        return whole_number_rule(0, self.max_score, self.answers[0], self.answers[-1])

    def check_value(self, value: object) -> Invalid | None:
        """The score is the number of the answer chosen, from 0."""
        return check_whole_number(value, 0, self.max_score, self.answers[0], self.answers[-1])


@dataclass(frozen=True)
class Checkin:
    name: str
    citation: str
    cutoff: float
    reference_note: str
    items: tuple[CheckinItem, ...]


@dataclass(frozen=True)
class Content:
    version: str
    targets: tuple[Target, ...]
    steps: tuple[Step, ...]
    exercises: tuple[Exercise, ...]
    safety: Safety
    checkin: Checkin
    prompts: dict[str, Prompt] = field(default_factory=dict)

    def step(self, number: int) -> Step:
        return self.steps[number - 1]

    def target(self, target_id: str) -> Target:
        for t in self.targets:
            if t.id == target_id:
                return t
        raise DataError(f'unknown target "{target_id}"{did_you_mean(target_id, TARGETS)}')


def fill_names(text: str, names: dict[str, str], partner: str | None = None) -> str:
    """Put the partners' names into {a}, {b}, {self} and {other}.

    The result is text to show: each name goes in neutralised (coach.base.escape.neutralise_line),
    so an escape sequence or a reordering mark in a name cannot act on a terminal wherever the
    question is shown (a prompt, "In your own words", a template's comments, an export).
    """
    values = {p: neutralise_line(names.get(p, default)) for p, default in DEFAULT_NAMES.items()}
    if partner in ("a", "b"):
        values["self"] = values[partner]
        values["other"] = values["b" if partner == "a" else "a"]
    for key, name in values.items():
        text = text.replace("{" + key + "}", name)
    return text
