"""The session summary as Rich renderables: the same pieces serve the terminal, plain text and
the HTML/SVG exports (which record a console).

User text is always wrapped in rich.text.Text (never parsed as markup) and neutralised so that
escape sequences typed into an answer cannot move the cursor or recolour the terminal.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from coach.app.exercises import suggested_exercises
from coach.base.escape import neutralise
from coach.content import TARGETS, Content, Prompt, fill_names
from coach.domain.evidence import UNMEASURED_NOTE, shown
from coach.domain.readings import in_words, rests_on
from coach.render import summary_panels as panels
from coach.render.overview import overview_panel, shared

if TYPE_CHECKING:
    from coach.domain.session import Session
    from coach.rules import FiredRule, Inference, TargetResult

LABEL_THRESHOLD = 0.2  # as coach.rules.infer: |score| below this reads "little sign either way"

NOTICE = (
    "coach is an educational reflection tool, not therapy, diagnosis or a medical device. "
    "It infers likely patterns from your answers; it does not measure any chemical or brain "
    "activity. Its readings are reference points for conversation, not verdicts on a person "
    "or a relationship."
)
NARROW = 72  # below this many columns the bar and the reading go on separate lines
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


SHOWN_EACH_WAY = 2  # the strongest contributions shown in each direction


def answer_words(prompt: Prompt | None, value: object) -> str:
    """An answer as the couple chose it: "yes", a choice's words, "4 of 5", "5 of 5 (a lot)"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if prompt is None:
        return neutralise(str(value))
    if prompt.type == "scale" and isinstance(value, int):
        end = prompt.low if value == prompt.min else prompt.high if value == prompt.max else ""
        return f"{value} of {prompt.max}" + (f" ({end})" if end else "")
    return neutralise(prompt.describe(value) if isinstance(value, int | str) else str(value))


def whose_answers(fired: FiredRule, names: dict[str, str], content: Content | None) -> str:
    """Whose answers a rule read, in words: "Sam: named feeling: yes; Alex: escalated: 4 of 5"."""
    phrases = []
    for prompt_id, value in fired.answers[:4]:
        partner = prompt_id.split(".")[1]
        name = neutralise(names.get(partner, partner.upper()))
        prompt = content.prompts.get(prompt_id) if content is not None else None
        short = prompt_id.split(".", 2)[2].replace("_", " ")
        phrases.append(f"{name}, {short}: {answer_words(prompt, value)}")
    return "; ".join(phrases)


def sentence(
    fired: FiredRule, names: dict[str, str], content: Content | None = None, *, whose: bool = True
) -> str:
    """A rule's sentence with its own evidence label and whose answers it read (not in a short
    session, whose reflection labels neither partner)."""
    answers = whose_answers(fired, names, content) if whose else ""
    because = neutralise(fired.because)  # pack text: from outside, like any answer
    # Unmeasured says what it means, unless the sentence has just said it.
    label = fired.evidence if UNMEASURED_NOTE in because else shown(fired.evidence)
    return f"{because} Evidence: {label}." + (f" ({answers})" if answers else "")


def reason_line(result: TargetResult, names: dict[str, str], content: Content | None = None) -> str:
    """One line: the strongest rule on the side the reading leans to, with its own label."""
    from coach.rules import leading_reason

    lead = leading_reason(result)
    if lead is None:
        return "No answers pointed either way."
    return sentence(lead, names, content)


def _merged(rules: list[FiredRule]) -> list[FiredRule]:
    """Rules that say the same sentence with the same label (one for each partner, say) as one
    reason, with both partners' answers, strongest first."""
    merged: dict[tuple[str, str], FiredRule] = {}
    for fired in rules:
        key = (fired.because, fired.evidence)
        earlier = merged.get(key)
        if earlier is None:
            merged[key] = fired
            continue
        answers = earlier.answers + tuple(a for a in fired.answers if a not in earlier.answers)
        merged[key] = replace(earlier, weight=earlier.weight + fired.weight, answers=answers)
    return sorted(merged.values(), key=lambda f: -abs(f.weight))


