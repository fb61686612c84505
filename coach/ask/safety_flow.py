"""The safety pathway's private moments at the terminal: the check, the replies, the closing moment.

Each function here runs inside a private moment that coach.ask.guided has already opened for
one partner (coach.ask.terminal.PrivateScreen): whatever it shows is wiped, scrollback included,
before the keyboard changes hands. The decisions are coach.domain.pathway's; the lines shown are
coach.domain.support's. Nothing answered in the check is returned but the choice and whether it
disclosed, and neither is ever saved or shown to the other partner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from coach.ask import prompts
from coach.base.escape import neutralise
from coach.content import Content, fill_names
from coach.content.check_files import Check, Support
from coach.domain.measures import Measure
from coach.domain.pathway import Choice, discloses, forced, offered
from coach.domain.session import Session
from coach.domain.support import crisis_lines, disclosure_lines

# A flagged text is kept out of the reflection unless its writer types y: Enter alone is no.
NO_BY_DEFAULT: tuple[prompts.Option[bool], prompts.Option[bool]] = (
    prompts.YES_NO[0],
    prompts.Option("n", "No", False, ("no", "")),
)


@dataclass(frozen=True)
class Safety:
    """What the private moments need: the check, the lines, the country, any measures."""

    check: Check
    support: Support
    country: str | None
    measures: tuple[Measure, ...] = ()


@dataclass(frozen=True)
class CheckOutcome:
    choice: Choice
    disclosed: bool


@dataclass(frozen=True)
class Written:
    """A free-text answer its writer decides about in the closing moment."""

    prompt_id: str
    question: str
    text: str
    flagged: bool
    # The crisis-first reply it called for was given at once (private mode).
    answered: bool = False
    suicidal: bool = False


def _names(names: dict[str, str]) -> dict[str, str]:
    return {p: neutralise(n) for p, n in names.items()}


def _lines_panel(console: Console, lead: str, lines: Sequence[str], title: str) -> None:
    # A grid gives each line a hanging indent, so a wrapped line still reads as one.
    listed = Table.grid(padding=(0, 1, 0, 2))
    listed.add_column(no_wrap=True)
    listed.add_column()
    for line in lines:
        listed.add_row("•", line)
    console.print(Panel(Group(Text(lead), listed), title=title, border_style="blue"))


def crisis_reply(console: Console, safety: Safety) -> None:
    """Crisis first: the emergency number, then the crisis lines, then findahelpline.com."""
    lines = crisis_lines(safety.support, safety.country)
    _lines_panel(console, safety.check.reply.crisis, lines, "Help is there now")


def support_reply(
    console: Console, safety: Safety, names: dict[str, str], partner: str, *, text: bool = False
) -> None:
    """Support for this partner's country first: after a disclosure in the check, or after a
    flagged text (`text`) in the closing moment."""
    reply = safety.check.reply
    lead = fill_names(reply.text if text else reply.disclosed, _names(names), partner)
    _lines_panel(console, lead, disclosure_lines(safety.support, safety.country), reply.title)


def ask_check(
    console: Console, safety: Safety, names: dict[str, str], partner: str
) -> CheckOutcome:
    """Every item of the check, any clinician measure, then the choice for today."""
    check = safety.check
    shown = _names(names)
    console.print(Text(check.title, style="bold"))
    console.print(Panel(Text(fill_names(check.intro, shown, partner)), border_style="blue"))
    answers: dict[str, bool] = {}
    for item in check.harm_items:
        answers[item.id] = prompts.ask_yes_no(fill_names(item.text, shown, partner), fresh=True)
    measured = any(_ask_measure(console, m, shown, partner) for m in safety.measures)
    acute = False
    console.print(Text(check.self_harm_lead, style="dim"))
    for item in check.self_harm_items:
        answers[item.id] = prompts.ask_yes_no(item.text, fresh=True)
        if answers[item.id]:
            # At once, inside this check: the crisis lines, then the acuity question.
            crisis_reply(console, safety)
            acute = prompts.ask_yes_no(check.acuity.text, fresh=True)
            for later in check.self_harm_items:
                answers.setdefault(later.id, False)  # a positive screen already: ask no more
            break
    disclosed = measured or discloses(check, answers)
    harm = measured or any(answers[i.id] for i in check.harm_items)
    del answers  # never stored, never shown
    if acute:
        console.print(Panel(Text(fill_names(check.reply.acute, shown, partner)), style="bold"))
        prompts.pause("Press Enter when you are ready.", fresh=True)
        return CheckOutcome("stop", True)
    if disclosed:
        console.print(Text(check.reply.forced, style="bold"))
    choice = forced(_ask_choice(check, disclosed), disclosed)
    if harm:
        # On a fresh screen, so that the whole reply is there to read, even at 40 columns.
        console.clear()
        support_reply(console, safety, names, partner)
        prompts.pause("Press Enter when you are ready.", fresh=True)
    return CheckOutcome(choice, disclosed)


def _ask_choice(check: Check, disclosed: bool) -> Choice:
    words = {"full": check.choice.full, "short": check.choice.short, "stop": check.choice.stop}
    options = [(words[c], c) for c in offered(disclosed)]
    return prompts.ask_choice(check.choice.question, prompts.numbered(options), fresh=True)


def _ask_measure(console: Console, measure: Measure, names: dict[str, str], partner: str) -> bool:
    """A clinician's measure, item by item; True when its total reaches the cut-off."""
    console.print(Text(measure.name, style="bold"))
    console.print(Text(f"{measure.citation}. {measure.permission}", style="dim"))
    chosen: dict[str, int] = {}
    for item in measure.items:
        options = prompts.numbered([(words, n) for n, words in enumerate(item.answers)])
        text = fill_names(item.text, names, partner)
        chosen[item.id] = prompts.ask_choice(text, options, fresh=True)
    return measure.positive(chosen)


