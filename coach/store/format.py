"""Session files as text: the TOML layout and its validation (the index's quick summary of a
file is coach.store.index_summary).

Pure: nothing here touches the file system (coach.store.files does). Every problem with a file is
a DataError of one line naming the file, the line, the field and what would be valid. Answer
values never appear in these messages: a message says where the problem is, not what was typed.
The layout is described in docs/file-format.md.

Over 400 lines on purpose: this is the one place that reads and writes the layout, one small
checker per field of docs/file-format.md, and the reader and the writer (with its read-back
check) change together whenever a field does.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import tomli_w

from coach.base.document import (
    DocumentError,
    FieldPath,
    Problem,
    decode,
    field_name,
    limits_problem,
    locate_line,
    parse,
)
from coach.base.errors import DataError, did_you_mean
from coach.content import PARTNERS, Content, Prompt, load_content
from coach.domain.session import MODES, SCHEMA_VERSION, Answer, Session
from coach.domain.steps import STEPS
from coach.domain.validity import MAX_COUPLE_LENGTH, MAX_NAME_LENGTH, MAX_TEXT_LENGTH
from coach.store.migrations import MIGRATIONS, migrate

# Ids become file names, so anything that could leave the sessions directory is refused.
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
TOP_KEYS = ("schema_version", "session", "answers", "facilitator", "checkin", "results")
SESSION_KEYS = (
    "id",
    "created",
    "finished",
    "mode",
    "couple",
    "partners",
    "coach_version",
    "content_version",
    "steps",
    "facilitated",
    "skipped",
    "unfinished",
    "length",
)
ANSWER_KEYS = ("prompt", "partner", "value", "time")
FACILITATOR_KEYS = ("notes", "homework")
STEP_KEYS = tuple(str(step) for step in STEPS)
FILE_HEADER = "# A coach session (see docs/file-format.md). coach checks every field on loading."


# --- naming fields and finding their lines (coach.base.document) ---------------------------------


@dataclass(frozen=True)
class SessionDoc:
    """Where validation problems point: a file's text, or a session about to be saved."""

    name: str
    text: str | None
    upgraded_from: int | None = None

    def fail(self, path: FieldPath, problem: str) -> DataError:
        field = f"{field_name(path)}: " if path else ""
        if self.text is None:
            return DataError(
                f"cannot save session {self.name}: {field}{problem}; the file was not changed"
            )
        note = ""
        if self.upgraded_from is not None:
            note = f" (after upgrading this schema_version {self.upgraded_from} file)"
        where = Problem(self.name, locate_line(self.text, path), field_name(path), problem + note)
        return DocumentError(where)


# --- checking values -------------------------------------------------------------------------


