"""Sessions saved in-process for the use-case tests: the demo's answers, finished on given days."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from coach.app.sessions import demo_session
from coach.content import Content
from coach.domain.finish import finish_session
from coach.domain.session import Session, new_session_id
from coach.rules import load_pack, resolve_pack_path
from coach.store import disk, files

START = datetime(2026, 1, 5, 19, 30, tzinfo=UTC)


@pytest.fixture
def save_finished(content: Content) -> Callable[[int, str], Session]:
    """Save a finished session of `couple`, `day` days after START; returns it."""
    pack = load_pack(resolve_pack_path(None), content)
    disk.ensure_data_dir()

    def save(day: int, couple: str = "Sam & Alex") -> Session:
        session = demo_session(content)
        session.created = START + timedelta(days=day)
        session.id = new_session_id(session.created)
        session.couple = couple
        finish_session(session, content, pack)
        files.save_session(session)
        return session

    return save