def reading_sections(
    result: TargetResult, labels: tuple[str, str]
) -> list[tuple[str, list[FiredRule]]]:
    """What pulled a reading each way, as (heading, strongest rules) pairs: the side the reading
    leans to first, so that no reason stands against the label it sits under; for a neutral
    reading, both sides, which is what balanced it."""
    from coach.rules import pulls

    up, down = pulls(result)
    up, down = _merged(up)[:SHOWN_EACH_WAY], _merged(down)[:SHOWN_EACH_WAY]
    positive, negative = labels
    if result.score >= LABEL_THRESHOLD:
        sections = [(f'Why "{positive}"', up), (f'Pulling the other way ("{negative}")', down)]
    elif result.score <= -LABEL_THRESHOLD:
        sections = [(f'Why "{negative}"', down), (f'Pulling the other way ("{positive}")', up)]
    elif up and down:
        sections = [
            (f'Little sign either way: toward "{positive}"', up),
            (f'balanced by, toward "{negative}"', down),
        ]
    else:
        lean = f'toward "{positive}"' if up else f'toward "{negative}"'
        sections = [(f"Little sign either way: only a small pull {lean}", up or down)]
    return [(heading, rules) for heading, rules in sections if rules]


def _targets_section(
    inference: Inference, content: Content, names: dict[str, str], width: int, whose: bool = True
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
        reading = Text(neutralise(in_words(result.label, result.score)))
        if narrow:
            head.add_row(content.target(target_id).name, bar)
            parts.append(head)
            parts.append(Padding(reading, (0, 0, 0, 2)))
        else:
            head.add_column()
            head.add_row(content.target(target_id).name, bar, reading)
            parts.append(head)
        target = content.target(target_id)
        sections = reading_sections(result, (target.positive, target.negative))
        if not sections:
            parts.append(Padding(Text("No answers pointed either way.", style="dim"), (0, 0, 0, 2)))
        for heading, rules in sections:
            # A grid gives each reason a hanging indent: wrapped lines start under its text,
            # not under its bullet, so where one reason ends and the next begins stays clear.
            reasons = Table.grid(padding=(0, 1, 0, 0))
            reasons.add_column(no_wrap=True, style="dim")
            reasons.add_column(style="dim")
            for fired in rules:
                reasons.add_row("•", sentence(fired, names, content, whose=whose))
            why = Group(Text(f"{heading}:", style="dim bold"), reasons)
            parts.append(Padding(why, (0, 0, 0, 2)))
        # Unanswered questions make a reading rest on less; they never count as low answers.
        if result.fired and result.confidence < 1:
            parts.append(
                Padding(
                    Text(
                        f"This rests on {rests_on(result.confidence)}: some questions behind it"
                        " went unanswered (skipped, or in a step not covered today).",
                        style="dim italic",
                    ),
                    (0, 0, 0, 2),
                )
            )
    return Group(*parts)


def agreement(inference: Inference) -> tuple[list[str], list[str]]:
    """Targets both partners read the same way, and not neutrally (coach.render.overview.shared),
    and targets where their readings differ most (half the scale apart or more)."""
    up, down = shared(inference)
    agree = [t for t in TARGETS if t in up or t in down]
    differ = [
        t
        for t in TARGETS
        if t not in agree and abs(inference.a[t].score - inference.b[t].score) >= DIFFER_BEYOND
    ]
    return agree, differ


def who_is_where(inference: Inference, target_id: str, names: dict[str, str]) -> str:
    """ "Amygdala: Sam likely calmer, Alex likely more reactive": each partner's own reading."""
    a, b = inference.a[target_id], inference.b[target_id]
    a_label, b_label = neutralise(a.label), neutralise(b.label)
    return f"{neutralise(names['a'])} {a_label}, {neutralise(names['b'])} {b_label}"


def _agreement_panel(
    inference: Inference, content: Content, names: dict[str, str]
) -> RenderableType:
    agree, differ = agreement(inference)

    def target_names(ids: Iterable[str]) -> str:
        return ", ".join(content.target(t).name for t in ids) or "none this time"

    text = Text()
    text.append("Where your answers point the same way: ", style="bold")
    text.append(target_names(agree))
    text.append("\nWhere your answers point different ways: ", style="bold")
    if not differ:
        text.append("none this time")
    for target_id in differ:
        text.append(
            f"\n  {content.target(target_id).name}: {who_is_where(inference, target_id, names)}"
        )
    if differ:
        text.append(
            "\nA difference is not a fault in either of you: it is a good place to start talking."
        )
    return Panel(text, title="Together", border_style="cyan")


def _short_panel() -> RenderableType:
    text = Text(
        "A short session: this reflection reads your answers together and labels neither of "
        "you. A short session is always fine to choose, for any reason."
    )
    return Panel(text, title="Together", border_style="cyan")


def _details_heading(session: Session, content: Content) -> RenderableType:
    covered = ", ".join(f"{n} {content.step(n).title}" for n in session.steps)
    text = Text("The details", style="bold underline")
    text.append(f"\nSteps covered: {covered}  ·  session {session.id}", style="dim")
    return text


def summary_renderable(
    session: Session,
    inference: Inference,
    content: Content,
    width: int,
    *,
    with_notes: bool = False,
    all_totals: bool = False,
) -> Group:
    """The whole summary, laid out for a console `width` columns wide: the one-screen overview,
    then the details. Facilitator notes only `with_notes` (they are the facilitator's); CSI-4
    totals only when both partners agreed, or `all_totals` (the facilitator's own view)."""
    if not session.steps:
        return Group(panels.no_steps_page(session), Text(NOTICE, style="italic"))
    names = session.partners
    exercises = suggested_exercises(inference, content, session.steps)
    # A short session, whoever chose it and why, reads the couple together: no partner's name
    # beside a reading, no "who is where" (docs/safety.md).
    short = session.length == "short"
    parts: list[RenderableType] = [
        overview_panel(session, inference, content, exercises, width, by_partner=not short),
        _details_heading(session, content),
    ]
    parts.append(_targets_section(inference, content, names, width, whose=not short))
    parts.append(_short_panel() if short else _agreement_panel(inference, content, names))
    checkin = panels.checkin_panel(session, content, all_totals)
    if checkin is not None:
        parts.append(checkin)
    own_words = panels.own_words_panel(session, content)
    if own_words is not None:
        parts.append(own_words)
    if exercises:
        parts.append(panels.exercises_panel(exercises, content))
    facilitator = panels.facilitator_panel(session, content) if with_notes else None
    if facilitator is not None:
        parts.append(facilitator)
    elif session.homework:
        parts.append(panels.homework_panel(session))
    parts.append(Text(NOTICE, style="italic"))
    return Group(*parts)


def print_summary(
    console: Console,
    session: Session,
    inference: Inference,
    content: Content,
    *,
    with_notes: bool = False,
    all_totals: bool = False,
) -> None:
    renderable = summary_renderable(
        session, inference, content, console.width, with_notes=with_notes, all_totals=all_totals
    )
    console.print(renderable)


def print_saved_summary(
    session: Session, content: Content, *, with_notes: bool, all_totals: bool
) -> None:
    """`coach show`: a saved session's summary again, paged (a draft says how to go on)."""
    from coach.domain.finish import stored_inference
    from coach.domain.wording import count
    from coach.render.pager import paged

    console = Console()
    if session.is_draft:
        console.print(
            f"Session {session.id} is a draft with {count(len(session.answers), 'answer')}; "
            f"continue it with: coach resume {session.id}"
        )
        return
    with paged(console):
        inference = stored_inference(session)
        print_summary(
            console, session, inference, content, with_notes=with_notes, all_totals=all_totals
        )


def plain_summary(
    session: Session,
    inference: Inference,
    content: Content,
    width: int = 100,
    *,
    with_notes: bool = False,
) -> str:
    """The same summary as plain text, no colour or escape codes (pipes, files, --format text)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, no_color=True, force_terminal=False, color_system=None
    )
    print_summary(console, session, inference, content, with_notes=with_notes)
    from coach.render.pager import without_padding

    return without_padding(buffer.getvalue())


def fill(text: str, session: Session, partner: str | None = None) -> str:
    return fill_names(text, session.partners, partner)
