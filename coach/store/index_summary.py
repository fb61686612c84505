"""The index's summary of a session file: quick for coach's own layout, exact for any.

Split from coach.store.format, which owns the layout: this module only reads what the index
lists (the [session] table, the check-in totals and the couple's scores), cutting those tables
out of coach's own files rather than parsing every answer, and falls back to a full load for
anything else. Pure: no file system.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coach.base.document import parse
from coach.base.errors import DataError
from coach.content import TARGETS, load_content
from coach.domain.checkin import complete_total
from coach.domain.session import SCHEMA_VERSION, Session
from coach.store.format import (
    SessionDoc,
    check_id,
    checkin_section,
    checkin_shared,
    session_from_text,
    session_head,
)


def _complete_totals(
    checkin: dict[str, dict[str, int]], shared: Mapping[str, bool]
) -> dict[str, int]:
    """CSI-4 totals of the partners who answered every item (a draft may hold fewer), and only
    when both partners agreed to show them to both: the index feeds the views the couple sees
    (history, trends, couples, reports). The facilitator's own view reads the file itself."""
    if not all(shared.get(p) is True for p in ("a", "b")):
        return {}
    totals = {partner: complete_total(items) for partner, items in checkin.items()}
    return {partner: total for partner, total in totals.items() if total is not None}


def _withheld(checkin: dict[str, dict[str, int]], shared: Mapping[str, bool]) -> tuple[str, ...]:
    """The partners whose complete CSI-4 total exists but is left out of the couple's views
    (not both said yes): the views then say "hidden", which "no check-in" is not."""
    if all(shared.get(p) is True for p in ("a", "b")):
        return ()
    return tuple(p for p in sorted(checkin) if complete_total(checkin[p]) is not None)


@dataclass(frozen=True)
class SessionSummary:
    """What the index keeps about one session."""

    id: str
    created: datetime
    finished: datetime | None
    couple: str
    partners: dict[str, str]
    steps: tuple[int, ...]
    answered: int
    # partner -> CSI-4 total, for partners who did the check-in, when both agreed to show them
    checkin_totals: dict[str, int]
    checkin_hidden: tuple[str, ...]  # partners whose total exists but both did not agree to show
    scores: dict[str, float]  # target -> couple score, for targets the results hold

    @classmethod
    def of(cls, session: Session) -> SessionSummary:
        return cls(
            id=session.id,
            created=session.created,
            finished=session.finished,
            couple=session.couple,
            partners=dict(session.partners),
            steps=tuple(session.steps),
            answered=len(session.answers),
            checkin_totals=_complete_totals(session.checkin, session.checkin_shared),
            checkin_hidden=_withheld(session.checkin, session.checkin_shared),
            scores=couple_scores(session.results),
        )


def couple_scores(results: Mapping[str, Any] | None) -> dict[str, float]:
    """Each target's couple score in stored results (the rule engine's `couple` table)."""
    couple = results.get("couple") if isinstance(results, Mapping) else None
    if not isinstance(couple, Mapping):
        return {}
    scores: dict[str, float] = {}
    for target in TARGETS:
        entry = couple.get(target)
        score = entry.get("score") if isinstance(entry, Mapping) else None
        if isinstance(score, int | float) and not isinstance(score, bool) and math.isfinite(score):
            scores[target] = float(score)
    return scores


# A line starting like no line coach writes (blank, comment, header, `key = value`, indented
# array item, closing bracket), or an indented header, which could hide where a table starts.
_ODD_LINE = re.compile(r"""\n(?:[ \t]+\[|[^ \t\n#\[\]A-Za-z0-9_"'-])""")
_TABLE_HEADER = re.compile(r"\[[ \t]*([^\]\n]*?)[ \t]*\][ \t]*(?:#[^\n]*)?\n")
_WHOLE_TABLE = re.compile(r"session(\.partners)?|checkin(\.[ab]|\.shared)?")
_SCORE_TABLE = re.compile(r"results\.couple\.[^.]+")
_SCORE_LINE = re.compile(r"^score[ \t]*=.*\n", re.MULTILINE)
_SUMMARY_KEYS = frozenset({"schema_version", "session", "checkin", "results"})


