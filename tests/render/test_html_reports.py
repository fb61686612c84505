"""The HTML reports are documents: valid HTML5, semantic structure, small multiples, A4 print.

Always checked by a strict HTML5 parse (html5lib) and structure checks; checked in headless
Chromium too (a screenshot at 1200 px and a PDF in print layout) where /usr/bin/chromium exists.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import html5lib
import pytest
from browser import A4, CHROMIUM, LETTER, OVERFLOW_SCRIPT, Browser, Tab, page_count
from test_exports import NAMES, export_to, finished_session

from coach.content import TARGETS, Content, load_content
from coach.render.html.trends_page import rolling_known, rolling_mean, rolling_window
from coach.render.summary import NOTICE
from coach.store import files


def parse(text: str) -> Any:
    """A strict HTML5 parse: any parse error (a stray tag, a bad nesting) fails the test."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    root = parser.parse(text)
    for element in root.iter():  # inline SVG elements come in the SVG namespace
        if isinstance(element.tag, str):
            element.tag = element.tag.rpartition("}")[2]
    return root


def texts(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.fixture
def report(tmp_path: Path, content: Content, coach_home: Path) -> tuple[Path, str]:
    for number in range(12):
        session = finished_session(content, number)
        if number == 4:  # a week without the check-in
            session.checkin = {}
        files.save_session(session)
    return export_to(tmp_path, "--couple", "Marisol & Teodor", suffix="html")


def test_rolling_mean_over_the_last_sessions() -> None:
    values = [1.0, None, 0.0, 0.5, -0.5, 1.0, 1.0]
    means = rolling_mean(values, window=3)
    assert means == [1.0, None, 0.5, 0.25, 0.0, 1.0 / 3, 0.5]
    assert rolling_mean([], window=5) == []


def test_the_window_widens_with_a_long_history() -> None:
    assert [rolling_window(n) for n in (1, 12, 100, 544)] == [5, 5, 5, 27]


def test_check_in_means_join_the_sessions_that_have_one() -> None:
    assert rolling_known([10.0, None, 20.0, None, 30.0], window=2) == [
        10.0, None, 15.0, None, 25.0
    ]  # fmt: skip


def test_couple_report_is_a_semantic_document(report: tuple[Path, str]) -> None:
    _, html = report
    root = parse(html)
    assert root.get("lang") == "en"
    assert root.find("head/title").text == "Couple report: Marisol & Teodor"
    body = root.find("body")
    assert [texts(h) for h in body.iter("h1")] == ["Couple report: Marisol & Teodor"]
    main = body.find("main")
    headings = [texts(section.find("h2")) for section in main.findall("section")]
    assert headings[0] == "The ten targets over time"
    assert "Couples Satisfaction Index" in headings[1] or "CSI-4" in headings[1]
    assert headings[2:] == ["Sessions", "The newest session, 2026-05-18"]
    assert "educational reflection tool" in texts(body.find(".//article/footer"))
    assert "<pre" not in html and "<script" not in html


def test_one_small_multiple_per_target_with_a_key(report: tuple[Path, str]) -> None:
    root = parse(report[1])
    targets = root.find(".//section[@class='targets']")
    figures = targets.findall(".//div[@class='multiples']/figure")
    assert len(figures) == len(TARGETS) == 10
    content = load_content()
    assert [texts(f.find("figcaption")) for f in figures] == [
        content.target(t).name for t in TARGETS
    ]
    for figure in figures:
        svg = figure.find("svg")
        assert svg.get("role") == "img" and "rolling mean" in texts(svg.find("title"))
        # Three rolling means (couple, A, B), and one dot per session's couple score.
        assert len(svg.findall("polyline")) == 3
        assert len(svg.findall("g/circle")) == 12
    key = texts(targets.find("ul[@class='key']"))
    assert "rolling mean of 5 sessions" in key
    assert NAMES["a"] in key and NAMES["b"] in key


def test_csi4_chart_has_its_reference_line(report: tuple[Path, str]) -> None:
    root = parse(report[1])
    section = root.find(".//section[@class='csi4']")
    svg = section.find("figure/svg")
    words = texts(svg)
    # A legend on paper names each partner, the reference point and the mark of a total below.
    assert "Marisol: each total and the rolling mean" in words
    assert "Teodor: each total and the rolling mean" in words
    assert "reference point 13.5" in words and "a total below 13.5" in words
    # The same legend as a list, which a phone shows instead of the drawing's (too small there).
    key = texts(section.find("figure/ul[@class='key csi-key']"))
    assert "Marisol: each total" in key and "Teodor: each total" in key and "below 13.5" in key
    # The reference point is labelled on the axis, outside the plot, where no line crosses it.
    label = next(t for t in svg.iter("text") if t.text == "13.5")
    assert float(label.get("x")) < 40 and label.get("text-anchor") == "end"
    # 12 sessions, 11 with a check-in each: Marisol's totals are 12 (below 13.5), Teodor's 12
    # and 16 in turn. Every total is a dot; each one below 13.5 is ringed as well.
    marks = [c for g in svg.findall("g") if g.get("class") != "legend" for c in g.iter("circle")]
    dots = [c for c in marks if c.get("class") != "below"]
    rings = [c for c in marks if c.get("class") == "below"]
    assert len(dots) == 11 * 2 and len(rings) == 11 + 6
    assert all(float(r.get("r")) > 2 * float(dots[0].get("r")) - 0.5 for r in rings)
    assert len(svg.findall("polyline")) == 2  # a rolling mean each
    assert "Funk" in texts(section)


def test_sessions_are_a_real_table(report: tuple[Path, str]) -> None:
    root = parse(report[1])
    table = root.find(".//section[@class='sessions']/table")
    headers = [texts(th) for th in table.findall("thead/tr/th")]
    assert headers == ["Date", "Session", "Steps", "CSI-4 Marisol", "CSI-4 Teodor", "Headline"]
    assert all(th.get("scope") == "col" for th in table.findall("thead/tr/th"))
    rows = table.findall("tbody/tr")
    assert len(rows) == 12
    assert [texts(td) for td in rows[4].findall("td")][3:5] == ["—", "—"]  # no check-in
    assert texts(table.find("caption")).startswith("12 finished sessions")


def test_markdown_report_holds_the_sessions_and_words_of_the_html(
    report: tuple[Path, str], tmp_path: Path
) -> None:
    root = parse(report[1])
    _, md = export_to(tmp_path, "--couple", "Marisol & Teodor", "-f", "md", suffix="md")
    md = md.replace("\\", "")
    main = root.find("body/main")
    assert [line[3:] for line in md.splitlines() if line.startswith("## ")] == [
        texts(section.find("h2")) for section in main.findall("section")
    ]
    ids = [texts(tr.findall("td")[1]) for tr in main.findall(".//table[@class='session-table']//tr")
           if tr.findall("td")]  # fmt: skip
    assert len(ids) == 12 and all(f"| {session_id} |" in md for session_id in ids)
    assert "| CSI-4 Marisol | CSI-4 Teodor |" in md and "CSI-4 A" not in md
    newest = md.split("## The newest session, 2026-05-18", 1)[1]
    assert ids[-1] in newest and "### Reflection: Marisol and Teodor" in newest
    assert "#### In your own words" in newest and "> Teodor brought soup when I was ill" in newest
    assert md.count("educational reflection tool") == 1


def test_print_stylesheet_lays_out_for_any_paper(report: tuple[Path, str]) -> None:
    style = texts(parse(report[1]).find("head/style"))
    # No page size: the printer's paper (A4 or Letter) is used; the margins are the sheet's.
    assert re.search(r"@page \{ margin: [^}]*\}", style)
    assert not re.search(r"@page \{[^}]*size", style)
    printed = style.split("@media print {", 1)[1]
    assert "break-inside: avoid" in printed and "table-header-group" in printed
    assert "repeat(2, 1fr)" in printed  # two multiples per row on paper
    assert "footer {" in printed and "break-before: avoid" in printed.split("footer {")[1]


def test_session_page_is_a_document(tmp_path: Path, content: Content, coach_home: Path) -> None:
    session = finished_session(content)
    files.save_session(session)
    _, html = export_to(tmp_path, session.id, suffix="html")
    root = parse(html)
    article = root.find("body/main/article")
    assert texts(article.find("header/h1")) == "Reflection: Marisol and Teodor"
    table = article.find(".//table")
    assert [texts(th) for th in table.findall("tbody/tr/th")] == [
        content.target(t).name for t in TARGETS
    ]
    headers = [texts(th) for th in table.findall("thead/tr/th")]
    assert headers[:5] == ["Target", "What your answers suggest", "Together", "Marisol", "Teodor"]
    sections = [texts(s.find("h2")) for s in article.findall("section")]
    assert "In your own words" in sections and "To try this week" in sections
    assert "Teodor brought soup when I was ill" in texts(article.find(".//blockquote"))
    assert "<pre" not in html and "font-family:monospace" not in html.replace(" ", "")


def test_user_text_cannot_break_the_document(
    tmp_path: Path, content: Content, coach_home: Path
) -> None:
    session = finished_session(content, couple="<b>&</b> \x1b[31m")
    session.notes = {1: "</section><script>alert(1)</script>"}
    files.save_session(session)
    _, html = export_to(tmp_path, session.id, "--with-notes", suffix="html")
    parse(html)
    assert "<script" not in html and "\x1b" not in html
    assert "&lt;/section&gt;&lt;script&gt;" in html


def test_a_session_export_leaves_the_facilitators_notes_out_unless_asked(
    tmp_path: Path, content: Content, coach_home: Path
) -> None:
    session = finished_session(content)
    session.notes = {2: "Teodor went quiet when money came up"}
    session.homework = ["Soft start-up"]
    files.save_session(session)

    def words(fmt: str, *options: str) -> str:
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        folder.mkdir()
        _, text = export_to(folder, session.id, *options, suffix=fmt)
        if fmt == "svg":  # the terminal's text, one <text> per run of characters
            text = html.unescape(re.sub(r"<[^>]+>", "", text))
        return " ".join(text.split())

    for fmt in ("html", "md", "json", "svg"):
        plain = words(fmt)
        assert "quiet when money" not in plain, fmt
        assert "Soft start-up" in plain, fmt  # homework was chosen for the couple
        assert "quiet when money" in words(fmt, "--with-notes"), fmt
        assert "quiet when money" not in words(fmt, "--with-notes", "--anonymize"), fmt


def test_couple_svg_holds_the_same_small_multiples(
    report: tuple[Path, str], tmp_path: Path
) -> None:
    _, svg = export_to(tmp_path, "--couple", "Marisol & Teodor", "-f", "svg", suffix="svg")
    root = ET.fromstring(svg)
    namespace = "{http://www.w3.org/2000/svg}"
    nested = root.findall(f"{namespace}svg")
    assert len(nested) == 11  # ten targets and the CSI-4 totals
    for chart in nested[:10]:
        assert len(chart.findall(f"{namespace}polyline")) == 3
        assert chart.get("width") and chart.get("y")
    assert "reference point 13.5" in "".join(nested[10].itertext())
    assert "educational reflection tool" in "".join(root.itertext())


REPORT_PAGES, SESSION_PAGES = 4, 3  # at most, on A4 and on Letter (issue 26)


def pdftotext(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def check_printed(page: Tab, tmp_path: Path, name: str, most: int) -> list[int]:
    """Print on A4 and on Letter: at most `most` pages, each of the paper's size, and the last
    page holding more than the notice. Returns the page counts."""
    counts = []
    for paper in (A4, LETTER):
        pdf = tmp_path / f"{name}-{paper.name}.pdf"
        document = page.pdf(paper, pdf)
        assert document.startswith(b"%PDF")
        count = page_count(document)
        sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", document)
        assert len(sizes) == count
        assert all(
            abs(float(w) - paper.width * 72) < 2 and abs(float(h) - paper.height * 72) < 2
            for w, h in sizes
        ), (paper, sizes[:1])
        assert 1 <= count <= most, f"{name} on {paper.name}: {count} pages, at most {most}"
        if shutil.which("pdftotext"):
            last = " ".join(pdftotext(pdf, count).split())
            assert "educational reflection tool" in last
            assert len(last) > len(" ".join(NOTICE.split())) + 40, f"{name}: notice alone"
        counts.append(count)
    return counts


def check_screens(page_at: Callable[[int], Tab], tmp_path: Path, name: str) -> None:
    """At 1280 and at 390 px (a phone): nothing wider than the screen, nothing cut off."""
    for width in (1280, 390):
        page = page_at(width)
        layout = page.evaluate(OVERFLOW_SCRIPT)
        assert layout["width"] == width
        assert layout["scrollWidth"] <= width, layout
        assert layout["overflowing"] == [], layout["overflowing"][:5]
        shot = tmp_path / f"{name}-{width}.png"
        size = page.screenshot(shot)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and size[0] == width
    phone = page_at(390)
    # Below 600 px the tables are cards: no header row, each value named by its column.
    assert phone.evaluate(
        "[...document.querySelectorAll('thead')].every(h => getComputedStyle(h).display === 'none')"
    )
    label = phone.evaluate("getComputedStyle(document.querySelector('td.why'), '::before').content")
    assert label == '"Why: "'


def check_phone_legend(phone: Tab) -> None:
    """On a phone the CSI-4 chart's legend is a readable list, and the drawing's own is hidden."""
    shown = phone.evaluate(
        "[getComputedStyle(document.querySelector('.csi-key')).display,"
        " getComputedStyle(document.querySelector('figure svg .legend')).display]"
    )
    assert shown == ["flex", "none"]
    swatches = phone.evaluate(
        "[...document.querySelectorAll('.csi-key svg')].map(s => s.getBoundingClientRect().width)"
    )
    assert swatches == [26, 26, 26, 26]  # small marks beside the words, not a chart's width


@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"
)
@pytest.mark.slow
def test_chromium_prints_a_report_on_four_pages_and_fits_a_phone(
    report: tuple[Path, str], tmp_path: Path
) -> None:
    path, _ = report
    with Browser() as browser:
        check_screens(lambda width: browser.open(path, width=width), tmp_path, "report")
        check_phone_legend(browser.open(path, width=390))
        wide = browser.open(path, width=1280).evaluate(
            "getComputedStyle(document.querySelector('.csi-key')).display"
        )
        assert wide == "none"  # on a wide screen and on paper the drawing's legend is readable
        counts = check_printed(browser.open(path), tmp_path, "report", REPORT_PAGES)
    print(f"couple report of 12 sessions: A4 {counts[0]} pages, Letter {counts[1]}")


@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"
)
@pytest.mark.slow
def test_chromium_prints_a_session_on_three_pages_and_fits_a_phone(
    tmp_path: Path, content: Content, coach_home: Path
) -> None:
    session = finished_session(content)
    files.save_session(session)
    path, _ = export_to(tmp_path, session.id, suffix="html")
    with Browser() as browser:
        check_screens(lambda width: browser.open(path, width=width), tmp_path, "session")
        printed = browser.open(path)
        counts = check_printed(printed, tmp_path, "session", SESSION_PAGES)
        # On paper the ten targets are cards, two to a row: the "Why" text gets about half the
        # page's width, not a column squeezed to a dozen characters.
        printed.print_media()
        why = printed.evaluate(
            "[...document.querySelectorAll('td.why')].map(td => td.getBoundingClientRect().width"
            " / document.body.getBoundingClientRect().width)"
        )
        assert len(why) == 10 and all(0.4 < share < 0.55 for share in why), why
    print(f"one session: A4 {counts[0]} pages, Letter {counts[1]}")
