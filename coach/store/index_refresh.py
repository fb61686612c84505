"""Keeping the session index current: reading the files that changed into it, rebuilding it.

The TOML files stay the source of truth. The index remembers each file's mtime_ns and size: a
refresh re-reads only files that were added or changed, forgets files that are gone, and records a
file it cannot read as a problem instead of failing. An index that is missing, damaged, of another
layout or built by another coach version is rebuilt from the files by itself.

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
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from coach.base import paths
from coach.base.errors import CoachError, NotFoundError, StorageError
from coach.store.disk import PRIVATE_FILE
from coach.store.index_db import (
    SESSION_COLUMNS,
    OpenIndex,
    connect,
    create_tables,
    index_error,
    index_lock,
    load_sealed,
    meta,
    open_current,
    open_or_none,
    open_sealed,
    remove_side_files,
    save_if_sealed,
    using,
)

if TYPE_CHECKING:
    import sqlite3

    from coach.content import Content
    from coach.store.index_summary import SessionSummary

__all__ = ["Progress", "Unreadable", "forget", "ready_index", "rebuild_index", "refresh_index"]

# Files are summarised this many at a time, so memory stays flat however many there are.
FILES_PER_PAGE = 256
# A directory's mtime reveals changes only once it is older than this: file systems stamp times
# in ticks (of up to two seconds), and a change in the tick of the last look would go unseen.
SETTLED_NS = 2_000_000_000

# A session file that cannot be read, and the one-line reason.
Unreadable: TypeAlias = tuple[Path, str]
Progress: TypeAlias = Callable[[int, int], None]


# --- reading what changed --------------------------------------------------------------------


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
    from coach.domain.wording import session_headline

    return session_headline(
        finished=summary.finished is not None,
        answered=summary.answered,
        asked=sum(len(content.step(step).prompts) for step in summary.steps),
        scores=summary.scores,
        name=lambda target: content.target(target).name,
    )


def _thousandths(score: float | None) -> int | None:
    return None if score is None else round(score * 1000)


def _session_row(
    file: tuple[str, int, int], summary: SessionSummary, index: OpenIndex, content: Content
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
        ",".join(summary.checkin_hidden),
        *(_thousandths(summary.scores.get(target)) for target in index.targets),
    )


def _summarize(path: Path) -> SessionSummary | str | None:
    """The file's summary, the one-line reason it cannot be read, or None if it is gone."""
    from coach.store.files import read_session_text
    from coach.store.index_summary import summary_from_text

    try:
        return summary_from_text(read_session_text(path), str(path), expected_id=path.stem)
    except NotFoundError:
        return None
    except CoachError as exc:
        return exc.message


def _read_changed(index: OpenIndex, total: int, progress: Progress | None) -> None:
    """Summarise every file in `todo`, a page at a time, into sessions or problems."""
    if not total:
        return
    from coach.content import load_content
    from coach.store.index_summary import SessionSummary

    content = load_content()
    directory = paths.sessions_dir()
    connection = index.connection
    marks = ", ".join("?" * (len(SESSION_COLUMNS) + len(index.targets)))
    insert = f"INSERT OR REPLACE INTO sessions VALUES ({marks})"
    cursor = connection.execute("SELECT path, mtime_ns, size FROM todo ORDER BY path")
    done = 0
    while page := cursor.fetchmany(FILES_PER_PAGE):
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


def _refresh(index: OpenIndex, progress: Progress | None, *, full: bool = False) -> None:
    """Bring the index up to date with the files, in one transaction (full: read every file
    again). Readers see the index as it was until the transaction commits."""
    import sqlite3

    connection = index.connection
    stamp = _directory_stamp()  # before looking at files, so changes made meanwhile show
    if not full and stamp is not None and stamp[0] == meta(connection, "sessions_dir"):
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


def _up_to_date(index: OpenIndex) -> bool:
    stamp = _directory_stamp()
    return stamp is not None and stamp[0] == meta(index.connection, "sessions_dir")


# --- an index ready for queries --------------------------------------------------------------


def ready_index(
    refresh: bool = True, progress: Progress | None = None, full: bool = False
) -> OpenIndex:
    """An open, current index (plain or encrypted), able to match couples in any order."""
    import sqlite3

    from coach.domain.labels import couple_key
    from coach.store import vault
    from coach.store.disk import check_private

    check_private()
    if vault.is_encrypted():
        index = _ready_sealed(refresh, progress, full)
    else:
        index = _ready_plain(refresh, progress, full)
    try:
        index.connection.create_function("couple_key", 1, couple_key, deterministic=True)
    except sqlite3.Error as exc:
        index.connection.close()
        raise index_error(exc) from None
    return index


