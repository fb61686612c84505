"""A SQLite index of session summaries, so that history and trends never read every session file.

The TOML files stay the source of truth. The index remembers each file's mtime_ns and size: a
refresh re-reads only files that were added or changed, forgets files that are gone, and records a
file it cannot read as a problem instead of failing. An index that is missing, damaged, of another
layout or built by another coach version is rebuilt from the files by itself. Queries read rows a
page at a time, so memory stays flat however many sessions there are.

Speed on a warm index comes from two things. Looking at 10,000 files costs more than starting
coach, so a refresh first compares the sessions directory's own mtime with the one it saw last:
every save renames a file into that directory, which changes it, and only then are the files
looked at. (A file edited in place by hand, without a rename, is noticed at the next change to
the directory or by rebuild_index.) And the warm path imports only sqlite3: the session format,
the content and the file helpers are imported when files have to be read.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from coach import __version__, paths
from coach.errors import CoachError, NotFoundError, StorageError, UsageError, did_you_mean

if TYPE_CHECKING:
    import sqlite3

    from coach.content import Content
    from coach.store.summary import SessionSummary

# Bump when the tables change: an index of another version is rebuilt from the files. An index
# built by another coach version is rebuilt too, so a change of targets or headline lands.
INDEX_VERSION = 1
PAGE_SIZE = 256
STATUSES = ("draft", "finished")
SCORE_PREFIX = "score_"
# A directory's mtime reveals changes only once it is older than this: file systems stamp times
# in ticks (of up to two seconds), and a change in the tick of the last look would go unseen.
SETTLED_NS = 2_000_000_000
INDEX_LOCK = ".index.lock"

# A session file that cannot be read, and the one-line reason.
Unreadable: TypeAlias = tuple[Path, str]
Progress: TypeAlias = Callable[[int, int], None]
Row = TypeVar("Row")
Columns: TypeAlias = tuple[tuple[str, str], ...]

_SESSION_COLUMNS: Columns = (  # followed by one REAL column per target: its couple score
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
)
_PROBLEM_COLUMNS: Columns = (
    ("path", "TEXT PRIMARY KEY"),
    ("mtime_ns", "INTEGER NOT NULL"),
    ("size", "INTEGER NOT NULL"),
    ("message", "TEXT NOT NULL"),
)
_META_COLUMNS: Columns = (("key", "TEXT PRIMARY KEY"), ("value", "TEXT"))
_HISTORY_COLUMNS = (
    "id, path, created, finished, status, couple, partner_a, partner_b, steps, answered, "
    "headline, csi_a, csi_b"
)


@dataclass(frozen=True)
class HistoryRow:
    """One session as the index summarises it."""

    id: str
    path: Path
    created: datetime
    finished: datetime | None
    status: str  # "draft" or "finished"
    couple: str
    partners: dict[str, str]
    steps: tuple[int, ...]
    answered: int
    headline: str
    csi_a: int | None
    csi_b: int | None
    scores: dict[str, float | None]  # target -> couple score; None where the results lack it


@dataclass(frozen=True)
class TrendPoint:
    """One finished session's couple scores and CSI-4 totals, for a trend over time."""

    created: datetime
    session_id: str
    couple: str
    scores: dict[str, float | None]
    csi_a: int | None
    csi_b: int | None


@dataclass(frozen=True)
class _Index:
    connection: sqlite3.Connection
    targets: tuple[str, ...]  # the targets of its score columns, in order
    sealed: bool = False  # an in-memory copy of the encrypted index, written back on change


# --- opening -------------------------------------------------------------------------------


def _index_error(exc: Exception) -> StorageError:
    return StorageError(f"cannot use the session index {paths.index_path()}: {exc}")


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    import sqlite3

    return exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def _remove_side_files(path: Path) -> None:
    """Remove the journal files of the index at `path`, just before a new index replaces it."""
    for suffix in ("-wal", "-shm", "-journal"):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise StorageError(f"cannot replace the index {path}: {exc.strerror}") from None


