"""Fixtures for every test: a fresh data directory each, and the shipped content once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The tests read coach's English words whatever the machine's locale: a shipped translation
# must not change what they expect (tests/content/test_locale.py chooses its own language).
os.environ["COACH_LANG"] = "en"
os.environ.pop("COACH_LOCALE_PATH", None)

from coach.content import Content, load_content


@pytest.fixture(autouse=True)
def coach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own fresh data directory, and no rule pack from the environment."""
    home = tmp_path / "coach-home"
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.delenv("COACH_RULES", raising=False)
    return home


@pytest.fixture(scope="session")
def content() -> Content:
    """The shipped content (prompts, targets, exercises, safety, CSI-4), loaded once."""
    return load_content()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first: the workers take them early and then share the many quick ones, rather
    than one worker finishing a long test alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
