"""A session file that does not validate gives one line naming the file, line, field and fix."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from store_helpers import build_session

from coach.base.errors import DataError
from coach.content import Content
from coach.domain.session import SCHEMA_VERSION, Session
from coach.store.disk import ensure_data_dir
from coach.store.files import load_session, save_session
from coach.store.format import session_from_text, session_to_text
from coach.store.migrations import MIGRATIONS

NAME = "x.toml"
SECRET = "my secret words"


@pytest.fixture(scope="module")
def session(content: Content) -> Session:
    return build_session(content, answered=6, text=SECRET)


@pytest.fixture(scope="module")
def text(session: Session) -> str:
    return session_to_text(session)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def problem(text: str) -> str:
    with pytest.raises(DataError) as caught:
        session_from_text(text, NAME)
    message = caught.value.message
    assert "\n" not in message and SECRET not in message  # one line, and no answer in it
    return message


def nth_replaced(text: str, old: str, new: str, nth: int) -> tuple[str, int]:
    """The text with the nth `old` replaced, and the line of the replacement."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(old, start + 1)
    return text[:start] + new + text[start + len(old) :], text.count("\n", 0, start) + 1


CASES = [
    ('mode = "together"', 'mode = "alone"', 0, 'session.mode: must be "together" or "private"'),
    (
        "value = 4",
        f'value = "{SECRET}"',
        1,
        "answers[2].value: expected a whole number from 1 (none) to 5 (a lot); got text in quotes",
    ),
    (
        "value = 4",
        "value = 9",
        0,
        "answers[0].value: out of range: expected a whole number from 1 (rarely)"
        " to 5 (almost every time)",
    ),
    (
        'value = "toward"',
        'value = "sideways"',
        0,
        'answers[5].value: not one of the choices: expected one of "toward", "away", "against"',
    ),
    (
        'prompt = "s1.a.greeted_warmly"',
        'prompt = "s1.a.greeted_warmy"',
        0,
        'answers[0].prompt: "s1.a.greeted_warmy" is not a prompt of this coach'
        ' (did you mean "s1.a.greeted_warmly"?)',
    ),
    (
        'prompt = "s1.a.offered_touch"',
        'prompt = "s1.a.greeted_warmly"',
        0,
        "answers[2].prompt: s1.a.greeted_warmly is answered twice (first in answers[0])",
    ),
    (
        'partner = "a"',
        'partner = "b"',
        0,
        'answers[0].partner: must be "a", who is asked s1.a.greeted_warmly',
    ),
    (
        "time = 2024-05-01 20:16:00+02:00",
        'time = "yesterday"',
        0,
        "answers[1].time: must be a date-time with a UTC offset, like 2024-05-01T20:15:00+02:00",
    ),
    (
        "schema_version = 1",
        "schema_version = 2",
        0,
        "schema_version: is 2: this file was written by a newer coach, which reads up to 1;"
        " upgrade coach",
    ),
    (
        'id = "20240501-201500-abc123"',
        'id = "../../etc/passwd"',
        0,
        'session.id: must be 1 to 64 letters, digits, "-" or "_" (no "/", "." or spaces)',
    ),
    (
        'id = "20240501-201500-abc123"',
        'id = "sessions/.."',
        0,
        'session.id: must be 1 to 64 letters, digits, "-" or "_" (no "/", "." or spaces)',
    ),
    (
        "created = 2024-05-01 20:15:00+02:00",
        "created = 2024-05-01 20:15:00",
        0,
        "session.created: must be a date-time with a UTC offset, like 2024-05-01T20:15:00+02:00",
    ),
    (
        'couple = "Sam & Alex"',
        'coupel = "Sam & Alex"',
        0,
        'session.coupel: is not a known key (did you mean "couple"?)',
    ),
    (
        'a = "Sam"',
        'a = ["Sam"]',
        0,
        "session.partners.a: must be text in quotes of at most 60 characters",
    ),
    (
        "steps = [\n    1,\n    2,\n    3,\n    4,\n    5,\n]",
        "steps = [1, 2, 2]",
        0,
        "session.steps[2]: must be a step number from 1 to 5, each once",
    ),
    ("facilitated = false", "facilitated = 0", 0, "session.facilitated: must be true or false"),
    (
        "happiness = 3",
        "happiness = 9",
        0,
        "checkin.b.happiness: out of range: expected a whole number from 0 (Extremely unhappy)"
        " to 6 (Perfect)",
    ),
    (
        '3 = "Soft start-up went well."',
        '7 = "Soft start-up went well."',
        0,
        "facilitator.notes.7: must be a step number from 1 to 5",
    ),
    ("schema_version = 1", "extra = 1\nschema_version = 1", 0, "extra: is not a known key"),
]


