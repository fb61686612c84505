"""Fixtures for the storage tests (helpers are in store_helpers.py)."""

from __future__ import annotations

from typing import Any

import pytest
from store_helpers import SessionFactory, build_session

from coach.content import Content
from coach.domain.session import Session


@pytest.fixture
def make_session(content: Content) -> SessionFactory:
    def make(**kwargs: Any) -> Session:
        return build_session(content, **kwargs)

    return make
