"""The skeleton every HTML export shares: the document around a body, its style sheet (for a
screen, a phone and paper), the colours of the charts, and how text and numbers are written in.

All user text (names, labels, answers, notes) goes through `html_text`: control characters are
made visible (coach.base.escape), then the text is escaped.
"""

from __future__ import annotations

from html import escape

from coach.base.escape import neutralise
from coach.render.summary import NOTICE

SVG_NS = "http://www.w3.org/2000/svg"
COUPLE_COLOUR, A_COLOUR, B_COLOUR = "#0072B2", "#D55E00", "#009E73"  # Okabe-Ito: colour-blind safe
A_DASH, B_DASH = "", "5 3"  # B dashed as well, for print in black and white

STYLE = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #555; --rule: #d0d0d0; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: var(--ink); background: #fff; max-width: 72rem; margin: 0 auto;
  padding: 2rem 1.5rem; overflow-wrap: break-word; }
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
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(20rem, 100%), 1fr));
  gap: 1rem 1.5rem; }
figure { margin: 0; }
figure > svg { width: 100%; height: auto; display: block; }
figcaption { font-weight: 600; margin-bottom: .2rem; }
figure.wide { max-width: 52rem; }
.key { display: flex; flex-wrap: wrap; gap: .4rem 1.4rem; margin: .4rem 0 1rem; padding: 0;
  list-style: none; font-size: .92rem; }
.key svg { vertical-align: middle; margin-right: .35rem; }
.csi-key { display: none; }
blockquote { margin: .3rem 0 1rem; padding: .2rem 0 .2rem 1rem; border-left: 3px solid var(--rule);
  white-space: pre-wrap; }
.source { color: var(--muted); font-size: .9rem; }
footer { margin-top: 2.5rem; padding-top: .8rem; border-top: 1px solid var(--rule);
  font-style: italic; color: var(--muted); }

/* A phone, and paper: each table row is a card, each value named by its column. */
@media print, screen and (max-width: 600px) {
  table.ten-targets, table.ten-targets > tbody, table.ten-targets caption,
  table.ten-targets tr, table.ten-targets th, table.ten-targets td { display: block; }
  table.ten-targets thead { display: none; }
  table.ten-targets tr { border: 1px solid var(--rule); border-radius: 6px; padding: .45rem .7rem;
    margin: 0 0 .6rem; break-inside: avoid; }
  table.ten-targets th, table.ten-targets td { border: 0; padding: .05rem 0; width: auto; }
  table.ten-targets th[scope="row"] { font-size: 1.05em; }
  table.ten-targets td.value { display: inline-block; margin-right: 1.1em; }
  table.ten-targets td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
  table.ten-targets td.why { margin-top: .15rem; }
}
@media screen and (max-width: 600px) {
  body { padding: 1rem .9rem; }
  h1 { font-size: 1.5rem; }
  h2 { font-size: 1.2rem; margin-top: 1.6rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .35rem; }
  table.session-table, table.session-table > tbody, table.session-table caption,
  table.session-table tr, table.session-table td { display: block; }
  table.session-table thead { display: none; }
  table.session-table tr { border-bottom: 1px solid var(--rule); padding: .4rem 0; }
  table.session-table td { border: 0; padding: .05rem 0; text-align: left; white-space: normal; }
  table.session-table td.num { display: inline-block; margin-right: 1.1em; }
  table.session-table td[data-label]::before { content: attr(data-label) ": ";
    color: var(--muted); }
  blockquote { padding-left: .7rem; }
  .csi-key { display: flex; }  /* the chart's own legend would be too small to read here */
  figure > svg .legend { display: none; }
}

/* Paper: A4 or Letter, whichever the printer holds. */
@page { margin: 11mm 11mm 12mm; }
@media print {
  body { font-size: 8.8pt; line-height: 1.28; max-width: none; padding: 0; }
  h1 { font-size: 15pt; }
  h2 { font-size: 11.5pt; margin: 9pt 0 3pt; break-after: avoid; }
  h3 { font-size: 10pt; margin: 7pt 0 2pt; break-after: avoid; }
  p, li, dd { max-width: none; }
  dl.facts { display: block; }  /* a grid's rows are no place to break a page before the notice */
  dl.facts dt { float: left; clear: left; margin-right: .5em; }
  dl.facts dt::after { content: ":"; }
  dl.facts dd { margin: 0 0 1pt; overflow: hidden; }
  dl.facts dt, dl.facts dd { break-inside: avoid; }
  p, ul, ol { margin: 3pt 0 5pt; }
  .lede { margin-bottom: 4pt; }
  .multiples { grid-template-columns: repeat(2, 1fr); gap: 4pt 14pt; }
  .key { margin: 2pt 0 5pt; font-size: 8.5pt; }
  figure.wide { max-width: 165mm; }
  figure, tr, blockquote, li { break-inside: avoid; }
  thead { display: table-header-group; }
  table { font-size: 8pt; margin: 2pt 0 4pt; }
  th, td { padding: 1.5pt 4pt; }
  table.session-table td.headline { width: 58%; }
  table.session-table thead th { white-space: normal; }
  table.ten-targets > tbody { display: grid; grid-template-columns: 1fr 1fr; gap: 4pt 8pt; }
  table.ten-targets tr { margin: 0; padding: 2pt 5pt 3pt; border-radius: 3pt; }
  table.ten-targets td.why { font-size: 7.3pt; line-height: 1.25; }
  blockquote { margin: 1pt 0 4pt; padding: 0 0 0 6pt; }
  .source { font-size: 8pt; }
  footer { margin-top: 8pt; padding-top: 4pt; font-size: 8pt; break-before: avoid;
    break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def html_text(value: str) -> str:
    """User or content text for HTML: control characters made visible, then escaped."""
    return escape(neutralise(value))


def page(title: str, body: str, lang: str = "en") -> str:
    """A whole standalone document around `body`."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="coach">\n'
        f"<title>{html_text(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def signed(value: float | None) -> str:
    """A score with its sign and a true minus sign; a dash when there is none."""
    return "—" if value is None else f"{value:+.2f}".replace("-", "\u2212")


def notice_footer() -> str:
    """The educational notice every page ends with."""
    return f"<footer><p>{escape(NOTICE)}</p></footer>"
