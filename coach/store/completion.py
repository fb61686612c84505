"""Values for shell completion, read from the history index without ever writing anything.

Completion runs on every Tab press, so it must be quick, quiet and harmless: it opens the index
read-only, never creates or refreshes it, and answers nothing (rather than failing) when there
is no index yet or it cannot be read. `coach history` or `coach reindex` bring it up to date.
"""

from __future__ import annotations

from typing import NamedTuple

from coach.base import paths
from coach.domain.wording import count

MAX_VALUES = 200  # a shell shows no more than a screenful usefully


class Candidate(NamedTuple):  # not a dataclass: a Tab press imports no more than it must
    value: str
    help: str  # shown beside the value by zsh and fish


def _rows(sql: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
    import sqlite3

    path = paths.index_path()
    if not path.is_file():
        return []
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return []


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def session_ids(incomplete: str, *, drafts_only: bool = False) -> list[Candidate]:
    """Session ids starting with `incomplete`, newest first, each with its couple and status."""
    status = " AND status = 'draft'" if drafts_only else ""
    rows = _rows(
        "SELECT id, couple, status, substr(created, 1, 16) FROM sessions "
        f"WHERE id LIKE ? ESCAPE '\\'{status} ORDER BY created_ts DESC, id DESC LIMIT ?",
        (_like_prefix(incomplete), MAX_VALUES),
    )
    return [
        Candidate(str(id_), f"{couple} · {str(created).replace('T', ' ')} · {state}")
        for id_, couple, state, created in rows
    ]


def couples(incomplete: str) -> list[Candidate]:
    """Couple labels starting with `incomplete` (any case), the most recently seen first."""
    rows = _rows(
        "SELECT couple, count(*) FROM sessions WHERE couple LIKE ? ESCAPE '\\' "
        "GROUP BY couple ORDER BY max(created_ts) DESC LIMIT ?",
        (_like_prefix(incomplete), MAX_VALUES),
    )
    return [Candidate(str(label), count(int(str(n)), "session")) for label, n in rows]
