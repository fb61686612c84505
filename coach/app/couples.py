"""The caseload (coach couples): one summary per couple of the sessions the index lists.

Here, above the store, rather than in coach/domain/labels.py: the summary reads the index's rows,
and
the index matches couples with coach.domain.labels.couple_key, so keeping both in one module made
the
two import each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from coach.domain.labels import couple_key

if TYPE_CHECKING:
    from coach.store.caseload import Merge
    from coach.store.index import HistoryRow

__all__ = ["DIRECTION_SESSIONS", "CoupleSummary", "merge", "summarize"]

# The direction is read from this many most recent finished sessions with a CSI-4 check-in.
DIRECTION_SESSIONS = 4
# A change of the couple's mean CSI-4 total smaller than this reads as level (totals are 0-21).
LEVEL_BAND = 1.0


@dataclass
class CoupleSummary:
    """One couple's sessions at a glance (the label is the one their newest session carries)."""

    label: str
    sessions: int = 0
    finished: int = 0
    first: datetime | None = None
    last: datetime | None = None
    # The newest CSI-4 total of each partner, by name, and the session it is from.
    csi: dict[str, tuple[int, str]] = field(default_factory=dict)
    # Mean CSI-4 totals (of the partners who answered) of the newest four finished sessions
    # with a check-in, newest first.
    recent_csi: list[float] = field(default_factory=list)

    @property
    def direction(self) -> str:
        """How the couple's mean CSI-4 total moved over their last four finished sessions with a
        check-in (newest against oldest of those): "up", "down", "level" (within one point),
        or "too few check-ins" (fewer than two)."""
        if len(self.recent_csi) < 2:
            return "too few check-ins"
        change = self.recent_csi[0] - self.recent_csi[-1]
        if abs(change) < LEVEL_BAND:
            return "level"
        return "up" if change > 0 else "down"

    def to_dict(self) -> dict[str, Any]:
        return {
            "couple": self.label,
            "sessions": self.sessions,
            "finished": self.finished,
            "first": None if self.first is None else self.first.isoformat(),
            "last": None if self.last is None else self.last.isoformat(),
            "csi4_latest": {name: total for name, (total, _) in sorted(self.csi.items())},
            "csi4_direction": self.direction,
            "csi4_recent_means": self.recent_csi,
        }


def _add(summary: CoupleSummary, row: HistoryRow) -> None:
    """Fold one session (newer ones come first) into its couple's summary."""
    summary.sessions += 1
    summary.first = row.created
    if summary.last is None:
        summary.last = row.created
    totals = {row.partners["a"]: row.csi_a, row.partners["b"]: row.csi_b}
    for name, total in totals.items():
        if total is not None and name not in summary.csi:
            summary.csi[name] = (total, row.id)
    if row.status == "finished":
        summary.finished += 1
        given = [total for total in totals.values() if total is not None]
        if given and len(summary.recent_csi) < DIRECTION_SESSIONS:
            summary.recent_csi.append(round(sum(given) / len(given), 2))


def summarize(rows: Iterable[HistoryRow]) -> list[CoupleSummary]:
    """One summary per couple from sessions given newest first, the most recent couple first."""
    summaries: dict[str, CoupleSummary] = {}
    for row in rows:
        summary = summaries.setdefault(couple_key(row.couple), CoupleSummary(label=row.couple))
        _add(summary, row)
    return list(summaries.values())


def merge(source: str, target: str, confirm: Callable[[Merge], bool]) -> tuple[Merge, int | None]:
    """Merge the couple `source` into `target` (coach couples merge): what would move is
    planned first (NotFoundError for a couple with no sessions, UsageError when the two are one
    couple) and handed to `confirm`; only when it says yes do the sessions move. The plan, and
    how many moved (None: not confirmed, nothing changed)."""
    from coach.store import caseload

    plan = caseload.plan_merge(source, target)
    if not confirm(plan):
        return plan, None
    return plan, caseload.merge_couples(plan)
