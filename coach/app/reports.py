"""A couple's report: their finished sessions, the newest loaded whole, each partner's scores."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from coach.app.history import ProblemSink, couple_hint, finished_rows, refreshed

if TYPE_CHECKING:
    from coach.domain.session import Session
    from coach.store.index import HistoryRow

PartnerScores: TypeAlias = Mapping[str, Mapping[str, float | None]]  # "a"/"b" -> target -> score


@dataclass(frozen=True)
class CoupleReport:
    """A couple's finished sessions, oldest first, and the newest of them loaded whole.

    `partner_scores` holds each session's scores for partner A and B ("a"/"b" -> target ->
    score), in the order of `rows`; the index keeps only the couple's. Empty when not loaded.
    """

    label: str
    rows: tuple[HistoryRow, ...]
    latest: Session
    partner_scores: tuple[PartnerScores, ...] = ()


def couple_report(couple: str, on_problems: ProblemSink) -> CoupleReport:
    """The report over `couple`'s finished sessions (the label in any case).

    Raises NotFoundError, with a did-you-mean, when the couple has no finished session.
    """
    from coach.base.errors import NotFoundError
    from coach.store import files

    refreshed(on_problems)
    rows = list(finished_rows(couple=couple))
    if not rows:
        raise NotFoundError(f'no finished sessions for the couple "{couple}"{couple_hint(couple)}')
    rows.reverse()  # oldest first, as a trend reads
    latest = files.load_session(rows[-1].path)
    aligned, scores = _one_partner_per_column(rows, _partner_scores(rows))
    return CoupleReport(rows[-1].couple, aligned, latest, scores)


def _one_partner_per_column(
    rows: list[HistoryRow], scores: tuple[PartnerScores, ...]
) -> tuple[tuple[HistoryRow, ...], tuple[PartnerScores, ...]]:
    """Rows and partner scores with each person always as A or always as B: sessions where the
    partners typed their names the other way round from the newest are turned around (see
    coach.app.trends.one_partner_per_line)."""
    from coach.app.trends import turned_around
    from coach.domain.labels import swapped

    names = (rows[-1].partners["a"], rows[-1].partners["b"])
    aligned_rows, aligned_scores = [], []
    for row, partner in zip(rows, scores, strict=True):
        if swapped(row.partners, names):
            row = turned_around(row)
            partner = {"a": partner["b"], "b": partner["a"]}
        aligned_rows.append(row)
        aligned_scores.append(partner)
    return tuple(aligned_rows), tuple(aligned_scores)


def _partner_scores(rows: list[HistoryRow]) -> tuple[PartnerScores, ...]:
    """Each session's scores for A and B, from its file (the index keeps the couple's only).

    A file that cannot be read now (changed since the index saw it) gives no scores for that
    session: its lines break there, and the rest of the report stands.
    """
    from coach.base.errors import CoachError
    from coach.domain.finish import stored_inference
    from coach.store import files

    scores: list[PartnerScores] = []
    for row in rows:
        try:
            inference = stored_inference(files.load_session(row.path))
        except CoachError:
            scores.append({"a": {}, "b": {}})
            continue
        scores.append(
            {
                partner: {t: r.score for t, r in inference.scope(partner).items()}
                for partner in ("a", "b")
            }
        )
    return tuple(scores)
