"""Helpers for the encryption tests: identities locked with a passphrase, installed in a
test's data directory with their keys remembered as if the passphrase had been typed.

An identity made here is locked with a low scrypt work factor (age_scrypt.py says why), so
that a test which unlocks it, in-process or through a coach command, takes milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from age_scrypt import passphrase_encrypt

from coach.base import paths
from coach.store import crypto, vault
from coach.store.crypto import Keys

PASSPHRASE = "correct horse battery"


@dataclass(frozen=True)
class Identity:
    secret: str
    locked: bytes  # identity.age: the secret under PASSPHRASE, with a low work factor
    keys: Keys


def make_identity() -> Identity:
    secret = crypto.new_secret()
    return Identity(
        secret,
        passphrase_encrypt(f"{secret}\n".encode(), PASSPHRASE),
        crypto.keys_from_secret(secret, "test identity"),
    )


def install(identity: Identity) -> Path:
    """Make the current data directory an encrypted store with this identity, unlocked."""
    from coach.store.disk import PRIVATE_FILE, ensure_data_dir

    ensure_data_dir()
    vault.public_path().write_text(f"{identity.keys.recipient}\n", encoding="utf-8")
    path = vault.identity_path()
    path.write_bytes(identity.locked)
    path.chmod(PRIVATE_FILE)
    vault.remember(identity.keys)
    return paths.data_dir()


def private_file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def every_file(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())
