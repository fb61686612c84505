"""Saving and loading again gives the same session, whatever its text holds."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import SessionFactory

from coach.base.errors import DataError
from coach.content import MAX_TEXT_LENGTH, Prompt, load_content
from coach.domain.session import MODES, Answer, Session
from coach.domain.steps import STEPS
from coach.store.files import load_session, save_session
from coach.store.format import SESSION_ID, session_from_text, session_to_text

CONTENT = load_content()
TRICKY_TEXT = [
    "👩‍❤️‍👨 🙂🏽",  # emoji with joiners and skin tone
    "שלום, מה שלומך",  # right to left
    "مرحبا \u202eevil\u202c",  # right-to-left override
    "e\u0301 a\u0308 n\u0303",  # combining marks
    "\x1b[31mred\x1b[0m \x1b]0;title\x07",  # ANSI colour and title escapes
    "\x00\x01\x08\x0b\x0c\x7f\r\n\t",  # control characters
    "\u2028\u2029\x85 \ufeff",  # line separators and a BOM
    "\"\"\"''' \\ [session] = #",  # TOML syntax inside text
]
texts = st.one_of(st.sampled_from(TRICKY_TEXT), st.text(max_size=60))
moments = st.builds(
    lambda moment, minutes: moment.replace(tzinfo=timezone(timedelta(minutes=minutes))),
    st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9998, 12, 30)),
    st.integers(-14 * 60, 14 * 60),
)
toml_leaf = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
)
results = st.recursive(
    st.dictionaries(texts, toml_leaf, max_size=4),
    lambda inner: st.dictionaries(
        texts, st.one_of(toml_leaf, inner, st.lists(inner, max_size=3)), max_size=4
    ),
    max_leaves=12,
)


def value_for(prompt: Prompt) -> st.SearchStrategy[Any]:
    if prompt.type == "scale":
        return st.integers(prompt.min, prompt.max)
    if prompt.type == "yesno":
        return st.booleans()
    if prompt.type == "choice":
        return st.sampled_from(prompt.choice_values())
    return st.one_of(texts, st.just("🙂" * MAX_TEXT_LENGTH))


@st.composite
def answers(draw: st.DrawFn) -> list[Answer]:
    prompts = draw(st.lists(st.sampled_from(list(CONTENT.prompts.values())), unique=True))
    return [Answer(p.id, p.partner, draw(value_for(p)), draw(moments)) for p in prompts]


checkins = st.dictionaries(
    st.sampled_from(["a", "b"]),
    st.fixed_dictionaries(
        {item.id: st.integers(0, item.max_score) for item in CONTENT.checkin.items}
    ),
)
sessions = st.builds(
    Session,
    id=st.from_regex(SESSION_ID, fullmatch=True),
    created=moments,
    partners=st.fixed_dictionaries({"a": texts, "b": texts}),
    mode=st.sampled_from(MODES),
    couple=texts,
    steps=st.lists(st.sampled_from(STEPS), unique=True),
    finished=st.none() | moments,
    coach_version=texts,
    content_version=texts,
    facilitated=st.booleans(),
    answers=answers(),
    skipped=st.lists(st.sampled_from(list(CONTENT.prompts)), unique=True),
    notes=st.dictionaries(st.sampled_from(STEPS), texts),
    homework=st.lists(texts, max_size=3),
    checkin=checkins,
    checkin_shared=st.dictionaries(st.sampled_from(["a", "b"]), st.booleans()),
    results=st.none() | results,
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(session=sessions)
def test_any_session_saved_and_loaded_again_is_equal(session: Session) -> None:
    assert load_session(save_session(session)) == session


def test_answers_are_stored_exactly_as_typed(make_session: SessionFactory) -> None:
    typed = "".join(TRICKY_TEXT)
    session = make_session(text=typed)
    path = save_session(session)
    raw = path.read_bytes()
    # Escapes and control characters are escaped in the file, never written raw to it...
    assert b"\x1b" not in raw and b"\x00" not in raw and b"\x7f" not in raw
    assert b"\\u001b[31mred" in raw
    # ...and come back exactly as typed.
    loaded = load_session(path)
    assert [a.value for a in loaded.answers if a.value == typed] != []
    assert loaded == session


def test_file_has_the_documented_layout(make_session: SessionFactory) -> None:
    text = session_to_text(make_session())
    headers = [line for line in text.splitlines() if line.startswith("[")]
    assert headers[:3] == ["[session]", "[session.partners]", "[[answers]]"]
    assert [h for h in headers if h.startswith(("[facilitator", "[checkin"))] == [
        "[facilitator]",
        "[facilitator.notes]",
        "[checkin.a]",
        "[checkin.b]",
        "[checkin.shared]",
    ]
    assert "[results]" in headers
    assert "\nschema_version = 1\n" in text
    assert '[session.partners]\na = "Sam"\nb = "Alex"\n' in text
    assert "created = 2024-05-01 20:15:00+02:00" in text  # a TOML offset date-time (RFC 3339)
    data = tomllib.loads(text)
    assert data["facilitator"]["notes"] == {
        "1": "They laughed at the start.",
        "3": "Soft start-up went well.",
    }


def test_drafts_leave_out_finished_and_results(make_session: SessionFactory) -> None:
    text = session_to_text(make_session(finished=False))
    assert "finished =" not in text and "[results" not in text
    assert session_from_text(text, "draft.toml").is_draft


def test_results_with_none_and_tuples_are_stored_as_toml_can_hold_them(
    make_session: SessionFactory,
) -> None:
    session = make_session()
    assert session.results is not None
    session.results["steps"] = (1, 2)
    session.results["note"] = None
    loaded = session_from_text(session_to_text(session), "x.toml")
    assert loaded.results is not None
    assert loaded.results["steps"] == [1, 2] and "note" not in loaded.results


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: setattr(s, "mode", "alone"), 'session.mode: must be "together" or "private"'),
        (lambda s: setattr(s, "id", "../escape"), "session.id: must be 1 to 64 letters"),
        (lambda s: s.answers[0].__setattr__("value", 99), "answers[0].value: out of range"),
        (lambda s: s.results.__setitem__("x", float("nan")), "results.x: is not a finite number"),
        (lambda s: s.results.__setitem__("x", {1, 2}), "results.x: holds a set"),
        (lambda s: setattr(s, "couple", "\ud800"), "not valid Unicode (a lone surrogate)"),
        (
            lambda s: setattr(s, "created", datetime(2024, 5, 1, 20, 15)),
            "session.created: must be a date-time with a UTC offset",
        ),
    ],
)
def test_a_session_that_cannot_be_written_faithfully_is_refused_before_writing(
    make_session: SessionFactory, change: Any, message: str, coach_home: Path
) -> None:
    session = make_session()
    change(session)
    with pytest.raises(DataError) as caught:
        save_session(session)
    assert caught.value.message.startswith("cannot save session ")
    assert message in caught.value.message
    assert caught.value.message.endswith("the file was not changed")
    assert not coach_home.exists()  # checked before anything was created