def _ready_plain(refresh: bool, progress: Progress | None, full: bool) -> OpenIndex:
    """An open, current plain index. A missing, damaged or outdated one is built again aside and
    swapped in; refreshing and rebuilding happen under the index lock, one process at a time.
    Any failure is a StorageError: an index that cannot be used never reads as "no sessions"."""
    import sqlite3

    path = paths.index_path()
    index = open_or_none(path)
    try:
        if index is not None and not full and (not refresh or _up_to_date(index)):
            return index
        with index_lock():
            if full and index is not None:
                # A rebuild is a new database file: nothing planted in the old one survives.
                index.connection.close()
                index = None
            elif index is None:  # another process may have built it meanwhile
                index = open_or_none(path)
            if index is None:
                _build_aside(path, progress)
                index = open_current(path)
                if index is None:
                    raise StorageError(f"cannot use the session index {path}: it was replaced")
                index.connection.execute("PRAGMA journal_mode = WAL")
            else:
                _refresh(index, progress, full=full)
        return index
    except sqlite3.DatabaseError as exc:
        if index is not None:
            index.connection.close()
        raise index_error(exc) from None
    except BaseException:
        if index is not None:
            index.connection.close()
        raise


def _build_aside(path: Path, progress: Progress | None) -> None:
    """Build a complete index from the files beside `path`, then rename it over `path`.

    Called under the index lock. A reader opens either the old index or the new one, whole: it
    never sees an index that is still empty or half filled.
    """
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
        index = create_tables(connect(temp))
        try:
            _refresh(index, progress, full=True)
        finally:
            index.connection.close()
        remove_side_files(path)  # they belong to the index being replaced
        os.replace(temp, path)
    except OSError as exc:
        raise StorageError(f"cannot create the session index {path}: {exc.strerror}") from None
    finally:
        for leftover in (temp, Path(f"{temp}-journal")):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(leftover)


def _ready_sealed(refresh: bool, progress: Progress | None, full: bool) -> OpenIndex:
    """The encrypted index, in memory and current. A current index is read without the lock (the
    file is only ever replaced whole); one that needs refreshing is loaded again and refreshed
    under the index lock, so that two processes never write it over each other's changes."""
    if not full:
        loaded = load_sealed()
        if loaded is not None:
            try:
                current = not refresh or _up_to_date(loaded)
            except BaseException:
                loaded.connection.close()
                raise
            if current:
                return loaded
            loaded.connection.close()
    with index_lock():
        # A rebuild starts from an empty database: nothing planted in the old one survives.
        index = open_sealed(fresh=full)
        try:
            if refresh or full:
                _refresh(index, progress, full=full)
                save_if_sealed(index)
        except BaseException:
            index.connection.close()
            raise
    return index


# --- refresh, rebuild, forget ----------------------------------------------------------------


def refresh_index(progress: Progress | None = None) -> list[Unreadable]:
    """Bring the index up to date with the session files, reading only what changed.

    Returns every session file that cannot be read, with its one-line reason; those are left
    out of history and trends. progress(done, total) is called as changed files are read.
    """
    directory = paths.sessions_dir()
    with using(ready_index(True, progress)) as connection:
        cursor = connection.execute("SELECT path, message FROM problems ORDER BY path")
        return [(directory / name, message) for name, message in cursor]


def rebuild_index(progress: Progress | None = None) -> list[Unreadable]:
    """Build the index from scratch from every session file; see refresh_index."""
    directory = paths.sessions_dir()
    with using(ready_index(True, progress, full=True)) as connection:
        cursor = connection.execute("SELECT path, message FROM problems ORDER BY path")
        return [(directory / name, message) for name, message in cursor]


def forget(session_id: str) -> None:
    """Drop a deleted session's entry at once (a refresh would also notice the file is gone)."""
    from coach.store.sealed_index import sealed_path

    if not (paths.index_path().exists() or sealed_path().exists()):
        return
    index = ready_index(refresh=False)
    with using(index) as connection:
        connection.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        connection.execute("DELETE FROM problems WHERE path = ?", (f"{session_id}.toml",))
        save_if_sealed(index)
