"""The Markdown exports: one session's summary, and a couple's report as two tables.

All user and content text goes through `md_text`, so nothing in it acts as Markdown or reaches
a terminal raw.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from coach.app.exercises import suggested_exercises
from coach.app.reports import CoupleReport
from coach.base.dates import day, day_and_time
from coach.base.errors import DataError
from coach.base.escape import neutralise
from coach.content import TARGETS, Content
from coach.domain import checkin
from coach.domain.finish import stored_inference
from coach.domain.readings import in_words, rests_on, short_words
from coach.domain.session import Session
from coach.render.export.heading import report_span, report_title
from coach.render.report_words import (
    HEADLINE_COLUMN,
    NOT_A_VERDICT,
    OWN_WORDS_HEADING,
    SESSION_COLUMNS,
    SESSIONS_HEADING,
    TARGETS_HEADING,
    csi_column,
    newest_heading,
    own_words,
    sessions_caption,
)
from coach.render.summary import NOTICE, agreement, reason_line, who_is_where

if TYPE_CHECKING:
    from coach.rules import Inference

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")  # the characters that act mid-line


def md_text(text: str) -> str:
    """User or content text made inert in Markdown: one line, special characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", neutralise(text).replace("\n", " ").replace("\r", " "))


def _checkin_lines(session: Session, content: Content) -> list[str]:
    if not session.checkin:
        return []
    lines = [f"## {content.checkin.name}", ""]
    if not session.checkin_shown_to_both:  # without both partners' yes, no totals
        lines.append(md_text(checkin.KEPT_PRIVATE))
    for partner in ("a", "b") if session.checkin_shown_to_both else ():
        items = session.checkin.get(partner)
        if items:
            shown = _checkin_description(items)
            lines.append(f"- {md_text(session.partners[partner])}: {md_text(shown)}")
    lines += [
        "",
        md_text(content.checkin.reference_note),
        "",
        f"Source: {md_text(checkin.CITATION)}",
        "",
    ]
    return lines


def _checkin_description(items: Mapping[str, int]) -> str:
    try:
        return checkin.description(checkin.total(items))
    except DataError:  # an interrupted check-in: no total to show
        return "check-in not completed"


def _overview_lines(session: Session, inference: Inference, content: Content) -> list[str]:
    """The overview first, as on the terminal: who is where, what you share, things to try."""
    from coach.render.overview import overview_lines

    exercises = suggested_exercises(inference, content, session.steps)
    lines = ["## At a glance", ""]
    rows = overview_lines(session.partners, inference, content, exercises)
    for number, (heading, sentences) in enumerate(rows):
        if number == len(rows) - 1 and exercises:  # to try: one line each, as numbered
            lines.append(f"- **{md_text(heading)}**:")
            lines += [f"  - {md_text(s)}" for s in sentences]
        else:
            lines.append(f"- **{md_text(heading)}**: " + " ".join(md_text(s) for s in sentences))
    return [*lines, ""]


def session_markdown(
    session: Session, inference: Inference, content: Content, *, notice: bool = True
) -> str:
    """The session's summary: the overview first, then the details. The facilitator's notes
    appear only if the session still holds them (`coach export` leaves them out unless
    --with-notes). Without `notice` for a couple report, which ends with its own."""
    names = session.partners
    covered = ", ".join(f"{n} {content.step(n).title}" for n in session.steps)
    lines = [
        f"# Reflection: {md_text(names['a'])} and {md_text(names['b'])}",
        "",
    ]
    if session.couple:
        lines.append(f"- Couple: {md_text(session.couple)}")
    lines += [
        f"- Date: {day_and_time(session.created)}",
        f"- Session: {md_text(session.id)}",
        f"- Steps covered: {md_text(covered)}",
        "",
    ]
    lines += _overview_lines(session, inference, content)
    lines += [
        "## What your answers suggest, together",
        "",
        "| Target | Reading | Rests on | Why (with its evidence) |",
        "|---|---|---|---|",
    ]
    for target_id in TARGETS:
        result = inference.couple[target_id]
        cells = (
            md_text(content.target(target_id).name),
            md_text(in_words(result.label, result.score)),
            md_text(rests_on(result.confidence)),
            md_text(reason_line(result, names, content)),
        )
        lines.append("| " + " | ".join(cells) + " |")
    agree, differ = agreement(inference)
    lines += [
        "",
        "## Together",
        "",
        f"- Where your answers point the same way: {_target_names(agree, content)}",
        f"- Where your answers point different ways: {_target_names(differ, content)}",
        *(
            f"  - {md_text(content.target(t).name)}: {md_text(who_is_where(inference, t, names))}"
            for t in differ
        ),
        "",
    ]
    lines += _checkin_lines(session, content)
    lines += _own_words_lines(session, content)
    lines += _exercise_lines(inference, content, session.steps)
    lines += _facilitator_lines(session, content)
    if notice:
        lines += ["---", "", f"*{md_text(NOTICE)}*", ""]
    return "\n".join(lines)


