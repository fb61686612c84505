"""Reports to hand over, as HTML documents: one session, and a couple's sessions over time.

Semantic HTML (headings, sections, real tables, figures with captions), not a picture of the
terminal: readable by a screen reader, searchable, and printable on A4 by its print stylesheet.
Charts are inline SVG drawn here, so a report stands alone: no script, font or link to fetch.
The couple report draws small multiples, one chart per target on shared scales, each with the
couple's and each partner's rolling mean, and the CSI-4 totals against their reference point.

All user text (names, labels, answers, notes) is escaped and neutralised before it is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

from coach import checkin
from coach.app.exercises import suggested_exercises
from coach.app.reports import PartnerScores
from coach.content import TARGETS, Content
from coach.render.escape import neutralise
from coach.render.summary import NOTICE, agreement, reason_line

if TYPE_CHECKING:
    from coach.rules import Inference
    from coach.session import Session
    from coach.store.index import HistoryRow

SVG_NS = "http://www.w3.org/2000/svg"
MIN_WINDOW = 5  # sessions in a rolling mean, at least
WINDOWS_PER_CHART = 20  # a longer history gets a wider window: about 20 windows across a chart
COUPLE_COLOUR, A_COLOUR, B_COLOUR = "#0072B2", "#D55E00", "#009E73"  # Okabe-Ito: colour-blind safe
A_DASH, B_DASH = "", "5 3"  # B dashed as well, for print in black and white

STYLE = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #555; --rule: #d0d0d0; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: var(--ink); background: #fff; max-width: 72rem; margin: 0 auto;
  padding: 2rem 1.5rem; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; line-height: 1.2; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem;
  border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p, li, dd { max-width: 48rem; }
.lede { color: var(--muted); margin: 0 0 1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; margin: .5rem 0 1rem; }
caption { text-align: left; color: var(--muted); padding-bottom: .4rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem;
  border-bottom: 1px solid var(--rule); }
thead th { border-bottom: 2px solid var(--ink); white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.why { color: var(--muted); font-size: .88rem; width: 32%; }
td.nowrap { white-space: nowrap; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr));
  gap: 1rem 1.5rem; }
figure { margin: 0; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-weight: 600; margin-bottom: .2rem; }
figure.wide { max-width: 52rem; }
.key { display: flex; flex-wrap: wrap; gap: .4rem 1.4rem; margin: .4rem 0 1rem; padding: 0;
  list-style: none; font-size: .92rem; }
.key svg { vertical-align: middle; margin-right: .35rem; }
blockquote { margin: .3rem 0 1rem; padding: .2rem 0 .2rem 1rem; border-left: 3px solid var(--rule);
  white-space: pre-wrap; }
.source { color: var(--muted); font-size: .9rem; }
footer { margin-top: 2.5rem; padding-top: .8rem; border-top: 1px solid var(--rule);
  font-style: italic; color: var(--muted); }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { font-size: 10pt; max-width: none; padding: 0; }
  h1 { font-size: 17pt; }
  h2 { font-size: 13pt; margin-top: 14pt; break-after: avoid; }
  h3 { break-after: avoid; }
  .multiples { grid-template-columns: repeat(2, 1fr); gap: 6pt 14pt; }
  figure, tr, blockquote, li { break-inside: avoid; }
  thead { display: table-header-group; }
  table { font-size: 8.5pt; }
  section.sessions, section.latest { break-before: page; }
  a { color: inherit; text-decoration: none; }
}
"""


def _text(value: str) -> str:
    """User or content text for HTML: control characters made visible, then escaped."""
    return escape(neutralise(value))


