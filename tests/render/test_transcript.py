"""The demo's transcript: each step's heading counts the steps the session covers."""

from __future__ import annotations

import io
from dataclasses import replace

from rich.console import Console

from coach.app.sessions import demo_session
from coach.content import Content
from coach.render.transcript import print_transcript, step_heading


def test_a_step_heading_counts_the_steps_the_session_covers(content: Content) -> None:
    session = replace(demo_session(content), steps=(2, 4))
    assert step_heading(session, 2, "Reciprocation") == "Step 1 of 2: Reciprocation"
    assert step_heading(session, 4, "Co-regulation") == "Step 2 of 2: Co-regulation"


def test_the_transcript_of_fewer_steps_never_says_of_5(content: Content) -> None:
    session = replace(demo_session(content), steps=(1, 3, 5))
    out = io.StringIO()
    print_transcript(Console(file=out, width=100), session, content)
    headings = [line for line in out.getvalue().splitlines() if line.startswith("Step ")]
    titles = [content.step(n).title for n in (1, 3, 5)]
    assert headings == [f"Step {i} of 3: {title}" for i, title in enumerate(titles, 1)]
