"""The session index of an encrypted store: one age file, opened in memory.

The index holds names, dates, headlines and CSI-4 totals, so in an encrypted store it is never
on disk in the clear. It is kept whole as index.sqlite3.age: a command decrypts it into an
in-memory SQLite database (sqlite3 deserialize), and a command that changed it (a refresh found
new files, a session was deleted) writes it back whole, encrypted, with an atomic replace.
Two commands refreshing at once each write a complete index; the last one wins, and since the
index only caches what the files say, the next refresh catches up with anything it missed.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from coach import paths
from coach.errors import StorageError
from coach.store import crypto, vault

SEALED_SUFFIX = ".age"


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

    The file is decrypted a chunk at a time into one buffer, which SQLite copies and which is
    then dropped: peak memory is about twice the index."""
    import io

    path = sealed_path()
    plain = io.BytesIO()
    try:
        with path.open("rb") as source:
            keys = vault.keys()  # a wrong passphrase stops the command here
            crypto.decrypt_stream(source, plain, keys, str(path))
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
        with plain.getbuffer() as image:
            connection.deserialize(image)
        plain.close()
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        connection.close()
        return None
    return connection


def save_if_changed(connection: sqlite3.Connection) -> None:
    """Write the in-memory index back, encrypted, if this process changed it."""
    if not connection.total_changes:
        return
    from coach.store.disk import atomic_write_bytes

    atomic_write_bytes(sealed_path(), crypto.encrypt(connection.serialize(), vault.keys()))