@contextlib.contextmanager
def _exclusive() -> Iterator[None]:
    """The index lock: one process at a time refreshes, rebuilds or replaces the index.

    Readers take no lock: SQLite gives them the index as it was before or after a refresh, and
    a new index is only ever swapped in whole (see _build_aside).
    """
    import fcntl

    from coach.store.files import PRIVATE_FILE, ensure_data_dir

    ensure_data_dir()
    path = paths.data_dir() / INDEX_LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE)
    except OSError as exc:
        raise StorageError(f"cannot lock the session index {path}: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _connect(path: Path) -> sqlite3.Connection:
    import sqlite3

    # Autocommit, with explicit transactions where they matter.
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


def _column_names(connection: sqlite3.Connection, table: str) -> tuple[str, ...]:
    return tuple(row[1] for row in connection.execute(f"PRAGMA table_info({table})"))


def _names(columns: Columns) -> tuple[str, ...]:
    return tuple(name for name, _ in columns)


def _meta(connection: sqlite3.Connection, key: str) -> str | None:
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def _targets_if_current(connection: sqlite3.Connection) -> tuple[str, ...] | None:
    """The score columns' targets when the index has this coach's layout, else None."""
    (version,) = connection.execute("PRAGMA user_version").fetchone()
    columns = _column_names(connection, "sessions")
    fixed = _names(_SESSION_COLUMNS)
    scores = columns[len(fixed) :]
    current = (
        version == INDEX_VERSION
        and columns[: len(fixed)] == fixed
        and all(column.startswith(SCORE_PREFIX) for column in scores)
        and _column_names(connection, "problems") == _names(_PROBLEM_COLUMNS)
        and _column_names(connection, "meta") == _names(_META_COLUMNS)
        and _meta(connection, "coach_version") == __version__
    )
    return tuple(column.removeprefix(SCORE_PREFIX) for column in scores) if current else None


def _table_sql(name: str, columns: Columns) -> str:
    body = ", ".join(f"{column} {kind}" for column, kind in columns)
    return f"CREATE TABLE IF NOT EXISTS {name} ({body});"


def _schema(connection: sqlite3.Connection, sealed: bool = False) -> _Index:
    """Make the tables of an empty index."""
    from coach.targets import TARGETS

    scores = tuple((SCORE_PREFIX + target, "REAL") for target in TARGETS)
    # No index on couple: couples are matched by couple_key(couple), in any order and case,
    # which an index on the column cannot serve (and the encrypted index is kept smaller).
    connection.executescript(
        f"""
        {_table_sql("sessions", _SESSION_COLUMNS + scores)}
        {_table_sql("problems", _PROBLEM_COLUMNS)}
        {_table_sql("meta", _META_COLUMNS)}
        CREATE INDEX IF NOT EXISTS sessions_by_time ON sessions (created_ts);
        PRAGMA user_version = {INDEX_VERSION};
        """
    )
    connection.execute("INSERT OR REPLACE INTO meta VALUES ('coach_version', ?)", (__version__,))
    return _Index(connection, TARGETS, sealed)


def _build_aside(path: Path, progress: Progress | None) -> None:
    """Build a complete index from the files beside `path`, then rename it over `path`.

    Called under the index lock. A reader opens either the old index or the new one, whole: it
    never sees an index that is still empty or half filled.
    """
    from coach.store.files import PRIVATE_FILE

    temp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.new")
    try:
        fd = os.open(temp, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, PRIVATE_FILE)
        try:
            os.fchmod(fd, PRIVATE_FILE)
        finally:
            os.close(fd)
    except OSError as exc:
        raise StorageError(f"cannot create the session index {path}: {exc.strerror}") from None
    try:
        index = _schema(_connect(temp))
        try:
            _refresh(index, progress, full=True)
        finally:
            index.connection.close()
        _remove_side_files(path)  # they belong to the index being replaced
        os.replace(temp, path)
    except OSError as exc:
        raise StorageError(f"cannot create the session index {path}: {exc.strerror}") from None
    finally:
        for leftover in (temp, Path(f"{temp}-journal")):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(leftover)


def _open_current(path: Path) -> _Index | None:
    """The index at `path` if it exists and has this coach's layout, else None (damaged:
    sqlite3.DatabaseError)."""
    if not path.is_file():
        return None
    connection = _connect(path)
    try:
        targets = _targets_if_current(connection)
    except BaseException:
        connection.close()
        raise
    if targets is None:
        connection.close()
        return None
    return _Index(connection, targets)


def _open_or_none(path: Path) -> _Index | None:
    """_open_current, with a damaged index counted as none (it is built again)."""
    import sqlite3

    try:
        return _open_current(path)
    except sqlite3.DatabaseError as exc:
        if not _damaged(exc):
            raise _index_error(exc) from None
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


def _load_sealed() -> _Index | None:
    """The encrypted index, opened in memory; None when missing, unreadable or of another layout."""
    from coach.store import sealed_index

    connection = sealed_index.load()
    if connection is None:
        return None
    try:
        targets = _targets_if_current(connection)
    except BaseException:
        connection.close()
        raise
    if targets is None:
        connection.close()
        return None
    return _Index(connection, targets, sealed=True)


def _open_sealed() -> _Index:
    """The encrypted index, opened in memory (made afresh when missing or of another layout)."""
    from coach.store import sealed_index

    index = _load_sealed()
    if index is not None:
        return index
    _remove_plain_index(paths.index_path())
    return _schema(sealed_index.empty(), sealed=True)


def _save_if_sealed(index: _Index) -> None:
    """Write an encrypted index back to disk (whole, encrypted) when this process changed it."""
    if index.sealed:
        from coach.store import sealed_index

        sealed_index.save_if_changed(index.connection)


def _ready_sealed(refresh: bool, progress: Progress | None, full: bool) -> _Index:
    """The encrypted index, in memory and current. A current index is read without the lock (the
    file is only ever replaced whole); one that needs refreshing is loaded again and refreshed
    under the index lock, so that two processes never write it over each other's changes."""
    if not full:
        loaded = _load_sealed()
        if loaded is not None:
            try:
                current = not refresh or _up_to_date(loaded)
            except BaseException:
                loaded.connection.close()
                raise
            if current:
                return loaded
            loaded.connection.close()
    with _exclusive():
        index = _open_sealed()
        try:
            if refresh or full:
                _refresh(index, progress, full=full)
                _save_if_sealed(index)
        except BaseException:
            index.connection.close()
            raise
    return index


# --- refreshing ----------------------------------------------------------------------------


def _directory_stamp() -> tuple[str, bool] | None:
    """The sessions directory's identity and mtime, and whether that mtime is settled."""
    try:
        stat = os.stat(paths.sessions_dir())
    except OSError:
        return None
    stamp = f"{stat.st_dev}:{stat.st_ino}:{stat.st_mtime_ns}"
    return stamp, time.time_ns() - stat.st_mtime_ns > SETTLED_NS


def _file_stats() -> Iterator[tuple[str, int, int]]:
    from coach.store.files import session_entries

    for entry in session_entries():
        try:
            stat = entry.stat()
        except FileNotFoundError:
            continue  # deleted while we looked
        except OSError:
            # A symbolic link that loops, say: listed as changed, so that reading it names the
            # file as a problem rather than stopping the whole listing.
            yield entry.name, 0, -1
            continue
        yield entry.name, stat.st_mtime_ns, stat.st_size


def _plan(connection: sqlite3.Connection) -> int:
    """Compare the directory with the index inside SQLite; return how many files to read."""
    for table in ("scan", "todo"):
        connection.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {table} "
            "(path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER)"
        )
        connection.execute(f"DELETE FROM {table}")
    connection.executemany("INSERT INTO scan VALUES (?, ?, ?)", _file_stats())
    for table in ("sessions", "problems"):
        connection.execute(f"DELETE FROM {table} WHERE path NOT IN (SELECT path FROM scan)")
    connection.execute(
        "INSERT INTO todo SELECT s.path, s.mtime_ns, s.size FROM scan AS s WHERE "
        + " AND ".join(
            f"NOT EXISTS (SELECT 1 FROM {table} AS t WHERE t.path = s.path"
            " AND t.mtime_ns = s.mtime_ns AND t.size = s.size)"
            for table in ("sessions", "problems")
        )
    )
    (count,) = connection.execute("SELECT count(*) FROM todo").fetchone()
    return int(count)


