"""`coach couples` as text: one line per couple (a Rich table at a terminal, tab-separated lines
with a heading when piped), and what a merge would move."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from coach.base.escape import neutralise_line, one_line
from coach.domain.wording import count

if TYPE_CHECKING:
    from coach.app.couples import CoupleSummary
    from coach.store.caseload import Merge

CITATION = "CSI-4: Funk & Rogge (2007); a reference point for conversation, not a verdict."
HEADINGS = ("COUPLE", "SESSIONS", "FIRST", "LAST", "LATEST CSI-4", "DIRECTION")


def _cells(summary: CoupleSummary) -> tuple[str, ...]:
    from coach.base.dates import day

    csi = ", ".join(f"{one_line(name)} {total}" for name, (total, _) in sorted(summary.csi.items()))
    return (
        one_line(summary.label),
        str(summary.sessions),
        day(summary.first) if summary.first else "",
        day(summary.last) if summary.last else "",
        csi or "none to show",  # no check-in, or totals the partners kept private
        summary.direction,
    )


def print_caseload(summaries: list[CoupleSummary]) -> None:
    """A Rich table at a terminal; tab-separated lines with a heading when piped."""
    from coach.render.tables import is_terminal

    if not summaries:
        print("No couples yet (coach start --a NAME --b NAME begins a session).", file=sys.stderr)
        return
    if not is_terminal():
        lines = ["\t".join(HEADINGS), *("\t".join(_cells(summary)) for summary in summaries)]
        print("\n".join(lines))
        print(CITATION, file=sys.stderr)  # standard error: what is piped stays the listing
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    for column in HEADINGS:
        table.add_column(column)
    for summary in summaries:
        table.add_row(*_cells(summary))
    console = Console()
    console.print(table)
    console.print(CITATION)


def merge_plan_lines(plan: Merge) -> list[str]:
    """What a merge moves: FROM into INTO (with how many INTO has), then each session's id."""
    source, target = neutralise_line(plan.source), neutralise_line(plan.target)
    return [
        f'Merging "{source}" into "{target}" '
        f"(which has {count(plan.target_sessions, 'session')}) moves "
        f"{count(len(plan.ids), 'session')}:",
        *(f"  {session_id}" for session_id in plan.ids),
    ]
