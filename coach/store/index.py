"""History and trends from the session index, so that they never read every session file.

The index is a SQLite summary of the session files (coach.store.index_db holds its tables,
coach.store.index_refresh keeps it current with the files). Queries read rows a page at a time,
so memory stays flat however many sessions there are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from coach.base import paths
from coach.base.errors import UsageError, did_you_mean
from coach.store.index_db import SCORE_PREFIX, OpenIndex, using
from coach.store.index_refresh import ready_index

__all__ = ["HistoryRow", "TrendPoint", "history", "trend_series"]

PAGE_SIZE = 256  # rows fetched from SQLite at a time
STATUSES = ("draft", "finished")
Row = TypeVar("Row")
_HISTORY_COLUMNS = (
    "id, path, created, finished, status, couple, partner_a, partner_b, steps, answered, "
    "headline, csi_a, csi_b, csi_hidden"
)


@dataclass(frozen=True)
class HistoryRow:
    """One session as the index summarises it."""

    id: str
    path: Path
    created: datetime
    finished: datetime | None
    status: str  # "draft" or "finished"
    couple: str
    partners: dict[str, str]
    steps: tuple[int, ...]
    answered: int
    headline: str
    csi_a: int | None
    csi_b: int | None
    scores: dict[str, float | None]  # target -> couple score; None where the results lack it
    # partners whose CSI-4 total exists but is withheld (not both agreed to show it)
    csi_hidden: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TrendPoint:
    """One finished session's couple scores and CSI-4 totals, for a trend over time."""

    created: datetime
    session_id: str
    couple: str
    scores: dict[str, float | None]
    csi_a: int | None
    csi_b: int | None
    partners: dict[str, str]  # whose totals csi_a and csi_b are, as typed that session
    csi_hidden: frozenset[str] = frozenset()  # as HistoryRow.csi_hidden


# --- queries -------------------------------------------------------------------------------


def _paged(
    index: OpenIndex, sql: str, params: list[Any], make: Callable[[tuple[Any, ...]], Row]
) -> Iterator[Row]:
    """Rows a page at a time; the connection closes when the iteration ends."""
    with using(index) as connection:
        cursor = connection.execute(sql, params)
        while page := cursor.fetchmany(PAGE_SIZE):
            yield from map(make, page)


def _timestamp(moment: date) -> float:
    """Seconds since the epoch; a date means its local midnight, a naive time local time."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, datetime.min.time())
    return moment.timestamp()


def _filters(
    couple: str | None, since: date | None, until: date | None, status: str | None
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if couple is not None:
        from coach.domain.labels import couple_key

        clauses.append("couple_key(couple) = ?")  # any order and case: "Alex & Sam" is "Sam & Alex"
        params.append(couple_key(couple))
    if since is not None:
        clauses.append("created_ts >= ?")
        params.append(_timestamp(since))
    if isinstance(until, datetime):
        clauses.append("created_ts <= ?")
        params.append(_timestamp(until))
    elif until is not None:  # a whole day: up to the next midnight
        clauses.append("created_ts < ?")
        params.append(_timestamp(until + timedelta(days=1)))
    if status is not None:
        clauses.append("status = ?")
        params.append(status)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _score_list(targets: tuple[str, ...]) -> str:
    """The score columns, read back as numbers (they are stored in thousandths)."""
    return "".join(f", {SCORE_PREFIX}{target} / 1000.0" for target in targets)


def _partners(stored: str) -> frozenset[str]:
    return frozenset(stored.split(",")) - {""}


def _history_row(directory: Path, targets: tuple[str, ...]) -> Callable[..., HistoryRow]:
    def make(row: tuple[Any, ...]) -> HistoryRow:
        session_id, name, created, finished, status, couple, a, b, steps = row[:9]
        answered, headline, csi_a, csi_b, hidden = row[9:14]
        return HistoryRow(
            id=session_id,
            path=directory / name,
            created=datetime.fromisoformat(created),
            finished=None if finished is None else datetime.fromisoformat(finished),
            status=status,
            couple=couple,
            partners={"a": a, "b": b},
            steps=tuple(int(step) for step in steps.split(",") if step),
            answered=answered,
            headline=headline,
            csi_a=csi_a,
            csi_b=csi_b,
            scores=dict(zip(targets, row[14:], strict=True)),
            csi_hidden=_partners(hidden),
        )

    return make


def history(
    couple: str | None = None,
    since: date | None = None,
    until: date | None = None,
    status: str | None = None,
    limit: int | None = None,
    *,
    refresh: bool = True,
) -> Iterator[HistoryRow]:
    """Sessions, newest first, read from the index a page at a time.

    couple: a couple label in any order and case (coach.domain.labels.couple_key).
    since/until: a date covers that whole day; a datetime is a moment (naive means local
    time); both ends are included. status: "draft" or "finished".
    The index is refreshed from the files first unless refresh is False (refresh_index also
    tells which files cannot be read).
    """
    if status is not None and status not in STATUSES:
        raise UsageError('status must be "draft" or "finished"')
    if limit is not None and limit < 0:
        raise UsageError("limit must be 0 or more")
    where, params = _filters(couple, since, until, status)
    index = ready_index(refresh)
    sql = (
        f"SELECT {_HISTORY_COLUMNS}{_score_list(index.targets)} FROM sessions{where} "
        "ORDER BY created_ts DESC, id DESC"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    make = _history_row(paths.sessions_dir(), index.targets)
    return _paged(index, sql, params, make)


def trend_series(
    couple: str | None = None,
    targets: list[str] | tuple[str, ...] | None = None,
    *,
    refresh: bool = True,
) -> Iterator[TrendPoint]:
    """Finished sessions, oldest first: couple scores of the chosen targets (all by default)
    and CSI-4 totals, read from the index a page at a time."""
    where, params = _filters(couple, None, None, "finished")
    index = ready_index(refresh)
    chosen = index.targets if targets is None else tuple(targets)
    for target in chosen:
        if target not in index.targets:
            index.connection.close()
            raise UsageError(f'unknown target "{target}"{did_you_mean(target, index.targets)}')
    sql = (
        f"SELECT created, id, couple, csi_a, csi_b, partner_a, partner_b, csi_hidden"
        f"{_score_list(chosen)} "
        f"FROM sessions{where} ORDER BY created_ts, id"
    )

    def make(row: tuple[Any, ...]) -> TrendPoint:
        return TrendPoint(
            created=datetime.fromisoformat(row[0]),
            session_id=row[1],
            couple=row[2],
            scores=dict(zip(chosen, row[8:], strict=True)),
            csi_a=row[3],
            csi_b=row[4],
            partners={"a": row[5], "b": row[6]},
            csi_hidden=_partners(row[7]),
        )

    return _paged(index, sql, params, make)