def _headline(summary: SessionSummary, content: Content) -> str:
    from coach.wording import session_headline

    return session_headline(
        finished=summary.finished is not None,
        answered=summary.answered,
        asked=sum(len(content.step(step).prompts) for step in summary.steps),
        scores=summary.scores,
        name=lambda target: content.target(target).name,
    )


def _session_row(
    file: tuple[str, int, int], summary: SessionSummary, index: _Index, content: Content
) -> tuple[Any, ...]:
    finished = summary.finished
    return (
        summary.id,
        *file,
        summary.created.isoformat(),
        summary.created.timestamp(),
        None if finished is None else finished.isoformat(),
        "draft" if finished is None else "finished",
        summary.couple,
        summary.partners["a"],
        summary.partners["b"],
        ",".join(str(step) for step in summary.steps),
        summary.answered,
        _headline(summary, content),
        summary.checkin_totals.get("a"),
        summary.checkin_totals.get("b"),
        *(summary.scores.get(target) for target in index.targets),
    )


def _summarize(path: Path) -> SessionSummary | str | None:
    """The file's summary, the one-line reason it cannot be read, or None if it is gone."""
    from coach.store.files import read_session_text
    from coach.store.summary import summary_from_text

    try:
        return summary_from_text(read_session_text(path), str(path), expected_id=path.stem)
    except NotFoundError:
        return None
    except CoachError as exc:
        return exc.message


