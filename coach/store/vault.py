"""Whether the data directory is encrypted, and the one unlock per command that opens it.

A store is encrypted when its data directory holds `identity.age`: the store's X25519 identity,
itself an age file encrypted with the passphrase (scrypt). Every file coach then writes is an age
file for that identity (seal), and every file it reads is opened by its first bytes, so a
directory halfway through `coach encrypt` or `coach decrypt` reads fine (open_bytes).

The identity is unlocked at most once per process, from the first source that is set:
  COACH_IDENTITY_FILE    a plain age identity file (the recovery identity), refused unless 0600
  COACH_PASSPHRASE_FILE  a file whose first line is the passphrase, refused unless 0600
  the OS keyring         when the optional keyring package holds it (`coach passphrase --keyring`)
  the terminal           asked without echo
Never argv and never a plain environment variable: both are visible to other processes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from coach.base import paths
from coach.base.errors import StorageError, UsageError
from coach.store import crypto
from coach.store.crypto import Keys

__all__ = [
    "IDENTITY_FILE",
    "PASSPHRASE_FILE_ENV",
    "identity_path",
    "is_encrypted",
    "keys",
    "open_bytes",
    "read_passphrase",
    "remember",
    "seal",
]

IDENTITY_FILE = "identity.age"
# The identity's public key, in the clear (it is public): lets coach refuse a COACH_IDENTITY_FILE
# of another store before anything is encrypted to the wrong key.
PUBLIC_FILE = "identity.pub"
PASSPHRASE_FILE_ENV = "COACH_PASSPHRASE_FILE"
IDENTITY_FILE_ENV = "COACH_IDENTITY_FILE"
KEYRING_SERVICE = "coach"

# The keys unlocked in this process, by data directory: one unlock per command.
_unlocked: dict[str, Keys] = {}


def identity_path() -> Path:
    return paths.data_dir() / IDENTITY_FILE


def public_path() -> Path:
    return paths.data_dir() / PUBLIC_FILE


def _check_is_the_stores(found: Keys, where: str) -> None:
    try:
        if not stat.S_ISREG(os.stat(public_path()).st_mode):  # a FIFO would block for ever
            raise StorageError(f"cannot read {public_path()}: it is not a regular file")
        with public_path().open("rb") as handle:
            expected = handle.read(MAX_IDENTITY_FILE).decode("utf-8").strip()
    except FileNotFoundError:
        return
    except (OSError, UnicodeDecodeError):
        raise StorageError(f"cannot read {public_path()}") from None
    if is_encrypted() and str(found.recipient) != expected:
        raise StorageError(
            f"{where} is not the identity of {paths.data_dir()} (its public key is {expected})"
        )


def is_encrypted() -> bool:
    """Whether files written to the store are encrypted (the identity file exists)."""
    return identity_path().is_file()


def remember(keys: Keys) -> None:
    """Use these keys for the current data directory for the rest of the process."""
    _unlocked[str(paths.data_dir())] = keys


def forget_keys() -> None:
    """Drop the keys of the current data directory (after `coach decrypt` removed them)."""
    _unlocked.pop(str(paths.data_dir()), None)


# A passphrase file holds one or two lines; an identity file one key and a few comments. Read
# no more than this (a pipe without end, `<(cat /dev/zero)`, would otherwise fill the memory).
MAX_PASSPHRASE_FILE = 1024
MAX_IDENTITY_FILE = 4096


def _read_at_most(path: Path, limit: int, variable: str) -> bytes:
    """At most `limit` bytes of the file or pipe; UsageError when it holds more."""
    chunks: list[bytes] = []
    size = 0
    with path.open("rb", buffering=0) as handle:
        while size <= limit:
            chunk = handle.read(limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    if size > limit:
        raise UsageError(
            f"{variable}: {path} holds more than {limit} bytes; it should hold a few short lines"
        )
    return b"".join(chunks)


def _private_file_text(path_text: str, variable: str, limit: int = MAX_PASSPHRASE_FILE) -> str:
    """The text of a 0600 file named by an environment variable (at most `limit` bytes);
    refused if others may read it."""
    path = Path(path_text).expanduser()
    try:
        info = os.stat(path)
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise UsageError(
                f"{variable}: {path} may be read by others (mode "
                f"{stat.S_IMODE(info.st_mode):o}); make it private with chmod 600 {path}"
            )
        return _read_at_most(path, limit, variable).decode("utf-8")
    except FileNotFoundError:
        raise UsageError(f"{variable}: {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UsageError(f"{variable}: cannot read {path}: {reason}") from None


def _ask_terminal(prompt: str) -> str:
    import getpass

    return getpass.getpass(prompt)


def keyring_passphrase() -> str | None:
    """The passphrase kept in the OS keyring for this data directory (None: none, or no keyring)."""
    try:
        import keyring
    except ImportError:
        return None
    try:
        value = keyring.get_password(KEYRING_SERVICE, str(paths.data_dir()))
    except Exception:  # a keyring without a backend: fall back to the other sources
        return None
    return value if isinstance(value, str) and value else None


def passphrase_file_lines() -> list[str]:
    """The lines of COACH_PASSPHRASE_FILE (none when it is not set); UsageError when the file
    is empty, missing, or readable by others. The first line is the passphrase; a second line
    is the new one for `coach passphrase`."""
    file_name = os.environ.get(PASSPHRASE_FILE_ENV)
    if not file_name:
        return []
    lines = _private_file_text(file_name, PASSPHRASE_FILE_ENV).splitlines()
    if not lines or not lines[0]:
        raise UsageError(f"{PASSPHRASE_FILE_ENV}: {file_name} is empty")
    return lines


def keep_in_keyring(passphrase: str) -> None:
    """Keep the passphrase in the OS keyring, for this data directory (optional extra)."""
    try:
        import keyring
    except ImportError:
        raise UsageError(
            "the keyring package is not installed (pip install keyring); nothing was kept"
        ) from None
    try:
        keyring.set_password(KEYRING_SERVICE, str(paths.data_dir()), passphrase)
    except Exception as exc:
        raise StorageError(f"the OS keyring refused the passphrase: {type(exc).__name__}") from None


def read_passphrase(prompt: str = "Passphrase: ") -> str:
    """The passphrase from COACH_PASSPHRASE_FILE, the keyring or the terminal (without echo).

    UsageError (exit 2) when none is available, e.g. in a script without the file.
    """
    lines = passphrase_file_lines()
    if lines:
        return lines[0]
    kept = keyring_passphrase()
    if kept is not None:
        return kept
    from coach.base.stdio import stdin_is_terminal

    if not stdin_is_terminal():
        raise UsageError(
            f"the data directory {paths.data_dir()} is encrypted and there is no terminal "
            f"to ask for its passphrase; name a 0600 file holding it in {PASSPHRASE_FILE_ENV}"
        )
    return _ask_terminal(prompt)


def _read_identity_file() -> bytes:
    path = identity_path()
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror or exc}") from None


def unlock(passphrase: str) -> Keys:
    """The store's keys opened with this passphrase (WrongPassphraseError if it is wrong)."""
    path = identity_path()
    secret = crypto.unlock_secret(_read_identity_file(), passphrase, str(path))
    return crypto.keys_from_secret(secret, str(path))


