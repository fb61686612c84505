"""Exports of one session (md, html, svg, json, csv) and of a couple's history (a report): the
entry point `coach export` calls, and the one table per kind of export from Format to writer.

Each format's writers live beside this module: markdown (md), data (json, csv) and html_svg
(html documents from coach.render.html, svg pictures); anonymize makes the copy --anonymize
exports. Every export is self-contained (no scripts, fonts or links to fetch) and ends with the
educational notice. Imported only by `coach export`, so `coach --help` never loads it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, TypeAlias, TypeVar

from coach.app.reports import CoupleReport
from coach.base.errors import UsageError
from coach.base.formats import Format
from coach.content import Content
from coach.domain.finish import stored_inference
from coach.domain.session import Session
from coach.render.export.anonymize import anonymize, anonymize_report
from coach.render.export.data import report_csv, report_json, session_csv, session_json
from coach.render.export.html_svg import report_html, report_svg, session_html, session_svg
from coach.render.export.markdown import report_markdown, session_markdown

if TYPE_CHECKING:
    from coach.rules import Inference

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


def without_notes(session: Session) -> Session:
    """The session as the couple may be handed it: the facilitator's notes are the
    facilitator's, so an export leaves them out unless asked (--with-notes). Homework stays:
    it was chosen for the couple."""
    return replace(session, notes={})


def export_session(
    session: Session,
    content: Content,
    fmt: Format,
    *,
    anonymized: bool = False,
    with_notes: bool = False,
) -> str:
    """The session in one of SESSION_EXPORTS' formats; drafts only as json (they have no
    results yet). The facilitator's notes only `with_notes` (and never anonymized)."""
    if not with_notes:
        session = without_notes(session)
    if anonymized:
        session = anonymize(session, content)
    return _renderer(SESSION_EXPORTS, fmt, "a session")(session, content)


def export_report(
    report: CoupleReport,
    content: Content,
    fmt: Format,
    *,
    anonymized: bool = False,
    with_notes: bool = False,
) -> str:
    """A couple's report in one of REPORT_EXPORTS' formats (html is the full one, with
    charts). Its newest session's facilitator's notes only `with_notes`."""
    if not with_notes:
        report = replace(report, latest=without_notes(report.latest))
    if anonymized:
        report = anonymize_report(report, content)
    return _renderer(REPORT_EXPORTS, fmt, "a couple's report")(report, content)


# Each export format and the function that writes it; the formats `coach export` offers
# (coach.base.formats.COMMAND_FORMATS) must all be here (tests/render/test_exports.py). A new format
# is a writer module beside this one, with a session and a report writer, and a line in each.
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