def _table(doc: SessionDoc, path: FieldPath, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise doc.fail(path, "must be a table")
    return value


def _require(doc: SessionDoc, path: FieldPath, table: dict[str, Any], key: str) -> Any:
    if key not in table:
        raise doc.fail((*path, key), "is missing")
    return table[key]


def _known_keys(
    doc: SessionDoc, path: FieldPath, table: dict[str, Any], allowed: tuple[str, ...]
) -> None:
    for key in table:
        if key not in allowed:
            raise doc.fail((*path, key), f"is not a known key{did_you_mean(key, allowed)}")


def _text(doc: SessionDoc, path: FieldPath, value: Any) -> str:
    if not isinstance(value, str):
        raise doc.fail(path, "must be text in quotes")
    return value


def _label(doc: SessionDoc, path: FieldPath, value: Any, limit: int) -> str:
    """A name or couple label: text no longer than coach itself ever writes, so a label that
    was swollen by hand cannot make every listing slow or flood the terminal."""
    if not isinstance(value, str) or len(value) > limit:
        raise doc.fail(path, f"must be text in quotes of at most {limit:,} characters")
    return value


def _texts(doc: SessionDoc, path: FieldPath, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise doc.fail(path, 'must be a list of text, like ["one", "two"]')
    return [_text(doc, (*path, index), item) for index, item in enumerate(value)]


def _flag(doc: SessionDoc, path: FieldPath, value: Any) -> bool:
    if not isinstance(value, bool):
        raise doc.fail(path, "must be true or false")
    return value


def _moment(doc: SessionDoc, path: FieldPath, value: Any) -> datetime:
    # TOML offsets are whole minutes; an offset with seconds could not be written back.
    offset = value.utcoffset() if isinstance(value, datetime) else None
    if offset is None or offset % timedelta(minutes=1):
        raise doc.fail(
            path, "must be a date-time with a UTC offset, like 2024-05-01T20:15:00+02:00"
        )
    moment: datetime = value
    return moment


def _session_id(doc: SessionDoc, path: FieldPath, value: Any) -> str:
    session_id = _text(doc, path, value)
    if not SESSION_ID.fullmatch(session_id):
        raise doc.fail(path, 'must be 1 to 64 letters, digits, "-" or "_" (no "/", "." or spaces)')
    return session_id


def _mode(doc: SessionDoc, path: FieldPath, value: Any) -> str:
    if value not in MODES:
        raise doc.fail(path, f"must be {' or '.join(json.dumps(m) for m in MODES)}")
    return str(value)


def _length(doc: SessionDoc, path: FieldPath, value: Any) -> str:
    if value not in ("full", "short"):
        raise doc.fail(path, 'must be "full" or "short"')
    return str(value)


def _partners(doc: SessionDoc, path: FieldPath, value: Any) -> dict[str, str]:
    table = _table(doc, path, value)
    _known_keys(doc, path, table, PARTNERS)
    return {
        p: _label(doc, (*path, p), _require(doc, path, table, p), MAX_NAME_LENGTH) for p in PARTNERS
    }


def _steps(doc: SessionDoc, path: FieldPath, value: Any) -> list[int]:
    if not isinstance(value, list):
        raise doc.fail(path, "must be a list of step numbers, like [1, 2, 3, 4, 5]")
    for index, step in enumerate(value):
        if type(step) is not int or step not in STEPS or step in value[:index]:
            raise doc.fail((*path, index), "must be a step number from 1 to 5, each once")
    return list(value)


def _prompt(doc: SessionDoc, path: FieldPath, value: Any, content: Content) -> Prompt:
    prompt_id = _text(doc, path, value)
    prompt = content.prompts.get(prompt_id)
    if prompt is None:
        hint = did_you_mean(prompt_id, content.prompts)
        raise doc.fail(path, f'"{prompt_id}" is not a prompt of this coach{hint}')
    return prompt


# --- the parts of a session ------------------------------------------------------------------


def session_head(doc: SessionDoc, data: dict[str, Any], content: Content) -> dict[str, Any]:
    """The [session] table as keyword arguments for Session."""
    path: FieldPath = ("session",)
    table = _table(doc, path, _require(doc, (), data, "session"))
    _known_keys(doc, path, table, SESSION_KEYS)

    def field(key: str) -> tuple[FieldPath, Any]:
        return (*path, key), _require(doc, path, table, key)

    finished = table.get("finished")
    return {
        "id": _session_id(doc, *field("id")),
        "created": _moment(doc, *field("created")),
        "finished": None if finished is None else _moment(doc, (*path, "finished"), finished),
        "mode": _mode(doc, *field("mode")),
        "couple": _label(doc, *field("couple"), MAX_COUPLE_LENGTH),
        "partners": _partners(doc, *field("partners")),
        "coach_version": _text(doc, *field("coach_version")),
        "content_version": _text(doc, *field("content_version")),
        "steps": _steps(doc, *field("steps")),
        "facilitated": _flag(doc, *field("facilitated")),
        "skipped": [
            _prompt(doc, (*path, "skipped", i), p, content).id
            for i, p in enumerate(_texts(doc, *field("skipped")))
        ],
        # Optional: text answers paused half-typed, asked again (pre-filled) on resume.
        "unfinished": [
            _prompt(doc, (*path, "unfinished", i), p, content).id
            for i, p in enumerate(_texts(doc, (*path, "unfinished"), table.get("unfinished", [])))
        ],
        # Optional: "short" for a short session; files saved before it existed are full.
        "length": _length(doc, (*path, "length"), table.get("length", "full")),
    }


def _answer(
    doc: SessionDoc, index: int, value: Any, content: Content, first: dict[str, int]
) -> Answer:
    path: FieldPath = ("answers", index)
    table = _table(doc, path, value)
    _known_keys(doc, path, table, ANSWER_KEYS)
    prompt = _prompt(doc, (*path, "prompt"), _require(doc, path, table, "prompt"), content)
    if prompt.id in first:
        raise doc.fail(
            (*path, "prompt"),
            f"{prompt.id} is answered twice (first in answers[{first[prompt.id]}])",
        )
    first[prompt.id] = index
    if _require(doc, path, table, "partner") != prompt.partner:
        raise doc.fail((*path, "partner"), f'must be "{prompt.partner}", who is asked {prompt.id}')
    answer = _require(doc, path, table, "value")
    invalid = prompt.check_value(answer)
    if invalid is not None:
        raise doc.fail((*path, "value"), str(invalid))
    when = _moment(doc, (*path, "time"), _require(doc, path, table, "time"))
    return Answer(prompt.id, prompt.partner, answer, when)


def _answers(doc: SessionDoc, data: dict[str, Any], content: Content) -> list[Answer]:
    items = data.get("answers", [])
    if not isinstance(items, list):
        raise doc.fail(("answers",), "must be [[answers]] tables")
    first: dict[str, int] = {}
    return [_answer(doc, index, item, content, first) for index, item in enumerate(items)]


def _facilitator(doc: SessionDoc, data: dict[str, Any]) -> tuple[dict[int, str], list[str]]:
    if "facilitator" not in data:
        return {}, []
    path: FieldPath = ("facilitator",)
    table = _table(doc, path, data["facilitator"])
    _known_keys(doc, path, table, FACILITATOR_KEYS)
    notes: dict[int, str] = {}
    for step, note in _table(doc, (*path, "notes"), table.get("notes", {})).items():
        if step not in STEP_KEYS:
            raise doc.fail((*path, "notes", step), "must be a step number from 1 to 5")
        notes[int(step)] = _label(doc, (*path, "notes", step), note, MAX_TEXT_LENGTH)
    homework = _texts(doc, (*path, "homework"), table.get("homework", []))
    for index, item in enumerate(homework):
        _label(doc, (*path, "homework", index), item, MAX_TEXT_LENGTH)
    return notes, homework


def _checkin_scores(
    doc: SessionDoc, path: FieldPath, value: Any, content: Content, *, draft: bool
) -> dict[str, int]:
    table = _table(doc, path, value)
    _known_keys(doc, path, table, tuple(item.id for item in content.checkin.items))
    scores: dict[str, int] = {}
    for item in content.checkin.items:
        if draft and item.id not in table:
            continue  # a draft keeps the items answered so far; resume asks the rest
        score = _require(doc, path, table, item.id)
        invalid = item.check_value(score)
        if invalid is not None:
            raise doc.fail((*path, item.id), str(invalid))
        scores[item.id] = score
    return scores


def checkin_section(
    doc: SessionDoc, data: dict[str, Any], content: Content, *, draft: bool
) -> dict[str, dict[str, int]]:
    if "checkin" not in data:
        return {}
    table = _table(doc, ("checkin",), data["checkin"])
    _known_keys(doc, ("checkin",), table, (*PARTNERS, SHARED))
    return {
        partner: _checkin_scores(doc, ("checkin", partner), scores, content, draft=draft)
        for partner, scores in table.items()
        if partner != SHARED
    }


SHARED = "shared"  # [checkin.shared]: each partner's yes/no to showing their total to both


def checkin_shared(doc: SessionDoc, data: dict[str, Any]) -> dict[str, bool]:
    """[checkin.shared] a = true, b = false: who agreed to show their CSI-4 total to both.

    A file without it (every file before this key existed) reads as nobody's yes: the totals
    stay out of what the couple sees together, the safer reading of a file that cannot say.
    """
    checkin = data.get("checkin")
    if not isinstance(checkin, dict) or SHARED not in checkin:
        return {}
    path: FieldPath = ("checkin", SHARED)
    table = _table(doc, path, checkin[SHARED])
    _known_keys(doc, path, table, PARTNERS)
    for partner, value in table.items():
        if not isinstance(value, bool):
            raise doc.fail((*path, partner), "must be true or false")
    return dict(table)


def _build_session(doc: SessionDoc, data: dict[str, Any]) -> Session:
    """Check data of the current schema version and make the Session it describes."""
    _known_keys(doc, (), data, TOP_KEYS)
    content = load_content()
    notes, homework = _facilitator(doc, data)
    results = data.get("results")
    head = session_head(doc, data, content)
    return Session(
        **head,
        answers=_answers(doc, data, content),
        notes=notes,
        homework=homework,
        checkin=checkin_section(doc, data, content, draft=head["finished"] is None),
        checkin_shared=checkin_shared(doc, data),
        results=None if results is None else _table(doc, ("results",), results),
    )


# --- reading ---------------------------------------------------------------------------------


def text_from_bytes(data: bytes, filename: str) -> str:
    return decode(data, filename, advice="the file is damaged")


def _parse(text: str, filename: str) -> dict[str, Any]:
    return parse(text, filename)


def _current(doc: SessionDoc, data: dict[str, Any]) -> tuple[SessionDoc, dict[str, Any]]:
    """Data of the current schema version: as read, or upgraded by the migrations."""
    # Schema 0 files said `version = 0`; every later one says `schema_version`.
    key = "version" if "schema_version" not in data and "version" in data else "schema_version"
    version = data.get(key)
    if version is None:
        raise doc.fail((key,), f"is missing; expected schema_version = {SCHEMA_VERSION}")
    if type(version) is not int:
        raise doc.fail((key,), "must be a whole number")
    if version > SCHEMA_VERSION:
        raise doc.fail(
            (key,),
            f"is {version}: this file was written by a newer coach, which reads up to "
            f"{SCHEMA_VERSION}; upgrade coach",
        )
    if key == "schema_version" and version == SCHEMA_VERSION:
        return doc, data
    if version not in MIGRATIONS:
        raise doc.fail((key,), f"is {version}; expected schema_version = {SCHEMA_VERSION}")
    return replace(doc, upgraded_from=version), migrate(data, version)


def check_id(doc: SessionDoc, session_id: str, expected_id: str | None) -> None:
    if expected_id is not None and session_id != expected_id:
        raise doc.fail(("session", "id"), f'must match the file name, "{expected_id}.toml"')


def session_from_text(text: str, filename: str, *, expected_id: str | None = None) -> Session:
    """Parse, upgrade and check a session file; DataError names the file, line and field.

    expected_id: the id the file name promises; a session file must carry its own name's id.
    """
    doc, data = _current(SessionDoc(filename, text), _parse(text, filename))
    session = _build_session(doc, data)
    check_id(doc, session.id, expected_id)
    return session


# --- writing ---------------------------------------------------------------------------------


class _Unwritable(Exception):
    def __init__(self, path: FieldPath, problem: str) -> None:
        super().__init__(problem)
        self.path = path
        self.problem = problem


def _plain(value: Any, path: FieldPath) -> Any:
    """Opaque results as TOML holds them: tuples become lists and None entries are left out."""
    if isinstance(value, Mapping):
        plain: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unwritable(path, "has a key that is not text")
            if item is not None:  # TOML has no null; an absent key reads back the same way
                plain[key] = _plain(item, (*path, key))
        return plain
    if isinstance(value, list | tuple):
        return [_plain(item, (*path, index)) for index, item in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        raise _Unwritable(path, "is not a finite number")
    if isinstance(value, str | int | float | date):
        return value
    raise _Unwritable(path, f"holds a {type(value).__name__}, which TOML cannot store")


def session_to_data(session: Session) -> dict[str, Any]:
    """The session as the plain data its file holds (before checking)."""
    head: dict[str, Any] = {"id": session.id, "created": session.created}
    if session.finished is not None:
        head["finished"] = session.finished
    head |= {
        "mode": session.mode,
        "couple": session.couple,
        "partners": dict(session.partners),
        "coach_version": session.coach_version,
        "content_version": session.content_version,
        "steps": list(session.steps),
        "facilitated": session.facilitated,
        "skipped": list(session.skipped),
    }
    if session.unfinished:
        head["unfinished"] = list(session.unfinished)
    if session.length != "full":
        head["length"] = session.length
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "session": head}
    if session.answers:
        data["answers"] = [
            {"prompt": a.prompt_id, "partner": a.partner, "value": a.value, "time": a.time}
            for a in session.answers
        ]
    facilitator: dict[str, Any] = {}
    if session.homework:
        facilitator["homework"] = list(session.homework)
    if session.notes:
        facilitator["notes"] = {str(step): note for step, note in session.notes.items()}
    if facilitator:
        data["facilitator"] = facilitator
    # A draft keeps even an empty check-in table: it records that a check-in was asked for, so
    # resume asks it. A finished session's empty one has nothing to show and is not written.
    checkin: dict[str, Any] = {
        partner: dict(scores)
        for partner, scores in session.checkin.items()
        if scores or session.is_draft
    }
    if session.checkin_shared:
        checkin[SHARED] = {p: session.checkin_shared[p] for p in sorted(session.checkin_shared)}
    if checkin:
        data["checkin"] = checkin
    if session.results is not None:
        data["results"] = _plain(session.results, ("results",))
    return data


def _emit(data: dict[str, Any]) -> str:
    """The checked data as TOML, written by tomli_w (the reader checks it back before saving)."""
    return f"{FILE_HEADER}\n{tomli_w.dumps(data)}"


def _difference(wrote: Any, read: Any, path: FieldPath) -> FieldPath | None:
    """The first place where what was read back differs from what was meant, or None."""
    if isinstance(wrote, dict) and isinstance(read, dict):
        for key in wrote.keys() | read.keys():
            if key not in wrote or key not in read:
                return (*path, key)
            found = _difference(wrote[key], read[key], (*path, key))
            if found is not None:
                return found
        return None
    if isinstance(wrote, list) and isinstance(read, list):
        if len(wrote) != len(read):
            return path
        for index, (one, other) in enumerate(zip(wrote, read, strict=True)):
            found = _difference(one, other, (*path, index))
            if found is not None:
                return found
        return None
    return None if type(wrote) is type(read) and wrote == read else path


def _check_reads_back(text: str, data: dict[str, Any]) -> None:
    try:
        read = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _Unwritable((), f"would not be valid TOML ({exc})") from None
    difference = _difference(data, read, ())
    if difference is not None:
        raise _Unwritable(difference, "would not read back the same")


def session_to_text(session: Session) -> str:
    """The session file's text, checked first: it validates and reads back exactly as meant.

    Raises DataError naming the field when the session cannot be written faithfully.
    """
    doc = SessionDoc(session.id, None)
    try:
        data = session_to_data(session)
        beyond = limits_problem(data)
        if beyond is not None:
            raise _Unwritable(*beyond)
        _build_session(doc, data)
        text = _emit(data)
        _check_reads_back(text, data)
    except _Unwritable as exc:
        raise doc.fail(exc.path, exc.problem) from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise doc.fail((), "holds text that is not valid Unicode (a lone surrogate)") from None
    return text
