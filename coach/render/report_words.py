"""The words a couple's report says in every format that has them (HTML and Markdown), so that
the two hold the same sections under the same headings with the same captions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from coach.base.dates import day
from coach.domain.wording import count

if TYPE_CHECKING:
    from coach.content import Content
    from coach.domain.session import Session

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


OWN_WORDS_HEADING = "In your own words"


@dataclass(frozen=True)
class OwnWords:
    """One free-text answer as a session export quotes it: who wrote it, under which question."""

    who: str
    question: str
    text: str


def own_words(session: Session, content: Content) -> list[OwnWords]:
    """What the partners wrote, in the session's order, each under the question it answers."""
    quotes = []
    for answer in session.answers:
        prompt = content.prompts.get(answer.prompt_id)
        if prompt is None or prompt.type != "text" or not isinstance(answer.value, str):
            continue
        question = prompt.render_text(session.partners).removesuffix(" (optional)")
        quotes.append(OwnWords(session.partners[answer.partner], question, answer.value))
    return quotes
