"""The session index's database: its tables, opening it (plain on disk, or encrypted and held in
memory), its lock, and one-line errors.

Which index to open and when to fill it from the files is coach.store.index_refresh; the queries
are coach.store.index. Nothing here reads a session file.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from coach import __version__
from coach.base import paths
from coach.base.errors import StorageError
from coach.store.disk import PRIVATE_FILE, ensure_data_dir

if TYPE_CHECKING:
    import sqlite3

__all__ = [
    "SCORE_PREFIX",
    "SESSION_COLUMNS",
    "OpenIndex",
    "connect",
    "create_tables",
    "index_error",
    "index_lock",
    "load_sealed",
    "meta",
    "open_current",
    "open_or_none",
    "open_sealed",
    "remove_side_files",
    "save_if_sealed",
    "using",
]

# Bump when the tables change: an index of another version is rebuilt from the files. An index
# built by another coach version is rebuilt too, so a change of targets or headline lands.
INDEX_VERSION = 4  # 2: scores in thousandths; 3: headlines in words; 4: csi_hidden
SCORE_PREFIX = "score_"
INDEX_LOCK = ".index.lock"

Columns: TypeAlias = tuple[tuple[str, str], ...]

# Followed by one INTEGER column per target: its couple score in thousandths (coach saves
# scores rounded to three places). An integer takes two bytes where a REAL takes eight, which
# keeps the encrypted index, held twice in memory while it opens, a sixth smaller.
SESSION_COLUMNS: Columns = (
    ("id", "TEXT PRIMARY KEY"),
    ("path", "TEXT NOT NULL UNIQUE"),  # the file name inside the sessions directory
    ("mtime_ns", "INTEGER NOT NULL"),
    ("size", "INTEGER NOT NULL"),
    ("created", "TEXT NOT NULL"),  # ISO 8601 with the offset it was saved with
    ("created_ts", "REAL NOT NULL"),  # seconds since the epoch, for ordering and date filters
    ("finished", "TEXT"),
    ("status", "TEXT NOT NULL"),
    ("couple", "TEXT NOT NULL COLLATE NOCASE"),
    ("partner_a", "TEXT NOT NULL"),
    ("partner_b", "TEXT NOT NULL"),
    ("steps", "TEXT NOT NULL"),  # "1,2,3,4,5"
    ("answered", "INTEGER NOT NULL"),
    ("headline", "TEXT NOT NULL"),
    ("csi_a", "INTEGER"),  # CSI-4 totals, when that partner did the check-in
    ("csi_b", "INTEGER"),
    ("csi_hidden", "TEXT NOT NULL"),  # "a,b": partners whose total exists but is withheld
)
_PROBLEM_COLUMNS: Columns = (
    ("path", "TEXT PRIMARY KEY"),
    ("mtime_ns", "INTEGER NOT NULL"),
    ("size", "INTEGER NOT NULL"),
    ("message", "TEXT NOT NULL"),
)
_META_COLUMNS: Columns = (("key", "TEXT PRIMARY KEY"), ("value", "TEXT"))


@dataclass(frozen=True)
class OpenIndex:
    """An open index: its connection (the caller closes it, see `using`) and its score columns."""

    connection: sqlite3.Connection
    targets: tuple[str, ...]  # the targets of its score columns, in order
    sealed: bool = False  # an in-memory copy of the encrypted index, written back on change


# --- opening -------------------------------------------------------------------------------


def index_error(exc: Exception) -> StorageError:
    return StorageError(f"cannot use the session index {paths.index_path()}: {exc}")


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    import sqlite3

    return exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def remove_side_files(path: Path) -> None:
    """Remove the journal files of the index at `path`, just before a new index replaces it."""
    for suffix in ("-wal", "-shm", "-journal"):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise StorageError(f"cannot replace the index {path}: {exc.strerror}") from None


@contextlib.contextmanager
def index_lock() -> Iterator[None]:
    """The index lock: one process at a time refreshes, rebuilds or replaces the index.

    Readers take no lock: SQLite gives them the index as it was before or after a refresh, and
    a new index is only ever swapped in whole (see index_refresh._build_aside).
    """
    import fcntl

    ensure_data_dir()
    path = paths.data_dir() / INDEX_LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE)
    except OSError as exc:
        raise StorageError(f"cannot lock the session index {path}: {exc.strerror}") from None
    try:
        from coach.store.locks import wait_for

        wait_for(fd, fcntl.LOCK_EX, f"the session index's lock {path}")
        yield
    finally:
        os.close(fd)


def connect(path: Path) -> sqlite3.Connection:
    import sqlite3

    # Autocommit, with explicit transactions where they matter.
    from coach.store.locks import lock_timeout

    # SQLite's own wait for another process's transaction, as long as coach waits for a lock.
    connection = sqlite3.connect(path, timeout=lock_timeout(), isolation_level=None)
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


def _column_names(connection: sqlite3.Connection, table: str) -> tuple[str, ...]:
    return tuple(row[1] for row in connection.execute(f"PRAGMA table_info({table})"))


def _names(columns: Columns) -> tuple[str, ...]:
    return tuple(name for name, _ in columns)


def meta(connection: sqlite3.Connection, key: str) -> str | None:
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def _targets_if_current(connection: sqlite3.Connection) -> tuple[str, ...] | None:
    """The score columns' targets when the index has this coach's layout, else None."""
    (version,) = connection.execute("PRAGMA user_version").fetchone()
    columns = _column_names(connection, "sessions")
    fixed = _names(SESSION_COLUMNS)
    scores = columns[len(fixed) :]
    targets = tuple(column.removeprefix(SCORE_PREFIX) for column in scores)
    current = (
        version == INDEX_VERSION
        and columns[: len(fixed)] == fixed
        and all(column.startswith(SCORE_PREFIX) for column in scores)
        and _column_names(connection, "problems") == _names(_PROBLEM_COLUMNS)
        and _column_names(connection, "meta") == _names(_META_COLUMNS)
        and meta(connection, "coach_version") == __version__
        and _schema(connection) == _expected_schema(targets)
    )
    return targets if current else None


_Schema: TypeAlias = frozenset[tuple[str, str, str, str | None]]


def _schema(connection: sqlite3.Connection) -> _Schema:
    """Every object in the database's schema: its type, name, table and SQL text."""
    rows = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
    return frozenset(
        (str(t), str(n), str(tb), None if q is None else str(q)) for t, n, tb, q in rows
    )


