"""Reading the content files shipped in this package, and checking them on load.

A problem is a DataError naming the file and the key, with a suggestion where one helps. The
CSI-4 items are checked against the published scale (coach.domain.checkin), and every explanation
against the bibliography, its claims' labels and the wording rules (coach.content.checks). Pure:
no Typer, Rich or questionary.
"""

from __future__ import annotations

from dataclasses import fields, replace
from functools import cache
from typing import Any

from coach.base.errors import DataError, did_you_mean
from coach.content.content_model import (
    EVIDENCE_LABELS,
    PARTNERS,
    PROMPT_ID,
    PROMPT_TYPES,
    Checkin,
    CheckinItem,
    Choice,
    Content,
    Exercise,
    Partner,
    Prompt,
    Safety,
    ScreenQuestion,
    Step,
    Target,
)
from coach.domain.steps import NAMED_STEPS, STEP_RANGE, STEPS
from coach.domain.targets import CHEMICALS, REGIONS, TARGETS

# The keys a step and a target may hold: their fields (a target's kind is its table's name).
_STEP_KEYS = {f.name for f in fields(Step)}
_TARGET_KEYS = {f.name for f in fields(Target)} - {"kind"}


class _Reader:
    """Reads one table of one file, remembering where it is so errors can name the key."""

    def __init__(self, filename: str, where: str, table: dict[str, Any]) -> None:
        self.filename = filename
        self.where = where
        self.table = table

    def fail(self, key: str, problem: str) -> DataError:
        location = f"{self.where}.{key}" if self.where else key
        return DataError(f"{self.filename}: {location}: {problem}")

    def check_keys(self, allowed: set[str]) -> None:
        for key in self.table:
            if key not in allowed:
                raise self.fail(key, f"unknown key{did_you_mean(key, allowed)}")

    def text(self, key: str, default: str | None = None) -> str:
        value = self.table.get(key, default)
        if value is None:
            raise self.fail(key, "is required")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be non-empty text")
        return value

    def whole(self, key: str) -> int:
        value = self.table.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, "must be a whole number")
        return value

    def number(self, key: str) -> float:
        value = self.table.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, "must be a number")
        return float(value)

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(key, "must be a list of text")
        return tuple(value)

    def tables(self, key: str) -> list[_Reader]:
        value = self.table.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, "must be one or more tables")
        return [_Reader(self.filename, f"{key}[{i}]", v) for i, v in enumerate(value)]

    def evidence(self, key: str = "evidence") -> str:
        label = self.text(key)
        if label not in EVIDENCE_LABELS:
            hint = did_you_mean(label, EVIDENCE_LABELS)
            raise self.fail(key, f'"{label}" is not one of {", ".join(EVIDENCE_LABELS)}{hint}')
        return label


def _read_toml(filename: str) -> dict[str, Any]:
    """A content file in the user's language, English where the translation says nothing."""
    from coach.domain.translation import content_file

    return content_file(filename)


def parse_toml(text: str, filename: str) -> dict[str, Any]:
    """Parse a content file the one way coach parses TOML (coach.base.document)."""
    from coach.base.document import parse

    return parse(text, filename)


