"""Fixtures for the scripted-journaling tests (helpers are in journal_helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.content import Content, load_content


@pytest.fixture(autouse=True)
def coach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own data directory, and no rule pack from the environment."""
    home = tmp_path / "coach-home"
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.delenv("COACH_RULES", raising=False)
    yield home


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()
