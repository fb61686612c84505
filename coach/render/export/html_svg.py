"""The exports to look at: HTML documents (coach.render.html) and SVG pictures.

A session's SVG comes from the same Rich renderables as the terminal summary, recorded by a
100-column console, with Rich's web fonts taken out so that it fetches nothing; a couple
report's SVG is its charts, drawn by hand (coach.render.html.report).
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.console import Console, RenderableType

from coach.app.reports import CoupleReport, PartnerScores
from coach.content import Content
from coach.domain.finish import stored_inference
from coach.domain.session import Session
from coach.render.export.heading import report_span, report_title
from coach.render.summary import NOTICE, summary_renderable

if TYPE_CHECKING:
    from coach.rules import Inference

EXPORT_WIDTH = 100

# Rich's SVG template loads the Fira Code font from a CDN; an export must not reach the network,
# so the @font-face blocks go and the viewer's monospace font is used instead.
_FONT_FACE = re.compile(r"\s*@font-face \{\{.*?\}\}", re.DOTALL)
_GENERATOR_COMMENT = re.compile(r"\s*<!-- Generated with Rich[^>]*-->")


def _offline_svg_format() -> str:
    """Rich's own SVG template without its web fonts, read from the public signature of
    Console.export_svg (its `code_format` default) rather than from a private Rich module."""
    import inspect

    template = inspect.signature(Console.export_svg).parameters["code_format"].default
    return _GENERATOR_COMMENT.sub("", _FONT_FACE.sub("", str(template)))


def _recorded(renderables: Iterable[RenderableType]) -> Console:
    """A 100-column console that recorded the renderables, in colour, for export_svg."""
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
    """A standalone HTML document (coach.render.html.session_page), not a picture of the
    terminal."""
    from coach.render.html.session_page import session_page

    return session_page(session, inference, content)


def session_svg(session: Session, inference: Inference, content: Content) -> str:
    # Notes only if the session still holds them: `coach export` takes them out without
    # --with-notes.
    summary = summary_renderable(session, inference, content, EXPORT_WIDTH, with_notes=True)
    console = _recorded([summary])
    return console.export_svg(
        title=f"coach: session {session.id}", code_format=_offline_svg_format()
    )


def report_html(report: CoupleReport, content: Content) -> str:
    """A semantic HTML document: small multiples per target, the CSI-4 chart, the sessions
    table and the newest session (coach.render.html.report)."""
    from coach.render.html.report import report_page

    return report_page(
        title=report_title(report),
        span=report_span(report),
        rows=report.rows,
        partner_scores=_partner_scores(report),
        latest=report.latest,
        latest_inference=stored_inference(report.latest),
        content=content,
    )


def report_svg(report: CoupleReport, content: Content) -> str:
    """The report's charts in one SVG: one small chart per target, the CSI-4 chart, the notice."""
    from coach.render.html.report import report_svg as charts_svg

    return charts_svg(
        title=report_title(report),
        span=report_span(report),
        rows=report.rows,
        partner_scores=_partner_scores(report),
        content=content,
        notice_lines=textwrap.wrap(NOTICE, 110),
    )


def _partner_scores(report: CoupleReport) -> tuple[PartnerScores, ...]:
    """Each session's partner scores; empty ones when the report came without them."""
    return report.partner_scores or tuple({"a": {}, "b": {}} for _ in report.rows)
