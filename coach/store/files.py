"""Session files on disk: the private data directory, atomic writes, locks, finding sessions.

Each session is one TOML file, sessions/<id>.toml, readable by its owner only: files 0600 and
directories 0700, set explicitly so that the umask cannot loosen them. A save never leaves a torn
file: the text goes to a temporary file in the same directory, is flushed to disk and renamed over
the old file, so a crash at any moment leaves the old or the new file whole. Saves of one session
take a lock, so two processes saving at the same moment both land, one after the other.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from coach import paths
from coach.document import read_limited
from coach.errors import DataError, NotFoundError, StorageError, did_you_mean
from coach.session import Session
from coach.store import vault
from coach.store.format import (
    SESSION_ID,
    session_from_text,
    session_to_text,
    text_from_bytes,
)
from coach.store.summary import summary_from_text

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "delete_session",
    "ensure_data_dir",
    "exclusive_create",
    "exclusive_create_bytes",
    "find_session_path",
    "iter_session_files",
    "load_session",
    "load_session_by_ref",
    "read_session_text",
    "save_session",
    "session_entries",
    "session_from_text",
    "session_lock",
    "session_path",
    "session_to_text",
    "sweep_temporary_files",
]

SUFFIX = ".toml"
TEMP_SUFFIX = ".tmp"
# A temporary file this old belongs to a save that was killed: a save takes milliseconds.
STALE_TEMP_SECONDS = 60
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
LOCKS = ".locks"
# File systems without hard links; a new file is then renamed into place under the lock.
_NO_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK})

# Locks this process holds, so that save_session inside `with session_lock(...)` does not wait
# for itself: flock on a second descriptor of the same file would block.
_held: dict[str, int] = {}


# --- the data directory ----------------------------------------------------------------------


def _unusable(root: Path, reason: str, advice: str) -> StorageError:
    return StorageError(f"cannot use data directory {root} ({reason}); {advice}")


def _private_dir(path: Path, root: Path) -> None:
    """Make `path` and any missing parents 0700; StorageError when that cannot work."""
    if not path.is_dir():
        if path.parent != path:
            _private_dir(path.parent, root)
        try:
            os.mkdir(path, PRIVATE_DIR)
        except FileExistsError:
            # Another process may have made it a moment ago: only a non-directory is wrong.
            if not path.is_dir():
                shown = "it" if path == root else str(path)
                raise _unusable(
                    root, f"{shown} is a file", "set COACH_HOME to a directory"
                ) from None
        except OSError as exc:
            raise _unusable(
                root, exc.strerror or str(exc), "set COACH_HOME to a directory you can write"
            ) from None
        os.chmod(path, PRIVATE_DIR)  # mkdir's mode is filtered through the umask
    if not os.access(path, os.W_OK | os.X_OK):
        shown = "it" if path == root else str(path)
        raise _unusable(
            root,
            f"{shown} is read-only",
            "make it writable or set COACH_HOME to another directory",
        )


def ensure_data_dir() -> Path:
    """Create the data directory and its sessions directory (0700) and return the data directory.

    Raises StorageError, naming the path and what to do, when COACH_HOME is a file, lies below a
    file or is read-only. Commands call this before asking any question.
    """
    root = paths.data_dir()
    _private_dir(root, root)
    _private_dir(paths.sessions_dir(), root)
    vault.unlock_if_encrypted()  # the one passphrase question, before any other
    return root


# --- writing files safely --------------------------------------------------------------------


def _remove_quietly(path: Path) -> None:
    with suppress(FileNotFoundError):
        os.unlink(path)


def _sync_directory(directory: Path) -> None:
    """Flush a rename to disk. Best effort: some file systems cannot fsync a directory, and by
    now the file itself is complete either way."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _temp_path(path: Path) -> Path:
    """Where a new version of `path` is written first: hidden, named after its target (so that
    a leftover can be traced to its session), ending in .tmp."""
    return path.with_name(f".{path.name}.{os.urandom(8).hex()}{TEMP_SUFFIX}")  # os: quick import


def _write_temp(path: Path, data: bytes) -> Path:
    """A complete, flushed 0600 temporary file beside `path` (removed again on any failure)."""
    temp = _temp_path(path)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, PRIVATE_FILE)
    try:
        try:
            os.fchmod(fd, PRIVATE_FILE)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        _remove_quietly(temp)
        raise
    return temp


def _save_failed(path: Path, exc: OSError, existed: bool) -> StorageError:
    kept = "the previous copy is intact" if existed else "nothing was written"
    return StorageError(f"could not save {path}: {exc.strerror or exc}; {kept}")