def _own_words_lines(session: Session, content: Content) -> list[str]:
    """What the partners wrote, under the question it answers (as the HTML shows it)."""
    lines = []
    for quote in own_words(session, content):
        heading = f"**{md_text(quote.who)}: {md_text(quote.question)}**"
        lines += [heading, "", f"> {md_text(quote.text)}", ""]
    return [f"## {OWN_WORDS_HEADING}", "", *lines] if lines else []


def _target_names(ids: Sequence[str], content: Content) -> str:
    return md_text(", ".join(content.target(t).name for t in ids) or "none this time")


def _exercise_lines(inference: Inference, content: Content, steps: Sequence[int]) -> list[str]:
    exercises = suggested_exercises(inference, content, steps)
    if not exercises:
        return []
    lines = ["## To try this week", ""]
    for number, exercise in enumerate(exercises, 1):
        step = content.step(exercise.step)
        lines.append(
            f"{number}. **{md_text(exercise.title)}** (step {step.number}, {md_text(step.title)}): "
            f"{md_text(exercise.how)} Source: {md_text(exercise.source)}. "
            f"Evidence: {exercise.evidence}."
        )
    return [*lines, ""]


def _facilitator_lines(session: Session, content: Content) -> list[str]:
    """The facilitator's notes, if the session holds them, and the homework."""
    notes = session.notes
    if not notes and not session.homework:
        return []
    lines = ["## Facilitator's notes" if notes else "## Homework", ""]
    for step, note in sorted(notes.items()):
        lines.append(f"- Step {step} ({md_text(content.step(step).title)}): {md_text(note)}")
    if session.homework:
        lines.append(f"- Homework: {md_text('; '.join(session.homework))}")
    return [*lines, ""]


def report_markdown(report: CoupleReport, content: Content) -> str:
    """The couple report in the HTML report's order and words: the ten targets over time (a
    table where the HTML draws charts), the CSI-4 check-in, the sessions and the newest one."""
    names = (report.rows[-1].partners["a"], report.rows[-1].partners["b"])
    lines = [f"# {md_text(report_title(report))}", "", md_text(report_span(report)) + ".", ""]
    targets = [content.target(t).name for t in TARGETS]
    lines += [
        f"## {TARGETS_HEADING}",
        "",
        "The couple's reading for each target in each session, in words: clearly or slightly "
        "toward a secure pattern, the other way, or little sign either way. " + NOT_A_VERDICT,
        "",
        "| Date | " + " | ".join(map(md_text, targets)) + " |",
        "|---|" + "---:|" * len(targets),
    ]
    for row in report.rows:
        scores = (_words(row.scores.get(t)) for t in TARGETS)
        lines.append(f"| {day(row.created)} | " + " | ".join(scores) + " |")
    if any(row.csi_a is not None or row.csi_b is not None for row in report.rows):
        lines += [
            "",
            f"## {md_text(content.checkin.name)}",
            "",
            f"Each partner's totals (0 to {checkin.MAX_TOTAL}) are in the sessions table below.",
            "",
            md_text(content.checkin.reference_note),
            "",
            f"Source: {md_text(checkin.CITATION)}",
        ]
    columns = [*SESSION_COLUMNS, *(csi_column(name) for name in names), HEADLINE_COLUMN]
    lines += [
        "",
        f"## {SESSIONS_HEADING}",
        "",
        sessions_caption(len(report.rows)),
        "",
        "| " + " | ".join(map(md_text, columns)) + " |",
        "|---|---|---|---:|---:|---|",
    ]
    for row in report.rows:
        cells = (
            day(row.created),
            md_text(row.id),
            ",".join(map(str, row.steps)),
            "—" if row.csi_a is None else str(row.csi_a),
            "—" if row.csi_b is None else str(row.csi_b),
            md_text(row.headline),
        )
        lines.append("| " + " | ".join(cells) + " |")
    latest = session_markdown(report.latest, stored_inference(report.latest), content, notice=False)
    lines += ["", f"## {newest_heading(report.latest.created)}", ""]
    lines += [f"##{line}" if line.startswith("#") else line for line in latest.splitlines()]
    lines += ["---", "", f"*{md_text(NOTICE)}*", ""]
    return "\n".join(lines)


def _words(value: float | None) -> str:
    return "" if value is None else short_words(value)
