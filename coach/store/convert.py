"""Turning encryption on and off for a whole data directory, and changing the passphrase.

Every step is one atomic replace of one file, so a kill -9 at any moment leaves every file in
its old or its new form, and running the same command again finishes the job:

  encrypt   1. identity.pub (the public key) and then identity.age are created (from then on
               every new write is encrypted)
            2. each plain session file is replaced by its age file, under the session's lock
            3. the plain index is removed and the encrypted one built; stale plain temp files go
  decrypt   1. each age session file is replaced by its plain text, under the session's lock
            2. the encrypted index and identity.pub are removed (a plain index is built later)
            3. identity.age is removed, last, so an interrupted run can always unlock again
  passphrase  identity.age is replaced whole by the same identity under the new passphrase;
            the session files do not change at all.

Files are recognised by their first bytes (an age header or not), so a step already done is
skipped and a half-converted directory reads fine in between.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from coach.base import paths
from coach.base.errors import StorageError, UsageError
from coach.store import crypto, vault
from coach.store.crypto import Keys

__all__ = [
    "MIN_PASSPHRASE",
    "Converted",
    "change_passphrase",
    "check_new_passphrase",
    "create_identity",
    "decrypt_store",
    "encrypt_store",
    "recovery_identity",
]

MIN_PASSPHRASE = 8
# A temporary file older than this is left over from a killed process, not a save in progress.
STALE_TEMP_SECONDS = 60

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Converted:
    """How many session files a conversion changed, and how many were already done."""

    changed: int
    already: int


def check_new_passphrase(passphrase: str) -> str:
    if len(crypto.normalised(passphrase)) < MIN_PASSPHRASE:
        raise UsageError(f"a passphrase needs at least {MIN_PASSPHRASE} characters")
    return passphrase


def create_identity(passphrase: str) -> Keys:
    """Make the store's identity, locked with the passphrase, and use it in this process.

    StorageError if the store already has one (an identity is never overwritten).
    """
    from coach.store.disk import atomic_write_bytes, ensure_data_dir, exclusive_create_bytes

    ensure_data_dir()
    secret = crypto.new_secret()
    keys = crypto.keys_from_secret(secret, "the new identity")
    locked = crypto.lock_secret(secret, check_new_passphrase(passphrase))
    if vault.is_encrypted():
        raise StorageError(f"{vault.identity_path()} exists already; it was not overwritten")
    atomic_write_bytes(vault.public_path(), f"{keys.recipient}\n".encode())
    exclusive_create_bytes(vault.identity_path(), locked)
    vault.remember(keys)
    return keys


def recovery_identity(keys: Keys) -> str:
    """The identity as an age identity file's text, to keep on paper (opens every file)."""
    return (
        f"# coach recovery identity for {paths.data_dir()}\n"
        f"# public key: {keys.recipient}\n"
        f"{keys.identity}\n"
    )


def change_passphrase(keys: Keys, new_passphrase: str) -> None:
    """Lock the same identity with a new passphrase: one atomic replace of identity.age."""
    from coach.store.disk import atomic_write_bytes

    locked = crypto.lock_secret(str(keys.identity), check_new_passphrase(new_passphrase))
    atomic_write_bytes(vault.identity_path(), locked)


def _convert_file(path: Path, convert: Callable[[bytes], bytes | None]) -> bool:
    """Replace one session file by convert(its bytes) under its lock; False if nothing to do."""
    from coach.store.disk import atomic_write_bytes
    from coach.store.files import session_lock

    with session_lock(path.stem):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return False  # deleted meanwhile
        except OSError as exc:
            raise StorageError(f"cannot read {path}: {exc.strerror or exc}") from None
        new = convert(data)
        if new is None:
            return False
        atomic_write_bytes(path, new)
        return True


def _convert_all(convert: Callable[[bytes], bytes | None], progress: Progress | None) -> Converted:
    from coach.store.files import iter_session_files

    files = list(iter_session_files())
    changed = 0
    for done, path in enumerate(files, 1):
        changed += _convert_file(path, convert)
        if progress is not None:
            progress(done, len(files))
    return Converted(changed, len(files) - changed)


def _convert_flags(convert: Callable[[bytes], bytes | None]) -> None:
    """The facilitator's flags record goes with the store: sealed, or plain again."""
    from coach.store.disk import atomic_write_bytes
    from coach.store.flags import flags_path

    path = flags_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror or exc}") from None
    new = convert(data)
    if new is not None:
        atomic_write_bytes(path, new)


def _remove_stale_plain_temps() -> None:
    """Temporary files a killed process left behind may hold plain text from before encryption."""
    now = time.time()
    for directory in (paths.data_dir(), paths.sessions_dir()):
        try:
            names = os.listdir(directory)
        except FileNotFoundError:
            continue
        for name in names:
            if not (name.startswith(".") and name.endswith(".tmp")):
                continue
            path = directory / name
            try:
                if now - path.stat().st_mtime < STALE_TEMP_SECONDS:
                    continue  # maybe a save in progress in another process
                with path.open("rb") as handle:
                    plain = not crypto.is_age(handle.read(crypto.HEAD_LENGTH))
                if plain:
                    path.unlink()
            except FileNotFoundError:
                continue


def encrypt_store(keys: Keys, progress: Progress | None = None) -> Converted:
    """Encrypt every plain session file, then replace the plain index (see the module)."""
    from coach.store.files import store_lock
    from coach.store.index_refresh import rebuild_index

    def seal(data: bytes) -> bytes | None:
        return None if crypto.is_age(data) else crypto.encrypt(data, keys)

    with store_lock(exclusive=True):  # saves elsewhere wait: none lands half-way
        done = _convert_all(seal, progress)
        _convert_flags(seal)
        _remove_stale_plain_temps()
    rebuild_index()  # removes the plain index and writes the encrypted one
    return done


def decrypt_store(keys: Keys, progress: Progress | None = None) -> Converted:
    """Decrypt every session file, drop the encrypted index, then the identity (last)."""
    from coach.store.files import store_lock
    from coach.store.sealed_index import sealed_path

    def unseal(data: bytes) -> bytes | None:
        return crypto.decrypt(data, keys, "a session file") if crypto.is_age(data) else None

    # Saves elsewhere wait until the identity is gone, then write plain text: none is sealed
    # to an identity about to be removed (files.store_lock).
    with store_lock(exclusive=True):
        done = _convert_all(unseal, progress)
        _convert_flags(unseal)
        for path in (sealed_path(), vault.public_path(), vault.identity_path()):
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise StorageError(f"could not remove {path}: {exc.strerror or exc}") from None
    vault.forget_keys()
    return done
