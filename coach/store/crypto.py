"""age encryption for the data directory: a thin layer over pyrage, with no cryptography of its own.

Every encrypted file coach writes is a standard age file (age-encryption.org/v1), so the
reference `age` tool opens it without coach. The store has one X25519 identity; files are
encrypted to its public recipient. The identity itself is kept in an age file encrypted with a
passphrase (age's scrypt recipient), so one passphrase unlock per command is followed by fast
X25519 work per file.

pyrage is imported inside the functions: `coach --help` and plain-text stores never load it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from coach.errors import StorageError

if TYPE_CHECKING:
    from pyrage.x25519 import Identity, Recipient

__all__ = [
    "AGE_HEADER",
    "Keys",
    "WrongPassphraseError",
    "decrypt",
    "decrypt_stream",
    "encrypt",
    "is_age",
    "keys_from_secret",
    "lock_secret",
    "new_secret",
    "normalised",
    "unlock_secret",
]

# The first line of every age file (the binary format; coach never writes the armored one).
AGE_HEADER = b"age-encryption.org/v1\n"
SECRET_PREFIX = "AGE-SECRET-KEY-1"


class WrongPassphraseError(StorageError):
    """The passphrase does not open the store's identity."""


@dataclass(frozen=True)
class Keys:
    """The unlocked store identity and the recipient that files are encrypted to."""

    identity: Identity
    recipient: Recipient


def is_age(data: bytes) -> bool:
    """Whether `data` is an age file (as opposed to coach's plain TOML)."""
    return data.startswith(AGE_HEADER)


def new_secret() -> str:
    """A new X25519 identity, as age's AGE-SECRET-KEY-1... string."""
    from pyrage import x25519

    return str(x25519.Identity.generate())


def keys_from_secret(secret: str, where: str) -> Keys:
    """The keys of an AGE-SECRET-KEY-1... string; StorageError naming `where` if it is not one."""
    from pyrage import IdentityError, x25519

    text = secret.strip()
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    try:
        if len(lines) != 1 or not lines[0].startswith(SECRET_PREFIX):
            raise IdentityError("no AGE-SECRET-KEY-1 line")
        identity = x25519.Identity.from_str(lines[0])
    except IdentityError:
        raise StorageError(
            f"{where} does not hold an age identity (one AGE-SECRET-KEY-1... line)"
        ) from None
    return Keys(identity, identity.to_public())


def normalised(passphrase: str) -> str:
    """The passphrase in Unicode NFC: "é" typed as one character or as "e" and a combining
    accent (keyboards and systems differ) is one passphrase."""
    import unicodedata

    return unicodedata.normalize("NFC", passphrase)


def lock_secret(secret: str, passphrase: str) -> bytes:
    """The identity as an age file encrypted with the passphrase (scrypt recipient), in NFC."""
    from pyrage import passphrase as scrypt

    return bytes(scrypt.encrypt(f"{secret}\n".encode(), normalised(passphrase)))


def unlock_secret(locked: bytes, passphrase: str, where: str) -> str:
    """The identity inside a passphrase-encrypted age file; WrongPassphraseError if it does
    not open (a wrong passphrase, or a file that is not a passphrase-encrypted age file).

    The passphrase is tried in NFC first (how coach locks it), then as typed: a store locked
    before coach normalised passphrases keeps opening with the passphrase typed as then."""
    from pyrage import DecryptError
    from pyrage import passphrase as scrypt

    tries = dict.fromkeys([normalised(passphrase), passphrase])  # one try when they are equal
    for attempt in tries:
        try:
            return bytes(scrypt.decrypt(locked, attempt)).decode("utf-8")
        except (DecryptError, UnicodeDecodeError):
            continue
    raise WrongPassphraseError(
        f"wrong passphrase: it does not open {where}; nothing was changed"
    ) from None


def encrypt(data: bytes, keys: Keys) -> bytes:
    """`data` as an age file for the store's recipient."""
    import pyrage

    return bytes(pyrage.encrypt(data, [keys.recipient]))


def decrypt_stream(source: BinaryIO, target: BinaryIO, keys: Keys, where: str) -> None:
    """Decrypt an age file from `source` into `target` a chunk at a time: a large file (the
    index) is never held twice in memory. StorageError naming `where` if it does not open."""
    import pyrage

    try:
        pyrage.decrypt_io(source, target, [keys.identity])
    except pyrage.DecryptError as exc:
        raise StorageError(
            f"cannot decrypt {where}: {exc} (is it from another store, or damaged?)"
        ) from None


def decrypt(data: bytes, keys: Keys, where: str) -> bytes:
    """The plaintext of an age file; StorageError naming `where` if it does not open."""
    import pyrage

    try:
        return bytes(pyrage.decrypt(data, [keys.identity]))
    except pyrage.DecryptError as exc:
        raise StorageError(
            f"cannot decrypt {where}: {exc} (is it from another store, or damaged?)"
        ) from None
