"""`coach export`: every format parses or renders, stands alone, ends with the notice, is
written 0600, and --anonymize leaves no name and no free text behind."""

from __future__ import annotations

import csv
import io
import json
import stat
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from coach_process import Outcome, invoke_checked

from coach.base.formats import COMMAND_FORMATS, choices
from coach.content import Content, Prompt, load_content
from coach.domain.finish import finish_session
from coach.domain.session import Session
from coach.render.export import export_session
from coach.render.export.anonymize import anonymize, name_replacer
from coach.render.export.data import CSV_FIELDS
from coach.render.export.markdown import md_text
from coach.render.json_out import schema
from coach.render.summary import NOTICE
from coach.rules import load_pack
from coach.store import files

WHEN = datetime(2026, 3, 2, 19, 30, tzinfo=timezone(timedelta(hours=1)))
NAMES = {"a": "Marisol", "b": "Teodor"}
# Free text that must never reach an anonymized export; each names a partner, too.
MOMENT = "Teodor brought soup when I was ill"
DO_AGAIN = "Walk along the canal with Marisol"
NOTE = "Marisol spoke first; teodor listened well"
OWN_HOMEWORK = "Marisol plans a picnic for Teodor"
FREE_TEXT = (MOMENT, DO_AGAIN, NOTE, OWN_HOMEWORK)
FORMATS = COMMAND_FORMATS["export"]


def value_for(prompt: Prompt) -> Any:
    if prompt.type == "scale":
        return prompt.max - 1 if prompt.secure == "high" else prompt.min + 1
    if prompt.type == "yesno":
        return prompt.secure == "yes"
    if prompt.type == "choice":
        return prompt.secure or prompt.choices[0].value
    return MOMENT if prompt.name == "moment" else DO_AGAIN


def finished_session(
    content: Content, number: int = 0, couple: str = "Marisol & Teodor"
) -> Session:
    created = WHEN + timedelta(days=7 * number)
    session = Session(
        id=f"{created:%Y%m%d-%H%M%S}-e{number:05x}",
        created=created,
        partners=dict(NAMES),
        couple=couple,
        facilitated=True,
    )
    for prompt in content.prompts.values():
        session.record(prompt, value_for(prompt), when=created)
    session.notes = {1: NOTE}
    session.homework = [content.exercises[0].title, OWN_HOMEWORK]
    items = [item.id for item in content.checkin.items]
    session.checkin = {"a": dict.fromkeys(items, 3), "b": dict.fromkeys(items, 4 - number % 2)}
    session.checkin_shared = {"a": True, "b": True}
    finish_session(session, content, load_pack(None, content))
    return session


@pytest.fixture
def saved(content: Content, coach_home: Path) -> Session:
    session = finished_session(content)
    files.save_session(session)
    return session


def coach(*args: str, check: bool = True) -> Outcome:
    return invoke_checked(*args, code=0 if check else None)


