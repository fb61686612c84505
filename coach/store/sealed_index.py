"""The session index of an encrypted store: one age file, opened in memory.

The index holds names, dates, headlines and CSI-4 totals, so in an encrypted store it is never
on disk in the clear. It is kept whole as index.sqlite3.age: a command decrypts it into an
in-memory SQLite database (sqlite3 deserialize), and a command that changed it (a refresh found
new files, a session was deleted) writes it back whole, encrypted, with an atomic replace.
Two commands refreshing at once each write a complete index; the last one wins, and since the
index only caches what the files say, the next refresh catches up with anything it missed.

A command opens the index more than once (a listing refreshes it, then reads it), so the
plaintext of the last file decrypted is kept in memory for the rest of the process and opened
again without decrypting, as long as the file on disk is still that one. It is dropped when
this process writes the index, or finds another file there.
"""

from __future__ import annotations

import io
import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from coach.base import paths
from coach.base.errors import StorageError
from coach.store import crypto, vault

SEALED_SUFFIX = ".age"


@dataclass(frozen=True)
class _Decrypted:
    """The plaintext of one index file, and what tells that file apart from any other."""

    stamp: tuple[int, int, int, int]  # device, inode, mtime_ns and size of the file decrypted
    recipient: str  # the identity it was decrypted with
    image: io.BytesIO  # the SQLite database, as deserialize takes it


# By the index file's path (one per data directory).
_decrypted: dict[str, _Decrypted] = {}


def sealed_path() -> Path:
    index = paths.index_path()
    return index.with_name(index.name + SEALED_SUFFIX)


def empty() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    # Temporary tables and sorts stay in memory too: SQLite would otherwise spill them to
    # temporary files, in the clear.
    connection.execute("PRAGMA temp_store = MEMORY")
    return connection


def load() -> sqlite3.Connection | None:
    """The decrypted index in memory, or None when there is none (or it cannot be opened and
    should be built again from the session files).

    Peak memory is about twice the index: the plaintext (decrypted a chunk at a time into one
    buffer) and SQLite's own copy of it."""
    path = sealed_path()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # a FIFO or a device would block or never end: built again, replaced
        with path.open("rb") as source:
            keys = vault.keys()  # a wrong passphrase stops the command here
            image = _plaintext(source, keys, str(path))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"cannot read the session index {path}: {exc.strerror}") from None
    except StorageError as exc:
        if isinstance(exc, crypto.WrongPassphraseError):
            raise
        return None  # damaged, or of another identity: rebuilt from the files
    connection = empty()
    try:
        with image.getbuffer() as view:
            connection.deserialize(view)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        connection.close()
        _decrypted.pop(str(path), None)
        return None
    return connection


def _plaintext(source: BinaryIO, keys: crypto.Keys, where: str) -> io.BytesIO:
    """The plaintext of the open index file: the one kept from an earlier load when it is the
    same file (an index is only ever replaced by a rename, which makes a new file), else
    decrypted now and kept."""
    info = os.fstat(source.fileno())
    stamp = (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size)
    recipient = str(keys.recipient)
    kept = _decrypted.pop(where, None)  # a stale copy goes before the new one is made
    if kept is None or kept.stamp != stamp or kept.recipient != recipient:
        image = io.BytesIO()
        crypto.decrypt_stream(source, image, keys, where)
        kept = _Decrypted(stamp, recipient, image)
    _decrypted[where] = kept
    return kept.image


def save_if_changed(connection: sqlite3.Connection) -> None:
    """Write the in-memory index back, encrypted, if this process changed it."""
    if not connection.total_changes:
        return
    from coach.store.disk import atomic_write_bytes

    path = sealed_path()
    _decrypted.pop(str(path), None)  # outdated now, and not held while the new one is written
    atomic_write_bytes(path, crypto.encrypt(connection.serialize(), vault.keys()))
