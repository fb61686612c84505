"""Clinician measures: licensed screening instruments a clinician adds to the private check.

A measure is a TOML file in `measures/` of the data directory, checked on load like a rule pack
(a problem is one line naming the file and the key). Each partner answers every measure alone,
inside the private check; a total at or above the cut-off counts as a disclosure. The answers
are never stored, like the rest of the check. Only the clinician can vouch for the licence: coach
shows the `permission` text they give and never ships a measure itself. Format:

    name = "Example screen"                 # shown above its items
    citation = "Author et al. 2001"         # shown in small print
    permission = "Licensed to ... for ..."  # the clinician's licence or the authors' permission
    cutoff = 2                              # positive when the total reaches it

    [[item]]
    id = "q1"
    text = "In the past year, ...?"         # {self} and {other} become the partners' names
    answers = ["No", "Yes"]                 # typed by number, from 1
    scores = [0, 1]                         # optional: each answer's score (default 0, 1, 2 ...)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from coach.base.errors import DataError, did_you_mean

MEASURES_DIR: Final = "measures"
_TOP_KEYS: Final = frozenset({"name", "citation", "permission", "cutoff", "item"})
_ITEM_KEYS: Final = frozenset({"id", "text", "answers", "scores"})


@dataclass(frozen=True)
class MeasureItem:
    id: str
    text: str
    answers: tuple[str, ...]
    scores: tuple[int, ...]


@dataclass(frozen=True)
class Measure:
    file: str
    name: str
    citation: str
    permission: str
    cutoff: int
    items: tuple[MeasureItem, ...]

    def total(self, chosen: Mapping[str, int]) -> int:
        """The total score; `chosen` maps item id -> the index of the answer chosen.
        An unanswered item scores its highest: when in doubt, stay safe."""
        return sum(
            item.scores[chosen[item.id]] if item.id in chosen else max(item.scores)
            for item in self.items
        )

    def positive(self, chosen: Mapping[str, int]) -> bool:
        return self.total(chosen) >= self.cutoff


def _fail(filename: str, key: str, problem: str) -> DataError:
    return DataError(f"{filename}: {key}: {problem}")


def _text(filename: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(filename, key, "must be non-empty text")
    return value


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _item(filename: str, where: str, table: Any) -> MeasureItem:
    if not isinstance(table, dict):
        raise _fail(filename, where, "must be a table")
    for key in table:
        if key not in _ITEM_KEYS:
            raise _fail(filename, f"{where}.{key}", f"unknown key{did_you_mean(key, _ITEM_KEYS)}")
    answers = table.get("answers")
    if (
        not isinstance(answers, list)
        or len(answers) < 2
        or not all(isinstance(a, str) and a.strip() for a in answers)
    ):
        raise _fail(filename, f"{where}.answers", "must be a list of two or more answers")
    scores = table.get("scores", list(range(len(answers))))
    if not isinstance(scores, list) or not all(_whole(s) for s in scores):
        raise _fail(filename, f"{where}.scores", "must be a list of whole numbers")
    if len(scores) != len(answers):
        raise _fail(filename, f"{where}.scores", f"needs one score per answer ({len(answers)})")
    return MeasureItem(
        id=_text(filename, f"{where}.id", table.get("id")),
        text=_text(filename, f"{where}.text", table.get("text")),
        answers=tuple(answers),
        scores=tuple(scores),
    )


def parse_measure(data: dict[str, Any], filename: str) -> Measure:
    """A measure from its parsed file; DataError naming the file and the key at fault."""
    for key in data:
        if key not in _TOP_KEYS:
            raise _fail(filename, key, f"unknown key{did_you_mean(key, _TOP_KEYS)}")
    raw = data.get("item")
    if not isinstance(raw, list) or not raw:
        raise _fail(filename, "item", "needs one or more [[item]] tables")
    items = tuple(_item(filename, f"item[{i}]", t) for i, t in enumerate(raw))
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.id in seen:
            raise _fail(filename, f"item[{index}].id", f'"{item.id}" is used twice')
        seen.add(item.id)
    cutoff = data.get("cutoff")
    if not isinstance(cutoff, int) or isinstance(cutoff, bool):
        raise _fail(filename, "cutoff", "must be a whole number: positive at or above it")
    most = sum(max(i.scores) for i in items)
    if not 0 < cutoff <= most:
        raise _fail(filename, "cutoff", f"must be from 1 to {most}, the highest total")
    return Measure(
        file=filename,
        name=_text(filename, "name", data.get("name")),
        citation=_text(filename, "citation", data.get("citation")),
        permission=_text(filename, "permission", data.get("permission")),
        cutoff=cutoff,
        items=items,
    )


def measures_dir(root: Path) -> Path:
    return root / MEASURES_DIR


def load_measures(root: Path) -> tuple[Measure, ...]:
    """Every measure in `root`/measures, by file name; none when the folder does not exist."""
    from coach.base.document import parse
    from coach.store import vault

    folder = measures_dir(root)
    if not folder.is_dir():
        return ()
    found = []
    for path in sorted(folder.glob("*.toml")):
        shown = f"{MEASURES_DIR}/{path.name}"
        try:
            data = vault.open_bytes(path.read_bytes(), shown)
            text = data.decode("utf-8")
        except OSError as error:
            raise DataError(f"{shown}: cannot be read ({error.strerror or error})") from None
        except UnicodeDecodeError:
            raise DataError(f"{shown}: is not UTF-8 text") from None
        found.append(parse_measure(parse(text, shown), shown))
    return tuple(found)