@pytest.mark.parametrize(("old", "new", "nth", "expected"), CASES)
def test_each_problem_names_file_line_and_field(
    text: str, old: str, new: str, nth: int, expected: str
) -> None:
    bad, line = nth_replaced(text, old, new, nth)
    assert problem(bad) == f"{NAME}:{line}: {expected}"


def test_a_missing_key_points_at_its_table(text: str) -> None:
    bad = text.replace('couple = "Sam & Alex"\n', "")
    assert problem(bad) == f"{NAME}:{line_of(bad, '[session]')}: session.couple: is missing"


def test_not_toml_gives_line_and_column(text: str) -> None:
    bad = text.replace('mode = "together"', 'mode = "together')
    line = line_of(bad, 'mode = "together')
    assert problem(bad) == f"{NAME}:{line}:17: not valid TOML: Illegal character"


def test_not_toml_at_the_end_gives_the_last_line() -> None:
    unclosed = "schema_version = 1\nsteps = [1,\n2\n"
    assert problem(unclosed) == f"{NAME}:4: not valid TOML: Unclosed array"


def test_not_utf8(coach_home: Path) -> None:
    ensure_data_dir()
    path = coach_home / "sessions" / "20240501-201500-abc123.toml"
    path.write_bytes(b"schema_version = 1\n\xff\xfe")
    with pytest.raises(DataError) as caught:
        load_session(path)
    assert caught.value.message == f"{path}:2: not UTF-8 text; the file is damaged"


def test_a_file_must_carry_its_own_name(session: Session, text: str) -> None:
    path = save_session(session)
    moved = path.with_name("20240501-201500-zzz999.toml")
    path.rename(moved)
    with pytest.raises(DataError) as caught:
        load_session(moved)
    line = line_of(text, "id = ")
    assert caught.value.message == (
        f'{moved}:{line}: session.id: must match the file name, "20240501-201500-zzz999.toml"'
    )


# --- schema versions -------------------------------------------------------------------------


def schema_0_text(session: Session) -> str:
    """The session in the pre-release layout (schema 0), written independently of coach."""
    head: dict[str, Any] = {
        "id": session.id,
        "created": session.created.isoformat(),
        "mode": session.mode,
        "couple": session.couple,
        "partner_a": session.partners["a"],
        "partner_b": session.partners["b"],
        "coach_version": session.coach_version,
        "content_version": session.content_version,
        "steps": session.steps,
        "facilitated": session.facilitated,
        "skipped": session.skipped,
    }
    if session.finished is not None:
        head["finished"] = session.finished.isoformat()
    data: dict[str, Any] = {
        "version": 0,
        "session": head,
        "answers": [
            {"id": a.prompt_id, "partner": a.partner, "value": a.value, "time": a.time.isoformat()}
            for a in session.answers
        ],
        "facilitator": {
            "notes": {str(step): note for step, note in session.notes.items()},
            "homework": session.homework,
        },
        "checkin": session.checkin,
    }
    if session.results is not None:
        data["results"] = session.results
    return tomli_w.dumps(data)


def test_a_schema_0_file_loads_as_the_same_session_as_its_schema_1_twin(
    session: Session, text: str
) -> None:
    old = schema_0_text(session)
    assert "version = 0" in old and "partner_a" in old
    assert session.checkin_shared == {"a": True, "b": True}
    assert session_from_text(text, NAME) == session
    # A file from before the consent question reads as nobody's yes to showing the totals.
    assert session_from_text(old, NAME) == dataclasses.replace(session, checkin_shared={})


def test_an_upgraded_file_is_saved_in_the_current_layout(
    session: Session, coach_home: Path
) -> None:
    ensure_data_dir()
    path = coach_home / "sessions" / f"{session.id}.toml"
    path.write_text(schema_0_text(session), encoding="utf-8")
    save_session(load_session(path))
    upgraded = dataclasses.replace(session, checkin_shared={})  # nobody's yes: see above
    assert path.read_text(encoding="utf-8") == session_to_text(upgraded)


def test_a_bad_schema_0_file_says_it_was_upgraded(session: Session) -> None:
    old = schema_0_text(session).replace('partner_b = "Alex"\n', "")
    assert problem(old) == (
        f"{NAME}:{line_of(old, '[session]')}: session.partners.b: is missing"
        " (after upgrading this schema_version 0 file)"
    )


def test_an_unknown_old_version_is_refused(text: str) -> None:
    bad = text.replace("schema_version = 1", "schema_version = -1")
    assert problem(bad) == f"{NAME}:2: schema_version: is -1; expected schema_version = 1"


def test_migrations_lead_from_every_old_version_to_the_current_one() -> None:
    assert sorted(MIGRATIONS) == list(range(SCHEMA_VERSION))