def page(title: str, body: str, lang: str = "en") -> str:
    """A whole standalone document around `body`."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="coach">\n'
        f"<title>{_text(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}".replace("-", "\u2212")


def _score_bar(score: float) -> str:
    """A small bar centred on zero, as in the terminal: right for the secure pattern."""
    width, middle = 80, 40
    length = min(abs(score), 1.0) * middle
    x = middle if score >= 0 else middle - length
    fill = COUPLE_COLOUR if score >= 0 else "#B85450"
    return (
        f'<svg xmlns="{SVG_NS}" class="bar" width="{width}" height="10" '
        f'viewBox="0 0 {width} 10" aria-hidden="true">'
        f'<rect x="0" y="4" width="{width}" height="2" fill="#e6e6e6"/>'
        f'<rect x="{x:.1f}" y="1" width="{length:.1f}" height="8" fill="{fill}"/>'
        f'<rect x="{middle - 0.5}" y="0" width="1" height="10" fill="#777"/></svg>'
    )


# --- one session ---------------------------------------------------------------------------


def session_article(
    session: Session, inference: Inference, content: Content, *, level: int = 1
) -> str:
    """The session's summary as an <article>; `level` is its heading's level (1 or 2)."""
    h, sub = f"h{level}", f"h{level + 1}"
    names = session.partners
    parts = [
        "<article>",
        "<header>",
        f"<{h}>Reflection: {_text(names['a'])} and {_text(names['b'])}</{h}>",
        _session_facts(session, content),
        "</header>",
    ]
    parts += _checkin_section(session, content, sub)
    parts += _targets_table(session, inference, content, sub)
    parts += _together_section(inference, content, sub)
    parts += _own_words_section(session, content, sub)
    parts += _exercises_section(session, inference, content, sub)
    parts += _facilitator_section(session, content, sub)
    parts.append("</article>")
    return "\n".join(parts)


def _session_facts(session: Session, content: Content) -> str:
    covered = ", ".join(f"{n} {content.step(n).title}" for n in session.steps)
    rows = []
    if session.couple:
        rows.append(("Couple", _text(session.couple)))
    when = session.created
    rows += [
        ("Date", f'<time datetime="{when.isoformat()}">{when:%A %d %B %Y, %H:%M}</time>'),
        ("Session", _text(session.id)),
        ("Steps covered", escape(covered)),
    ]
    items = "".join(f"<dt>{key}</dt><dd>{value}</dd>" for key, value in rows)
    return f'<dl class="facts">{items}</dl>'


def _checkin_section(session: Session, content: Content, h: str) -> list[str]:
    totals = [(p, session.checkin_total(p)) for p in ("a", "b")] if session.checkin else []
    shown = [(p, total) for p, total in totals if total is not None]
    if not shown:
        return []
    items = "".join(
        f"<li>{_text(session.partners[p])}: {total} of {checkin.MAX_TOTAL}</li>"
        for p, total in shown
    )
    return [
        "<section>",
        f"<{h}>{escape(content.checkin.name)}</{h}>",
        f"<ul>{items}</ul>",
        f"<p>{escape(content.checkin.reference_note)}</p>",
        f'<p class="source">Source: {escape(content.checkin.citation)}</p>',
        "</section>",
    ]


def _targets_table(session: Session, inference: Inference, content: Content, h: str) -> list[str]:
    names = session.partners
    head = (
        '<th scope="col">Target</th><th scope="col">What your answers suggest</th>'
        '<th scope="col" class="num">Together</th>'
        f'<th scope="col" class="num">{_text(names["a"])}</th>'
        f'<th scope="col" class="num">{_text(names["b"])}</th>'
        '<th scope="col" class="num">Confidence</th><th scope="col">Evidence</th>'
        '<th scope="col">Why</th>'
    )
    rows = []
    for target_id in TARGETS:
        result = inference.couple[target_id]
        rows.append(
            "<tr>"
            f'<th scope="row">{escape(content.target(target_id).name)}</th>'
            f"<td>{escape(result.label)}</td>"
            f'<td class="num">{_score_bar(result.score)} {_signed(result.score)}</td>'
            f'<td class="num">{_signed(inference.a[target_id].score)}</td>'
            f'<td class="num">{_signed(inference.b[target_id].score)}</td>'
            f'<td class="num">{result.confidence:.0%}</td>'
            f"<td>{escape(result.evidence or 'none either way')}</td>"
            f'<td class="why">{_text(reason_line(result, names))}</td>'
            "</tr>"
        )
    return [
        "<section>",
        f"<{h}>What your answers suggest, together</{h}>",
        "<table>",
        "<caption>Scores run from \u22121 to +1: a reference point for conversation, not a "
        "verdict. Unanswered questions lower the confidence; they never count as low "
        "answers.</caption>",
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
        *rows,
        "</tbody>",
        "</table>",
        "</section>",
    ]


def _target_list(ids: Sequence[str], content: Content) -> str:
    return escape(", ".join(content.target(t).name for t in ids) or "none this time")


def _together_section(inference: Inference, content: Content, h: str) -> list[str]:
    agree, differ = agreement(inference)
    parts = [
        "<section>",
        f"<{h}>Together</{h}>",
        "<ul>",
        f"<li>Where your answers point the same way: {_target_list(agree, content)}</li>",
        f"<li>Where your answers point different ways: {_target_list(differ, content)}</li>",
        "</ul>",
    ]
    if differ:
        parts.append(
            "<p>A difference is not a fault in either of you: it is a good place to start "
            "talking.</p>"
        )
    return [*parts, "</section>"]


def _own_words_section(session: Session, content: Content, h: str) -> list[str]:
    quotes = []
    for answer in session.answers:
        prompt = content.prompts.get(answer.prompt_id)
        if prompt is None or prompt.type != "text" or not isinstance(answer.value, str):
            continue
        question = prompt.render_text(session.partners).removesuffix(" (optional)")
        quotes.append(
            f"<figure><figcaption>{_text(session.partners[answer.partner])}: "
            f"{_text(question)}</figcaption><blockquote>{_text(answer.value)}</blockquote>"
            "</figure>"
        )
    if not quotes:
        return []
    return ["<section>", f"<{h}>In your own words</{h}>", *quotes, "</section>"]


def _exercises_section(
    session: Session, inference: Inference, content: Content, h: str
) -> list[str]:
    exercises = suggested_exercises(inference, content, session.steps)
    if not exercises:
        return []
    items = []
    for exercise in exercises:
        step = content.step(exercise.step)
        items.append(
            f"<li><strong>{escape(exercise.title)}</strong> (step {step.number}, "
            f"{escape(step.title)}). {escape(exercise.how)} "
            f'<span class="source">Source: {escape(exercise.source)}. '
            f"Evidence: {escape(exercise.evidence)}.</span></li>"
        )
    return ["<section>", f"<{h}>To try this week</{h}>", "<ol>", *items, "</ol>", "</section>"]


def _facilitator_section(session: Session, content: Content, h: str) -> list[str]:
    if not session.notes and not session.homework:
        return []
    rows = [
        f"<dt>Step {step} ({escape(content.step(step).title)})</dt><dd>{_text(note)}</dd>"
        for step, note in sorted(session.notes.items())
    ]
    if session.homework:
        rows.append(f"<dt>Homework</dt><dd>{_text('; '.join(session.homework))}</dd>")
    return [
        "<section>",
        f"<{h}>Facilitator's notes</{h}>",
        f'<dl class="facts">{"".join(rows)}</dl>',
        "</section>",
    ]


def _notice() -> str:
    return f"<footer><p>{escape(NOTICE)}</p></footer>"


def session_page(session: Session, inference: Inference, content: Content) -> str:
    """One session as a standalone HTML document."""
    body = f"<main>\n{session_article(session, inference, content)}\n</main>\n{_notice()}"
    return page(f"coach: session {session.id}", body)


# --- a couple's report ---------------------------------------------------------------------


@dataclass(frozen=True)
class Multiple:
    """One small chart's data: a target's scores per session, for the couple and each partner."""

    name: str
    couple: tuple[float | None, ...]
    a: tuple[float | None, ...]
    b: tuple[float | None, ...]


def rolling_window(sessions: int) -> int:
    """Sessions per rolling mean: 5, or more for a long history (27 for 544 sessions), so that
    the line shows the drift over months rather than every week's ups and downs."""
    return max(MIN_WINDOW, sessions // WINDOWS_PER_CHART)


def rolling_known(values: Sequence[float | None], window: int) -> list[float | None]:
    """At each session with a value, the mean of the last `window` known values; None elsewhere.

    For measures taken now and then (the CSI-4 check-in), where a session without one is not a
    gap in the measure: the line joins the sessions that have it.
    """
    means: list[float | None] = []
    known: list[float] = []
    for value in values:
        if value is None:
            means.append(None)
            continue
        known.append(value)
        recent = known[-window:]
        means.append(sum(recent) / len(recent))
    return means


def rolling_mean(values: Sequence[float | None], window: int) -> list[float | None]:
    """At each session, the mean of the known values among the last `window` sessions.

    A session with no value of its own gets None: the line breaks there rather than
    pretending a value was measured.
    """
    means: list[float | None] = []
    for index, value in enumerate(values):
        if value is None:
            means.append(None)
            continue
        known = [v for v in values[max(0, index - window + 1) : index + 1] if v is not None]
        means.append(sum(known) / len(known))
    return means


# Small-multiple geometry (viewBox units; the SVG scales with the page).
M_WIDTH, M_HEIGHT = 340, 170
M_LEFT, M_RIGHT, M_TOP, M_BOTTOM = 34, 10, 10, 24


def _m_x(dates: Sequence[datetime]) -> list[float]:
    from coach.render.charts import spread_by_time

    return spread_by_time(dates, M_LEFT, M_WIDTH - M_LEFT - M_RIGHT)


def _m_y(value: float) -> float:
    height = M_HEIGHT - M_TOP - M_BOTTOM
    return M_TOP + (1 - (value + 1) / 2) * height


def _polylines(
    xs: Sequence[float], values: Sequence[float | None], colour: str, width: float, dash: str
) -> list[str]:
    lines, run = [], []
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    for x, value in [*zip(xs, values, strict=True), (0.0, None)]:
        if value is not None:
            run.append(f"{x:.1f},{_m_y(value):.1f}")
            continue
        if len(run) > 1:
            lines.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                f'stroke-width="{width}" stroke-linejoin="round"{dashed}/>'
            )
        elif run:  # a lone session: a dot, so it is not lost
            x_text, y_text = run[0].split(",")
            lines.append(f'<circle cx="{x_text}" cy="{y_text}" r="{width}" fill="{colour}"/>')
        run = []
    return lines


