"""Rich pages for `coach learn`: the source model with its evidence labels, and the sources.

Wide terminals get tables; narrower ones get the same rows stacked, one field per line, so that
nothing is cut ("...") at 80 or even 40 columns: every word wraps instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from coach.content import EVIDENCE_LABELS, Content
from coach.domain.evidence import LABEL_MEANINGS, shown

HONESTY_NOTE = (
    "The coach keeps the source model's structure but speaks about it honestly: it infers likely "
    "patterns from what you answer and never measures a chemical or a brain region. It is an "
    "educational reflection tool, not therapy, diagnosis or a medical device."
)

EVIDENCE_MEANINGS = LABEL_MEANINGS
TABLE_WIDTH = 120  # narrower than this, rows are stacked rather than squeezed into columns


def page(
    title: str, columns: Sequence[str], rows: Sequence[Sequence[str]], width: int
) -> RenderableType:
    """A table when there is room for its columns; otherwise each row as a small block."""
    if width >= TABLE_WIDTH:
        table = Table(title=title, show_lines=True, expand=True)
        for number, column in enumerate(columns):
            table.add_column(column, style="bold" if number == 0 else "", overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        return table
    parts: list[RenderableType] = [Text(title, style="bold underline")]
    for row in rows:
        block = Text()
        block.append(row[0], style="bold")
        for column, cell in zip(columns[1:], row[1:], strict=True):
            block.append(f"\n{column}: ", style="dim")
            block.append(cell)
        parts.append(Text(""))
        parts.append(block)
    return Group(*parts)


def flow_table(content: Content, width: int = TABLE_WIDTH) -> RenderableType:
    rows = [
        (
            f"{step.number} {step.title}",
            step.shown,
            f"{step.about}\nSource: {step.source}",
            shown(step.evidence),
        )
        for step in content.steps
    ]
    columns = ("Step", "What happens", "What the evidence says", "Evidence")
    return page("The five-step interaction flow", columns, rows, width)


def _targets_table(content: Content, kind: str, title: str, width: int) -> RenderableType:
    columns = (
        "Name",
        "Role in the source model",
        "Effect in the source model",
        "What the evidence says",
        "Evidence",
        "Caveats",
    )
    rows = [
        (
            t.name,
            t.role,
            t.effect,
            t.evidence_note,
            shown(t.evidence),
            "\n".join(f"• {c}" for c in t.caveats) or "none noted",
        )
        for t in content.targets
        if t.kind == kind
    ]
    return page(title, columns, rows, width)


def chemicals_table(content: Content, width: int = TABLE_WIDTH) -> RenderableType:
    return _targets_table(content, "chemical", "Five neurochemicals", width)


def regions_table(content: Content, width: int = TABLE_WIDTH) -> RenderableType:
    return _targets_table(content, "region", "Five brain regions", width)


def evidence_table(content: Content, width: int = TABLE_WIDTH) -> RenderableType:
    rows = [(label, EVIDENCE_MEANINGS[label]) for label in EVIDENCE_LABELS]
    return page("Evidence labels", ("Label", "Meaning"), rows, width)


def sources_table(content: Content, width: int = TABLE_WIDTH) -> RenderableType:
    """The bibliography: every paper the coach cites, what it reports and the strongest label
    a sentence resting on it may carry."""
    from coach.domain.evidence import load_references

    rows = [
        (r.cite, r.formatted(), r.reports, shown(r.supports), r.read)
        for r in sorted(load_references(), key=lambda r: r.cite)
    ]
    columns = ("Cited as", "Reference", "What it reports", "Its finding's label", "How it was read")
    return page("Sources", columns, rows, width)


def safety_panel(content: Content, width: int = TABLE_WIDTH) -> Panel:
    """The safety pathway in short; docs/safety.md says it in full."""
    from coach.content.check_files import load_check, load_support

    check, support = load_check(), load_support()
    own = sum(1 for i in check.items if i.source == "coach")
    asq = len(check.self_harm_items)
    text = Text()
    paragraphs = [
        "Every session starts with a private check for each of you, alone: the other partner "
        "cannot see the questions answered or the answers, and the answers are never saved. "
        f"It asks about physical harm, fear, threats and coercive control ({own} questions "
        "coach wrote: an unvalidated screen) and about thoughts of suicide (the "
        f"{asq} Ask Suicide-Screening Questions of NIMH, Horowitz et al. 2012, and their "
        "acuity question; validated where a clinician follows up, which coach cannot do).",
        "It ends with a question anyone may answer for any reason: the full session, a short "
        "one or stop for today. Today's plan is the shorter of your two choices, and it never "
        "says whose choice it was. A short session leaves out the conflict and co-regulation "
        "steps and every touch or closeness exercise, and its reflection reads you together. "
        "A stop saves nothing.",
        "A yes in the check makes that partner's choice short (or stop), and tells them so "
        "alone, with support for their country first. To the other partner it looks like a "
        "short session anyone may choose: the same screens, the same saved file. A yes about "
        "suicide is answered at once with crisis lines, then asks whether the thoughts are "
        "there right now; if so, the session stops for today.",
        "What it cannot hide: a partner who chose the full session knows the other chose "
        "short or stop, and the discloser's private moments may take a little longer.",
        "Free text that suggests fear or harm changes nothing mid-session: its writer decides, "
        "in a private closing moment each of you gets, whether it is shown or kept (kept out "
        "unless they say yes). Ctrl-Q at any question is a quick exit: the screen is cleared "
        "and coach closes at once. The coach never advises a couple to stay together or "
        "separate. More: docs/safety.md.",
    ]
    for paragraph in paragraphs:
        text.append(paragraph + "\n\n")
    text.append("Support (the session shows your country's first):", style="bold")
    lines = Table.grid(padding=(0, 1, 0, 2))
    lines.add_column(no_wrap=True)
    lines.add_column()
    for line in support.lines:
        lines.add_row("•", line.text)
    return Panel(Group(text, lines), title="Safety", border_style="blue")


def print_topics(content: Content, topics: Sequence[str]) -> None:
    """`coach learn`: each topic's page (flow, chemicals, regions, evidence, sources, safety) to
    the terminal's width, then the honesty note, paged."""
    from rich.console import Console

    from coach.render.pager import paged

    builders = {
        "flow": flow_table,
        "chemicals": chemicals_table,
        "regions": regions_table,
        "evidence": evidence_table,
        "sources": sources_table,
        "safety": safety_panel,
    }
    with paged(Console()) as console:
        for name in topics:
            console.print(builders[name](content, console.width))
            console.print()
        console.print(HONESTY_NOTE, style="italic")
