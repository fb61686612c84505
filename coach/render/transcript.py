"""`coach demo` at the terminal: the sample answers step by step, as a session would have asked
them, then the summary and whether it was saved."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coach.base.escape import neutralise, shown_path

if TYPE_CHECKING:
    from rich.console import Console

    from coach.content import Content
    from coach.domain.session import Session
    from coach.rules import Inference


def step_heading(session: Session, number: int, title: str) -> str:
    """ "Step 2 of 3: ...": the step's place among the steps the session covers."""
    chosen = session.steps
    place = chosen.index(number) + 1 if number in chosen else len(chosen)
    return f"Step {place} of {len(chosen)}: {title}"


def print_transcript(console: Console, session: Session, content: Content) -> None:
    """Show the sample answers step by step, as a session would have asked them."""
    from rich.padding import Padding
    from rich.text import Text

    answers = session.answer_map()
    console.print(
        Text(
            f"A sample session with {neutralise(session.partners['a'])} and "
            f"{neutralise(session.partners['b'])}, "
            "answered from built-in answers.",
            style="bold magenta",
        )
    )
    for number in session.steps:
        step = content.step(number)
        console.print(Text("\n" + step_heading(session, number, step.title), style="bold cyan"))
        console.print(Text(step.shown, style="dim"))
        for prompt in step.prompts_in_order():
            if prompt.id not in answers:
                continue
            name = neutralise(session.partners[prompt.partner])
            question = Text(f"{name}: {prompt.render_text(session.partners)}")
            answer = Text(f"→ {neutralise(prompt.describe(answers[prompt.id]))}", style="green")
            console.print(Padding(question, (0, 0, 0, 2)))
            console.print(Padding(answer, (0, 0, 0, 4)))
    console.print()


def print_demo(
    session: Session, inference: Inference, content: Content, saved: Path | None
) -> None:
    """The transcript, the summary, and where the demo was saved (or how to keep it), paged."""
    from rich.console import Console

    from coach.render.pager import paged
    from coach.render.summary import print_summary

    with paged(Console()) as console:
        print_transcript(console, session, content)
        print_summary(console, session, inference, content)
        if saved:
            console.print(f"\nSaved: {shown_path(saved)}", style="dim")
        else:
            console.print("\nThis demo was not saved (add --save to keep it).", style="dim")