@dataclass(frozen=True)
class _Parts:
    text: str
    answers: int
    has_results: bool


def _tables(text: str, prefix: str) -> Iterator[tuple[re.Match[str] | None, int, int]]:
    """Each [table] whose header line starts with `prefix`: its header (None when malformed) and
    where it starts and ends. A table ends where the next line starting with "[" begins."""
    start = text.find("\n" + prefix)
    while start != -1:
        end = text.find("\n[", start + 1)
        end = len(text) if end == -1 else end + 1
        yield _TABLE_HEADER.match(text, start + 1), start + 1, end
        start = text.find("\n" + prefix, end - 1)


def _summary_parts(text: str) -> _Parts | None:
    """What the summary needs, cut from a file in coach's own layout, or None.

    That is the [session] and check-in tables and each couple score line of the results: a few
    dozen of a finished session's hundreds of lines. Parsing only these is what keeps indexing
    well under a millisecond per file. Any sign of another layout returns None, and the caller
    parses the whole file instead.
    """
    first = text.find("\n[")
    if first == -1 or not text.endswith("\n") or _ODD_LINE.search(text):
        return None
    pieces = [text[: first + 1]]
    for prefix in ("[session", "[checkin"):
        for header, start, end in _tables(text, prefix):
            if header is None or not _WHOLE_TABLE.fullmatch(header.group(1)):
                return None
            pieces.append(text[start:end])
    for header, _start, end in _tables(text, "[results.couple."):
        if header is None:
            return None
        if _SCORE_TABLE.fullmatch(header.group(1)):
            pieces.append(header.group(0))
            pieces += _SCORE_LINE.findall(text, header.end(), end)
    return _Parts("".join(pieces), text.count("\n[[answers]]\n"), "\n[results" in text)


def _quick_summary(text: str, filename: str, expected_id: str | None) -> SessionSummary | None:
    parts = _summary_parts(text)
    if parts is None:
        return None
    try:
        data = parse(parts.text, filename)
    except DataError:
        return None  # the full load reports it, with the right line
    version = data.get("schema_version")
    scores = couple_scores(data.get("results"))
    # Keys outside the cut tables, or results whose scores were not where coach puts them, mean
    # a layout the cut may have misread.
    if (
        type(version) is not int
        or version != SCHEMA_VERSION
        or not data.keys() <= _SUMMARY_KEYS
        or not isinstance(data.get("results", {}), dict)
        or (parts.has_results and not scores)
    ):
        return None
    doc = SessionDoc(filename, text)
    content = load_content()
    head = session_head(doc, data, content)
    check_id(doc, head["id"], expected_id)
    checkin = checkin_section(doc, data, content, draft=head["finished"] is None)
    shared = checkin_shared(doc, data)
    return SessionSummary(
        id=head["id"],
        created=head["created"],
        finished=head["finished"],
        couple=head["couple"],
        partners=head["partners"],
        steps=tuple(head["steps"]),
        answered=parts.answers,
        checkin_totals=_complete_totals(checkin, shared),
        checkin_hidden=_withheld(checkin, shared),
        scores=scores,
    )


def summary_from_text(
    text: str, filename: str, *, expected_id: str | None = None
) -> SessionSummary:
    """The index's summary of a session file: quick for coach's own layout, exact for any.

    The quick path checks the [session] table and the check-in as strictly as a full load; the
    answers are counted, not checked (`coach show` checks them when it loads the file).
    """
    summary = _quick_summary(text, filename, expected_id)
    if summary is None:
        summary = SessionSummary.of(session_from_text(text, filename, expected_id=expected_id))
    return summary