def _read_changed(index: _Index, total: int, progress: Progress | None) -> None:
    """Summarise every file in `todo`, a page at a time, into sessions or problems."""
    if not total:
        return
    from coach.content import load_content
    from coach.store.summary import SessionSummary

    content = load_content()
    directory = paths.sessions_dir()
    connection = index.connection
    marks = ", ".join("?" * (len(_SESSION_COLUMNS) + len(index.targets)))
    insert = f"INSERT OR REPLACE INTO sessions VALUES ({marks})"
    cursor = connection.execute("SELECT path, mtime_ns, size FROM todo ORDER BY path")
    done = 0
    while page := cursor.fetchmany(PAGE_SIZE):
        rows: list[tuple[Any, ...]] = []
        problems: list[tuple[str, int, int, str]] = []
        for file in page:
            outcome = _summarize(directory / file[0])
            if isinstance(outcome, SessionSummary):
                rows.append(_session_row(file, outcome, index, content))
            elif outcome is not None:
                problems.append((*file, outcome))
        connection.executemany("DELETE FROM problems WHERE path = ?", ((r[1],) for r in rows))
        connection.executemany(insert, rows)
        connection.executemany("DELETE FROM sessions WHERE path = ?", ((p[0],) for p in problems))
        connection.executemany("INSERT OR REPLACE INTO problems VALUES (?, ?, ?, ?)", problems)
        done += len(page)
        if progress is not None:
            progress(done, total)


def _refresh(index: _Index, progress: Progress | None, *, full: bool = False) -> None:
    """Bring the index up to date with the files, in one transaction (full: read every file
    again). Readers see the index as it was until the transaction commits."""
    import sqlite3

    connection = index.connection
    stamp = _directory_stamp()  # before looking at files, so changes made meanwhile show
    if not full and stamp is not None and stamp[0] == _meta(connection, "sessions_dir"):
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        if full:
            connection.execute("DELETE FROM sessions")
            connection.execute("DELETE FROM problems")
        _read_changed(index, _plan(connection), progress)
        settled = stamp[0] if stamp is not None and stamp[1] else None
        connection.execute("INSERT OR REPLACE INTO meta VALUES ('sessions_dir', ?)", (settled,))
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _up_to_date(index: _Index) -> bool:
    stamp = _directory_stamp()
    return stamp is not None and stamp[0] == _meta(index.connection, "sessions_dir")


