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

from coach.base.errors import StorageError

if TYPE_CHECKING:
    from pyrage.x25519 import Identity, Recipient

__all__ = [
    "AGE_HEADER",
    "HEAD_LENGTH",
    "Keys",
    "WrongPassphraseError",
    "binary",
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

# The first line of every age file in the binary format, the one coach writes.
AGE_HEADER = b"age-encryption.org/v1\n"
# `age -a` writes the same file armored: base64 between these lines, as PEM (age's spec,
# "ASCII armor"). coach reads it wherever it reads an age file, and writes binary.
ARMOR_BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
ARMOR_END = b"-----END AGE ENCRYPTED FILE-----"
# Enough of a file's start to tell an age file (either form) from plain text: see is_age.
HEAD_LENGTH = len(ARMOR_BEGIN) + 4
SECRET_PREFIX = "AGE-SECRET-KEY-1"


class WrongPassphraseError(StorageError):
    """The passphrase does not open the store's identity."""


@dataclass(frozen=True)
class Keys:
    """The unlocked store identity and the recipient that files are encrypted to."""

    identity: Identity
    recipient: Recipient


def is_age(data: bytes) -> bool:
    """Whether `data` (a whole file, or at least its first HEAD_LENGTH bytes) is an age file,
    binary or armored, as opposed to coach's plain TOML."""
    return data.startswith(AGE_HEADER) or _is_armored(data)


def _is_armored(data: bytes) -> bool:
    # age allows whitespace before the armor; TOML never starts with a run of dashes.
    return data.lstrip(b" \t\r\n")[: len(ARMOR_BEGIN)] == ARMOR_BEGIN


def binary(data: bytes, where: str) -> bytes:
    """An age file in its binary form: armored data is decoded, binary data returned as it is.
    StorageError naming `where` if the armor is damaged."""
    if not _is_armored(data):
        return data
    import base64
    import binascii

    lines = data.strip().splitlines()
    if len(lines) < 2 or lines[0].strip() != ARMOR_BEGIN or lines[-1].strip() != ARMOR_END:
        raise StorageError(f"cannot decrypt {where}: its age armor has no end line (damaged?)")
    try:
        return base64.b64decode(b"".join(line.strip() for line in lines[1:-1]), validate=True)
    except binascii.Error:
        damaged = f"cannot decrypt {where}: its age armor is not base64 (damaged?)"
        raise StorageError(damaged) from None


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

    opened = binary(locked, where)  # an identity armored with age -a reads the same
    tries = dict.fromkeys([normalised(passphrase), passphrase])  # one try when they are equal
    for attempt in tries:
        try:
            return bytes(scrypt.decrypt(opened, attempt)).decode("utf-8")
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
    index) is never held twice in memory (an armored one, which coach never writes, is read
    whole first). StorageError naming `where` if it does not open."""
    import io

    import pyrage

    head = source.read(HEAD_LENGTH)
    if _is_armored(head):
        source = io.BytesIO(binary(head + source.read(), where))
    else:
        source.seek(-len(head), io.SEEK_CUR)
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
        return bytes(pyrage.decrypt(binary(data, where), [keys.identity]))
    except pyrage.DecryptError as exc:
        raise StorageError(
            f"cannot decrypt {where}: {exc} (is it from another store, or damaged?)"
        ) from None
