"""The private check's content (check.toml) and the support lines (support.toml), checked on load.

Pure: no Typer, Rich or questionary. The flow that asks the check is coach.ask.guided; what its
answers decide is coach.domain.pathway; which lines a partner sees is coach.domain.support.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from coach.base.errors import DataError

CHECK_FILE: Final = "check.toml"
SUPPORT_FILE: Final = "support.toml"
TOPICS: Final = ("physical_harm", "fear", "threats", "coercive_control", "self_harm")
SELF_HARM: Final = "self_harm"
LINE_KINDS: Final = ("emergency", "abuse", "crisis", "anywhere")
_CHOICE_KEYS: Final = ("question", "full", "short", "stop")
_REPLY_KEYS: Final = ("title", "disclosed", "text", "crisis", "acute", "forced")
OWN_ITEMS: Final = "coach"  # the source of an item coach wrote: an unvalidated screen


@dataclass(frozen=True)
class CheckItem:
    """One yes/no question of the check; a yes is a disclosure."""

    id: str
    topic: str
    source: str  # a reference id, or "coach" (unvalidated)
    text: str

    @property
    def self_harm(self) -> bool:
        return self.topic == SELF_HARM


@dataclass(frozen=True)
class CheckChoice:
    question: str
    full: str
    short: str
    stop: str


@dataclass(frozen=True)
class CheckReply:
    title: str
    disclosed: str
    text: str
    crisis: str
    acute: str
    forced: str


@dataclass(frozen=True)
class Check:
    version: str
    title: str
    intro: str
    self_harm_lead: str
    items: tuple[CheckItem, ...]
    acuity: CheckItem
    choice: CheckChoice
    reply: CheckReply

    @property
    def harm_items(self) -> tuple[CheckItem, ...]:
        return tuple(i for i in self.items if not i.self_harm)

    @property
    def self_harm_items(self) -> tuple[CheckItem, ...]:
        return tuple(i for i in self.items if i.self_harm)


@dataclass(frozen=True)
class SupportLine:
    countries: tuple[str, ...]  # empty for a line that serves every country
    kind: str
    text: str


@dataclass(frozen=True)
class Support:
    lines: tuple[SupportLine, ...]
    # The line `coach run` prints on standard error on every run, whatever was answered.
    scripted: str = ""

    @property
    def countries(self) -> frozenset[str]:
        return frozenset(c for line in self.lines for c in line.countries)


def _fail(filename: str, where: str, problem: str) -> DataError:
    return DataError(f"{filename}: {where}: {problem}")


def _text(filename: str, where: str, table: dict[str, Any], key: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(filename, f"{where}{key}", "must be non-empty text")
    return value


def _known(filename: str, where: str, table: dict[str, Any], allowed: set[str]) -> None:
    from coach.base.errors import did_you_mean

    for key in table:
        if key not in allowed:
            raise _fail(filename, f"{where}{key}", f"unknown key{did_you_mean(key, allowed)}")


def _table(filename: str, data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise _fail(filename, key, "must be a table")
    return value


def _item(
    filename: str, where: str, table: dict[str, Any], references: set[str], *, acuity: bool = False
) -> CheckItem:
    _known(filename, where, table, {"id", "source", "text"} | (set() if acuity else {"topic"}))
    topic = SELF_HARM if acuity else _text(filename, where, table, "topic")
    if topic not in TOPICS:
        raise _fail(filename, f"{where}topic", f'"{topic}" is not one of {", ".join(TOPICS)}')
    source = _text(filename, where, table, "source")
    if source != OWN_ITEMS and source not in references:
        raise _fail(
            filename, f"{where}source", f'"{source}" is not "coach" or a references.toml id'
        )
    return CheckItem(
        _text(filename, where, table, "id"), topic, source, _text(filename, where, table, "text")
    )


def parse_check(data: dict[str, Any], references: set[str], filename: str = CHECK_FILE) -> Check:
    """The check from its parsed file; DataError naming the file and key at fault."""
    top = {"version", "title", "intro", "self_harm_lead", "item", "acuity", "choice", "reply"}
    _known(filename, "", data, top)
    raw = data.get("item")
    if not isinstance(raw, list) or not raw or not all(isinstance(t, dict) for t in raw):
        raise _fail(filename, "item", "must be one or more [[item]] tables")
    items = tuple(_item(filename, f"item[{i}].", t, references) for i, t in enumerate(raw))
    ids = [i.id for i in items]
    for index, item_id in enumerate(ids):
        if item_id in ids[:index]:
            raise _fail(filename, f"item[{index}].id", f'"{item_id}" is used twice')
    covered = {i.topic for i in items}
    missing = [t for t in TOPICS if t not in covered]
    if missing:
        raise _fail(filename, "item", f"no item covers {', '.join(missing)}")
    topics = [i.topic for i in items]
    first_self_harm = topics.index(SELF_HARM)
    if any(t != SELF_HARM for t in topics[first_self_harm:]):
        raise _fail(filename, "item", "the self_harm items come last")
    choice = _table(filename, data, "choice")
    _known(filename, "choice.", choice, set(_CHOICE_KEYS))
    reply = _table(filename, data, "reply")
    _known(filename, "reply.", reply, set(_REPLY_KEYS))
    acuity = _table(filename, data, "acuity")
    return Check(
        version=str(data.get("version", "1")),
        title=_text(filename, "", data, "title"),
        intro=_text(filename, "", data, "intro"),
        self_harm_lead=_text(filename, "", data, "self_harm_lead"),
        items=items,
        acuity=_item(filename, "acuity.", acuity, references, acuity=True),
        choice=CheckChoice(
            *(_text(filename, "choice.", choice, k) for k in CheckChoice.__annotations__)
        ),
        reply=CheckReply(
            *(_text(filename, "reply.", reply, k) for k in CheckReply.__annotations__)
        ),
    )


def parse_support(data: dict[str, Any], filename: str = SUPPORT_FILE) -> Support:
    _known(filename, "", data, {"version", "scripted", "line"})
    raw = data.get("line")
    if not isinstance(raw, list) or not raw or not all(isinstance(t, dict) for t in raw):
        raise _fail(filename, "line", "must be one or more [[line]] tables")
    lines = []
    for index, table in enumerate(raw):
        where = f"line[{index}]."
        _known(filename, where, table, {"countries", "kind", "text"})
        countries = table.get("countries")
        if not isinstance(countries, list) or not all(
            isinstance(c, str) and c.strip() for c in countries
        ):
            raise _fail(filename, f"{where}countries", "must be a list of country codes")
        kind = _text(filename, where, table, "kind")
        if kind not in LINE_KINDS:
            raise _fail(filename, f"{where}kind", f'"{kind}" is not one of {", ".join(LINE_KINDS)}')
        if (kind == "anywhere") != (not countries):
            raise _fail(filename, f"{where}countries", 'is empty exactly for kind "anywhere"')
        lines.append(
            SupportLine(
                tuple(c.upper() for c in countries), kind, _text(filename, where, table, "text")
            )
        )
    return Support(tuple(lines), _text(filename, "", data, "scripted"))


@cache
def load_check() -> Check:
    """The shipped check, checked once per process (sources against references.toml)."""
    from coach.content.loader import _read_toml
    from coach.domain.evidence import load_references
    from coach.domain.translation import in_translation

    with in_translation():
        return parse_check(_read_toml(CHECK_FILE), {r.id for r in load_references()})


@cache
def load_support() -> Support:
    from coach.content.loader import _read_toml
    from coach.domain.translation import in_translation

    with in_translation():
        return parse_support(_read_toml(SUPPORT_FILE))
