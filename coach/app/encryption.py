"""Encryption at rest, as `coach vault init`, `encrypt`, `decrypt` and `passphrase` decide it:
what each refuses, in which order the store is unlocked and converted, and when the keyring is
updated. The asking (a new passphrase, a confirmation, the recovery identity) is the caller's,
handed in as functions; the work is coach.store.convert and coach.store.vault.
See docs/encryption.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coach.base.errors import UsageError

if TYPE_CHECKING:
    from coach.store.convert import Converted
    from coach.store.crypto import Keys

COUNTRY_CODE = re.compile(r"[A-Z]{2}(-[A-Z]{3})?")


@dataclass(frozen=True)
class Done:
    """The data directory, and what a conversion changed (None when there was nothing to do)."""

    root: Path
    converted: Converted | None


def data_directory() -> Path:
    """The data directory, made (0700) when it is not there yet."""
    from coach.store import disk

    return disk.ensure_data_dir()


def is_encrypted() -> bool:
    from coach.store import vault

    return vault.is_encrypted()


def save_country(country: str) -> str:
    """Keep the country whose support lines come first; its normal code (GB, US, GB-SCT)."""
    from coach.domain.support import normal_country
    from coach.store.settings import save_country as save

    code = normal_country(country)
    if not COUNTRY_CODE.fullmatch(code):
        raise UsageError(
            f'--country takes a country code such as GB, US or GB-SCT, not "{country}"'
        )
    save(code)
    return code


def encrypt_new_store(root: Path, new_passphrase: Callable[[], str]) -> Keys:
    """An identity for a data directory that holds nothing yet (init --encrypt): one already
    encrypted, or holding sessions, is refused before `new_passphrase` is asked."""
    from coach.store import convert, files, vault

    if vault.is_encrypted():
        raise UsageError(
            f"{root} is already encrypted; coach vault passphrase changes the passphrase"
        )
    if next(files.iter_session_files(), None) is not None:
        raise UsageError(f"{root} already holds sessions; coach vault encrypt encrypts them")
    return convert.create_identity(new_passphrase())


def encrypt_store(new_passphrase: Callable[[], str], on_new_keys: Callable[[Keys], None]) -> Done:
    """Encrypt every session, draft and the index. A store a previous run began is unlocked and
    finished; otherwise an identity is made first (`new_passphrase`, then `on_new_keys` with it,
    before any file changes)."""
    from coach.store import convert, vault

    root = data_directory()  # unlocks when a previous run already made the identity
    if vault.is_encrypted():
        keys = vault.keys()
    else:
        keys = convert.create_identity(new_passphrase())
        on_new_keys(keys)
    return Done(root, convert.encrypt_store(keys))


def decrypt_store(confirm: Callable[[Path], None]) -> Done:
    """Every file plain text (0600) again, once unlocked and `confirm`ed (which raises to stop);
    nothing to do for a store that is not encrypted."""
    from coach.store import convert, vault

    root = data_directory()
    if not vault.is_encrypted():
        return Done(root, None)
    keys = vault.keys()
    confirm(root)
    return Done(root, convert.decrypt_store(keys))


def change_passphrase(new_passphrase: Callable[[], str], keyring: bool) -> Path:
    """A new passphrase for an encrypted store (unlocked with the old one first); kept in the OS
    keyring when `keyring`, or when the keyring holds the old one (never left stale there)."""
    from coach.store import convert, vault

    root = data_directory()
    if not vault.is_encrypted():
        raise UsageError(f"{root} is not encrypted; coach vault encrypt turns encryption on")
    keys = vault.keys()
    new = new_passphrase()
    convert.change_passphrase(keys, new)
    if keyring or vault.keyring_passphrase() is not None:
        vault.keep_in_keyring(new)
    return root
