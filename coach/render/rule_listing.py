"""`coach rules list` and `coach rules show` as text: a pack's rules in a Rich table, one rule
in full in a grid. The pack's file name, ids and texts come from outside: shown, never acted on
(neutralised, and escaped where they would be Rich markup)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.base.escape import neutralise, neutralise_line
from coach.domain.wording import count

if TYPE_CHECKING:
    from coach.rules import Rule, RulePack


def effects_text(rule: Rule, with_sets: bool = True) -> str:
    """The rule's targets with each partner's weight, and the facts it sets."""
    parts = []
    for target in rule.targets:
        weights = [f"{e.partner} {e.weight:+.2f}" for e in rule.effects if e.target == target]
        parts.append(f"{target} ({', '.join(weights)})")
    if rule.sets and with_sets:
        parts.append("sets " + ", ".join(f"fact.{f}" for f in rule.sets))
    return "; ".join(parts)


def print_rules(pack: RulePack) -> None:
    """Every rule of the pack: id, step, targets (with weights) and evidence, paged."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from coach.render.pager import paged

    # The title is Rich markup too.
    heading = f"{pack.source}: {pack.id} version {pack.version}"
    table = Table(title=escape(neutralise_line(heading)) + f", {count(len(pack.rules), 'rule')}")
    table.add_column("Rule", no_wrap=True)
    table.add_column("Step", justify="right")
    table.add_column("Targets (partner weight)")
    table.add_column("Evidence", no_wrap=True)
    for rule in pack.rules:
        table.add_row(escape(rule.id), str(rule.step), escape(effects_text(rule)), rule.evidence)
    with paged(Console()) as console:
        console.print(table)


def print_rule(pack: RulePack, rule: Rule) -> None:
    """One rule in full: condition, effects, facts, reason, evidence and what it reads."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    where = f"{pack.source}, line {rule.line}" if rule.line else pack.source
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    rows = [
        ("rule", f"{rule.id}  ({where})"),
        ("step", str(rule.step)),
        ("when", rule.when),
        ("effects", effects_text(rule, with_sets=False) or "none"),
        ("sets", ", ".join(f"fact.{f}" for f in rule.sets) or "none"),
        ("uses", ", ".join(f"fact.{f}" for f in rule.uses) or "none"),
        ("because", rule.because),
        ("evidence", rule.evidence),
        ("reads", ", ".join(rule.reads) or "none"),
    ]
    through_facts = [p for p in rule.traces if p not in rule.reads]
    if through_facts:
        rows.append(("via facts", ", ".join(through_facts)))
    for key, value in rows:
        grid.add_row(key, escape(neutralise(value)))
    Console().print(grid)