def _prompt(reader: _Reader, step_number: int) -> Prompt:
    reader.check_keys(
        {"id", "type", "text", "min", "max", "low", "high", "choices", "secure", "required"}
    )
    prompt_id = reader.text("id")
    match = PROMPT_ID.match(prompt_id)
    if not match:
        raise reader.fail("id", f'"{prompt_id}" must look like s{step_number}.a.short_name')
    if int(match.group(1)) != step_number:
        raise reader.fail("id", f'"{prompt_id}" is listed under step {step_number}')
    kind = reader.text("type")
    if kind not in PROMPT_TYPES:
        hint = did_you_mean(kind, PROMPT_TYPES)
        raise reader.fail("type", f'"{kind}" is not one of {", ".join(PROMPT_TYPES)}{hint}')
    partner: Partner = "a" if match.group(2) == "a" else "b"
    required = reader.table.get("required", kind != "text")
    if not isinstance(required, bool):
        raise reader.fail("required", "must be true or false")
    base = Prompt(
        id=prompt_id,
        step=step_number,
        partner=partner,
        type="text",
        text=reader.text("text"),
        required=required,
    )
    secure = reader.table.get("secure")
    if kind == "scale":
        low, high = reader.whole("min"), reader.whole("max")
        if low >= high:
            raise reader.fail("max", f"must be greater than min ({low})")
        if secure not in ("high", "low"):
            raise reader.fail("secure", 'a scale needs secure = "high" or "low"')
        return replace(
            base,
            type="scale",
            min=low,
            max=high,
            low=reader.text("low"),
            high=reader.text("high"),
            secure=secure,
        )
    if kind == "choice":
        choices = []
        for item in reader.tables("choices"):
            item.check_keys({"value", "label"})
            choices.append(Choice(item.text("value"), item.text("label")))
        values = [c.value for c in choices]
        if len(set(values)) != len(values) or len(values) < 2:
            raise reader.fail("choices", "needs two or more choices with different values")
        if secure is not None and secure not in values:
            raise reader.fail(
                "secure", f'"{secure}" is not one of the choices{did_you_mean(str(secure), values)}'
            )
        return replace(base, type="choice", choices=tuple(choices), secure=secure)
    if kind == "yesno":
        if secure not in ("yes", "no"):
            raise reader.fail("secure", 'a yes/no prompt needs secure = "yes" or "no"')
        return replace(base, type="yesno", secure=secure)
    if secure is not None:
        raise reader.fail("secure", "a text prompt has no secure direction")
    return replace(base, type="text")


def _steps(data: dict[str, Any]) -> tuple[Step, ...]:
    top = _Reader("flow.toml", "", data)
    top.check_keys({"version", "step"})
    steps: list[Step] = []
    for reader in top.tables("step"):
        reader.check_keys(_STEP_KEYS)
        number = reader.whole("number")
        if number != len(steps) + 1:
            raise reader.fail("number", f"expected step {len(steps) + 1} here")
        leads = reader.text("leads")
        if leads not in ("a", "b", "both"):
            raise reader.fail("leads", 'must be "a", "b" or "both"')
        prompts = tuple(_prompt(p, number) for p in reader.tables("prompts"))
        steps.append(
            Step(
                number=number,
                id=reader.text("id"),
                title=reader.text("title"),
                seed=reader.text("seed"),
                shown=reader.text("shown"),
                leads=leads,
                lead_text=reader.text("lead_text"),
                about=reader.text("about"),
                evidence=reader.evidence(),
                source=reader.text("source"),
                aim=reader.text("aim"),
                listen_for=reader.texts("listen_for"),
                talking_points=reader.texts("talking_points"),
                prompts=prompts,
            )
        )
    ids = [s.id for s in steps]
    if len(set(ids)) != len(ids):
        raise DataError(f"flow.toml: step: each step needs its own id; found {', '.join(ids)}")
    for step_id in NAMED_STEPS:
        if step_id not in ids:
            hint = did_you_mean(step_id, ids)
            raise DataError(f'flow.toml: step: needs a step with id = "{step_id}"{hint}')
    return tuple(steps)


def _targets(data: dict[str, Any]) -> tuple[Target, ...]:
    top = _Reader("targets.toml", "", data)
    top.check_keys({"version", "chemical", "region"})
    found: list[Target] = []
    for kind, expected in (("chemical", CHEMICALS), ("region", REGIONS)):
        for reader in top.tables(kind):
            reader.check_keys(_TARGET_KEYS)
            target_id = reader.text("id")
            if target_id not in expected:
                raise reader.fail(
                    "id", f'"{target_id}" is not a {kind}{did_you_mean(target_id, expected)}'
                )
            found.append(
                Target(
                    id=target_id,
                    kind="chemical" if kind == "chemical" else "region",
                    name=reader.text("name"),
                    role=reader.text("role"),
                    effect=reader.text("effect"),
                    evidence_note=reader.text("evidence_note"),
                    evidence=reader.evidence(),
                    positive=reader.text("positive"),
                    negative=reader.text("negative"),
                    caveats=reader.texts("caveats") if "caveats" in reader.table else (),
                )
            )
    ids = [t.id for t in found]
    missing = [t for t in TARGETS if t not in ids]
    if missing or len(ids) != len(set(ids)):
        raise DataError(
            f"targets.toml: expected each of {', '.join(TARGETS)} once; missing {missing}"
        )
    return tuple(sorted(found, key=lambda t: TARGETS.index(t.id)))


