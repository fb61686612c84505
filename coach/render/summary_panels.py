"""The summary's panels after the details (CSI-4 check-in, their own words, exercises,
homework, the facilitator's notes) and the page of a session left with no steps. Rich
renderables; all user text neutralised (coach.base.escape).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.panel import Panel
from rich.text import Text

from coach.base.escape import neutralise
from coach.content import Content, Exercise

if TYPE_CHECKING:
    from coach.domain.session import Session


def exercises_panel(exercises: Sequence[Exercise], content: Content) -> RenderableType:
    text = Text()
    for number, exercise in enumerate(exercises, 1):
        if number > 1:
            text.append("\n\n")
        step = content.step(exercise.step)
        text.append(f"{number}. {exercise.title}", style="bold")
        text.append(f"  (step {step.number}, {step.title})\n")
        text.append(f"{exercise.how}\n")
        text.append(f"Source: {exercise.source}. Evidence: {exercise.evidence}.", style="dim")
    return Panel(text, title="To try this week", border_style="green")


def checkin_panel(
    session: Session, content: Content, all_totals: bool = False
) -> RenderableType | None:
    """The CSI-4 totals, only when both partners said yes to showing them to both (or in the
    facilitator's own view, `all_totals`); otherwise a line saying they stay private."""
    if not session.checkin:
        return None
    from coach.domain.checkin import KEPT_PRIVATE

    checkin = content.checkin
    text = Text()
    if not (all_totals or session.checkin_shown_to_both):
        text.append(KEPT_PRIVATE + "\n")
    else:
        for partner in ("a", "b"):
            total = session.checkin_total(partner)
            if total is not None:
                name = neutralise(session.partners[partner])
                text.append(f"{name}: {total} of 21\n", style="bold")
    text.append(f"{checkin.reference_note}\n")
    text.append(f"Source: {checkin.citation}", style="dim")
    return Panel(text, title=checkin.name, border_style="blue")


def own_words_panel(session: Session, content: Content) -> RenderableType | None:
    """The partners' free-text answers, shown as typed (escape sequences made visible)."""
    texts = [
        (answer, content.prompts[answer.prompt_id])
        for answer in session.answers
        if answer.prompt_id in content.prompts
        and content.prompts[answer.prompt_id].type == "text"
        and isinstance(answer.value, str)
    ]
    if not texts:
        return None
    body = Text()
    for number, (answer, prompt) in enumerate(texts):
        if number:
            body.append("\n\n")
        body.append(f"{neutralise(session.partners[answer.partner])}: ", style="bold")
        body.append(
            prompt.render_text(session.partners).removesuffix(" (optional)") + "\n", style="dim"
        )
        body.append(f"  {neutralise(str(answer.value))}")
    return Panel(body, title="In your own words", border_style="magenta")


def facilitator_panel(session: Session, content: Content) -> RenderableType | None:
    if not session.notes and not session.homework:
        return None
    text = Text()
    for step, note in sorted(session.notes.items()):
        text.append(f"Step {step} ({content.step(step).title}): ", style="bold")
        text.append(neutralise(note) + "\n")
    if session.homework:
        text.append("Homework: ", style="bold")
        text.append("; ".join(neutralise(h) for h in session.homework))
    return Panel(text, title="Facilitator's notes", border_style="yellow")


def homework_panel(session: Session) -> RenderableType:
    """The homework the facilitator chose for the couple (theirs to see, unlike the notes)."""
    text = Text("; ".join(neutralise(h) for h in session.homework))
    return Panel(text, title="Homework", border_style="yellow")


def no_steps_page(session: Session) -> RenderableType:
    """A session left with no steps (the only one chosen was left out): no scores to show."""
    names = session.partners
    text = Text()
    text.append(f"Thank you, {neutralise(names['a'])} and {neutralise(names['b'])}.\n\n")
    text.append(
        "There is nothing to reflect on from today's answers, and that is fine. Taking a "
        "moment to check in is worth something on its own.\n\n"
        "If things ever feel unsafe or overwhelming, confidential support is available: in "
        "immediate danger, call your local emergency number; findahelpline.com lists free, "
        "confidential helplines by country.\n\n"
        "You can start another session whenever you like:  coach start"
    )
    return Panel(text, title="Your reflection", border_style="magenta")