def closing_moment(
    console: Console,
    safety: Safety,
    names: dict[str, str],
    partner: str,
    written: Sequence[Written],
) -> dict[str, bool]:
    """This partner's private closing moment: which of their texts the reflection shows (a
    flagged text defaults to no), and the private reply a flagged text calls for."""
    name = neutralise(names[partner])
    console.print(Text(f"{name}, a moment just for you before the reflection.", style="bold"))
    keep: dict[str, bool] = {}
    for number, entry in enumerate(written, 1):
        console.print(Panel(Text(neutralise(entry.text)), title=neutralise(entry.question)))
        count = f" ({number} of {len(written)})" if len(written) > 1 else ""
        question = f"Show this answer{count} in your shared reflection and keep it in the file?"
        if entry.flagged:
            hint = "Type y or n, then Enter; Enter alone is no."
            keep[entry.prompt_id] = prompts.ask_choice(question, NO_BY_DEFAULT, hint, fresh=True)
        else:
            keep[entry.prompt_id] = prompts.ask_yes_no(question, fresh=True)
    flagged = [e for e in written if e.flagged and not e.answered]
    if any(e.suicidal for e in flagged):
        crisis_reply(console, safety)
    elif flagged:
        support_reply(console, safety, names, partner, text=True)
    console.print(
        Text("Whenever you want support, coach learn safety lists confidential lines.", style="dim")
    )
    prompts.pause("Press Enter when you are ready.", fresh=True)
    return keep


def written_by(
    session: Session, content: Content, flagged: dict[str, Written], partner: str
) -> list[Written]:
    """The texts this partner decides about in their closing moment: every text they wrote in
    a private turn (private mode), and every flagged one, in the order they were asked."""
    private = session.mode == "private"
    found: dict[str, Written] = {}
    for answer in session.answers:
        prompt = content.prompts.get(answer.prompt_id)
        if private and prompt and prompt.type == "text" and answer.partner == partner:
            question = prompt.render_text(session.partners)
            found[prompt.id] = Written(prompt.id, question, str(answer.value), False)
    for prompt_id, entry in flagged.items():
        if content.prompts[prompt_id].partner == partner:
            found[prompt_id] = entry
    order = list(content.prompts)
    return sorted(found.values(), key=lambda e: order.index(e.prompt_id))
