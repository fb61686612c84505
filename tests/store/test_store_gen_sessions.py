"""scripts/gen_sessions.py writes valid, varied sessions, the same ones for the same seed."""

from __future__ import annotations

from pathlib import Path

from store_helpers import generate

from coach.content import Content
from coach.store.files import load_session


def contents(home: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (home / "sessions").glob("*.toml")}


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    generate(tmp_path / "one", 25, seed=3, fresh=True)
    generate(tmp_path / "two", 25, seed=3, fresh=True)
    generate(tmp_path / "other", 25, seed=4, fresh=True)
    assert len(contents(tmp_path / "one")) == 25
    assert contents(tmp_path / "one") == contents(tmp_path / "two")
    assert contents(tmp_path / "one").keys().isdisjoint(contents(tmp_path / "other"))


def test_generated_sessions_are_valid_and_varied(tmp_path: Path, content: Content) -> None:
    generate(tmp_path, 80, couples=4, fresh=True)
    sessions = [load_session(path) for path in (tmp_path / "sessions").glob("*.toml")]
    required = {p.id for p in content.prompts.values() if p.required}
    assert all(required <= set(s.answer_map()) for s in sessions)
    assert all(s.results is not None and s.finished is not None for s in sessions)
    assert len({s.couple for s in sessions}) == 4
    assert 0 < sum(bool(s.checkin) for s in sessions) < len(sessions)
    days = sorted(s.created.date() for s in sessions)
    assert (days[-1] - days[0]).days > 365
