"""Answer files: sessions without a terminal. Parse, merge and validate, reporting every problem
in one pass with the file, line and key. Pure: no terminal, no saving. The fill-in template that
`coach template` prints is built in coach.render.answer_template.

An answer file is TOML (`coach template` prints one to fill in):

    couple = "Sam & Alex"            # optional
    steps = [1, 2, 3, 4, 5]          # optional, default all five
    [partners]                       # optional; --a/--b override
    a = "Sam"
    b = "Alex"
    [checkin]                        # optional CSI-4: partner.item = score, all four or none
    "a.happiness" = 4
    [safety]                         # the private screen, needed when step 3 is covered
    "a.feel_safe" = true
    [answers]                        # prompt id = value
    "s1.a.greeted_warmly" = 4

A value of "" means "not answered yet": the template writes every required key that way, and a
required key left "" is reported with its line as unanswered (an optional one is ignored).

Problems never quote an answer's value, only where it is and what would be valid: answer files
hold private answers, and error output ends up in logs and cron mail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from coach import document
from coach.content import CONFLICT_STEP, PARTNERS, AnswerValue, Content
from coach.document import Problem
from coach.errors import DataError, did_you_mean
from coach.session import ALL_STEPS, Session, new_session_id, now, prompts_for
from coach.validity import (
    DEFAULT_NAMES,
    Question,
    check_couple_label,
    check_name,
    default_couple_label,
    same_names,
)

TOP_KEYS = ("couple", "steps", "partners", "checkin", "safety", "answers")
HEADER_KEYS = ("couple", "steps", "partners.a", "partners.b")
STDIN_NAME = "<stdin>"

BLANK = ""  # the value of a key not answered yet
ProblemSink = Callable[[str, str], None]
# What reading one key did: stored it, found it blank, or reported a problem.
Outcome = Literal["read", "blank", "invalid"]


@dataclass(frozen=True)
class Location:
    filename: str
    line: int | None

    def __str__(self) -> str:
        return f"{self.filename} (line {self.line})" if self.line else self.filename


@dataclass
class AnswerSet:
    """Everything read from one or more answer files, with where each value came from."""

    answers: dict[str, AnswerValue] = field(default_factory=dict)
    safety: dict[str, bool] = field(default_factory=dict)
    checkin: dict[str, dict[str, int]] = field(default_factory=dict)
    partners: dict[str, str] = field(default_factory=dict)
    couple: str = ""
    steps: list[int] | None = None
    # "answers.s1.a.x", "safety.a.feel_safe", "couple", ... -> where it was given.
    origin: dict[str, Location] = field(default_factory=dict)
    # Keys left as "" (not answered yet), so a missing answer can point at its line.
    blank: dict[str, Location] = field(default_factory=dict)
    # Keys given with an invalid value: already reported, so not reported again as missing.
    invalid: set[str] = field(default_factory=set)
    files: list[str] = field(default_factory=list)


# --- where keys are in the text (coach.document) ----------------------------------------


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


# --- values and what is valid (coach.validity) -------------------------------------------


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


def parse_answer_text(text: str, filename: str, content: Content) -> AnswerSet:
    """Parse and check one complete answer file; raises DataError listing every problem."""
    result, problems = read_answer_text(text, filename, content)
    problems += check_answer_set(result, content)
    raise_if_problems(problems)
    return result


def read_answer_text(text: str, filename: str, content: Content) -> tuple[AnswerSet, list[Problem]]:
    """Parse one answer file, collecting problems instead of stopping at the first."""
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
        if key not in TOP_KEYS:
            expected = ", ".join(TOP_KEYS)
            problem(key, f"unknown key{did_you_mean(key, TOP_KEYS)}; expected one of {expected}")
    _read_header(data, result, problem, where)
    readers = {"answers": _read_answer, "safety": _read_safety, "checkin": _read_checkin}
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
        result.couple = couple.strip()
        result.origin["couple"] = where("couple")
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
            result.partners[partner] = name.strip()
            result.origin[key] = where(key)


def _read_answer(
    key: str, value: Any, content: Content, result: AnswerSet, problem: ProblemSink
) -> Outcome:
    prompt = content.prompts.get(key)
    if prompt is None:
        problem(f"answers.{key}", f"unknown prompt id{did_you_mean(key, content.prompts)}")
        return "invalid"
    outcome = _check_value(prompt, f"answers.{key}", value, problem)
    if outcome == "read":
        result.answers[key] = value
    return outcome


def _read_safety(
    key: str, value: Any, content: Content, result: AnswerSet, problem: ProblemSink
) -> Outcome:
    questions = {f"{p}.{q.id}": q for p in PARTNERS for q in content.safety.screen}
    question = questions.get(key)
    if question is None:
        problem(f"safety.{key}", f"unknown safety question{did_you_mean(key, questions)}")
        return "invalid"
    outcome = _check_value(question, f"safety.{key}", value, problem)
    if outcome == "read":
        result.safety[key] = value
    return outcome


def _read_checkin(
    key: str, value: Any, content: Content, result: AnswerSet, problem: ProblemSink
) -> Outcome:
    items = {item.id: item for item in content.checkin.items}
    partner, _, item_id = key.partition(".")
    if partner not in PARTNERS or item_id not in items:
        valid = [f"{p}.{i}" for p in PARTNERS for i in items]
        problem(f"checkin.{key}", f"unknown check-in item{did_you_mean(key, valid)}")
        return "invalid"
    outcome = _check_value(items[item_id], f"checkin.{key}", value, problem)
    if outcome == "read":
        result.checkin.setdefault(partner, {})[item_id] = value
    return outcome


# --- several files -------------------------------------------------------------------------


def merge(parts: Iterable[AnswerSet]) -> tuple[AnswerSet, list[Problem]]:
    """Merge several files (one per partner is common).

    An answer given in two files is a problem naming both. The couple label, steps and names may
    repeat (each partner's file can carry them) as long as the files agree.
    """
    merged = AnswerSet()
    problems: list[Problem] = []
    for part in parts:
        merged.files += part.files
        for key, here in part.origin.items():
            earlier = merged.origin.get(key)
            if earlier is None:
                merged.origin[key] = here
            elif key not in HEADER_KEYS:
                message = f"answered twice: in {earlier} and in {here}"
                problems.append(Problem(here.filename, here.line, key, message))
            elif _header_value(part, key) != _header_value(merged, key):
                message = f"differs between {earlier} and {here}; give it once or make them match"
                problems.append(Problem(here.filename, here.line, key, message))
        for key, here in part.blank.items():
            merged.blank.setdefault(key, here)
        merged.invalid |= part.invalid
        _take_values(merged, part)
    return merged, problems


def _header_value(answers: AnswerSet, key: str) -> object:
    if key == "couple":
        return answers.couple
    if key == "steps":
        return answers.steps
    return answers.partners.get(key.split(".", 1)[1])


def _take_values(merged: AnswerSet, part: AnswerSet) -> None:
    for partner, name in part.partners.items():
        merged.partners.setdefault(partner, name)
    for key, value in part.answers.items():
        merged.answers.setdefault(key, value)
    for key, flag in part.safety.items():
        merged.safety.setdefault(key, flag)
    for partner, items in part.checkin.items():
        for item, score in items.items():
            merged.checkin.setdefault(partner, {}).setdefault(item, score)
    merged.couple = merged.couple or part.couple
    if merged.steps is None:
        merged.steps = part.steps


# --- checking a complete set ---------------------------------------------------------------


def check_answer_set(
    answers: AnswerSet, content: Content, names: Mapping[str, str | None] | None = None
) -> list[Problem]:
    """Problems that need every file at once: missing answers, answers for steps not covered,
    two partners with one name. `names` are --a/--b, which override the files' [partners]."""
    return (
        _uncovered_answers(answers)
        + missing_answers(answers, content)
        + _same_names(answers, names or {})
    )


def _source(answers: AnswerSet) -> str:
    return ", ".join(answers.files) or "answers"


def missing_answers(answers: AnswerSet, content: Content) -> list[Problem]:
    """Required answers, safety questions and partial check-ins that are missing.

    When a screen answer already discloses fear or harm the conflict step will be left out, so
    its answers (and the rest of the screen) are not asked for.
    """
    steps = set(answers.steps or ALL_STEPS)
    if CONFLICT_STEP in steps and _disclosed_so_far(answers, content):
        steps.discard(CONFLICT_STEP)
    problems = [
        _missing(answers, f"answers.{p.id}", f"expected {p.expected()}")
        for p in prompts_for(content, steps)
        if p.required and p.id not in answers.answers and f"answers.{p.id}" not in answers.invalid
    ]
    if CONFLICT_STEP in steps:
        problems += [
            _missing(
                answers,
                f"safety.{partner}.{q.id}",
                f"the safety screen is needed when step 3 is covered; expected {q.expected()}",
            )
            for partner in PARTNERS
            for q in content.safety.screen
            if f"{partner}.{q.id}" not in answers.safety
            and f"safety.{partner}.{q.id}" not in answers.invalid
        ]
    for partner in PARTNERS:
        given = answers.checkin.get(partner)
        started = given or any(k.startswith(f"checkin.{partner}.") for k in answers.invalid)
        if not started:
            continue
        problems += [
            _missing(
                answers,
                f"checkin.{partner}.{item.id}",
                f"a check-in needs every item; expected {item.expected()}",
            )
            for item in content.checkin.items
            if item.id not in (given or {})
            and f"checkin.{partner}.{item.id}" not in answers.invalid
        ]
    return problems


def _missing(answers: AnswerSet, key: str, expected: str) -> Problem:
    blank = answers.blank.get(key)
    if blank is not None:
        return Problem(blank.filename, blank.line, key, f"not answered yet: {expected}")
    return Problem(_source(answers), None, key, f"missing required answer: {expected}")


def _uncovered_answers(answers: AnswerSet) -> list[Problem]:
    steps = answers.steps or list(ALL_STEPS)
    problems = []
    for key, here in answers.origin.items():
        if not key.startswith("answers.s"):
            continue
        step = int(key[len("answers.s")])
        if step not in steps:
            message = (
                f"step {step} is not among this session's steps {steps}; "
                f"remove this answer or add {step} to steps"
            )
            problems.append(Problem(here.filename, here.line, key, message))
    return problems


def _same_names(answers: AnswerSet, names: Mapping[str, str | None]) -> list[Problem]:
    a = names.get("a") or answers.partners.get("a")
    b = names.get("b") or answers.partners.get("b")
    if not same_names(a, b):
        return []
    here = answers.origin.get("partners.b") or answers.origin.get("partners.a")
    filename, line = (here.filename, here.line) if here else ("--a/--b", None)
    return [
        Problem(filename, line, "partners", "a and b need different names to tell answers apart")
    ]


def _disclosed_so_far(answers: AnswerSet, content: Content) -> bool:
    """True when any screen answer given so far is the one that signals fear or harm."""
    return any(
        answers.safety.get(f"{partner}.{q.id}") is q.unsafe
        for partner in PARTNERS
        for q in content.safety.screen
    )


def in_file_order(problems: Iterable[Problem], files: Sequence[str]) -> list[Problem]:
    """Problems file by file in the order given, each file's by line; the rest after."""
    rank = {name: n for n, name in enumerate(files)}
    return sorted(problems, key=lambda p: (rank.get(p.file, len(files)), p.line or float("inf")))


def problems_error(problems: Sequence[Problem]) -> DataError:
    """One DataError carrying every problem: one line each, under a count."""
    if len(problems) == 1:
        return DataError(str(problems[0]))
    return DataError(
        f"{len(problems)} problems in the answers:", details=[str(p) for p in problems]
    )


def raise_if_problems(problems: Sequence[Problem]) -> None:
    if problems:
        raise problems_error(problems)


# --- the session ---------------------------------------------------------------------------


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
