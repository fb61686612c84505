"""The index's quick summary reads coach's own layout exactly as a full load would."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w
from store_helpers import SessionFactory, generate

from coach.domain.session import Session
from coach.store.files import iter_session_files
from coach.store.format import session_from_text, session_to_data, session_to_text
from coach.store.index_summary import SessionSummary, _quick_summary, summary_from_text


def full(text: str) -> SessionSummary:
    return SessionSummary.of(session_from_text(text, "x.toml"))


@pytest.fixture
def varied(make_session: SessionFactory) -> list[Session]:
    plain = make_session(checkin=False, facilitator=False)
    no_results = make_session()
    no_results.results = None
    return [
        make_session(),
        make_session(finished=False, answered=9),
        make_session(finished=False, answered=0, checkin=False),
        plain,
        no_results,
    ]


def test_the_quick_summary_of_coach_files_equals_a_full_load(
    varied: list[Session], coach_home: Path
) -> None:
    generate(coach_home, 30)
    texts = [session_to_text(s) for s in varied]
    texts += [path.read_text(encoding="utf-8") for path in iter_session_files()]
    for text in texts:
        quick = _quick_summary(text, "x.toml", None)
        assert quick is not None  # coach's own layout never needs the slow path
        assert quick == full(text)


def test_another_layout_falls_back_to_a_full_load(varied: list[Session]) -> None:
    for session in varied:
        other = tomli_w.dumps(session_to_data(session))  # another writer's layout
        assert summary_from_text(other, "x.toml") == full(other)
        indented = session_to_text(session).replace("\n[session]", "\n  [session]")
        assert _quick_summary(indented, "x.toml", None) is None
        assert summary_from_text(indented, "x.toml") == full(indented)