def _ready(refresh: bool = True, progress: Progress | None = None, full: bool = False) -> _Index:
    """An open, current index (plain or encrypted), able to match couples in any order."""
    import sqlite3

    from coach.couples import couple_key
    from coach.store import vault

    if vault.is_encrypted():
        index = _ready_sealed(refresh, progress, full)
    else:
        index = _ready_plain(refresh, progress, full)
    try:
        index.connection.create_function("couple_key", 1, couple_key, deterministic=True)
    except sqlite3.Error as exc:
        index.connection.close()
        raise _index_error(exc) from None
    return index


def _ready_plain(refresh: bool, progress: Progress | None, full: bool) -> _Index:
    """An open, current plain index. A missing, damaged or outdated one is built again aside and
    swapped in; refreshing and rebuilding happen under the index lock, one process at a time.
    Any failure is a StorageError: an index that cannot be used never reads as "no sessions"."""
    import sqlite3

    path = paths.index_path()
    index = _open_or_none(path)
    try:
        if index is not None and not full and (not refresh or _up_to_date(index)):
            return index
        with _exclusive():
            if index is None:  # another process may have built it meanwhile
                index = _open_or_none(path)
            if index is None:
                _build_aside(path, progress)
                index = _open_current(path)
                if index is None:
                    raise StorageError(f"cannot use the session index {path}: it was replaced")
                index.connection.execute("PRAGMA journal_mode = WAL")
            else:
                _refresh(index, progress, full=full)
        return index
    except sqlite3.DatabaseError as exc:
        if index is not None:
            index.connection.close()
        raise _index_error(exc) from None
    except BaseException:
        if index is not None:
            index.connection.close()
        raise


@contextlib.contextmanager
def _using(index: _Index) -> Iterator[sqlite3.Connection]:
    """The index's connection, closed afterwards; its errors become one-line StorageErrors."""
    import sqlite3

    try:
        yield index.connection
    except sqlite3.DatabaseError as exc:
        raise _index_error(exc) from None
    finally:
        index.connection.close()


def refresh_index(progress: Progress | None = None) -> list[Unreadable]:
    """Bring the index up to date with the session files, reading only what changed.

    Returns every session file that cannot be read, with its one-line reason; those are left
    out of history and trends. progress(done, total) is called as changed files are read.
    """
    directory = paths.sessions_dir()
    with _using(_ready(True, progress)) as connection:
        cursor = connection.execute("SELECT path, message FROM problems ORDER BY path")
        return [(directory / name, message) for name, message in cursor]


def rebuild_index(progress: Progress | None = None) -> list[Unreadable]:
    """Build the index from scratch from every session file; see refresh_index."""
    directory = paths.sessions_dir()
    with _using(_ready(True, progress, full=True)) as connection:
        cursor = connection.execute("SELECT path, message FROM problems ORDER BY path")
        return [(directory / name, message) for name, message in cursor]


def forget(session_id: str) -> None:
    """Drop a deleted session's entry at once (a refresh would also notice the file is gone)."""
    from coach.store.sealed_index import sealed_path

    if not (paths.index_path().exists() or sealed_path().exists()):
        return
    index = _ready(refresh=False)
    with _using(index) as connection:
        connection.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        connection.execute("DELETE FROM problems WHERE path = ?", (f"{session_id}.toml",))
        _save_if_sealed(index)


# --- queries -------------------------------------------------------------------------------


def _paged(
    index: _Index, sql: str, params: list[Any], make: Callable[[tuple[Any, ...]], Row]
) -> Iterator[Row]:
    """Rows a page at a time; the connection closes when the iteration ends."""
    with _using(index) as connection:
        cursor = connection.execute(sql, params)
        while page := cursor.fetchmany(PAGE_SIZE):
            yield from map(make, page)


