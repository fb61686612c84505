"""One session as an HTML document: its summary as an <article> (facts, CSI-4 check-in, the
targets table, where the partners agree, their own words, exercises, facilitator's notes).

The couple report (coach.render.html.report) shows its newest session with the same article.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from coach.app.exercises import suggested_exercises
from coach.base.dates import long_date
from coach.content import TARGETS, Content
from coach.domain import checkin
from coach.domain.readings import in_words, rests_on, short_words
from coach.render.html.page import COUPLE_COLOUR, SVG_NS, html_text, notice_footer, page
from coach.render.report_words import OWN_WORDS_HEADING, own_words
from coach.render.summary import agreement, reason_line

if TYPE_CHECKING:
    from coach.domain.session import Session
    from coach.rules import Inference


def session_page(session: Session, inference: Inference, content: Content) -> str:
    """One session as a standalone HTML document."""
    article = session_article(session, inference, content, end=notice_footer())
    body = f"<main>\n{article}\n</main>"
    return page(f"coach: session {session.id}", body)


def session_article(
    session: Session,
    inference: Inference,
    content: Content,
    *,
    level: int = 1,
    end: str = "",
) -> str:
    """The session's summary as an <article>; `level` is its heading's level (1 or 2). The
    overview comes first, then the details; the facilitator's notes only if the session still
    holds them (`coach export` leaves them out unless --with-notes). `end` (the notice's
    footer) closes the article: as the last sections' sibling, a printed page never holds it
    alone (Chromium keeps break-before: avoid there, not after the article)."""
    h, sub = f"h{level}", f"h{level + 1}"
    names = session.partners
    parts = [
        "<article>",
        "<header>",
        f"<{h}>Reflection: {html_text(names['a'])} and {html_text(names['b'])}</{h}>",
        _session_facts(session, content),
        "</header>",
    ]
    parts += _overview_section(session, inference, content, sub)
    parts += _targets_table(session, inference, content, sub)
    parts += _together_section(inference, content, sub)
    parts += _checkin_section(session, content, sub)
    parts += _own_words_section(session, content, sub)
    parts += _exercises_section(session, inference, content, sub)
    parts += _facilitator_section(session, content, sub)
    parts += [end, "</article>"] if end else ["</article>"]
    return "\n".join(parts)


def _session_facts(session: Session, content: Content) -> str:
    covered = ", ".join(f"{n} {content.step(n).title}" for n in session.steps)
    rows = []
    if session.couple:
        rows.append(("Couple", html_text(session.couple)))
    when = session.created
    rows += [
        ("Date", f'<time datetime="{when.isoformat()}">{long_date(when)}</time>'),
        ("Session", html_text(session.id)),
        ("Steps covered", escape(covered)),
    ]
    items = "".join(f"<dt>{key}</dt><dd>{value}</dd>" for key, value in rows)
    return f'<dl class="facts">{items}</dl>'


def _overview_section(
    session: Session, inference: Inference, content: Content, h: str
) -> list[str]:
    """At a glance: who is where, what the two of you share, up to three things to try."""
    from coach.render.overview import overview_lines

    exercises = suggested_exercises(inference, content, session.steps)
    rows = "".join(
        f"<dt>{html_text(heading)}</dt><dd>{'<br>'.join(html_text(s) for s in sentences)}</dd>"
        for heading, sentences in overview_lines(session.partners, inference, content, exercises)
    )
    return [
        '<section class="overview">',
        f"<{h}>At a glance</{h}>",
        f'<dl class="facts">{rows}</dl>',
        "</section>",
    ]


def _checkin_section(session: Session, content: Content, h: str) -> list[str]:
    totals = [(p, session.checkin_total(p)) for p in ("a", "b")] if session.checkin else []
    shown = [(p, total) for p, total in totals if total is not None]
    if not shown:
        return []
    items = "".join(
        f"<li>{html_text(session.partners[p])}: {total} of {checkin.MAX_TOTAL}</li>"
        for p, total in shown
    )
    if not session.checkin_shown_to_both:  # without both partners' yes, no totals
        items = f"<li>{escape(checkin.KEPT_PRIVATE)}</li>"
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
        '<th scope="col">Together</th>'
        f'<th scope="col">{html_text(names["a"])}</th>'
        f'<th scope="col">{html_text(names["b"])}</th>'
        '<th scope="col">Rests on</th><th scope="col">Evidence</th>'
        '<th scope="col">Why</th>'
    )
    label_a, label_b = html_text(names["a"]), html_text(names["b"])
    rows = []
    for target_id in TARGETS:
        result = inference.couple[target_id]
        rows.append(
            "<tr>"
            f'<th scope="row">{escape(content.target(target_id).name)}</th>'
            f'<td class="reading">{escape(in_words(result.label, result.score))}</td>'
            f'<td class="value" data-label="Together">{_score_bar(result.score)} '
            f"{short_words(result.score)}</td>"
            f'<td class="value" data-label="{label_a}">'
            f"{short_words(inference.a[target_id].score)}</td>"
            f'<td class="value" data-label="{label_b}">'
            f"{short_words(inference.b[target_id].score)}</td>"
            f'<td class="value" data-label="Rests on">{escape(rests_on(result.confidence))}</td>'
            f'<td class="value" data-label="Evidence">'
            f"{escape(result.evidence or 'none either way')}</td>"
            f'<td class="why" data-label="Why">{html_text(reason_line(result, names))}</td>'
            "</tr>"
        )
    return [
        "<section>",
        f"<{h}>What your answers suggest, together</{h}>",
        '<table class="ten-targets">',
        "<caption>Each reading in words: clearly or slightly toward a secure pattern, the "
        "other way, or little sign either way; a reference point for conversation, not a "
        "verdict. Unanswered questions make a reading rest on fewer answers; they never count "
        "as low answers.</caption>",
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
    quotes = [
        f"<figure><figcaption>{html_text(quote.who)}: {html_text(quote.question)}</figcaption>"
        f"<blockquote>{html_text(quote.text)}</blockquote></figure>"
        for quote in own_words(session, content)
    ]
    if not quotes:
        return []
    return ["<section>", f"<{h}>{OWN_WORDS_HEADING}</{h}>", *quotes, "</section>"]


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
    """The facilitator's notes, if the session holds them, and the homework."""
    notes = session.notes
    if not notes and not session.homework:
        return []
    rows = [
        f"<dt>Step {step} ({escape(content.step(step).title)})</dt><dd>{html_text(note)}</dd>"
        for step, note in sorted(notes.items())
    ]
    if session.homework:
        rows.append(f"<dt>Homework</dt><dd>{html_text('; '.join(session.homework))}</dd>")
    return [
        "<section>",
        f"<{h}>{'Facilitator' + chr(39) + 's notes' if notes else 'Homework'}</{h}>",
        f'<dl class="facts">{"".join(rows)}</dl>',
        "</section>",
    ]


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