def atomic_write_text(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8, as it is: exports use this); see atomic_write_bytes."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old or the new file, never a mix.

    On failure (a full disk, a failing rename) the temporary file is removed and StorageError
    says that the previous copy is intact. Store files are sealed (vault.seal) before they get
    here, so their temporary files are never plain text either.
    """
    existed = path.exists()
    try:
        temp = _write_temp(path, data)
        try:
            os.replace(temp, path)
        except BaseException:
            _remove_quietly(temp)
            raise
    except OSError as exc:
        raise _save_failed(path, exc, existed) from None
    _sync_directory(path.parent)


def exclusive_create(path: Path, text: str) -> None:
    """Write a new file whole, never overwriting one that exists (StorageError if it does)."""
    exclusive_create_bytes(path, text.encode("utf-8"))


def exclusive_create_bytes(path: Path, data: bytes) -> None:
    """exclusive_create for bytes (a sealed store file)."""
    try:
        temp = _write_temp(path, data)
        try:
            _link_new(temp, path)
        finally:
            _remove_quietly(temp)
    except FileExistsError:
        raise StorageError(
            f"could not save {path}: it already exists; it was not overwritten"
        ) from None
    except OSError as exc:
        raise _save_failed(path, exc, existed=False) from None
    _sync_directory(path.parent)


def _link_new(temp: Path, path: Path) -> None:
    """Give the finished temporary file its name, failing with FileExistsError if it is taken."""
    try:
        os.link(temp, path)
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        # Without hard links, check and rename: safe among coach processes, which hold the lock.
        if path.exists():
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
        os.replace(temp, path)


@contextmanager
def session_lock(session_id: str) -> Iterator[None]:
    """Hold the lock of one session: wrap a load-modify-save in it so no update is lost.

    The lock is an flock on sessions/.locks/<id>.lock, removed again on release. A waiter that
    wakes up holding a lock file that was removed meanwhile tries again with the new one.
    """
    _checked_id(session_id)
    if _held.get(session_id):
        _held[session_id] += 1
        try:
            yield
        finally:
            _held[session_id] -= 1
        return
    ensure_data_dir()
    directory = paths.sessions_dir() / LOCKS
    _private_dir(directory, paths.data_dir())
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
        _remove_quietly(lock_path)  # before unlocking, so no one locks a file about to go
        os.close(fd)


def _acquire(lock_path: Path) -> int:
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.stat(lock_path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


# --- sessions --------------------------------------------------------------------------------


def _checked_id(session_id: str) -> str:
    if not SESSION_ID.fullmatch(session_id):
        raise NotFoundError(
            f'"{session_id}" is not a session id (ids use letters, digits, "-" and "_")'
        )
    return session_id


def session_path(session_id: str) -> Path:
    """Where the session with this id is (or would be) saved."""
    return paths.sessions_dir() / f"{_checked_id(session_id)}{SUFFIX}"


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
            _remove_quietly(Path(entry.path))
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


def _candidates(ids: list[str]) -> str:
    shown = ", ".join(ids[:5])
    return shown if len(ids) <= 5 else f"{shown} and {len(ids) - 5} more"


def _newest_path(drafts_only: bool) -> Path:
    # index imports this module, so it is imported here rather than at the top.
    from coach.store.index import history, refresh_index

    newest = next(history(status="draft" if drafts_only else None, limit=1), None)
    if newest is None:
        unreadable = refresh_index()
        if unreadable:
            # Perhaps the one that was meant: say so rather than that there is none.
            path, reason = unreadable[-1]
            shown = reason if reason.startswith(str(path)) else f"{path}: {reason}"
            more = f" (and {len(unreadable) - 1} more)" if len(unreadable) > 1 else ""
            raise NotFoundError(f"no readable session; this one cannot be read{more}: {shown}")
        raise NotFoundError(
            "no draft to resume; start a session with: coach start --a NAME --b NAME"
            if drafts_only
            else "no saved sessions yet; try coach demo --save, or coach start --a NAME --b NAME"
        )
    return newest.path


def find_session_path(ref: str | None, *, drafts_only: bool = False) -> Path:
    """The file of the session whose id is `ref` or starts with it.

    ref None: the newest session (the newest draft with drafts_only). NotFoundError when nothing
    matches (with a did-you-mean), when a prefix matches several sessions (listing them), or with
    drafts_only when the session is finished.
    """
    if ref is None:
        return _newest_path(drafts_only)
    ref = _checked_id(ref.removesuffix(SUFFIX))
    ids = [path.stem for path in iter_session_files()]
    matches = [ref] if ref in ids else [i for i in ids if i.startswith(ref)]
    if len(matches) > 1:
        raise NotFoundError(
            f'"{ref}" matches {len(matches)} sessions: {_candidates(matches)}; give more of the id'
        )
    if not matches:
        raise NotFoundError(
            f'no session "{ref}"{did_you_mean(ref, ids)}; coach list shows your sessions'
        )
    path = session_path(matches[0])
    if drafts_only:
        summary = summary_from_text(read_session_text(path), str(path), expected_id=path.stem)
        if summary.finished is not None:
            raise NotFoundError(f"session {path.stem} is finished; only a draft can be resumed")
    return path


def load_session_by_ref(ref: str) -> Session:
    """Load the session whose id is `ref` or starts with it (see find_session_path)."""
    return load_session(find_session_path(ref))


def delete_session(ref: str) -> Path:
    """Delete a session's file and its index entry; return the path that was removed."""
    from coach.store.index import forget  # see _newest_path

    path = find_session_path(ref)
    with session_lock(path.stem):
        try:
            os.unlink(path)
        except FileNotFoundError:
            raise NotFoundError(f"{path}: no such session file") from None
        except OSError as exc:
            raise StorageError(f"could not delete {path}: {exc.strerror or exc}") from None
        # What a killed save of this session left (under its lock, no save is under way).
        for temp in path.parent.glob(f".{path.name}.*{TEMP_SUFFIX}"):
            _remove_quietly(temp)
        _sync_directory(path.parent)
    forget(path.stem)
    return path
