"""Where coach keeps its data: COACH_HOME if set, else the platform's user data directory."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "coach"


def data_dir() -> Path:
    """The data directory (not created here; see coach.store.disk.ensure_data_dir)."""
    override = os.environ.get("COACH_HOME")
    if override:
        return Path(override).expanduser()
    import platformdirs  # imported lazily: only commands that touch data need it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def sessions_dir() -> Path:
    return data_dir() / "sessions"


def index_path() -> Path:
    return data_dir() / "index.sqlite3"
