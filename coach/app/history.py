"""The saved sessions as the index lists them: a listing, the couples, a rebuild.

Every listing first brings the index up to date with the session files; the files it cannot
read go to `on_problems` (the caller names them) and never stop a listing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from coach.base.errors import UsageError, did_you_mean

if TYPE_CHECKING:
    from coach.app.couples import CoupleSummary
    from coach.store.index import HistoryRow

STATUSES = ("finished", "draft")

# A session file the index could not read, and the one-line reason.
Unreadable: TypeAlias = tuple[Path, str]
ProblemSink: TypeAlias = Callable[[list[Unreadable]], None]


@dataclass(frozen=True)
class Listing:
    """The rows to show, newest first, and what follows them (empty unless a limit cut in)."""

    shown: Iterator[HistoryRow]
    rest: Iterator[HistoryRow]


def refreshed(on_problems: ProblemSink) -> None:
    """Bring the index up to date with the session files, handing on the unreadable ones."""
    from coach.store.index_refresh import refresh_index

    on_problems(refresh_index())


def check_status(status: str | None) -> None:
    if status not in (None, *STATUSES):
        raise UsageError(f'--status must be "finished" or "draft"{did_you_mean(status, STATUSES)}')


def parse_day(text: str | None, option: str) -> date | None:
    """A day given as YYYY-MM-DD (None when not given); UsageError naming `option` otherwise."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f'{option} takes a date like 2026-11-25, not "{text}"') from None


def history(
    on_problems: ProblemSink,
    *,
    couple: str | None,
    status: str | None,
    since: str | None,
    until: str | None,
    limit: int | None,
) -> Listing:
    """`coach history`: the newest `limit` sessions (None: all) of a couple, a status, and
    between two days (YYYY-MM-DD, both included), each checked first."""
    check_status(status)
    first, last = parse_day(since, "--since"), parse_day(until, "--until")
    if first and last and first > last:
        raise UsageError(f"--since {first} is after --until {last}")
    return sessions(on_problems, couple=couple, status=status, since=first, until=last, limit=limit)


def sessions(
    on_problems: ProblemSink,
    *,
    couple: str | None = None,
    status: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
) -> Listing:
    """The newest `limit` sessions (None: all), read a page at a time as they are shown."""
    from coach.store import index

    refreshed(on_problems)
    # One row more than shown tells whether to mention that there are more.
    fetch = None if limit is None else limit + 1
    rows = iter(
        index.history(
            couple=couple, since=since, until=until, status=status, limit=fetch, refresh=False
        )
    )
    return Listing(rows if limit is None else islice(rows, limit), rows)


def finished_rows(couple: str | None = None, limit: int | None = None) -> Iterator[HistoryRow]:
    """Finished sessions, newest first, from the index as it stands (no refresh)."""
    from coach.store import index

    return index.history(couple=couple, status="finished", limit=limit, refresh=False)


def couple_hint(couple: str) -> str:
    """A did-you-mean for a couple label that has no finished sessions ("" when none is close)."""
    known = sorted({row.couple for row in finished_rows()})
    return did_you_mean(couple, known)


def rebuild(progress: Callable[[int, int], None] | None = None) -> list[Unreadable]:
    """Build the index again from every session file; the unreadable ones are returned."""
    from coach.store.index_refresh import rebuild_index

    return rebuild_index(progress=progress)


def caseload(on_problems: ProblemSink) -> list[CoupleSummary]:
    """Every couple, the most recently seen first (coach couples): the index brought up to date,
    then its sessions folded into one summary per couple, labels matched in any order and case."""
    from coach.app.couples import summarize
    from coach.store.index import history
    from coach.store.index_refresh import refresh_index

    on_problems(refresh_index())
    return summarize(history(refresh=False))
