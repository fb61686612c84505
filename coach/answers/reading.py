"""Reading one answer file: decode its bytes, parse its TOML, find the line of every key, and check
each value against the question it answers (a prompt, an item of the private check or of the
CSI-4 check-in).

Problems that need every file at once (a missing answer, an answer given twice) are found later,
by coach.answers.merging and coach.answers.checking; here each file is read on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from coach.answers.answer_model import BLANK, OLD_SAFETY, TOP_KEYS, AnswerSet, Location
from coach.base import document
from coach.base.document import Problem
from coach.base.errors import did_you_mean
from coach.content import PARTNERS, Content
from coach.domain.steps import STEPS
from coach.domain.validity import Question, check_couple_label, check_name, clean_name

if TYPE_CHECKING:
    from coach.domain.measures import Measure

ProblemSink = Callable[[str, str], None]
# What reading one key did: stored it, found it blank, or reported a problem.
Outcome = Literal["read", "blank", "invalid"]
Reader = Callable[[str, Any, Content, AnswerSet, ProblemSink], Outcome]


# --- where keys are in the text (coach.base.document) ----------------------------------------


def key_lines(text: str) -> dict[str, int]:
    """Map each assigned key's full dotted path (`answers.s1.a.x`) to its 1-based line.

    `"s1.a.x" = 4` under [answers] and `x = 4` under [answers.s1.a] give the same path, as
    they do once parsed. Lines inside strings are skipped: answers may contain `=`.
    """
    lines: dict[str, int] = {}
    for path, number in document.key_lines(text).items():
        lines.setdefault(".".join(str(part) for part in path), number)
    return lines


def _line_for(lines: Mapping[str, int], key: str) -> int | None:
    """The line of `key`, or of the nearest enclosing key (an inline table, say)."""
    parts = key.split(".")
    while parts:
        found = lines.get(".".join(parts))
        if found is not None:
            return found
        parts.pop()
    return None


# --- values and what is valid (coach.domain.validity) -------------------------------------------


def _check_value(question: Question, key: str, value: object, problem: ProblemSink) -> Outcome:
    """Check one value against its question, the same way in every section of an answer file:
    "read" when it is valid (the caller keeps it), "blank" or "invalid" (reported)."""
    if value == BLANK:
        return "blank"
    invalid = question.check_value(value)
    if invalid is not None:
        problem(key, str(invalid))
        return "invalid"
    return "read"


# --- reading one file ----------------------------------------------------------------------


def decode_answer_bytes(data: bytes, filename: str) -> tuple[str, list[Problem]]:
    """Answer files are UTF-8 (a leading byte-order mark is allowed, as some editors add one)."""
    try:
        return document.decode(data, filename, byte_order_mark=True), []
    except document.DocumentError as error:
        return "", [error.problem]


def read_answer_text(
    text: str, filename: str, content: Content, measures: Sequence[Measure] = ()
) -> tuple[AnswerSet, list[Problem]]:
    """Parse one answer file, collecting problems instead of stopping at the first.

    `measures` are the clinician measures (coach.domain.measures) whose items each partner's check
    answers too."""
    result = AnswerSet(files=[filename])
    try:
        data = document.parse(text, filename)
    except document.DocumentError as error:
        return result, [error.problem]
    lines = key_lines(text)
    problems: list[Problem] = []

    def problem(key: str, message: str) -> None:
        problems.append(Problem(filename, _line_for(lines, key), key, message))

    def where(key: str) -> Location:
        return Location(filename, _line_for(lines, key))

    for key in data:
        if key == OLD_SAFETY:
            result.old_safety.append(where(key))
        elif key not in TOP_KEYS:
            expected = ", ".join(TOP_KEYS)
            problem(key, f"unknown key{did_you_mean(key, TOP_KEYS)}; expected one of {expected}")
    if "check" in data:
        result.check_tables.append(where("check"))
    _read_header(data, result, problem, where)
    readers = {"answers": _read_answer, "check": _check_reader(measures), "checkin": _read_checkin}
    for section, read in readers.items():
        for key, value in _flatten(_table(data, section, problem)).items():
            full = f"{section}.{key}"
            outcome = read(key, value, content, result, problem)
            if outcome == "read":
                result.origin[full] = where(full)
            elif outcome == "blank":
                result.blank[full] = where(full)
            else:
                result.invalid.add(full)
    problems.sort(key=lambda p: p.line or float("inf"))
    return result, problems


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


def _table(data: Mapping[str, Any], key: str, problem: ProblemSink) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        problem(key, f"must be a table, e.g. [{key}]")
        return {}
    return value


def _read_header(
    data: Mapping[str, Any],
    result: AnswerSet,
    problem: ProblemSink,
    where: Callable[[str], Location],
) -> None:
    couple = data.get("couple", "")
    invalid = check_couple_label(couple)
    if invalid is not None:
        problem("couple", str(invalid))
    elif couple.strip():
        result.couple = clean_name(couple)
        result.origin["couple"] = where("couple")
    if "steps" in data:
        steps = data["steps"]
        if (
            not isinstance(steps, list)
            or not steps
            or not all(isinstance(s, int) and not isinstance(s, bool) and s in STEPS for s in steps)
        ):
            problem("steps", "must be a list of step numbers from 1 to 5, e.g. [1, 3, 4]")
        else:
            result.steps = sorted(set(steps))
            result.origin["steps"] = where("steps")
    for partner, name in _table(data, "partners", problem).items():
        key = f"partners.{partner}"
        if partner not in PARTNERS:
            problem(key, f"unknown partner{did_you_mean(partner, PARTNERS)}; partners are a and b")
        elif isinstance(name, str) and not name.strip():
            continue  # not given: the template writes `a = ""`
        elif (invalid := check_name(name)) is not None:
            problem(key, str(invalid))
        else:
            result.partners[partner] = clean_name(name)
            result.origin[key] = where(key)


def _read_known(
    section: str,
    noun: str,
    questions: Mapping[str, Question],
    key: str,
    value: Any,
    kept: dict[str, Any],
    problem: ProblemSink,
) -> Outcome:
    """Read KEY = VALUE of a section whose keys name its QUESTIONS; a valid value goes to KEPT."""
    question = questions.get(key)
    if question is None:
        problem(f"{section}.{key}", f"unknown {noun}{did_you_mean(key, questions)}")
        return "invalid"
    outcome = _check_value(question, f"{section}.{key}", value, problem)
    if outcome == "read":
        kept[key] = value
    return outcome


def _read_answer(
    key: str, value: Any, content: Content, result: AnswerSet, problem: ProblemSink
) -> Outcome:
    prompts = content.prompts
    return _read_known("answers", "prompt id", prompts, key, value, result.answers, problem)


def _check_reader(measures: Sequence[Measure]) -> Reader:
    """The reader of `[check]`: each partner's private check (coach.answers.check_keys)."""
    from coach.answers.check_keys import partner_keys
    from coach.content.check_files import load_check

    questions = partner_keys(load_check(), measures)

    def read(
        key: str, value: Any, content: Content, result: AnswerSet, problem: ProblemSink
    ) -> Outcome:
        return _read_known("check", "check key", questions, key, value, result.check, problem)

    return read


SHARED_KEY = "shared"  # checkin.a.shared = true: the partner's yes to showing their total to both


def _read_checkin(
    key: str, value: Any, content: Content, result: AnswerSet, problem: ProblemSink
) -> Outcome:
    items = {item.id: item for item in content.checkin.items}
    partner, _, item_id = key.partition(".")
    if partner in PARTNERS and item_id == SHARED_KEY:
        if value == BLANK:
            return "blank"
        if not isinstance(value, bool):
            problem(f"checkin.{key}", "must be true or false (may the total be shown to both?)")
            return "invalid"
        result.checkin_shared[partner] = value
        return "read"
    if partner not in PARTNERS or item_id not in items:
        valid = [f"{p}.{i}" for p in (*PARTNERS,) for i in (*items, SHARED_KEY)]
        problem(f"checkin.{key}", f"unknown check-in item{did_you_mean(key, valid)}")
        return "invalid"
    outcome = _check_value(items[item_id], f"checkin.{key}", value, problem)
    if outcome == "read":
        result.checkin.setdefault(partner, {})[item_id] = value
    return outcome
