"""Explaining a saved session (`coach rules explain`): which rules of the current pack fire for
its answers, for one target or all ten, and which answers those rules would read but are
missing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coach.base.errors import UsageError, did_you_mean

if TYPE_CHECKING:
    from coach.content import Content
    from coach.domain.session import Session
    from coach.rules import Inference, RulePack


@dataclass(frozen=True)
class Explanation:
    session: Session
    pack: RulePack
    inference: Inference
    content: Content
    targets: tuple[str, ...]  # the target asked about, or all ten

    def names(self) -> dict[str, str]:
        """Each target's name as the content gives it."""
        return {target: self.content.target(target).name for target in self.targets}

    def unanswered(self) -> dict[str, list[str]]:
        """For each target, the prompts its rules read that the session has no answer for."""
        answers = self.session.answer_map()
        relevant = self.pack.plan.relevant["couple"]
        return {t: sorted(p for p in relevant[t] if p not in answers) for t in self.targets}


def check_target(target: str | None) -> None:
    """UsageError for a target that is not one of the ten, with a did-you-mean."""
    from coach.content import TARGETS

    if target is not None and target not in TARGETS:
        hint = did_you_mean(target, TARGETS)
        raise UsageError(f'unknown target "{target}"{hint}; targets are {", ".join(TARGETS)}')


def explain(session_ref: str, target: str | None, rules: Path | None) -> Explanation:
    """The session `session_ref` names (an id or a unique prefix) inferred again with the rule
    pack `rules` (None: $COACH_RULES or the built-in one)."""
    from coach.content import TARGETS, load_content
    from coach.rules import infer, load_pack, resolve_pack_path
    from coach.store.lookup import load_session_by_ref

    check_target(target)
    session = load_session_by_ref(session_ref)
    content = load_content()
    pack = load_pack(resolve_pack_path(rules), content)
    inference = infer(pack, session.answer_map(), session.steps)
    return Explanation(session, pack, inference, content, (target,) if target else TARGETS)
