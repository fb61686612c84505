"""Trend points: a finished session's couple scores and CSI-4 totals, oldest first."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from coach.app.history import ProblemSink, finished_rows, refreshed
from coach.base.errors import UsageError, did_you_mean

if TYPE_CHECKING:
    from coach.store.index import HistoryRow, TrendPoint


def points_from_rows(
    rows: Iterable[HistoryRow], targets: Sequence[str] | None = None
) -> Iterator[TrendPoint]:
    """Each row as a trend point, in the order given, with the scores of `targets` (all when
    None)."""
    from coach.store.index import TrendPoint

    for row in rows:
        chosen = row.scores if targets is None else {t: row.scores[t] for t in targets}
        yield TrendPoint(
            created=row.created,
            session_id=row.id,
            couple=row.couple,
            scores=dict(chosen),
            csi_a=row.csi_a,
            csi_b=row.csi_b,
            partners=dict(row.partners),
            csi_hidden=row.csi_hidden,
        )


def checked_targets(targets: Sequence[str] | None) -> tuple[str, ...]:
    """The targets asked for, each once in the order given (all ten when none); UsageError
    naming one that is not a target, with a did-you-mean."""
    from coach.domain.targets import TARGETS

    if not targets:
        return TARGETS
    for target in targets:
        if target not in TARGETS:
            raise UsageError(
                f'unknown target "{target}"{did_you_mean(target, TARGETS)}; '
                f"targets are {', '.join(TARGETS)}"
            )
    return tuple(dict.fromkeys(targets))


def chart_couple(points: Sequence[TrendPoint]) -> str:
    """The one couple a chart of `points` is of (its label, shown harmlessly); UsageError when
    they are of several, naming one to choose."""
    from coach.base.escape import one_line

    couples = sorted({one_line(point.couple) for point in points}, key=str.casefold)
    if len(couples) > 1:
        raise UsageError(
            f"these sessions are of {len(couples)} couples and a chart shows one; "
            f'choose with --couple (for example --couple "{couples[0]}"), '
            "or use --format table"
        )
    return couples[0]


def trend_points(
    on_problems: ProblemSink,
    *,
    couple: str | None,
    targets: tuple[str, ...],
    limit: int | None,
) -> Iterator[TrendPoint]:
    """Finished sessions oldest first: the newest `limit` of them, or all (limit None)."""
    from coach.store import index

    refreshed(on_problems)
    if limit is None:
        return index.trend_series(couple=couple, targets=targets, refresh=False)
    # The newest N come from the history query (newest first, with a LIMIT), turned around.
    rows = list(finished_rows(couple=couple, limit=limit))
    return points_from_rows(reversed(rows), targets)


Sided = TypeVar("Sided", "HistoryRow", "TrendPoint")


def turned_around(item: Sided) -> Sided:
    """A session's row or trend point with partners A and B swapped, their CSI-4 totals too."""
    return dataclasses.replace(
        item,
        csi_a=item.csi_b,
        csi_b=item.csi_a,
        csi_hidden=frozenset({"a": "b", "b": "a"}[p] for p in item.csi_hidden),
        partners={"a": item.partners["b"], "b": item.partners["a"]},
    )


def one_partner_per_line(points: Sequence[TrendPoint]) -> tuple[list[TrendPoint], tuple[str, str]]:
    """One couple's points with each partner's CSI-4 totals on one line, and the two names.

    Partners A and B are whoever typed their name first that session, so a couple who sat the
    other way round one week would put each person's totals on the other's line. Sessions whose
    names are the newest session's the other way round are turned around to its order.
    """
    from coach.domain.labels import swapped

    if not points:
        return [], ("Partner A", "Partner B")
    newest = points[-1].partners
    names = (newest["a"], newest["b"])
    return [turned_around(p) if swapped(p.partners, names) else p for p in points], names
