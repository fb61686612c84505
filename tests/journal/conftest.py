"""Fixtures for the scripted-journaling tests (helpers are in journal_helpers.py)."""

from __future__ import annotations

import pytest

from coach.content import Content, load_content


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()