def keys() -> Keys:
    """The store's keys, unlocked on first use in this process (see the module's docstring)."""
    found = _unlocked.get(str(paths.data_dir()))
    if found is not None:
        return found
    identity_file = os.environ.get(IDENTITY_FILE_ENV)
    if identity_file:
        text = _private_file_text(identity_file, IDENTITY_FILE_ENV, MAX_IDENTITY_FILE)
        where = f"{IDENTITY_FILE_ENV} ({identity_file})"
        found = crypto.keys_from_secret(text, where)
        _check_is_the_stores(found, where)
    else:
        if not is_encrypted():
            raise StorageError(
                f"{paths.data_dir()} holds encrypted files but no {IDENTITY_FILE}; "
                f"set {IDENTITY_FILE_ENV} to the recovery identity to open them"
            )
        found = unlock(read_passphrase(f"Passphrase for {paths.data_dir()}: "))
    remember(found)
    return found


def unlock_if_encrypted() -> None:
    """Unlock now, before any question is asked or anything written, if the store is encrypted."""
    if is_encrypted():
        keys()


def seal(data: bytes) -> bytes:
    """What to write for `data`: an age file when the store is encrypted, else `data` itself."""
    return crypto.encrypt(data, keys()) if is_encrypted() else data


def open_bytes(data: bytes, where: str) -> bytes:
    """The plaintext of a file's bytes: age files are decrypted, plain ones returned as they are.

    A plain file in an encrypted store (copied in by hand, restored from an old backup) is read,
    and named in a one-line warning each time it is read: `coach encrypt` encrypts it."""
    if crypto.is_age(data):
        return crypto.decrypt(data, keys(), where)
    if is_encrypted():
        from coach.base.errors import warn

        warn(
            f"{where} is plain text in an encrypted data directory; coach vault encrypt encrypts it"
        )
    return data
