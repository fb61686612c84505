"""The session summary as Rich renderables: the same pieces serve the terminal, plain text and
the HTML/SVG exports (which record a console).

User text is always wrapped in rich.text.Text (never parsed as markup) and neutralised so that
escape sequences typed into an answer cannot move the cursor or recolour the terminal.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from coach.content import TARGETS, Content, Exercise, fill_names
from coach.render.escape import neutralise

if TYPE_CHECKING:
    from coach.rules import Inference, TargetResult
    from coach.session import Session

NOTICE = (
    "coach is an educational reflection tool, not therapy, diagnosis or a medical device. "
    "It infers likely patterns from your answers; it does not measure any chemical or brain "
    "activity. Scores are reference points for conversation, not verdicts on a person or a "
    "relationship."
)
NARROW = 72  # below this many columns the bar and the reading go on separate lines
AGREE_WITHIN = 0.25
DIFFER_BEYOND = 0.5


def score_bar(score: float, half_width: int = 8) -> Text:
    """A bar centred on zero: filled to the right for the secure pattern, to the left otherwise."""
    filled = round(min(abs(score), 1.0) * half_width)
    left = " " * half_width
    right = " " * half_width
    if score > 0:
        right = "█" * filled + " " * (half_width - filled)
    elif score < 0:
        left = " " * (half_width - filled) + "█" * filled
    bar = Text()
    bar.append(left, style="red")
    bar.append("│", style="dim")
    bar.append(right, style="green")
    return bar


def _answer_phrase(prompt_id: str, value: object, names: dict[str, str]) -> str:
    partner = prompt_id.split(".")[1]
    name = names.get(partner, partner.upper())
    short = prompt_id.split(".", 2)[2].replace("_", " ")
    shown = "yes" if value is True else "no" if value is False else str(value)
    return f"{neutralise(name)}: {short} = {neutralise(shown)}"


def reason_line(result: TargetResult, names: dict[str, str]) -> str:
    """One line: the strongest rule behind a couple score and the answers it read."""
    if not result.fired:
        return "No answers pointed either way."
    strongest = max(result.fired, key=lambda f: abs(f.weight))
    answers = ", ".join(_answer_phrase(pid, v, names) for pid, v in strongest.answers[:3])
    because = neutralise(strongest.because)  # pack text: from outside, like any answer
    return f"{because} ({answers})" if answers else because


def _header(session: Session, content: Content) -> RenderableType:
    names = session.partners
    covered = ", ".join(f"{n} {content.step(n).title}" for n in session.steps)
    lines = Text()
    lines.append(f"{neutralise(names['a'])} and {neutralise(names['b'])}", style="bold")
    if session.couple:
        lines.append(f"  ·  {neutralise(session.couple)}")
    lines.append(f"\n{session.created:%A %d %B %Y, %H:%M}  ·  session {session.id}")
    lines.append(f"\nSteps covered: {covered}")
    return Panel(lines, title="Your reflection", border_style="magenta", expand=True)


def _targets_section(
    inference: Inference, content: Content, names: dict[str, str], width: int
) -> Group:
    """One block per target: name, bar and reading, then why, with evidence and confidence.

    Stacked rather than one wide table so that the reasons stay readable from 40 columns up.
    """
    narrow = width < NARROW
    parts: list[RenderableType] = [
        Text("What your answers suggest, together", style="bold underline")
    ]
    for target_id in TARGETS:
        result = inference.couple[target_id]
        head = Table.grid(padding=(0, 1), expand=False)
        head.add_column(min_width=0 if narrow else 25, style="bold", no_wrap=True)
        head.add_column(no_wrap=True)
        bar = score_bar(result.score, half_width=5 if narrow else 8)
        reading = Text(f"{neutralise(result.label)} ({result.score:+.2f})")
        if narrow:
            head.add_row(content.target(target_id).name, bar)
            parts.append(head)
            parts.append(Padding(reading, (0, 0, 0, 2)))
        else:
            head.add_column()
            head.add_row(content.target(target_id).name, bar, reading)
            parts.append(head)
        why = Text(reason_line(result, names), style="dim")
        # Unanswered questions lower confidence; they never count as low answers.
        why.append(
            f" Evidence: {result.evidence or 'none either way'}; "
            f"confidence {result.confidence:.0%}.",
            style="dim italic",
        )
        parts.append(Padding(why, (0, 0, 0, 2)))
    return Group(*parts)


def agreement(inference: Inference) -> tuple[list[str], list[str]]:
    """Targets where the partners' patterns agree, and where they differ most."""
    agree, differ = [], []
    for target_id in TARGETS:
        a, b = inference.a[target_id].score, inference.b[target_id].score
        if abs(a - b) <= AGREE_WITHIN and (a * b > 0 or (a == 0 and b == 0)):
            agree.append(target_id)
        elif abs(a - b) >= DIFFER_BEYOND:
            differ.append(target_id)
    return agree, differ


