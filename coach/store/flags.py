"""The facilitator's private record of "follow up individually" flags.

In facilitated mode, a disclosure in a partner's private check adds one flag: the couple's label,
the time and the words "follow up individually". Never the answers, never which item, never
which partner: the facilitator follows up with each partner alone. The record is one file in
the data directory, `facilitator/flags.toml` (0600, in a 0700 folder), sealed with the store
when it is encrypted. It is not a session: history, trends, the index and couple exports never
read it. `coach flags` lists the open flags, `coach flags close ID` closes one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from coach.base import paths
from coach.base.errors import DataError

FLAGS_DIR: Final = "facilitator"
FLAGS_FILE: Final = "flags.toml"
FOLLOW_UP: Final = "follow up individually"


@dataclass
class Flag:
    id: str
    created: datetime
    couple: str
    closed: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.closed is None


def flags_path() -> Path:
    return paths.data_dir() / FLAGS_DIR / FLAGS_FILE


def _where() -> str:
    return f"{FLAGS_DIR}/{FLAGS_FILE}"


def _parse(text: str) -> list[Flag]:
    from coach.base.document import parse

    data = parse(text, _where())
    raw = data.get("flag", [])
    if not isinstance(raw, list):
        raise DataError(f"{_where()}: flag: must be a list of [[flag]] tables")
    found = []
    for index, table in enumerate(raw):
        where = f"{_where()}: flag[{index}]"
        if not isinstance(table, dict):
            raise DataError(f"{where}: must be a table")
        ident, created, couple = table.get("id"), table.get("created"), table.get("couple")
        closed = table.get("closed")
        if not isinstance(ident, str) or not ident:
            raise DataError(f"{where}.id: must be non-empty text")
        if not isinstance(created, datetime):
            raise DataError(f"{where}.created: must be a date and time")
        if not isinstance(couple, str):
            raise DataError(f"{where}.couple: must be text")
        if closed is not None and not isinstance(closed, datetime):
            raise DataError(f"{where}.closed: must be a date and time")
        found.append(Flag(ident, created, couple, closed))
    return found


def read_flags() -> list[Flag]:
    """Every flag, oldest first; none when the record does not exist yet."""
    from coach.store import vault

    path = flags_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as error:
        raise DataError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        text = vault.open_bytes(data, str(path)).decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(f"{path}: is not UTF-8 text") from None
    return _parse(text)


def _write(flags: list[Flag]) -> None:
    import tomli_w

    from coach.store import disk, vault

    root = disk.ensure_data_dir()
    folder = root / FLAGS_DIR
    disk.private_dir(folder, root)
    entries: list[dict[str, Any]] = []
    for flag in flags:
        entry: dict[str, Any] = {
            "id": flag.id,
            "created": flag.created,
            "couple": flag.couple,
            "note": FOLLOW_UP,
        }
        if flag.closed is not None:
            entry["closed"] = flag.closed
        entries.append(entry)
    text = "# The facilitator's follow-up flags (coach flags). Never the answers.\n"
    text += tomli_w.dumps({"flag": entries})
    disk.atomic_write_bytes(flags_path(), vault.seal(text.encode("utf-8")))


def add_flag(couple: str, when: datetime) -> Flag:
    """Record one open "follow up individually" flag for this couple."""
    flags = read_flags()
    flag = Flag(f"{when.strftime('%Y%m%d')}-{secrets.token_hex(2)}", when, couple)
    _write([*flags, flag])
    return flag


def close_flag(ref: str, when: datetime) -> Flag:
    """Close the open flag `ref` names (its id or a unique prefix)."""
    flags = read_flags()
    matches = [f for f in flags if f.is_open and f.id.startswith(ref)]
    if not ref or len(matches) != 1:
        shown = ", ".join(f.id for f in flags if f.is_open) or "none"
        problem = "matches more than one" if matches else "is not an open flag"
        raise DataError(f'flag "{ref}" {problem}; open flags: {shown}')
    matches[0].closed = when
    _write(flags)
    return matches[0]