def multiple_svg(
    chart: Multiple, dates: Sequence[datetime], window: int, placement: str = ""
) -> str:
    """One target's small chart: every couple score as a faint dot, and three rolling means.

    `placement` (x, y, width and height attributes) places it inside a larger SVG.
    """
    xs = _m_x(dates)
    right, bottom = M_WIDTH - M_RIGHT, M_HEIGHT - M_BOTTOM
    title = (
        f"{chart.name}: couple score and each partner's, rolling mean of "
        f"{window} sessions, {dates[0]:%Y-%m-%d} to {dates[-1]:%Y-%m-%d}"
    )
    parts = [
        f'<svg xmlns="{SVG_NS}"{placement} viewBox="0 0 {M_WIDTH} {M_HEIGHT}" '
        f'role="img" font-family="system-ui, sans-serif" font-size="10">',
        f"<title>{_text(title)}</title>",
    ]
    for tick in (-1.0, -0.5, 0.0, 0.5, 1.0):
        y = _m_y(tick)
        stroke = "#9a9a9a" if tick == 0 else "#e3e3e3"
        parts.append(
            f'<line x1="{M_LEFT}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{stroke}"/>'
        )
        if tick in (-1.0, 0.0, 1.0):
            parts.append(
                f'<text x="{M_LEFT - 5}" y="{y + 3.5:.1f}" text-anchor="end" fill="#555">'
                f"{_signed(tick) if tick else '0'}</text>"
            )
    parts.append(
        f'<text x="{M_LEFT}" y="{bottom + 15}" fill="#555">{dates[0]:%Y-%m-%d}</text>'
        f'<text x="{right}" y="{bottom + 15}" text-anchor="end" fill="#555">'
        f"{dates[-1]:%Y-%m-%d}</text>"
    )
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{_m_y(v):.1f}" r="1.6"/>'
        for x, v in zip(xs, chart.couple, strict=True)
        if v is not None
    )
    parts.append(f'<g fill="{COUPLE_COLOUR}" fill-opacity="0.28">{dots}</g>')
    # The couple's line first and widest, the partners' thinner lines over it, so that where
    # they run together (the couple's score is their mean) both stay visible.
    parts += _polylines(xs, rolling_mean(chart.couple, window), COUPLE_COLOUR, 3.2, "")
    parts += _polylines(xs, rolling_mean(chart.a, window), A_COLOUR, 1.5, A_DASH)
    parts += _polylines(xs, rolling_mean(chart.b, window), B_COLOUR, 1.5, B_DASH)
    parts.append("</svg>")
    return "".join(parts)


