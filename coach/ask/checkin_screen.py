"""The CSI-4 check-in at the terminal, for coach.ask.guided.GuidedSession: each partner alone
hears who will see the totals before the first item, answers the four items, sees their own
total (to them alone, inside the private moment), and says privately whether it may be shown to
both. Without both partners' yes every view the couple sees leaves the totals out
(Session.checkin_shown_to_both).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from coach.ask import prompts
from coach.base.escape import neutralise
from coach.content import Content
from coach.domain.checkin import SHORT_CITATION, description, who_sees
from coach.domain.session import Session


class Guided(Protocol):
    """What the check-in needs of a guided session."""

    session: Session
    content: Content
    console: Console
    save: Callable[[Session], Path]
    path: Path | None


def who_sees_here(session: Session) -> str:
    """The who-sees-what text for this data directory (shared by the couple at one computer)."""
    from coach.base import paths
    from coach.store import vault

    return who_sees(session.facilitated, str(paths.data_dir()), vault.is_encrypted())


def ask_checkin(
    guided: Guided, turn: Callable[[str, str], None], partners: Sequence[str] = ("a", "b")
) -> None:
    """Ask each partner's check-in in turn; `turn` hands the keyboard to one partner alone
    (`partners`: only these, as at one partner's own terminal in a room)."""
    session, checkin, console = guided.session, guided.content.checkin, guided.console
    for partner in partners:
        given = session.checkin.get(partner, {})
        missing = [item for item in checkin.items if item.id not in given]
        if not missing and partner in session.checkin_shared:
            continue
        turn(
            partner,
            f"{checkin.name}: four questions, answered alone; each of you decides whether "
            "your total is shown to both.",
        )
        console.print(Text(checkin.name, style="bold"))
        console.print(Panel(Text(who_sees_here(session)), border_style="blue"))
        console.print(Text(f"Source: {SHORT_CITATION}.", style="dim"))
        for item in missing:
            # The number typed is the score recorded, as printed beside each answer.
            options = prompts.numbered(
                [(label, score) for score, label in enumerate(item.answers)], first=0
            )
            given[item.id] = prompts.ask_choice(item.text, options, fresh=True)
            # Saved item by item like every other answer: a draft may hold part of a
            # check-in, and resume asks only the items still missing.
            session.checkin[partner] = given
            guided.path = guided.save(session)
        total = session.checkin_total(partner)
        if total is None:
            continue
        name = neutralise(session.partners[partner])
        mine = Text(f"{name}, your total: {description(total)}")
        console.print(Panel(mine, title="Just for you", border_style="blue"))
        session.checkin_shared[partner] = prompts.ask_yes_no(
            "May your total be shown to both of you? It is shown to both only if both of you "
            "say yes.",
            fresh=True,
        )
        guided.path = guided.save(session)
