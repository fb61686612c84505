"""Upgrades of older session file layouts, one schema version at a time.

MIGRATIONS maps a schema version to the function that lifts a parsed file from that version to the
next one. Loading applies them in turn, so a file of any older version reaches the current one, and
a future layout change only adds an entry here. A migration works on plain parsed TOML data and
leaves judging it to the loader: it moves what it finds and never raises, so that a damaged old
file still gets the loader's precise one-line message.

Schema 0 is the pre-release layout:

    version = 0
    [session]
    id = "20240501-201500-a1b2c3"
    created = "2024-05-01T20:15:00+02:00"     # ISO 8601 strings, not TOML date-times
    partner_a = "Sam"                          # two strings instead of a partners table
    partner_b = "Alex"
    ...                                        # the other [session] keys as in schema 1
    [[answers]]
    id = "s1.a.greeted_warmly"                 # `id`, not `prompt`
    partner = "a"
    value = 4
    time = "2024-05-01T20:16:02+02:00"
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeAlias

Migration: TypeAlias = Callable[[dict[str, Any]], dict[str, Any]]


def _moment(value: Any) -> Any:
    """An ISO 8601 string as a datetime; anything else unchanged for the loader to report."""
    if not isinstance(value, str):
        return value
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return value


def _answer_from_0(answer: Any) -> Any:
    if not isinstance(answer, dict):
        return answer
    upgraded = {("prompt" if key == "id" else key): value for key, value in answer.items()}
    if "time" in upgraded:
        upgraded["time"] = _moment(upgraded["time"])
    return upgraded


def _session_from_0(session: Any) -> Any:
    if not isinstance(session, dict):
        return session
    upgraded = dict(session)
    names = {
        partner: upgraded.pop(f"partner_{partner}")
        for partner in ("a", "b")
        if f"partner_{partner}" in upgraded
    }
    if names:
        upgraded["partners"] = names
    for key in ("created", "finished"):
        if key in upgraded:
            upgraded[key] = _moment(upgraded[key])
    return upgraded


def _from_0(data: dict[str, Any]) -> dict[str, Any]:
    upgraded = {key: value for key, value in data.items() if key != "version"}
    upgraded["schema_version"] = 1
    if "session" in upgraded:
        upgraded["session"] = _session_from_0(upgraded["session"])
    if isinstance(upgraded.get("answers"), list):
        upgraded["answers"] = [_answer_from_0(answer) for answer in upgraded["answers"]]
    return upgraded


MIGRATIONS: dict[int, Migration] = {0: _from_0}


def migrate(data: dict[str, Any], version: int) -> dict[str, Any]:
    """Lift parsed data of `version` to the current schema version, one migration at a time."""
    while version in MIGRATIONS:
        data = MIGRATIONS[version](data)
        version += 1
    return data