def _agreement_panel(inference: Inference, content: Content) -> RenderableType:
    agree, differ = agreement(inference)

    def names(ids: Iterable[str]) -> str:
        return ", ".join(content.target(t).name for t in ids) or "none this time"

    text = Text()
    text.append("Where your answers point the same way: ", style="bold")
    text.append(names(agree))
    text.append("\nWhere your answers point different ways: ", style="bold")
    text.append(names(differ))
    if differ:
        text.append(
            "\nA difference is not a fault in either of you: it is a good place to start talking."
        )
    return Panel(text, title="Together", border_style="cyan")


def suggested_exercises(
    inference: Inference, content: Content, steps: Sequence[int]
) -> list[Exercise]:
    """Two or three exercises for the weakest covered steps, weakest first."""
    from coach.rules import step_strengths

    strengths = step_strengths(inference)
    ranked = sorted(steps, key=lambda n: (strengths.get(n, 0.0), n))
    chosen: list[Exercise] = []
    for position, step in enumerate(ranked[:2]):
        options = [e for e in content.exercises if e.step == step]
        chosen.extend(options[: 2 if position == 0 else 1])
    return chosen[:3]


def _exercises_panel(exercises: Sequence[Exercise], content: Content) -> RenderableType:
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


def _checkin_panel(session: Session, content: Content) -> RenderableType | None:
    if not session.checkin:
        return None
    checkin = content.checkin
    text = Text()
    for partner in ("a", "b"):
        total = session.checkin_total(partner)
        if total is None:
            continue
        text.append(f"{neutralise(session.partners[partner])}: {total} of 21\n", style="bold")
    text.append(f"{checkin.reference_note}\n")
    text.append(f"Source: {checkin.citation}", style="dim")
    return Panel(text, title=checkin.name, border_style="blue")


def _own_words_panel(session: Session, content: Content) -> RenderableType | None:
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


def _facilitator_panel(session: Session, content: Content) -> RenderableType | None:
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


def summary_renderable(
    session: Session, inference: Inference, content: Content, width: int
) -> Group:
    """The whole summary, laid out for a console `width` columns wide."""
    names = session.partners
    parts: list[RenderableType] = [_header(session, content)]
    checkin = _checkin_panel(session, content)
    if checkin is not None:
        parts.append(checkin)
    parts.append(_targets_section(inference, content, names, width))
    parts.append(_agreement_panel(inference, content))
    own_words = _own_words_panel(session, content)
    if own_words is not None:
        parts.append(own_words)
    exercises = suggested_exercises(inference, content, session.steps)
    if exercises:
        parts.append(_exercises_panel(exercises, content))
    facilitator = _facilitator_panel(session, content)
    if facilitator is not None:
        parts.append(facilitator)
    parts.append(Text(NOTICE, style="italic"))
    return Group(*parts)


def print_summary(
    console: Console, session: Session, inference: Inference, content: Content
) -> None:
    console.print(summary_renderable(session, inference, content, console.width))


def plain_summary(
    session: Session, inference: Inference, content: Content, width: int = 100
) -> str:
    """The same summary as plain text, no colour or escape codes (pipes, files, --format text)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, no_color=True, force_terminal=False, color_system=None
    )
    print_summary(console, session, inference, content)
    return buffer.getvalue()


def fill(text: str, session: Session, partner: str | None = None) -> str:
    return fill_names(text, session.partners, partner)
