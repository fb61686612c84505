"""Exports of one session (md, html, svg, json, csv) and of a couple's history (a report).

HTML is a document (coach.render.html); SVG comes from the same Rich renderables as the
terminal summary, recorded by a 100-column console. Every export is self-contained (no
scripts, fonts or links to fetch) and
ends with the educational notice. `anonymize` gives a copy of a session that is safe to hand
over: names become "Partner A" and "Partner B" everywhere, and free text is left out.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from rich.console import Console, RenderableType

from coach import checkin
from coach.app.exercises import suggested_exercises
from coach.app.reports import CoupleReport
from coach.content import TARGETS, Content
from coach.errors import DataError, UsageError
from coach.formats import Format
from coach.render.escape import neutralise
from coach.render.summary import (
    NOTICE,
    agreement,
    reason_line,
    summary_renderable,
    who_is_where,
)
from coach.session import Session
from coach.workflow import stored_inference

if TYPE_CHECKING:
    from coach.rules import Inference
    from coach.store.index import TrendPoint

EXPORT_WIDTH = 100
ANONYMOUS = {"a": "Partner A", "b": "Partner B"}

# Rich's SVG template loads the Fira Code font from a CDN; an export must not reach the network,
# so the @font-face blocks go and the viewer's monospace font is used instead.
_FONT_FACE = re.compile(r"\s*@font-face \{\{.*?\}\}", re.DOTALL)
_GENERATOR_COMMENT = re.compile(r"\s*<!-- Generated with Rich[^>]*-->")


def _offline_svg_format() -> str:
    """Rich's own SVG template without its web fonts, read from the public signature of
    Console.export_svg (its `code_format` default) rather than from a private Rich module."""
    import inspect

    from rich.console import Console

    template = inspect.signature(Console.export_svg).parameters["code_format"].default
    return _GENERATOR_COMMENT.sub("", _FONT_FACE.sub("", str(template)))


# --- anonymizing ---------------------------------------------------------------------------


def name_replacer(partners: Mapping[str, str]) -> Callable[[str], str]:
    """A function that puts "Partner A"/"Partner B" for each partner's name inside any text.

    Whole words only, any case, longer names first (so "Anna" is not caught as "Ann" + "a").
    """
    pairs = sorted(
        ((partners[p].strip(), ANONYMOUS[p]) for p in ("a", "b") if partners.get(p, "").strip()),
        key=lambda pair: -len(pair[0]),
    )
    if not pairs:
        return lambda text: text
    lookup = {name.casefold(): label for name, label in pairs}
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(name) for name, _ in pairs) + r")(?!\w)",
        re.IGNORECASE,
    )
    return lambda text: pattern.sub(lambda m: lookup.get(m.group(0).casefold(), m.group(0)), text)


def _scrub(value: Any, swap: Callable[[str], str], free_text: frozenset[str]) -> Any:
    """Names out of every string of saved results; free-text answers a rule traced dropped."""
    if isinstance(value, str):
        return swap(value)
    if isinstance(value, list):
        return [_scrub(item, swap, free_text) for item in value]
    if isinstance(value, dict):
        return {
            key: _scrub(item, swap, free_text)
            for key, item in value.items()
            if key not in free_text
        }
    return value


def anonymize(session: Session, content: Content) -> Session:
    """A copy safe to hand over: no names, no free-text answers, no facilitator free text.

    Homework picked from the content's exercises is kept (it is the exercise's title, not
    anyone's words); homework the facilitator wrote is free text and goes. The couple label
    goes too, since it is usually made of the names.
    """
    swap = name_replacer(session.partners)
    free_text = frozenset(p.id for p in content.prompts.values() if p.type == "text")
    titles = {exercise.title for exercise in content.exercises}
    return replace(
        session,
        partners=dict(ANONYMOUS),
        couple="",
        answers=[a for a in session.answers if a.prompt_id not in free_text],
        notes={},
        homework=[h for h in session.homework if h in titles],
        results=_scrub(session.results, swap, free_text) if session.results else None,
    )


# --- one session ---------------------------------------------------------------------------


def _recorded(renderables: Iterable[RenderableType]) -> Console:
    """A 100-column console that recorded the renderables, in colour, for export_html/svg."""
    console = Console(
        record=True,
        width=EXPORT_WIDTH,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
    )
    for renderable in renderables:
        console.print(renderable)
    return console


def session_html(session: Session, inference: Inference, content: Content) -> str:
    """A standalone HTML document (coach.render.html), not a picture of the terminal."""
    from coach.render.html.session import session_page

    return session_page(session, inference, content)


def session_svg(session: Session, inference: Inference, content: Content) -> str:
    console = _recorded([summary_renderable(session, inference, content, EXPORT_WIDTH)])
    return console.export_svg(
        title=f"coach: session {session.id}", code_format=_offline_svg_format()
    )


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")  # the characters that act mid-line


def md_text(text: str) -> str:
    """User or content text made inert in Markdown: one line, special characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", neutralise(text).replace("\n", " ").replace("\r", " "))


