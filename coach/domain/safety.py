"""The private safety screen and the neutral support message. Pure: no terminal, no files.

Couples exercises can harm where one partner fears the other, so before the conflict step each
partner answers a short private screen. The screen's answers are never stored: only its effect
(the conflict step left out) survives, and that looks the same as a session that never covered
the step. Nothing says who disclosed, or that anyone did.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from coach.content import Safety


@dataclass(frozen=True)
class SupportMessage:
    title: str
    body: str
    resources: tuple[str, ...]

    def as_text(self) -> str:
        lines = [self.title, "", self.body, *(f"  • {r}" for r in self.resources)]
        return "\n".join(lines)


def screen_discloses(safety: Safety, answers: Mapping[str, bool]) -> bool:
    """True when any screen answer (question id -> yes/no) is the one that signals fear or harm.

    An unanswered screen question counts as a disclosure: when in doubt, stay safe.
    """
    return any(answers.get(q.id, q.unsafe) == q.unsafe for q in safety.screen)


def text_mentions_risk(safety: Safety, text: str) -> bool:
    """True when free text reads as a disclosure of self-harm, violence, threats, coercive
    control or sexual coercion: the risk lexicon's verdict (coach.domain.risk_text.classify).

    `safety` is kept so that every caller keeps working; the lexicon is its own content file.
    """
    from coach.domain.risk_text import classify

    return classify(text).risk


def skip_message(safety: Safety) -> SupportMessage:
    """Shown to both partners when the screen leads to leaving out the conflict step."""
    return SupportMessage(safety.message_title, safety.message_body, safety.resources)


def text_message(safety: Safety) -> SupportMessage:
    """Shown after a free-text answer that mentions self-harm or violence."""
    return SupportMessage(safety.message_title, safety.text_body, safety.resources)
