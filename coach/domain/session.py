"""The session model and the order of its prompts. Pure: no I/O, no terminal.

A session is what two partners answered in one sitting: who they are, which steps of the flow
were covered, every answer with its time, facilitator notes and homework, an optional CSI-4
check-in, and (once finished) the inferred results. Storage lives in coach.store; this module
only knows the shape.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TypeAlias

from coach import __version__
from coach.content import CONFLICT_STEP, AnswerValue, Content, Partner, Prompt
from coach.domain.checkin import complete_total
from coach.domain.steps import STEP_RANGE, STEPS

Mode: TypeAlias = Literal["together", "private"]
Length: TypeAlias = Literal["full", "short"]
MODES: tuple[str, ...] = ("together", "private")
SCHEMA_VERSION = 1


def now() -> datetime:
    """The current time with the local offset, to the second (ISO 8601 in files)."""
    return datetime.now(UTC).astimezone().replace(microsecond=0)


def new_session_id(when: datetime) -> str:
    """Date-time and a short random part: sortable, unique, and safe as a file name."""
    return f"{when.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"


@dataclass
class Answer:
    prompt_id: str
    partner: Partner
    value: AnswerValue
    time: datetime


@dataclass
class Session:
    id: str
    created: datetime
    partners: dict[str, str]
    mode: Mode = "together"
    couple: str = ""
    steps: list[int] = field(default_factory=lambda: list(STEPS))
    finished: datetime | None = None
    coach_version: str = __version__
    content_version: str = "1"
    facilitated: bool = False
    answers: list[Answer] = field(default_factory=list)
    # Optional prompts the partner chose to skip: remembered so resume does not ask again.
    skipped: list[str] = field(default_factory=list)
    # Text answers paused half-typed (Ctrl-C): saved as typed, asked again pre-filled on resume.
    unfinished: list[str] = field(default_factory=list)
    # Facilitator notes per step number, and homework chosen at the end.
    notes: dict[int, str] = field(default_factory=dict)
    homework: list[str] = field(default_factory=list)
    # CSI-4 answers: partner -> item id -> score.
    checkin: dict[str, dict[str, int]] = field(default_factory=dict)
    # Each partner's private answer to "may your CSI-4 total be shown to both of you?": partner
    # -> yes/no. A partner never asked (an older file, an answer file without it) has not said
    # yes: without both partners' yes, every view the couple sees leaves the totals out.
    checkin_shared: dict[str, bool] = field(default_factory=dict)
    # The inferred results (coach.rules Inference.to_dict()), set when the session finishes.
    results: dict[str, Any] | None = None
    # "short" when today's plan was a short session (coach.domain.pathway), whoever chose it and
    # why:
    # its reflection then reads the couple together. Files saved before it existed are "full".
    length: Length = "full"

    @property
    def is_draft(self) -> bool:
        return self.finished is None

    @property
    def status(self) -> str:
        return "draft" if self.is_draft else "finished"

    def answer_map(self) -> dict[str, AnswerValue]:
        return {a.prompt_id: a.value for a in self.answers}

    def record(self, prompt: Prompt, value: AnswerValue, when: datetime | None = None) -> None:
        """Store an answer, replacing an earlier answer to the same prompt."""
        self.answers = [a for a in self.answers if a.prompt_id != prompt.id]
        self.skipped = [s for s in self.skipped if s != prompt.id]
        self.unfinished = [u for u in self.unfinished if u != prompt.id]
        self.answers.append(Answer(prompt.id, prompt.partner, value, when or now()))

    def record_unfinished(self, prompt: Prompt, typed: str) -> None:
        """Keep a half-typed text answer so a pause loses nothing; resume offers it to finish."""
        self.record(prompt, typed)
        self.unfinished.append(prompt.id)

    def skip(self, prompt: Prompt) -> None:
        """An optional prompt left empty, also after clearing a half-typed answer."""
        self.answers = [a for a in self.answers if a.prompt_id != prompt.id]
        self.unfinished = [u for u in self.unfinished if u != prompt.id]
        if prompt.id not in self.skipped:
            self.skipped.append(prompt.id)

    def is_done(self, prompt_id: str) -> bool:
        if prompt_id in self.unfinished:
            return False
        return prompt_id in self.skipped or any(a.prompt_id == prompt_id for a in self.answers)

    def leave_out_conflict_step(self) -> None:
        """Drop the conflict step and anything answered in it (after a safety disclosure).

        The saved file then looks exactly like a session that never covered step 3.
        """
        self.steps = [s for s in self.steps if s != CONFLICT_STEP]
        prefix = f"s{CONFLICT_STEP}."
        self.answers = [a for a in self.answers if not a.prompt_id.startswith(prefix)]
        self.skipped = [s for s in self.skipped if not s.startswith(prefix)]
        self.unfinished = [u for u in self.unfinished if not u.startswith(prefix)]

    def make_short(self) -> None:
        """Today's plan is a short session: drop the conflict and co-regulation steps and
        anything answered in them. The file looks the same whoever chose it, and why."""
        from coach.domain.pathway import SHORT_LEAVES_OUT, short_steps

        self.steps = short_steps(self.steps)
        self.length = "short"
        prefixes = tuple(f"s{step}." for step in SHORT_LEAVES_OUT)
        self.answers = [a for a in self.answers if not a.prompt_id.startswith(prefixes)]
        self.skipped = [s for s in self.skipped if not s.startswith(prefixes)]
        self.unfinished = [u for u in self.unfinished if not u.startswith(prefixes)]

    def checkin_total(self, partner: str) -> int | None:
        """The partner's CSI-4 total, or None until every item is answered."""
        return complete_total(self.checkin.get(partner, {}))

    @property
    def checkin_shown_to_both(self) -> bool:
        """True only when both partners said yes to showing their CSI-4 totals to both."""
        return all(self.checkin_shared.get(p) is True for p in ("a", "b"))


def prompts_for(content: Content, steps: Iterable[int]) -> Iterator[Prompt]:
    """Every prompt of the given steps, in the order a session asks them."""
    wanted = set(steps)
    for step in content.steps:
        if step.number in wanted:
            yield from step.prompts_in_order()


def pending_prompts(session: Session, content: Content) -> list[Prompt]:
    """The prompts still to ask, in order: resume starts at the first of these."""
    return [p for p in prompts_for(content, session.steps) if not session.is_done(p.id)]


def parse_steps(text: str) -> list[int]:
    """Parse `--steps 1,3,4` into a sorted list; raises ValueError with a readable message."""
    steps: set[int] = set()
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        if "-" in part:
            start, _, end = part.partition("-")
            if not (start.isdigit() and end.isdigit()):
                raise ValueError(f'"{part}" is not a step range like 2-4')
            steps.update(range(int(start), int(end) + 1))
        elif part.isdigit():
            steps.add(int(part))
        else:
            raise ValueError(f'"{part}" is not a step number')
    bad = sorted(s for s in steps if s not in STEPS)
    if bad or not steps:
        raise ValueError(f"steps are numbers from {STEP_RANGE}, for example 1,3,4 or 2-{STEPS[-1]}")
    return sorted(steps)
