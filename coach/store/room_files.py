"""Two terminals (issue 22): the room folder's files, each partner's room key, and each
partner's own record of a room in their data directory.

The room folder is shared; nothing in it is plain text that names a person, a label or an
answer (coach.domain.room). Every file coach writes there is created whole and never replaced
(0600, directories 0700): a sealed document cannot be changed or swapped for another by coach.
The partner's own side lives in their data directory, sealed like the store (coach.store.vault):
  room-identity        the partner's age X25519 identity for rooms, made on first use
  rooms/<room>.toml    this partner's record of a room: the keys pinned at pairing, the draft
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from coach.base import paths
from coach.base.errors import DataError, StorageError, warn
from coach.store import crypto, vault
from coach.store.disk import (
    PRIVATE_FILE,
    atomic_write_bytes,
    ensure_data_dir,
    exclusive_create_bytes,
    private_dir,
    remove_quietly,
)

IDENTITY_FILE = "room-identity"
ROOMS_DIR = "rooms"
# A room document is a few kilobytes; a packet with long free text a few tens.
MAX_ROOM_FILE = 1024 * 1024


# --- the partner's room key ---------------------------------------------------------------------


def identity_path() -> Path:
    return paths.data_dir() / IDENTITY_FILE


def room_keys(*, create: bool = True) -> crypto.Keys:
    """This partner's room identity, made on first use (sealed like the store: locked by the
    store's passphrase when it is encrypted). A file others may read is used, with a warning."""
    path = identity_path()
    ensure_data_dir()
    if not path.exists():
        if not create:
            raise DataError(f"no room key in {paths.data_dir()}")
        secret = crypto.new_secret()
        try:
            exclusive_create_bytes(path, vault.seal(f"{secret}\n".encode()))
        except StorageError:
            if not path.exists():
                raise
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        data = path.read_bytes()
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if mode & 0o077:
        warn(f"{path} may be read by others (mode {mode:o}); chmod 600 {path}")
    text = vault.open_bytes(data, str(path)).decode("utf-8", "replace")
    return crypto.keys_from_secret(text, str(path))


def delete_room_key() -> Path | None:
    """Remove this partner's room identity (and their records of rooms); the path, or None."""
    path = identity_path()
    if not path.exists():
        return None
    remove_quietly(path)
    rooms = paths.data_dir() / ROOMS_DIR
    if rooms.is_dir():
        for record in rooms.glob("*.toml"):
            remove_quietly(record)
    return path


# --- sealing to several keys --------------------------------------------------------------------


def seal_to(data: bytes, recipients: list[str]) -> bytes:
    """`data` as an age file for each of these public keys (age1...)."""
    import pyrage
    from pyrage import x25519

    return bytes(pyrage.encrypt(data, [x25519.Recipient.from_str(r) for r in recipients]))


def open_sealed(data: bytes, keys: crypto.Keys, where: str) -> bytes:
    """The plaintext of a sealed room file; DataError naming it when it does not open."""
    import pyrage

    try:
        return bytes(pyrage.decrypt(crypto.binary(data, where), [keys.identity]))
    except (pyrage.DecryptError, StorageError):
        raise DataError(
            f"{where}: cannot be opened with your key: it was changed (tampered or damaged), "
            "or sealed for another couple; it was not used"
        ) from None


def valid_public_key(text: str, where: str) -> str:
    from pyrage import x25519

    key = text.strip()
    try:
        x25519.Recipient.from_str(key)
    except Exception:
        raise DataError(f"{where}: not an age public key (age1...)") from None
    return key


# --- the room folder ----------------------------------------------------------------------------


def make_room_dir(room: Path) -> None:
    try:
        room.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot make the room folder {room}: {exc.strerror or exc}") from None


def read_room_file(path: Path) -> bytes | None:
    """A room file's bytes, or None when it is not there (yet)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise DataError(f"{path}: not a regular file; it was not used")
        if info.st_size > MAX_ROOM_FILE:
            raise DataError(f"{path}: larger than a room file can be; it was not used")
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror or exc}") from None


def write_room_file(path: Path, data: bytes) -> bool:
    """Create a room file whole, never replacing one (False when it already exists)."""
    if path.exists():
        return False
    try:
        exclusive_create_bytes(path, data)
    except StorageError:
        if path.exists():
            return False
        raise
    return True


def room_exists(room: Path) -> bool:
    return room.is_dir()


def numbered(room: Path, stem: str) -> list[int]:
    """The numbers N of the files STEM.N.age in the room (decisions), sorted."""
    try:
        names = os.listdir(room)
    except OSError:
        return []
    found = []
    for name in names:
        head, _, tail = name.partition(stem + ".")
        number = tail.removesuffix(".age")
        if not head and tail.endswith(".age") and number.isdigit():
            found.append(int(number))
    return sorted(found)


# --- this partner's record of a room (in their own data directory) ------------------------------


def record_path(room_id: str) -> Path:
    return paths.data_dir() / ROOMS_DIR / f"{room_id}.toml"


def load_record(room_id: str) -> bytes | None:
    path = record_path(room_id)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror or exc}") from None
    return vault.open_bytes(data, str(path))


def save_record(room_id: str, data: bytes) -> Path:
    root = ensure_data_dir()
    path = record_path(room_id)
    private_dir(path.parent, root)
    atomic_write_bytes(path, vault.seal(data))
    os.chmod(path, PRIVATE_FILE)
    return path


def remove_record(room_id: str) -> None:
    remove_quietly(record_path(room_id))
