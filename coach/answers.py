"""Answer files: sessions without a terminal. Parse, merge and validate, reporting every problem
in one pass with the file, line and key. Pure: no terminal, no saving.

An answer file is TOML:

    couple = "Sam & Alex"            # optional
    steps = [1, 2, 3, 4, 5]          # optional, default all five
    [partners]                       # optional; --a/--b override
    a = "Sam"
    b = "Alex"
    [answers]                        # prompt id = value
    "s1.a.greeted_warmly" = 4
    [safety]                         # the private screen before step 3: partner.question = yes/no
    "a.feel_safe" = true
    [checkin]                        # optional CSI-4: partner.item = score
    "a.happiness" = 4
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from coach.content import CONFLICT_STEP, PARTNERS, AnswerValue, Content
from coach.errors import DataError, did_you_mean
from coach.session import ALL_STEPS, Session, new_session_id, now
from coach.workflow import default_couple_label

TOP_KEYS = ("couple", "steps", "partners", "answers", "safety", "checkin")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass
class AnswerSet:
    """Everything read from one or more answer files, with where each value came from."""

    answers: dict[str, AnswerValue] = field(default_factory=dict)
    safety: dict[str, bool] = field(default_factory=dict)
    checkin: dict[str, dict[str, int]] = field(default_factory=dict)
    partners: dict[str, str] = field(default_factory=dict)
    couple: str = ""
    steps: list[int] | None = None
    origin: dict[str, str] = field(default_factory=dict)  # key -> file name, for merge errors


@dataclass(frozen=True)
class Problem:
    filename: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.filename}:{self.line}" if self.line else self.filename
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Accept both `"s1.a.x" = 4` and dotted/nested tables (`[answers.s1.a] x = 4`)."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            flat.update(_flatten(value, full))
        else:
            flat[full] = value
    return flat


def _line_of(text: str, key: str) -> int | None:
    """The line where `key` is assigned, found in the source text (quoted or bare)."""
    last = key.rsplit(".", 1)[-1]
    patterns = [
        re.escape(f'"{key}"'),
        re.escape(f"'{key}'"),
        re.escape(key),
        rf"\b{re.escape(last)}\b",
    ]
    for pattern in patterns:
        regex = re.compile(rf"^\s*{pattern}\s*=", re.MULTILINE)
        match = regex.search(text)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return None


def parse_answer_text(text: str, filename: str, content: Content) -> AnswerSet:
    """Parse one answer file; raises DataError listing every problem in it."""
    result, problems = read_answer_text(text, filename, content)
    if problems:
        raise _as_error(problems)
    missing = missing_answers(result, content)
    if missing:
        raise _as_error(missing)
    return result


def read_answer_text(text: str, filename: str, content: Content) -> tuple[AnswerSet, list[Problem]]:
    """Parse one answer file, collecting problems instead of stopping at the first."""
    result = AnswerSet()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_POSITION.search(str(error))
        line = int(match.group(1)) if match else None
        column = f", column {match.group(2)}" if match else ""
        reason = _TOML_POSITION.sub("", str(error)).strip()
        return result, [Problem(filename, line, "", f"not valid TOML{column}: {reason}")]
    problems: list[Problem] = []

    def problem(key: str, message: str) -> None:
        problems.append(Problem(filename, _line_of(text, key), key, message))

    for key in data:
        if key not in TOP_KEYS:
            problem(
                key,
                f"unknown key{did_you_mean(key, TOP_KEYS)}; expected one of {', '.join(TOP_KEYS)}",
            )
    _read_header(data, result, problem)
    for key, value in _flatten(_table(data, "answers", problem)).items():
        _read_answer(key, value, content, result, problem, filename)
    for key, value in _flatten(_table(data, "safety", problem)).items():
        _read_safety(key, value, content, result, problem, filename)
    for key, value in _flatten(_table(data, "checkin", problem)).items():
        _read_checkin(key, value, content, result, problem, filename)
    return result, problems


def _table(data: Mapping[str, Any], key: str, problem: Any) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        problem(key, "must be a table, e.g. [" + key + "]")
        return {}
    return value


def _read_header(data: Mapping[str, Any], result: AnswerSet, problem: Any) -> None:
    couple = data.get("couple", "")
    if not isinstance(couple, str):
        problem("couple", "must be text")
    else:
        result.couple = couple.strip()
    if "steps" in data:
        steps = data["steps"]
        if (
            not isinstance(steps, list)
            or not steps
            or not all(
                isinstance(s, int) and not isinstance(s, bool) and s in ALL_STEPS for s in steps
            )
        ):
            problem("steps", "must be a list of step numbers from 1 to 5, e.g. [1, 3, 4]")
        else:
            result.steps = sorted(set(steps))
    for partner, name in _table(data, "partners", problem).items():
        if partner not in PARTNERS:
            problem(f"partners.{partner}", 'partners are "a" and "b"')
        elif not isinstance(name, str) or not name.strip() or len(name) > 60:
            problem(f"partners.{partner}", "must be a name of 1 to 60 characters")
        else:
            result.partners[partner] = name.strip()


def _read_answer(
    key: str, value: Any, content: Content, result: AnswerSet, problem: Any, filename: str
) -> None:
    prompt = content.prompts.get(key)
    if prompt is None:
        problem(f"answers.{key}", f"unknown prompt id{did_you_mean(key, content.prompts)}")
        return
    reason = prompt.check_value(value)
    if reason:
        problem(f"answers.{key}", reason)
        return
    result.answers[key] = value
    result.origin[f"answers.{key}"] = filename


def _read_safety(
    key: str, value: Any, content: Content, result: AnswerSet, problem: Any, filename: str
) -> None:
    valid = [f"{p}.{q.id}" for p in PARTNERS for q in content.safety.screen]
    if key not in valid:
        problem(f"safety.{key}", f"unknown safety question{did_you_mean(key, valid)}")
    elif not isinstance(value, bool):
        problem(f"safety.{key}", "expected true or false (yes or no)")
    else:
        result.safety[key] = value
        result.origin[f"safety.{key}"] = filename


def _read_checkin(
    key: str, value: Any, content: Content, result: AnswerSet, problem: Any, filename: str
) -> None:
    items = {item.id: item for item in content.checkin.items}
    partner, _, item_id = key.partition(".")
    valid = [f"{p}.{i}" for p in PARTNERS for i in items]
    if partner not in PARTNERS or item_id not in items:
        problem(f"checkin.{key}", f"unknown check-in item{did_you_mean(key, valid)}")
        return
    item = items[item_id]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= item.max_score:
        problem(f"checkin.{key}", f"expected a whole number from 0 to {item.max_score}")
        return
    result.checkin.setdefault(partner, {})[item_id] = value
    result.origin[f"checkin.{key}"] = filename


def merge(parts: Iterable[tuple[AnswerSet, str]]) -> tuple[AnswerSet, list[Problem]]:
    """Merge several files (one per partner is common); a value given twice is a problem."""
    merged = AnswerSet()
    problems: list[Problem] = []
    for part, filename in parts:
        for key, first in part.origin.items():
            if key in merged.origin:
                problems.append(
                    Problem(
                        filename,
                        None,
                        key,
                        f"answered twice: in {merged.origin[key]} and in {first}",
                    )
                )
            merged.origin[key] = first
        for name, value in part.partners.items():
            if name in merged.partners and merged.partners[name] != value:
                problems.append(
                    Problem(filename, None, f"partners.{name}", "differs from an earlier file")
                )
            merged.partners.setdefault(name, value)
        merged.answers.update(part.answers)
        merged.safety.update(part.safety)
        for partner, items in part.checkin.items():
            merged.checkin.setdefault(partner, {}).update(items)
        merged.couple = merged.couple or part.couple
        if part.steps is not None:
            merged.steps = part.steps
    return merged, problems


def missing_answers(answers: AnswerSet, content: Content, source: str = "answers") -> list[Problem]:
    """Required answers, safety questions and partial check-ins that are missing."""
    steps = answers.steps or list(ALL_STEPS)
    problems = [
        Problem(source, None, f"answers.{p.id}", "missing required answer")
        for number in steps
        for p in content.step(number).prompts
        if p.required and p.id not in answers.answers
    ]
    if CONFLICT_STEP in steps:
        problems += [
            Problem(
                source,
                None,
                f"safety.{partner}.{q.id}",
                "missing: the safety screen is needed before step 3",
            )
            for partner in PARTNERS
            for q in content.safety.screen
            if f"{partner}.{q.id}" not in answers.safety
        ]
    for partner, items in answers.checkin.items():
        for item in content.checkin.items:
            if item.id not in items:
                problems.append(
                    Problem(
                        source,
                        None,
                        f"checkin.{partner}.{item.id}",
                        "missing: a check-in needs all four items",
                    )
                )
    return problems


def _as_error(problems: list[Problem]) -> DataError:
    count = len(problems)
    first = str(problems[0])
    if count == 1:
        return DataError(first)
    return DataError(f"{count} problems in the answers:", details=[str(p) for p in problems])


def raise_if_problems(problems: list[Problem]) -> None:
    if problems:
        raise _as_error(problems)


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
    from coach.safety import screen_discloses

    name_a = a or answers.partners.get("a") or "Partner A"
    name_b = b or answers.partners.get("b") or "Partner B"
    created = now()
    session = Session(
        id=new_session_id(created),
        created=created,
        partners={"a": name_a, "b": name_b},
        couple=couple or answers.couple or default_couple_label(name_a, name_b),
        steps=list(answers.steps or ALL_STEPS),
        content_version=content.version,
    )
    for prompt_id, value in answers.answers.items():
        prompt = content.prompts[prompt_id]
        if prompt.step in session.steps:
            session.record(prompt, value, created)
    session.checkin = {p: dict(items) for p, items in answers.checkin.items()}
    if CONFLICT_STEP in session.steps:
        for partner in PARTNERS:
            screen = {
                q.id: answers.safety.get(f"{partner}.{q.id}", q.unsafe)
                for q in content.safety.screen
            }
            if screen_discloses(content.safety, screen):
                session.leave_out_conflict_step()
                break
    return session


def safety_left_out_conflict(answers: AnswerSet, session: Session) -> bool:
    """True when the screen (not the user's choice of steps) left the conflict step out."""
    requested = answers.steps or list(ALL_STEPS)
    return CONFLICT_STEP in requested and CONFLICT_STEP not in session.steps
