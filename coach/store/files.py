"""Session files: where each one is, its lock, saving, loading and listing them.

Each session is one TOML file, sessions/<id>.toml, written through coach.store.disk (0600, never
torn). Saves of one session take a lock, so two processes saving at the same moment both land,
one after the other. Finding a session by a prefix of its id or as the newest, and deleting one,
need the index too: they are in coach.store.lookup, above this module and the index.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coach.base import paths
from coach.base.document import read_limited
from coach.base.errors import DataError, NotFoundError, StorageError
from coach.domain.session import Session
from coach.store import locks, vault
from coach.store.disk import (
    PRIVATE_FILE,
    TEMP_SUFFIX,
    atomic_write_bytes,
    ensure_data_dir,
    exclusive_create_bytes,
    private_dir,
    remove_quietly,
)
from coach.store.format import SESSION_ID, session_from_text, session_to_text, text_from_bytes

__all__ = [
    "SUFFIX",
    "checked_id",
    "iter_session_files",
    "load_session",
    "read_session_text",
    "save_session",
    "session_entries",
    "session_lock",
    "session_path",
    "store_lock",
    "sweep_temporary_files",
]

SUFFIX = ".toml"
# A temporary file this old belongs to a save that was killed: a save takes milliseconds.
STALE_TEMP_SECONDS = 60
LOCKS = ".locks"

# In the data directory beside the index's lock; empty, and never removed.
STORE_LOCK = ".store.lock"

# Locks this process holds, so that save_session inside `with session_lock(...)` does not wait
# for itself: flock on a second descriptor of the same file would block.
_held: dict[str, int] = {}
_store_held: list[str] = []  # "shared" or "exclusive", while this process holds the store lock


# --- locks -----------------------------------------------------------------------------------


@contextmanager
def store_lock(*, exclusive: bool = False) -> Iterator[None]:
    """Hold the whole store's lock: shared by every write of a session file (session_lock takes
    it), exclusive while encryption is turned on or off.

    Without it, a session saved while `coach decrypt` runs could be sealed after decrypt had
    passed its file and just before the identity went: an age file no passphrase opens.
    Holding it exclusively, decrypt finishes first and the save then writes plain text.
    """
    if _store_held:
        if exclusive and _store_held[0] != "exclusive":
            raise StorageError("internal: the store lock is held shared; it cannot be upgraded")
        _store_held.append(_store_held[0])
        try:
            yield
        finally:
            _store_held.pop()
        return
    lock_path = ensure_data_dir() / STORE_LOCK
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE)
    except OSError as exc:
        raise StorageError(f"cannot lock {lock_path}: {exc.strerror or exc}") from None
    try:
        locks.wait_for(
            fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, f"the store's lock {lock_path}"
        )
    except OSError as exc:
        os.close(fd)
        raise StorageError(f"cannot lock {lock_path}: {exc.strerror or exc}") from None
    except BaseException:
        os.close(fd)
        raise
    _store_held.append("exclusive" if exclusive else "shared")
    try:
        yield
    finally:
        _store_held.clear()
        os.close(fd)


@contextmanager
def session_lock(session_id: str) -> Iterator[None]:
    """Hold the lock of one session: wrap a load-modify-save in it so no update is lost.

    The lock is an flock on sessions/.locks/<id>.lock, removed again on release. A waiter that
    wakes up holding a lock file that was removed meanwhile tries again with the new one.
    """
    checked_id(session_id)
    if _held.get(session_id):
        _held[session_id] += 1
        try:
            yield
        finally:
            _held[session_id] -= 1
        return
    with store_lock():
        directory = paths.sessions_dir() / LOCKS
        private_dir(directory, paths.data_dir())
        lock_path = directory / f"{session_id}.lock"
        try:
            fd = _acquire(lock_path)
        except OSError as exc:
            raise StorageError(f"cannot lock {lock_path}: {exc.strerror or exc}") from None
        _held[session_id] = 1
        try:
            yield
        finally:
            del _held[session_id]
            remove_quietly(lock_path)  # before unlocking, so no one locks a file about to go
            os.close(fd)


def _acquire(lock_path: Path) -> int:
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE)
        try:
            locks.wait_for(fd, fcntl.LOCK_EX, f"the lock of session {lock_path.stem}")
        except BaseException:
            os.close(fd)
            raise
        try:
            if os.stat(lock_path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


# --- sessions --------------------------------------------------------------------------------


def checked_id(session_id: str) -> str:
    """`session_id` itself, or NotFoundError if it cannot be a session id (a path, say)."""
    if not SESSION_ID.fullmatch(session_id):
        raise NotFoundError(
            f'"{session_id}" is not a session id (ids use letters, digits, "-" and "_")'
        )
    return session_id


def session_path(session_id: str) -> Path:
    """Where the session with this id is (or would be) saved."""
    return paths.sessions_dir() / f"{checked_id(session_id)}{SUFFIX}"


def save_session(session: Session) -> Path:
    """Save the session (checked before anything is written) and return its file's path.

    A new session's file is created exclusively; an existing one is replaced atomically under
    the session's lock.
    """
    text = session_to_text(session)
    path = session_path(session.id)
    with session_lock(session.id):  # which also makes the directories and unlocks the store
        data = vault.seal(text.encode("utf-8"))  # encrypted before any temporary file exists
        if path.exists():
            atomic_write_bytes(path, data)
        else:
            exclusive_create_bytes(path, data)
        if not _swept:
            _swept.append(True)  # once a process: a listing of the directory is not free
            sweep_temporary_files()
    return path


_swept: list[bool] = []


def _temp_owner(name: str) -> str | None:
    """The session id in a temporary file's name (".<id>.toml.<hex>.tmp"), if there is one."""
    head = name[1:].split(SUFFIX + ".", 1)[0]
    return head if head != name[1:] and SESSION_ID.fullmatch(head) else None