def _checkin_lines(session: Session, content: Content) -> list[str]:
    if not session.checkin:
        return []
    lines = [f"## {content.checkin.name}", ""]
    for partner in ("a", "b"):
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


def session_markdown(session: Session, inference: Inference, content: Content) -> str:
    names = session.partners
    covered = ", ".join(f"{n} {content.step(n).title}" for n in session.steps)
    lines = [
        f"# Reflection: {md_text(names['a'])} and {md_text(names['b'])}",
        "",
    ]
    if session.couple:
        lines.append(f"- Couple: {md_text(session.couple)}")
    lines += [
        f"- Date: {session.created:%Y-%m-%d %H:%M}",
        f"- Session: {md_text(session.id)}",
        f"- Steps covered: {md_text(covered)}",
        "",
    ]
    lines += _checkin_lines(session, content)
    lines += [
        "## What your answers suggest, together",
        "",
        "| Target | Reading | Score | Confidence | Why (with its evidence) |",
        "|---|---|---:|---:|---|",
    ]
    for target_id in TARGETS:
        result = inference.couple[target_id]
        cells = (
            md_text(content.target(target_id).name),
            md_text(result.label),
            f"{result.score:+.2f}",
            f"{result.confidence:.0%}" if result.confidence < 1 else "all answered",
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
    lines += _exercise_lines(inference, content, session.steps)
    lines += _facilitator_lines(session, content)
    lines += ["---", "", f"*{md_text(NOTICE)}*", ""]
    return "\n".join(lines)


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
    if not session.notes and not session.homework:
        return []
    lines = ["## Facilitator's notes", ""]
    for step, note in sorted(session.notes.items()):
        lines.append(f"- Step {step} ({md_text(content.step(step).title)}): {md_text(note)}")
    if session.homework:
        lines.append(f"- Homework: {md_text('; '.join(session.homework))}")
    return [*lines, ""]


def session_json(session: Session, content: Content) -> str:
    from coach.render.json_out import session_document, to_json

    document = dict(session_document(session, content, saved_to=None))
    document.pop("notice", None)
    document["notice"] = NOTICE  # last, so the document ends with it like every export
    return to_json(document)  # characters a terminal could act on as \u escapes


CSV_FIELDS = (
    "session",
    "created",
    "target",
    "name",
    "couple_score",
    "reading",
    "confidence",
    "a_score",
    "b_score",
    "evidence",
)


def session_csv(session: Session, inference: Inference, content: Content) -> str:
    """One row per target, then a closing row holding the notice."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for target_id in TARGETS:
        result = inference.couple[target_id]
        writer.writerow(
            (
                session.id,
                session.created.isoformat(),
                target_id,
                content.target(target_id).name,
                f"{result.score:.3f}",
                result.label,
                f"{result.confidence:.3f}",
                f"{inference.a[target_id].score:.3f}",
                f"{inference.b[target_id].score:.3f}",
                result.evidence or "",
            )
        )
    writer.writerow(("notice", NOTICE))
    return buffer.getvalue()


SessionRenderer: TypeAlias = Callable[[Session, Content], str]
ReportRenderer: TypeAlias = Callable[["CoupleReport", Content], str]
Renderer = TypeVar("Renderer")


def _renderer(table: Mapping[Format, Renderer], fmt: Format, what: str) -> Renderer:
    """The table's renderer for `fmt`: never another format's in its place."""
    if fmt not in table:
        raise UsageError(f"{what} cannot be exported as {fmt}; formats: {', '.join(table)}")
    return table[fmt]


def _with_results(
    render: Callable[[Session, Inference, Content], str],
) -> SessionRenderer:
    """A renderer of a finished session's saved results (a draft is a DataError)."""
    return lambda session, content: render(session, stored_inference(session), content)


def export_session(
    session: Session, content: Content, fmt: Format, *, anonymized: bool = False
) -> str:
    """The session in one of SESSION_EXPORTS' formats; drafts only as json (they have no
    results yet)."""
    if anonymized:
        session = anonymize(session, content)
    return _renderer(SESSION_EXPORTS, fmt, "a session")(session, content)


# --- a couple's report ---------------------------------------------------------------------


def anonymize_report(report: CoupleReport, content: Content) -> CoupleReport:
    """Names out of every row (each row may name the partners differently) and the label."""
    rows = []
    for row in report.rows:
        swap = name_replacer(row.partners)
        rows.append(replace(row, couple="", partners=dict(ANONYMOUS), headline=swap(row.headline)))
    return CoupleReport("", tuple(rows), anonymize(report.latest, content), report.partner_scores)


def _points(report: CoupleReport) -> list[TrendPoint]:
    from coach.app.trends import points_from_rows

    return list(points_from_rows(report.rows))


def _title(report: CoupleReport) -> str:
    return f"Couple report: {report.label}" if report.label else "Couple report"


def _span(report: CoupleReport) -> str:
    first, last = report.rows[0].created, report.rows[-1].created
    count = len(report.rows)
    return (
        f"{count} finished session{'s' if count != 1 else ''}, {first:%Y-%m-%d} to {last:%Y-%m-%d}"
    )


def _report_renderables(report: CoupleReport, content: Content) -> list[RenderableType]:
    """The sessions as the terminal lists them, then the newest session's summary."""
    from rich.text import Text

    from coach.render.tables import history_table

    inference = stored_inference(report.latest)
    return [
        Text("Sessions", style="bold"),
        history_table(report.rows),
        Text(f"The newest session, {report.latest.created:%Y-%m-%d}", style="bold"),
        summary_renderable(report.latest, inference, content, EXPORT_WIDTH),
    ]


def report_html(report: CoupleReport, content: Content) -> str:
    """A semantic HTML document: small multiples per target, the CSI-4 chart, the sessions
    table and the newest session (coach.render.html)."""
    from coach.render.html.report import report_page

    partner_scores = report.partner_scores or tuple({"a": {}, "b": {}} for _ in report.rows)
    return report_page(
        title=_title(report),
        span=_span(report),
        rows=report.rows,
        partner_scores=partner_scores,
        latest=report.latest,
        latest_inference=stored_inference(report.latest),
        content=content,
    )


def report_svg(report: CoupleReport, content: Content) -> str:
    """The report's charts in one SVG: one small chart per target, the CSI-4 chart, the notice."""
    from coach.render.html.report import report_svg as charts_svg

    partner_scores = report.partner_scores or tuple({"a": {}, "b": {}} for _ in report.rows)
    return charts_svg(
        title=_title(report),
        span=_span(report),
        rows=report.rows,
        partner_scores=partner_scores,
        content=content,
        notice_lines=textwrap.wrap(NOTICE, 110),
    )


def report_markdown(report: CoupleReport, content: Content) -> str:
    lines = [f"# {md_text(_title(report))}", "", md_text(_span(report)) + ".", ""]
    lines += [
        "## Sessions",
        "",
        "| Date | Session | Steps | CSI-4 A | CSI-4 B | Headline |",
        "|---|---|---|---:|---:|---|",
    ]
    for row in report.rows:
        cells = (
            f"{row.created:%Y-%m-%d}",
            md_text(row.id),
            ",".join(map(str, row.steps)),
            "" if row.csi_a is None else str(row.csi_a),
            "" if row.csi_b is None else str(row.csi_b),
            md_text(row.headline),
        )
        lines.append("| " + " | ".join(cells) + " |")
    names = [content.target(t).name for t in TARGETS]
    lines += ["", "## Couple scores over time", ""]
    lines.append("| Date | " + " | ".join(map(md_text, names)) + " |")
    lines.append("|---|" + "---:|" * len(names))
    for row in report.rows:
        scores = (_signed(row.scores.get(t)) for t in TARGETS)
        lines.append(f"| {row.created:%Y-%m-%d} | " + " | ".join(scores) + " |")
    lines += ["", "---", "", f"*{md_text(NOTICE)}*", ""]
    return "\n".join(lines)


def _signed(value: float | None) -> str:
    return "" if value is None else f"{value:+.2f}"


def report_json(report: CoupleReport) -> str:
    document = {
        "couple": report.label,
        "sessions": [
            {
                "id": row.id,
                "created": row.created.isoformat(),
                "partners": row.partners,
                "steps": list(row.steps),
                "headline": row.headline,
                "scores": row.scores,
                "csi4": {"a": row.csi_a, "b": row.csi_b},
            }
            for row in report.rows
        ],
        "csi4": {"max": checkin.MAX_TOTAL, "reference_point": checkin.REFERENCE_POINT},
        "notice": NOTICE,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def report_csv(report: CoupleReport) -> str:
    from coach.render.tables import trend_csv_rows

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(trend_csv_rows(_points(report), TARGETS))
    writer.writerow(("notice", NOTICE))
    return buffer.getvalue()


def export_report(
    report: CoupleReport, content: Content, fmt: Format, *, anonymized: bool = False
) -> str:
    """A couple's report in one of REPORT_EXPORTS' formats (html is the full one, with
    charts)."""
    if anonymized:
        report = anonymize_report(report, content)
    return _renderer(REPORT_EXPORTS, fmt, "a couple's report")(report, content)


# Each export format and the function that writes it; the formats `coach export` offers
# (coach.formats.COMMAND_FORMATS) must all be here (tests/render/test_exports.py).
SESSION_EXPORTS: dict[Format, SessionRenderer] = {
    Format.MD: _with_results(session_markdown),
    Format.HTML: _with_results(session_html),
    Format.SVG: _with_results(session_svg),
    Format.JSON: session_json,
    Format.CSV: _with_results(session_csv),
}
REPORT_EXPORTS: dict[Format, ReportRenderer] = {
    Format.MD: report_markdown,
    Format.HTML: report_html,
    Format.SVG: report_svg,
    Format.JSON: lambda report, content: report_json(report),
    Format.CSV: lambda report, content: report_csv(report),
}