def export_to(tmp_path: Path, *args: str, suffix: str) -> tuple[Path, str]:
    path = tmp_path / f"out-{len(list(tmp_path.iterdir()))}.{suffix}"
    coach("export", *args, "-o", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    return path, path.read_text(encoding="utf-8")


class Links(HTMLParser):
    """Every src/href/xlink:href value and every url(...) in style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "action") and value:
                self.links.append(value)
            if name == "style" and value and "url(" in value:
                self.links.append(value)


def check_html(text: str) -> Links:
    parser = Links()
    parser.feed(text)
    parser.close()
    assert parser.links == [], parser.links
    assert "<script" not in text.lower()
    assert text.lstrip().lower().startswith("<!doctype html>")
    return parser


def check_svg(text: str) -> ET.Element:
    root = ET.fromstring(text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    # The only URL allowed is the namespace name, which is never fetched.
    assert text.count("http") == text.count("http://www.w3.org/"), "external URL in SVG"
    assert "url(http" not in text and "@font-face" not in text
    return root


def plain(text: str) -> str:
    """Markdown and SVG text with escapes undone, to search for words in it."""
    return text.replace("\\", "").replace("&#160;", " ").replace("&amp;", "&")


def test_every_format_parses_and_ends_with_the_notice(tmp_path: Path, saved: Session) -> None:
    _, md = export_to(tmp_path, saved.id, "--format", "md", suffix="md")
    assert plain(md).rstrip().endswith(f"*{NOTICE}*")
    assert "| Oxytocin |" in md and "Marisol" in md

    _, html = export_to(tmp_path, saved.id, suffix="html")  # format from the suffix
    check_html(html)
    assert "educational reflection tool" in html and "Marisol" in html

    _, svg = export_to(tmp_path, saved.id, "--format", "svg", suffix="svg")
    check_svg(svg)
    assert "educational" in svg

    _, text = export_to(tmp_path, saved.id, "--format", "json", suffix="json")
    document = json.loads(text)
    jsonschema.validate(document, schema())
    assert list(document)[-1] == "notice" and document["notice"] == NOTICE
    assert document["session"]["id"] == saved.id

    _, table = export_to(tmp_path, saved.id, "--format", "csv", suffix="csv")
    rows = check_csv(table, "created")
    assert tuple(rows[0]) == CSV_FIELDS
    assert len(rows) == 1 + 10
    assert {row[2] for row in rows[1:]} >= {"oxytocin", "amygdala"}
    for row in rows[1:]:
        assert float(row[4]) and 0 <= float(row[6]) <= 1


def check_csv(text: str, date_column: str) -> list[list[str]]:
    """Rows of one shape, as pandas and every CSV reader need: each row as long as the header,
    the dates ISO 8601 throughout, and the notice in the last column of each row."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert header[-1] == "notice" and len(rows) > 1
    for row in rows[1:]:
        assert len(row) == len(header), row
        datetime.fromisoformat(row[header.index(date_column)])
        assert row[-1] == NOTICE
    return rows


def test_text_formats_go_to_stdout_and_pictures_need_a_file(saved: Session) -> None:
    assert json.loads(coach("export", saved.id, "--format", "json").stdout)["notice"] == NOTICE
    assert coach("export", saved.id).stdout.startswith("# Reflection: Marisol and Teodor")
    for fmt in ("html", "svg"):
        result = coach("export", saved.id, "--format", fmt, check=False)
        assert result.returncode == 2
        assert "-o FILE" in result.stderr
    result = coach("export", saved.id, "--format", "htm", check=False)
    assert result.returncode == 2
    assert f"--format must be one of {choices('export')} (did you mean" in result.stderr


def test_an_export_replaces_a_file_atomically_and_privately(tmp_path: Path, saved: Session) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "report.md"
    target.write_text("old")
    target.chmod(0o644)
    coach("export", saved.id, "-o", str(target), "--force")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("# Reflection")
    assert [p.name for p in out.iterdir()] == ["report.md"]  # no temporary file left


@pytest.mark.parametrize("fmt", FORMATS)
def test_anonymized_export_has_no_names_and_no_free_text(
    tmp_path: Path, saved: Session, fmt: str
) -> None:
    _, text = export_to(tmp_path, saved.id, "--format", fmt, "--anonymize", suffix=fmt)
    searchable = plain(text).casefold()
    for secret in (*NAMES.values(), *FREE_TEXT):
        assert secret.casefold() not in searchable, f"{secret!r} in anonymized {fmt}"
    if fmt in ("md", "html", "json"):
        assert "Partner A" in plain(text)
    if fmt == "json":
        document = json.loads(text)
        jsonschema.validate(document, schema())
        assert document["session"]["notes"] == {}
        assert document["session"]["homework"] == [load_content().exercises[0].title]
        assert document["session"]["couple"] == ""


def test_anonymize_drops_traced_free_text_from_saved_results(content: Content) -> None:
    # A custom rule pack may trace a text answer; its value must not survive in the results.
    session = finished_session(content)
    assert session.results is not None
    session.results["rules"]["custom"] = {
        "step": 1,
        "because": "Marisol wrote something",
        "evidence": "Practice",
        "answers": {"s1.a.moment": MOMENT, "s1.a.greeted_warmly": 4},
    }
    cleaned = anonymize(session, content)
    assert cleaned.results is not None
    rule = cleaned.results["rules"]["custom"]
    assert rule["answers"] == {"s1.a.greeted_warmly": 4}
    assert rule["because"] == "Partner A wrote something"
    assert session.results["rules"]["custom"]["answers"]["s1.a.moment"] == MOMENT  # a copy


def test_every_format_export_offers_has_a_session_and_a_report_renderer() -> None:
    from coach.base.formats import COMMAND_FORMATS
    from coach.render.export import REPORT_EXPORTS, SESSION_EXPORTS

    assert set(SESSION_EXPORTS) == set(COMMAND_FORMATS["export"]) == set(REPORT_EXPORTS)


def test_a_format_without_a_renderer_is_an_error_never_another_format(saved: Session) -> None:
    from coach.base.errors import UsageError
    from coach.base.formats import Format

    with pytest.raises(UsageError, match="cannot be exported as toml"):
        export_session(saved, load_content(), Format.TOML)


def test_name_replacer_whole_words_any_case_longest_first() -> None:
    swap = name_replacer({"a": "Ann", "b": "Anna"})
    assert swap("Anna and ann met ANN; Annabel did not") == (
        "Partner B and Partner A met Partner A; Annabel did not"
    )
    assert name_replacer({"a": "Jo (J)", "b": "Li"})("Jo (J) & li") == "Partner A & Partner B"


def test_markdown_escapes_user_text() -> None:
    assert md_text("a|b *c* <img>\nx") == "a\\|b \\*c\\* \\<img\\> x"


def test_a_draft_exports_only_as_json(content: Content, coach_home: Path) -> None:
    draft = Session(id="20260302-193000-d00001", created=WHEN, partners=dict(NAMES))
    files.save_session(draft)
    result = coach("export", draft.id, check=False)
    assert result.returncode == 1 and "draft" in result.stderr
    assert json.loads(coach("export", draft.id, "-f", "json").stdout)["results"] is None


def test_couple_report_with_trend_charts(tmp_path: Path, content: Content) -> None:
    for number in range(3):
        files.save_session(finished_session(content, number))
    files.save_session(finished_session(content, 9, couple="Someone Else"))
    _, html = export_to(tmp_path, "--couple", "marisol & teodor", suffix="html")
    check_html(html)
    assert html.count('role="img"') == 11  # one chart per target, and the CSI-4 totals
    assert "The ten targets over time" in html and "reference point 13.5" in html
    assert "3 finished sessions" in html and "Someone Else" not in html
    assert "Marisol" in html
    # Every chart is well-formed SVG on its own.
    for chunk in html.split("<svg")[1:]:
        check_svg("<svg" + chunk.split("</svg>")[0] + "</svg>")

    _, anonymous = export_to(tmp_path, "--couple", "Marisol & Teodor", "--anonymize", suffix="html")
    check_html(anonymous)
    for secret in (*NAMES.values(), *FREE_TEXT):
        assert secret.casefold() not in anonymous.casefold()

    for fmt in ("md", "json", "csv", "svg"):
        _, text = export_to(tmp_path, "--couple", "Marisol & Teodor", "-f", fmt, suffix=fmt)
        assert "educational reflection tool" in plain(text)
    _, svg = export_to(tmp_path, "--couple", "Marisol & Teodor", "-f", "svg", suffix="svg")
    check_svg(svg)
    rows = check_csv(coach("export", "--couple", "Marisol & Teodor", "-f", "csv").stdout, "created")
    assert rows[0][:3] == ["created", "session", "couple"] and len(rows) == 1 + 3
    assert rows[0][-3:] == ["csi4_a", "csi4_b", "notice"]


def test_couple_report_unknown_couple_suggests(content: Content, coach_home: Path) -> None:
    files.save_session(finished_session(content))
    result = coach("export", "--couple", "Marisol & Teodr", "-f", "md", check=False)
    assert result.returncode == 1
    assert 'did you mean "Marisol & Teodor"' in result.stderr
    both = coach("export", "x", "--couple", "y", check=False)
    assert both.returncode == 2