def _key(labels: tuple[str, str], window: int) -> str:
    def swatch(colour: str, width: float, dash: str = "", dot: bool = False) -> str:
        if dot:
            mark = f'<circle cx="13" cy="6" r="2.4" fill="{colour}" fill-opacity="0.45"/>'
        else:
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            mark = (
                f'<line x1="0" y1="6" x2="26" y2="6" stroke="{colour}" '
                f'stroke-width="{width}"{dashed}/>'
            )
        return (
            f'<svg xmlns="{SVG_NS}" width="26" height="12" viewBox="0 0 26 12" '
            f'aria-hidden="true">{mark}</svg>'
        )

    items = [
        (swatch(COUPLE_COLOUR, 0, dot=True), "each session's couple score"),
        (swatch(COUPLE_COLOUR, 3.2), f"couple, rolling mean of {window} sessions"),
        (swatch(A_COLOUR, 1.5, A_DASH), f"{_text(labels[0])}, rolling mean"),
        (swatch(B_COLOUR, 1.5, B_DASH), f"{_text(labels[1])}, rolling mean"),
    ]
    return '<ul class="key">' + "".join(f"<li>{s}{text}</li>" for s, text in items) + "</ul>"


def multiples(
    rows: Sequence[HistoryRow], partner_scores: Sequence[PartnerScores], names: Callable[[str], str]
) -> list[Multiple]:
    """One Multiple per target, from the index rows (couple) and each session's partner scores."""
    charts = []
    for target in TARGETS:
        charts.append(
            Multiple(
                name=names(target),
                couple=tuple(row.scores.get(target) for row in rows),
                a=tuple(scores["a"].get(target) for scores in partner_scores),
                b=tuple(scores["b"].get(target) for scores in partner_scores),
            )
        )
    return charts


