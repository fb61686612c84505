"""The summary's first screen: who is where, in words; what the two of you share; up to three
things to try. The details follow it (coach.render.summary). At 80 columns it fits one 24-line
screen for any session (tests/session/test_overview_pty.py), so a pager opens on all of it.

The same sentences serve the terminal (`overview_panel`), Markdown and HTML: `overview_lines`
gives them as (heading, lines) pairs of plain text, which each format lays out and escapes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from coach.base.dates import long_date
from coach.base.escape import neutralise
from coach.content import TARGETS, Content, Exercise
from coach.domain.readings import CLEAR, SLIGHT, direction, strength
from coach.domain.wording import noun

if TYPE_CHECKING:
    from coach.domain.session import Session
    from coach.rules import Inference, TargetResult


def _names(ids: Sequence[str], content: Content) -> str:
    if len(ids) == len(TARGETS):
        return "every reading"
    return ", ".join(content.target(t).name for t in ids)


def where_one_is(results: dict[str, TargetResult], content: Content) -> list[str]:
    """One partner's readings in words, one sentence per direction: "Toward a secure pattern:
    clearly in Oxytocin; slightly in Dopamine.", "The other way: slightly in Amygdala.",
    "Little sign either way in the other 8." """
    groups: dict[tuple[str, int], list[str]] = {}
    neutral = 0
    for target_id in TARGETS:
        score = results[target_id].score
        if direction(score) == 0:
            neutral += 1
        else:
            groups.setdefault((strength(score), direction(score)), []).append(target_id)
    if neutral == len(TARGETS):
        return ["Little sign either way in any reading."]
    sentences = []
    for way, heading in ((1, "Toward a secure pattern"), (-1, "The other way")):
        parts = [
            f"{adverb} in {_names(groups[(words, way)], content)}"
            for words, adverb in ((CLEAR, "clearly"), (SLIGHT, "slightly"))
            if (words, way) in groups
        ]
        if parts:
            sentences.append(f"{heading}: {'; '.join(parts)}.")
    if neutral:
        rest = f"the other {noun(neutral, 'one', str(neutral))}"
        little = f"Little sign either way in {rest}."
        # On the line before it, so that the overview stays on one screen.
        sentences[-1] = f"{sentences[-1]} {little}" if sentences else little
    return sentences


def shared(inference: Inference) -> tuple[list[str], list[str]]:
    """Targets both partners read toward the secure pattern, and both read the other way.

    A reading with little sign either way is never "shared": two neutral readings say nothing.
    """
    both_up, both_down = [], []
    for target_id in TARGETS:
        a, b = direction(inference.a[target_id].score), direction(inference.b[target_id].score)
        if a == b == 1:
            both_up.append(target_id)
        elif a == b == -1:
            both_down.append(target_id)
    return both_up, both_down


def overview_lines(
    names: dict[str, str],
    inference: Inference,
    content: Content,
    exercises: Sequence[Exercise],
    by_partner: bool = True,
) -> list[tuple[str, list[str]]]:
    """The overview as (row heading, sentences): a row for each partner (not `by_partner`: a
    short session labels neither), one for both, one for up to three things to try. Plain text
    with the names as given: the caller escapes."""
    rows = (
        [(names[p], where_one_is(inference.scope(p), content)) for p in ("a", "b")]
        if by_partner
        else []
    )
    up, down = shared(inference)
    both = []
    if up:
        both.append(f"toward a secure pattern in {_names(up, content)}")
    if down:
        both.append(f"the other way in {_names(down, content)}")
    joined = "; ".join(both)
    together = joined[:1].upper() + joined[1:] + "." if both else ""
    rows.append(("Both of you", [together or "No reading points the same way for both of you."]))
    tries = [
        f"{number}. {exercise.title} (step {exercise.step}, {content.step(exercise.step).title})"
        for number, exercise in enumerate(exercises[:3], 1)
    ]
    if tries:
        rows.append(("To try", tries))
    return rows


def _label_is_just_the_names(label: str, names: dict[str, str]) -> bool:
    """ "Alex & Sam" beside "Sam and Alex" says nothing new: the header names the couple once."""
    words = sorted(w.casefold() for w in re.split(r"\s*(?:&|\band\b|\+|,)\s*", label) if w)
    return words == sorted(n.strip().casefold() for n in names.values())


def overview_panel(
    session: Session,
    inference: Inference,
    content: Content,
    exercises: Sequence[Exercise],
    width: int = 80,
    *,
    by_partner: bool = True,
) -> RenderableType:
    """The first screen: who they are and when, who is where, what the two of you share, up to
    three things to try. The session's id and steps covered open the details that follow.
    Below 60 columns each row's heading goes on a line of its own above its sentences."""
    names = session.partners
    head = Text()
    head.append(f"{neutralise(names['a'])} and {neutralise(names['b'])}", style="bold")
    if session.couple and not _label_is_just_the_names(session.couple, names):
        head.append(f"  ·  {neutralise(session.couple)}")
    narrow = width < 60
    grid = Table.grid(padding=(0, 2, 0, 0))
    if not narrow:
        grid.add_column(style="bold", max_width=12, overflow="fold")
    grid.add_column()
    rows = overview_lines(names, inference, content, exercises, by_partner)
    groups = (0, 2) if by_partner else (0,)  # a blank line before each group
    for number, (heading, sentences) in enumerate(rows):
        if number in groups:
            grid.add_row(*([""] * len(grid.columns)))
        body = Text(neutralise("\n".join(sentences)))
        if narrow:
            grid.add_row(Text(neutralise(heading), style="bold"))
            grid.add_row(Padding(body, (0, 0, 0, 2)))
        else:
            grid.add_row(neutralise(heading), body)
    when = long_date(session.created)
    if narrow:  # a panel title is cut to the panel's width: the date goes under the names
        head.append(f"\n{when}")
        title = "Your reflection"
    else:
        title = f"Your reflection  ·  {when}"
    return Panel(Group(head, grid), title=title, border_style="magenta")
