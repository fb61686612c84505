"""Anonymised copies of what is exported, safe to hand over: names become "Partner A" and
"Partner B" everywhere, and free text is left out. Every format writes the copy as it writes
the original; nothing here knows about formats.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from coach.app.reports import CoupleReport
from coach.content import Content
from coach.domain.session import Session

ANONYMOUS = {"a": "Partner A", "b": "Partner B"}


def name_replacer(partners: Mapping[str, str]) -> Callable[[str], str]:
    """A function that puts "Partner A"/"Partner B" for each partner's name inside any text.

    Whole words only, any case, longer names first (so "Anna" is not caught as "Ann" + "a").
    """
    pairs = sorted(
        ((partners[p].strip(), ANONYMOUS[p]) for p in ("a", "b") if partners.get(p, "").strip()),
        key=lambda pair: -len(pair[0]),
    )
    if not pairs:
        return lambda text: text
    lookup = {name.casefold(): label for name, label in pairs}
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(name) for name, _ in pairs) + r")(?!\w)",
        re.IGNORECASE,
    )
    return lambda text: pattern.sub(lambda m: lookup.get(m.group(0).casefold(), m.group(0)), text)


def _scrub(value: Any, swap: Callable[[str], str], free_text: frozenset[str]) -> Any:
    """Names out of every string of saved results; free-text answers a rule traced dropped."""
    if isinstance(value, str):
        return swap(value)
    if isinstance(value, list):
        return [_scrub(item, swap, free_text) for item in value]
    if isinstance(value, dict):
        return {
            key: _scrub(item, swap, free_text)
            for key, item in value.items()
            if key not in free_text
        }
    return value


def anonymize(session: Session, content: Content) -> Session:
    """A copy safe to hand over: no names, no free-text answers, no facilitator free text.

    Homework picked from the content's exercises is kept (it is the exercise's title, not
    anyone's words); homework the facilitator wrote is free text and goes. The couple label
    goes too, since it is usually made of the names.
    """
    swap = name_replacer(session.partners)
    free_text = frozenset(p.id for p in content.prompts.values() if p.type == "text")
    titles = {exercise.title for exercise in content.exercises}
    return replace(
        session,
        partners=dict(ANONYMOUS),
        couple="",
        answers=[a for a in session.answers if a.prompt_id not in free_text],
        notes={},
        homework=[h for h in session.homework if h in titles],
        results=_scrub(session.results, swap, free_text) if session.results else None,
    )


def anonymize_report(report: CoupleReport, content: Content) -> CoupleReport:
    """Names out of every row (each row may name the partners differently) and the label."""
    rows = []
    for row in report.rows:
        swap = name_replacer(row.partners)
        rows.append(replace(row, couple="", partners=dict(ANONYMOUS), headline=swap(row.headline)))
    return CoupleReport("", tuple(rows), anonymize(report.latest, content), report.partner_scores)
