"""A couple's sessions over time, to hand over: as an HTML document (the small multiples, the
CSI-4 chart, the sessions table and the newest session) and as one standalone SVG (the charts).

Semantic HTML (headings, sections, real tables, figures with captions), not a picture of the
terminal: readable by a screen reader, searchable, readable on a phone and printable on A4 or
Letter by its style sheet (coach.render.html.page). Charts are inline SVG
(coach.render.html.trends_page
and csi_chart), so a report stands alone: no script, font or link to fetch.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from coach.app.reports import PartnerScores
from coach.base.dates import day
from coach.content import Content
from coach.domain import checkin
from coach.render.html.csi_chart import C_HEIGHT, C_WIDTH, csi_key, csi_svg
from coach.render.html.page import SVG_NS, html_text, notice_footer, page
from coach.render.html.session_page import session_article
from coach.render.html.trends_page import (
    M_HEIGHT,
    M_WIDTH,
    chart_key,
    multiple_svg,
    multiples,
    rolling_window,
)
from coach.render.report_words import (
    HEADLINE_COLUMN,
    NOT_A_VERDICT,
    SESSION_COLUMNS,
    SESSIONS_HEADING,
    TARGETS_HEADING,
    csi_column,
    newest_heading,
    sessions_caption,
)

if TYPE_CHECKING:
    from coach.domain.session import Session
    from coach.rules import Inference
    from coach.store.index import HistoryRow


def report_page(
    *,
    title: str,
    span: str,
    rows: Sequence[HistoryRow],
    partner_scores: Sequence[PartnerScores],
    latest: Session,
    latest_inference: Inference,
    content: Content,
) -> str:
    """The couple report: small multiples, the CSI-4 chart, sessions table and newest session."""
    labels = (rows[-1].partners["a"], rows[-1].partners["b"])
    dates = [row.created for row in rows]
    window = rolling_window(len(rows))
    charts = multiples(rows, partner_scores, lambda t: content.target(t).name)
    figures = "\n".join(
        f"<figure><figcaption>{escape(chart.name)}</figcaption>"
        f"{multiple_svg(chart, dates, window)}</figure>"
        for chart in charts
    )
    csi_chart_svg = csi_svg(rows, labels)
    parts = [
        "<header>",
        f"<h1>{html_text(title)}</h1>",
        f'<p class="lede">{escape(span)}.</p>',
        "</header>",
        "<main>",
        '<section class="targets">',
        f"<h2>{TARGETS_HEADING}</h2>",
        "<p>One chart per target, all on the same scales: scores from \u22121 to +1 across the "
        "same dates. Each faint dot is one session's couple score; the lines are rolling means "
        f"over the last {window} sessions, which show the drift rather than every "
        f"week's ups and downs. A line breaks where a session has no value. {NOT_A_VERDICT}</p>",
        chart_key(labels, window),
        f'<div class="multiples">\n{figures}\n</div>',
        "</section>",
    ]
    if csi_chart_svg is not None:
        parts += [
            '<section class="csi4">',
            f"<h2>{escape(content.checkin.name)}</h2>",
            f'<figure class="wide"><figcaption>Each partner\'s totals (0 to {checkin.MAX_TOTAL}) '
            "as dots, their rolling means as lines, and the reference point as a solid line; "
            "a ring marks each total below it</figcaption>"
            f"{csi_chart_svg}{csi_key(labels)}</figure>",
            f"<p>{escape(content.checkin.reference_note)}</p>",
            f'<p class="source">Source: {escape(content.checkin.citation)}</p>',
            "</section>",
        ]
    parts += _sessions_table(rows, labels)
    parts += [
        '<section class="latest">',
        f"<h2>{newest_heading(latest.created)}</h2>",
        session_article(latest, latest_inference, content, level=3, end=notice_footer()),
        "</section>",
        "</main>",
    ]
    return page(title, "\n".join(parts))


def report_svg(
    *,
    title: str,
    span: str,
    rows: Sequence[HistoryRow],
    partner_scores: Sequence[PartnerScores],
    content: Content,
    notice_lines: Sequence[str],
) -> str:
    """The small multiples in one standalone SVG, two to a row, the CSI-4 chart beneath."""
    labels = (rows[-1].partners["a"], rows[-1].partners["b"])
    dates = [row.created for row in rows]
    window = rolling_window(len(rows))
    charts = multiples(rows, partner_scores, lambda t: content.target(t).name)
    cell_width, cell_height, top = M_WIDTH + 20, M_HEIGHT + 22, 80
    grid_rows = (len(charts) + 1) // 2
    csi = csi_svg(rows, labels)
    csi_top = top + grid_rows * cell_height + 10
    csi_width = 2 * cell_width - 20
    csi_height = C_HEIGHT * csi_width // C_WIDTH
    height = csi_top + (csi_height + 30 if csi else 0) + 14 * len(notice_lines) + 16
    width = 2 * cell_width + 20
    parts = [
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{html_text(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="12" y="26" font-size="18" font-weight="bold">{html_text(title)}</text>',
        f'<text x="12" y="46" fill="#555">{escape(span)}. Dots: each session\'s couple score.'
        "</text>",
        f'<text x="12" y="62" fill="#555">Lines: rolling means of {window} sessions, the '
        f"couple's thick, {html_text(labels[0])}'s solid, {html_text(labels[1])}'s dashed.</text>",
    ]
    for number, chart in enumerate(charts):
        x = 12 + (number % 2) * cell_width
        y = top + (number // 2) * cell_height
        parts.append(f'<text x="{x}" y="{y + 12}" font-weight="bold">{escape(chart.name)}</text>')
        placement = f' x="{x}" y="{y + 16}" width="{M_WIDTH}" height="{M_HEIGHT}"'
        parts.append(multiple_svg(chart, dates, window, placement))
    y = csi_top
    if csi:
        parts.append(
            f'<text x="12" y="{y + 12}" font-weight="bold">CSI-4 check-in totals (0 to '
            f"{checkin.MAX_TOTAL}), reference point {checkin.REFERENCE_POINT:g}</text>"
        )
        placed = f' x="12" y="{y + 18}" width="{csi_width}" height="{csi_height}"'
        parts.append(csi.replace(f'<svg xmlns="{SVG_NS}"', f'<svg xmlns="{SVG_NS}"{placed}', 1))
        y += csi_height + 30
    for number, line in enumerate(notice_lines):
        parts.append(
            f'<text x="12" y="{y + 14 + number * 14}" font-size="11" font-style="italic">'
            f"{escape(line)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _sessions_table(rows: Sequence[HistoryRow], labels: tuple[str, str]) -> list[str]:
    csi_a, csi_b = (html_text(csi_column(label)) for label in labels)
    first_columns = "".join(f'<th scope="col">{column}</th>' for column in SESSION_COLUMNS)
    body = []
    for row in rows:
        body.append(
            "<tr>"
            f'<td class="nowrap" data-label="Date"><time datetime="{row.created.isoformat()}">'
            f"{day(row.created)}</time></td>"
            f'<td class="nowrap id" data-label="Session">{html_text(row.id)}</td>'
            f'<td data-label="Steps">{",".join(map(str, row.steps))}</td>'
            f'<td class="num" data-label="{csi_a}">{"—" if row.csi_a is None else row.csi_a}</td>'
            f'<td class="num" data-label="{csi_b}">{"—" if row.csi_b is None else row.csi_b}</td>'
            f'<td class="headline" data-label="Headline">{html_text(row.headline)}</td>'
            "</tr>"
        )
    return [
        '<section class="sessions">',
        f"<h2>{SESSIONS_HEADING}</h2>",
        '<table class="session-table">',
        f"<caption>{sessions_caption(len(rows))}</caption>",
        f"<thead><tr>{first_columns}"
        f'<th scope="col" class="num">{csi_a}</th><th scope="col" class="num">{csi_b}</th>'
        f'<th scope="col">{HEADLINE_COLUMN}</th></tr></thead>',
        "<tbody>",
        *body,
        "</tbody>",
        "</table>",
        "</section>",
    ]