C_WIDTH, C_HEIGHT = 720, 240
C_LEFT, C_RIGHT, C_TOP, C_BOTTOM = 40, 12, 12, 26


def _c_y(total: float) -> float:
    return C_TOP + (1 - total / checkin.MAX_TOTAL) * (C_HEIGHT - C_TOP - C_BOTTOM)


def csi_svg(rows: Sequence[HistoryRow], labels: tuple[str, str]) -> str | None:
    """Each partner's CSI-4 totals (dots) and their rolling means, against the reference line.

    None when nobody did the check-in in these sessions.
    """
    series = [
        (labels[0], tuple(None if r.csi_a is None else float(r.csi_a) for r in rows), A_COLOUR),
        (labels[1], tuple(None if r.csi_b is None else float(r.csi_b) for r in rows), B_COLOUR),
    ]
    done = [values for _, values, _ in series if any(v is not None for v in values)]
    if not done:
        return None
    window = rolling_window(max(sum(v is not None for v in values) for values in done))
    width = C_WIDTH - C_LEFT - C_RIGHT
    stamps = [row.created.timestamp() for row in rows]
    first, last = min(stamps), max(stamps)
    xs = [
        C_LEFT + (width / 2 if last == first else (s - first) / (last - first) * width)
        for s in stamps
    ]
    right, bottom = C_WIDTH - C_RIGHT, C_HEIGHT - C_BOTTOM
    reference = _c_y(checkin.REFERENCE_POINT)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {C_WIDTH} {C_HEIGHT}" role="img" '
        'font-family="system-ui, sans-serif" font-size="11">',
        f"<title>CSI-4 totals of {_text(labels[0])} and {_text(labels[1])}, with rolling means "
        f"of {window} check-ins and the reference point {checkin.REFERENCE_POINT:g}</title>",
    ]
    for tick in (0, 7, 14, 21):
        y = _c_y(tick)
        parts.append(
            f'<line x1="{C_LEFT}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#e3e3e3"/>'
            f'<text x="{C_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{tick}</text>'
        )
    parts.append(
        f'<line x1="{C_LEFT}" y1="{reference:.1f}" x2="{right}" y2="{reference:.1f}" '
        'stroke="#333" stroke-width="1.2" stroke-dasharray="6 4"/>'
        f'<text x="{right - 4}" y="{reference - 5:.1f}" text-anchor="end" fill="#333">'
        f"reference point {checkin.REFERENCE_POINT:g}</text>"
        f'<text x="{C_LEFT}" y="{bottom + 17}" fill="#555">{rows[0].created:%Y-%m-%d}</text>'
        f'<text x="{right}" y="{bottom + 17}" text-anchor="end" fill="#555">'
        f"{rows[-1].created:%Y-%m-%d}</text>"
    )
    for name, values, colour in series:
        dots = "".join(
            f'<circle cx="{x:.1f}" cy="{_c_y(v):.1f}" r="2"><title>{_text(name)}: {v:g}</title>'
            "</circle>"
            for x, v in zip(xs, values, strict=True)
            if v is not None
        )
        parts.append(f'<g fill="{colour}" fill-opacity="0.35">{dots}</g>')
    for (_, values, colour), dash in zip(series, (A_DASH, B_DASH), strict=True):
        means = rolling_known(values, window)
        points = " ".join(
            f"{x:.1f},{_c_y(m):.1f}" for x, m in zip(xs, means, strict=True) if m is not None
        )
        if points:
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"'
                f"{dashed}/>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _sessions_table(rows: Sequence[HistoryRow], labels: tuple[str, str]) -> list[str]:
    body = []
    for row in rows:
        body.append(
            "<tr>"
            f'<td class="nowrap"><time datetime="{row.created.isoformat()}">'
            f"{row.created:%Y-%m-%d}</time></td>"
            f'<td class="nowrap">{_text(row.id)}</td>'
            f"<td>{','.join(map(str, row.steps))}</td>"
            f'<td class="num">{"—" if row.csi_a is None else row.csi_a}</td>'
            f'<td class="num">{"—" if row.csi_b is None else row.csi_b}</td>'
            f"<td>{_text(row.headline)}</td>"
            "</tr>"
        )
    return [
        '<section class="sessions">',
        "<h2>Sessions</h2>",
        "<table>",
        f"<caption>{len(rows)} finished session{'s' if len(rows) != 1 else ''}, oldest first."
        "</caption>",
        '<thead><tr><th scope="col">Date</th><th scope="col">Session</th>'
        '<th scope="col">Steps</th>'
        f'<th scope="col" class="num">CSI-4 {_text(labels[0])}</th>'
        f'<th scope="col" class="num">CSI-4 {_text(labels[1])}</th>'
        '<th scope="col">Headline</th></tr></thead>',
        "<tbody>",
        *body,
        "</tbody>",
        "</table>",
        "</section>",
    ]


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
        f"<h1>{_text(title)}</h1>",
        f'<p class="lede">{escape(span)}.</p>',
        "</header>",
        "<main>",
        '<section class="targets">',
        "<h2>The ten targets over time</h2>",
        "<p>One chart per target, all on the same scales: scores from \u22121 to +1 across the "
        "same dates. Each faint dot is one session's couple score; the lines are rolling means "
        f"over the last {window} sessions, which show the drift rather than every "
        "week's ups and downs. A line breaks where a session has no value. Each score is a "
        "reference point for conversation, not a verdict.</p>",
        _key(labels, window),
        f'<div class="multiples">\n{figures}\n</div>',
        "</section>",
    ]
    if csi_chart_svg is not None:
        parts += [
            '<section class="csi4">',
            f"<h2>{escape(content.checkin.name)}</h2>",
            f'<figure class="wide"><figcaption>Each partner\'s totals (0 to {checkin.MAX_TOTAL}) '
            "as dots, their rolling means as lines, and the reference point as a dashed line"
            "</figcaption>"
            f"{csi_chart_svg}</figure>",
            f"<p>{escape(content.checkin.reference_note)}</p>",
            f'<p class="source">Source: {escape(content.checkin.citation)}</p>',
            "</section>",
        ]
    parts += _sessions_table(rows, labels)
    parts += [
        '<section class="latest">',
        f"<h2>The newest session, {latest.created:%Y-%m-%d}</h2>",
        session_article(latest, latest_inference, content, level=3),
        "</section>",
        "</main>",
        _notice(),
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
        f"<title>{_text(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="12" y="26" font-size="18" font-weight="bold">{_text(title)}</text>',
        f'<text x="12" y="46" fill="#555">{escape(span)}. Dots: each session\'s couple score.'
        "</text>",
        f'<text x="12" y="62" fill="#555">Lines: rolling means of {window} sessions, the '
        f"couple's thick, {_text(labels[0])}'s solid, {_text(labels[1])}'s dashed.</text>",
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
