"""The private data directory, and writes that a crash cannot tear.

Everything coach stores is readable by its owner only: files 0600 and directories 0700, set
explicitly so that the umask cannot loosen them. A write never leaves a torn file: the data goes
to a temporary file in the same directory, is flushed to disk and renamed over the old file (or
linked to its new name), so a crash at any moment leaves the old or the new file whole.
Session files, the encrypted index, the identity, reminders and exports are all written here.
"""

from __future__ import annotations

import errno
import os
import stat
from contextlib import suppress
from pathlib import Path

from coach.base import paths
from coach.base.errors import StorageError, warn
from coach.store import vault

__all__ = [
    "PRIVATE_DIR",
    "PRIVATE_FILE",
    "TEMP_SUFFIX",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_private",
    "ensure_data_dir",
    "exclusive_create",
    "exclusive_create_bytes",
    "keep_private",
    "private_dir",
    "remove_quietly",
    "sync_directory",
]

TEMP_SUFFIX = ".tmp"
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
# File systems without hard links; a new file is then renamed into place under the lock.
_NO_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK})


# --- the data directory ----------------------------------------------------------------------


def _unusable(root: Path, reason: str, advice: str) -> StorageError:
    return StorageError(f"cannot use data directory {root} ({reason}); {advice}")


def private_dir(path: Path, root: Path) -> None:
    """Make `path` and any missing parents 0700; StorageError when that cannot work."""
    if not path.is_dir():
        if path.parent != path:
            private_dir(path.parent, root)
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


def keep_private(path: Path, root: Path) -> None:
    """A directory of coach's that others may read or write (chmod 777 by hand, an archive
    unpacked with its modes) is set back to 0700, with a one-line warning. StorageError instead
    when it is not coach's to change: a directory of another user, a shared one with the
    sticky bit (such as /tmp), or one whose mode cannot be changed."""
    try:
        info = os.stat(path)
    except OSError:
        return  # private_dir has just made it; a race with a delete shows up on writing
    mode = stat.S_IMODE(info.st_mode)
    if not mode & 0o077:
        return
    shown = "it" if path == root else str(path)
    advice = "set COACH_HOME to a directory of your own"
    if info.st_uid != os.geteuid():
        raise _unusable(
            root, f"others may open {shown} (mode {mode:o}), and it is another user's", advice
        )
    if mode & stat.S_ISVTX:
        raise _unusable(root, f"{shown} is a shared directory (mode {mode:o})", advice)
    try:
        os.chmod(path, PRIVATE_DIR)
    except OSError as exc:
        reason = (
            f"others may open {shown} (mode {mode:o}) and it cannot be made private: {exc.strerror}"
        )
        raise _unusable(root, reason, f"chmod 700 {path}, or {advice}") from None
    if _still_open(path):  # a file system without modes (FAT, some network shares) ignores it
        warn(
            f"{path} is open to others (mode {mode:o}) and its file system keeps it so; "
            "keep coach's data on a disk only you can reach"
        )
        return
    warn(f"{path} was open to others (mode {mode:o}); coach set it back to 700")


def _still_open(path: Path) -> bool:
    try:
        return bool(stat.S_IMODE(os.stat(path).st_mode) & 0o077)
    except OSError:
        return False


def check_private() -> None:
    """keep_private for the data directory and its sessions directory (where they exist): every
    command that reads the store or writes to it comes through here, listings included."""
    root = paths.data_dir()
    keep_private(root, root)
    keep_private(paths.sessions_dir(), root)


def ensure_data_dir() -> Path:
    """Create the data directory and its sessions directory (0700) and return the data directory.

    Raises StorageError, naming the path and what to do, when COACH_HOME is a file, lies below a
    file or is read-only; one that others may open is made private again (keep_private).
    Commands call this before asking any question.
    """
    root = paths.data_dir()
    private_dir(root, root)
    private_dir(paths.sessions_dir(), root)
    check_private()
    vault.unlock_if_encrypted()  # the one passphrase question, before any other
    return root


# --- writing files safely --------------------------------------------------------------------


def remove_quietly(path: Path) -> None:
    with suppress(FileNotFoundError):
        os.unlink(path)


def sync_directory(directory: Path) -> None:
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
        remove_quietly(temp)
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
            remove_quietly(temp)
            raise
    except OSError as exc:
        raise _save_failed(path, exc, existed) from None
    sync_directory(path.parent)


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
            remove_quietly(temp)
    except FileExistsError:
        raise StorageError(
            f"could not save {path}: it already exists; it was not overwritten"
        ) from None
    except OSError as exc:
        raise _save_failed(path, exc, existed=False) from None
    sync_directory(path.parent)


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