def _exercises(data: dict[str, Any]) -> tuple[Exercise, ...]:
    top = _Reader("exercises.toml", "", data)
    top.check_keys({"version", "exercise"})
    exercises = []
    for reader in top.tables("exercise"):
        reader.check_keys({"id", "step", "title", "how", "source", "evidence", "closeness"})
        closeness = reader.table.get("closeness", False)
        if not isinstance(closeness, bool):
            raise reader.fail("closeness", "must be true or false")
        step = reader.whole("step")
        if step not in STEPS:
            raise reader.fail("step", f"must be a step number, {STEP_RANGE}")
        exercises.append(
            Exercise(
                id=reader.text("id"),
                step=step,
                title=reader.text("title"),
                how=reader.text("how"),
                source=reader.text("source"),
                evidence=reader.evidence(),
                closeness=closeness,
            )
        )
    return tuple(exercises)


def _safety(data: dict[str, Any]) -> Safety:
    top = _Reader("safety.toml", "", data)
    top.check_keys({"version", "title", "intro", "screen", "message"})
    screen = []
    for reader in top.tables("screen"):
        reader.check_keys({"id", "text", "unsafe"})
        unsafe = reader.text("unsafe")
        if unsafe not in ("yes", "no"):
            raise reader.fail("unsafe", 'must be "yes" or "no"')
        screen.append(ScreenQuestion(reader.text("id"), reader.text("text"), unsafe == "yes"))
    message_table = data.get("message")
    if not isinstance(message_table, dict):
        raise top.fail("message", "must be a table")
    message = _Reader("safety.toml", "message", message_table)
    message.check_keys({"title", "body", "resources", "text_body"})
    return Safety(
        title=top.text("title"),
        intro=top.text("intro"),
        screen=tuple(screen),
        message_title=message.text("title"),
        message_body=message.text("body"),
        text_body=message.text("text_body"),
        resources=message.texts("resources"),
    )


def _checkin(data: dict[str, Any]) -> Checkin:
    top = _Reader("checkin.toml", "", data)
    top.check_keys({"version", "name", "citation", "cutoff", "reference_note", "item"})
    items = []
    for reader in top.tables("item"):
        reader.check_keys({"id", "text", "answers"})
        items.append(CheckinItem(reader.text("id"), reader.text("text"), reader.texts("answers")))
    _check_published_items(top, items)
    return Checkin(
        name=top.text("name"),
        citation=top.text("citation"),
        cutoff=top.number("cutoff"),
        reference_note=top.text("reference_note"),
        items=tuple(items),
    )


def _check_published_items(top: _Reader, items: list[CheckinItem]) -> None:
    """Scoring and its reference point hold only for the items as published
    (coach.domain.checkin)."""
    from coach.domain.checkin import ITEM_MAX

    shape = {item.id: item.max_score for item in items}
    if shape != ITEM_MAX:
        published = ", ".join(f"{item} (answers 0 to {top})" for item, top in ITEM_MAX.items())
        raise top.fail("item", f"the CSI-4 has exactly these items, as published: {published}")


@cache
def load_content() -> Content:
    """Load and validate every content file once per process, in the user's language
    (coach.domain.translation): a translated text passes the same checks as the English."""
    from coach.domain.translation import in_translation

    with in_translation():
        return _load_content()


def _load_content() -> Content:
    flow = _read_toml("flow.toml")
    steps = _steps(flow)
    prompts: dict[str, Prompt] = {}
    for step in steps:
        for prompt in step.prompts:
            if prompt.id in prompts:
                raise DataError(f'flow.toml: step {step.number}: duplicate prompt id "{prompt.id}"')
            prompts[prompt.id] = prompt
        for partner in PARTNERS:
            if sum(1 for p in step.prompts if p.partner == partner) < 3:
                raise DataError(
                    f"flow.toml: step {step.number}: partner {partner} needs at least 3 prompts"
                )
    content = Content(
        version=str(flow.get("version", "1")),
        targets=_targets(_read_toml("targets.toml")),
        steps=steps,
        exercises=_exercises(_read_toml("exercises.toml")),
        safety=_safety(_read_toml("safety.toml")),
        checkin=_checkin(_read_toml("checkin.toml")),
        prompts=prompts,
    )
    from coach.content.checks import citation_problems

    problems = citation_problems(content)
    if problems:
        raise DataError(problems[0], details=problems[1:])
    return content