def _locked_elsewhere(session_id: str) -> bool:
    """Whether another process holds this session's lock (is saving it right now)."""
    if _held.get(session_id):
        return False
    try:
        fd = os.open(paths.sessions_dir() / LOCKS / f"{session_id}.lock", os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False  # no lock file: no one holds it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # which releases the lock just taken
    return False


def sweep_temporary_files(now: float | None = None) -> list[Path]:
    """Remove what saves killed by SIGKILL or a power cut left behind: hidden temporary files in
    the sessions directory older than STALE_TEMP_SECONDS whose session no process is saving.
    Returns the files removed."""
    import time

    moment = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(paths.sessions_dir()))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX)):
            continue
        try:
            age = moment - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        owner = _temp_owner(entry.name)
        if age >= STALE_TEMP_SECONDS and not (owner and _locked_elsewhere(owner)):
            remove_quietly(Path(entry.path))
            removed.append(Path(entry.path))
    return removed


def read_session_text(path: Path) -> str:
    """A session file's text: at most MAX_FILE_BYTES of UTF-8 from a regular file."""
    data = read_limited(
        path, "session file", error=StorageError, refused=DataError, missing=NotFoundError
    )
    return text_from_bytes(vault.open_bytes(data, str(path)), str(path))


def _in_sessions_dir(path: Path) -> bool:
    return path.parent.resolve() == paths.sessions_dir().resolve()


def load_session(path: Path) -> Session:
    """Load and check one session file. A file in the sessions directory must carry its name's
    id, since sessions are found by file name."""
    expected = path.stem if _in_sessions_dir(path) else None
    return session_from_text(read_session_text(path), str(path), expected_id=expected)


def session_entries() -> Iterator[os.DirEntry[str]]:
    """Directory entries of the session files, in no particular order (temporary files, lock
    files and anything else are left out)."""
    try:
        with os.scandir(paths.sessions_dir()) as entries:
            for entry in entries:
                if entry.name.endswith(SUFFIX) and not entry.name.startswith("."):
                    try:
                        listed = entry.is_file()
                    except OSError:
                        # A symbolic link to itself, say: listed, so that reading it names this
                        # file as the problem (and `coach delete` can remove it).
                        listed = True
                    if listed:
                        yield entry
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StorageError(f"cannot read {paths.sessions_dir()}: {exc.strerror or exc}") from None


def iter_session_files() -> Iterator[Path]:
    """Every session file, oldest id first."""
    directory = paths.sessions_dir()
    for name in sorted(entry.name for entry in session_entries()):
        yield directory / name
