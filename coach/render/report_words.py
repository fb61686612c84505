"""The words a couple's report says in every format that has them (HTML and Markdown), so that
the two hold the same sections under the same headings with the same captions."""

from __future__ import annotations

from datetime import datetime

from coach.base.dates import day
from coach.domain.wording import count

TARGETS_HEADING = "The ten targets over time"
SESSIONS_HEADING = "Sessions"
NOT_A_VERDICT = "Each score is a reference point for conversation, not a verdict."


def sessions_caption(sessions: int) -> str:
    return f"{count(sessions, 'finished session')}, oldest first."


def newest_heading(created: datetime) -> str:
    return f"The newest session, {day(created)}"


def csi_column(name: str) -> str:
    """A sessions table's column of one partner's CSI-4 totals: named, never "A" or "B"."""
    return f"CSI-4 {name}"


SESSION_COLUMNS = ("Date", "Session", "Steps")  # then each partner's CSI-4, then the headline
HEADLINE_COLUMN = "Headline"