def _timestamp(moment: date) -> float:
    """Seconds since the epoch; a date means its local midnight, a naive time local time."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, datetime.min.time())
    return moment.timestamp()


def _filters(
    couple: str | None, since: date | None, until: date | None, status: str | None
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if couple is not None:
        from coach.couples import couple_key

        clauses.append("couple_key(couple) = ?")  # any order and case: "Alex & Sam" is "Sam & Alex"
        params.append(couple_key(couple))
    if since is not None:
        clauses.append("created_ts >= ?")
        params.append(_timestamp(since))
    if isinstance(until, datetime):
        clauses.append("created_ts <= ?")
        params.append(_timestamp(until))
    elif until is not None:  # a whole day: up to the next midnight
        clauses.append("created_ts < ?")
        params.append(_timestamp(until + timedelta(days=1)))
    if status is not None:
        clauses.append("status = ?")
        params.append(status)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _score_list(targets: tuple[str, ...]) -> str:
    return "".join(f", {SCORE_PREFIX}{target}" for target in targets)


def _history_row(directory: Path, targets: tuple[str, ...]) -> Callable[..., HistoryRow]:
    def make(row: tuple[Any, ...]) -> HistoryRow:
        session_id, name, created, finished, status, couple, a, b, steps = row[:9]
        answered, headline, csi_a, csi_b = row[9:13]
        return HistoryRow(
            id=session_id,
            path=directory / name,
            created=datetime.fromisoformat(created),
            finished=None if finished is None else datetime.fromisoformat(finished),
            status=status,
            couple=couple,
            partners={"a": a, "b": b},
            steps=tuple(int(step) for step in steps.split(",") if step),
            answered=answered,
            headline=headline,
            csi_a=csi_a,
            csi_b=csi_b,
            scores=dict(zip(targets, row[13:], strict=True)),
        )

    return make


def history(
    couple: str | None = None,
    since: date | None = None,
    until: date | None = None,
    status: str | None = None,
    limit: int | None = None,
    *,
    refresh: bool = True,
) -> Iterator[HistoryRow]:
    """Sessions, newest first, read from the index a page at a time.

    couple: a couple label in any order and case (coach.couples.couple_key).
    since/until: a date covers that whole day; a datetime is a moment (naive means local
    time); both ends are included. status: "draft" or "finished".
    The index is refreshed from the files first unless refresh is False (refresh_index also
    tells which files cannot be read).
    """
    if status is not None and status not in STATUSES:
        raise UsageError('status must be "draft" or "finished"')
    if limit is not None and limit < 0:
        raise UsageError("limit must be 0 or more")
    where, params = _filters(couple, since, until, status)
    index = _ready(refresh)
    sql = (
        f"SELECT {_HISTORY_COLUMNS}{_score_list(index.targets)} FROM sessions{where} "
        "ORDER BY created_ts DESC, id DESC"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    make = _history_row(paths.sessions_dir(), index.targets)
    return _paged(index, sql, params, make)


def trend_series(
    couple: str | None = None,
    targets: list[str] | tuple[str, ...] | None = None,
    *,
    refresh: bool = True,
) -> Iterator[TrendPoint]:
    """Finished sessions, oldest first: couple scores of the chosen targets (all by default)
    and CSI-4 totals, read from the index a page at a time."""
    where, params = _filters(couple, None, None, "finished")
    index = _ready(refresh)
    chosen = index.targets if targets is None else tuple(targets)
    for target in chosen:
        if target not in index.targets:
            index.connection.close()
            raise UsageError(f'unknown target "{target}"{did_you_mean(target, index.targets)}')
    sql = (
        f"SELECT created, id, couple, csi_a, csi_b{_score_list(chosen)} "
        f"FROM sessions{where} ORDER BY created_ts, id"
    )

    def make(row: tuple[Any, ...]) -> TrendPoint:
        return TrendPoint(
            created=datetime.fromisoformat(row[0]),
            session_id=row[1],
            couple=row[2],
            scores=dict(zip(chosen, row[5:], strict=True)),
            csi_a=row[3],
            csi_b=row[4],
        )

    return _paged(index, sql, params, make)