@functools.cache
def _expected_schema(targets: tuple[str, ...]) -> _Schema:
    """The schema coach itself makes (for these score columns), read from an empty database.

    The index is derived data: anything else in it (a trigger, a view, another table, an
    index, a table of another shape) was not put there by coach, and the index is built again
    from the files rather than used, since a trigger could file sessions under another couple or
    make every refresh fail."""
    import sqlite3

    connection = sqlite3.connect(":memory:")
    try:
        connection.executescript(_schema_script(targets))
        return _schema(connection)
    finally:
        connection.close()


def _schema_script(targets: tuple[str, ...]) -> str:
    scores = tuple((SCORE_PREFIX + target, "INTEGER") for target in targets)
    # No index on couple: couples are matched by couple_key(couple), in any order and case,
    # which an index on the column cannot serve (and the encrypted index is kept smaller).
    return f"""
        {_table_sql("sessions", SESSION_COLUMNS + scores)}
        {_table_sql("problems", _PROBLEM_COLUMNS)}
        {_table_sql("meta", _META_COLUMNS)}
        CREATE INDEX IF NOT EXISTS sessions_by_time ON sessions (created_ts);
        PRAGMA user_version = {INDEX_VERSION};
        """


def _table_sql(name: str, columns: Columns) -> str:
    body = ", ".join(f"{column} {kind}" for column, kind in columns)
    return f"CREATE TABLE IF NOT EXISTS {name} ({body});"


def create_tables(connection: sqlite3.Connection, sealed: bool = False) -> OpenIndex:
    """Make the tables of an empty index."""
    from coach.domain.targets import TARGETS

    connection.executescript(_schema_script(TARGETS))
    connection.execute("INSERT OR REPLACE INTO meta VALUES ('coach_version', ?)", (__version__,))
    return OpenIndex(connection, TARGETS, sealed)


def open_current(path: Path) -> OpenIndex | None:
    """The index at `path` if it exists and has this coach's layout, else None (damaged:
    sqlite3.DatabaseError)."""
    if not path.is_file():
        return None
    return _if_current(connect(path), sealed=False)


def _if_current(connection: sqlite3.Connection, sealed: bool) -> OpenIndex | None:
    """The open index when it has this coach's layout; else it is closed and None returned."""
    try:
        targets = _targets_if_current(connection)
    except BaseException:
        connection.close()
        raise
    if targets is None:
        connection.close()
        return None
    return OpenIndex(connection, targets, sealed)


def open_or_none(path: Path) -> OpenIndex | None:
    """open_current, with a damaged index counted as none (it is built again)."""
    import sqlite3

    try:
        return open_current(path)
    except sqlite3.DatabaseError as exc:
        if not _damaged(exc):
            raise index_error(exc) from None
        return None


def _remove_plain_index(path: Path) -> None:
    """A plain index left from before `coach encrypt`: its rows must not outlive the files."""
    for leftover in (path, *(Path(f"{path}{s}") for s in ("-wal", "-shm", "-journal"))):
        try:
            os.unlink(leftover)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise StorageError(
                f"cannot remove the plain index {leftover}: {exc.strerror}"
            ) from None


def load_sealed() -> OpenIndex | None:
    """The encrypted index, opened in memory; None when missing, unreadable or of another layout."""
    from coach.store import sealed_index

    connection = sealed_index.load()
    return None if connection is None else _if_current(connection, sealed=True)


def open_sealed(*, fresh: bool = False) -> OpenIndex:
    """The encrypted index, opened in memory (made afresh when missing or of another layout,
    or when `fresh`: a rebuild, which then replaces the file whole)."""
    from coach.store import sealed_index

    index = None if fresh else load_sealed()
    if index is not None:
        return index
    _remove_plain_index(paths.index_path())
    return create_tables(sealed_index.empty(), sealed=True)


def save_if_sealed(index: OpenIndex) -> None:
    """Write an encrypted index back to disk (whole, encrypted) when this process changed it."""
    if index.sealed:
        from coach.store import sealed_index

        sealed_index.save_if_changed(index.connection)


@contextlib.contextmanager
def using(index: OpenIndex) -> Iterator[sqlite3.Connection]:
    """The index's connection, closed afterwards; its errors become one-line StorageErrors."""
    import sqlite3

    try:
        yield index.connection
    except sqlite3.DatabaseError as exc:
        raise index_error(exc) from None
    finally:
        index.connection.close()
