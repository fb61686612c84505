"""Rich pages for `coach learn`: the source model in tables, each row with its evidence label."""

from __future__ import annotations

from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from coach.content import EVIDENCE_LABELS, Content

HONESTY_NOTE = (
    "The coach keeps the source model's structure but speaks about it honestly: it infers likely "
    "patterns from what you answer and never measures a chemical or a brain region. It is an "
    "educational reflection tool, not therapy, diagnosis or a medical device."
)

EVIDENCE_MEANINGS = {
    "Strong": "replicated human studies, broad agreement",
    "Moderate": "several human studies, some limits",
    "Preliminary": "few or small human studies, or animal work only",
    "Contested": "a failed replication or an open scientific debate",
    "Practice": "a clinical or coaching practice, not a measured effect",
}


def flow_table(content: Content) -> Table:
    table = Table(title="The five-step interaction flow", show_lines=True, expand=True)
    table.add_column("Step", no_wrap=True, style="bold")
    table.add_column("What happens", ratio=3)
    table.add_column("What the evidence says", ratio=3)
    table.add_column("Evidence", no_wrap=True)
    for step in content.steps:
        table.add_row(
            f"{step.number} {step.title}",
            Text(step.shown),
            Text(f"{step.about}\nSource: {step.source}"),
            step.evidence,
        )
    return table


def _targets_table(content: Content, kind: str, title: str) -> Table:
    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("Name", no_wrap=True, style="bold")
    table.add_column("Role in the source model", ratio=2)
    table.add_column("Effect in the source model", ratio=2)
    table.add_column("What the evidence says", ratio=3)
    table.add_column("Evidence", no_wrap=True)
    for target in content.targets:
        if target.kind == kind:
            table.add_row(
                target.name, target.role, target.effect, target.evidence_note, target.evidence
            )
    return table


def chemicals_table(content: Content) -> Table:
    return _targets_table(content, "chemical", "Five neurochemicals")


def regions_table(content: Content) -> Table:
    return _targets_table(content, "region", "Five brain regions")


def evidence_table(content: Content) -> Table:
    table = Table(title="Evidence labels", expand=True)
    table.add_column("Label", style="bold", no_wrap=True)
    table.add_column("Meaning")
    for label in EVIDENCE_LABELS:
        table.add_row(label, EVIDENCE_MEANINGS[label])
    return table


def safety_panel(content: Content) -> Panel:
    safety = content.safety
    text = Text()
    text.append(
        "Before the conflict step each partner answers a short private check. If either answer "
        "suggests fear or harm, the conflict exercise is left out for that session, and nothing "
        "shows who answered what. The coach never advises a couple to stay together or "
        "separate.\n\n"
    )
    text.append("Support:\n", style="bold")
    for resource in safety.resources:
        text.append(f"  • {resource}\n")
    return Panel(text, title="Safety", border_style="blue")
