"""`coach learn` wraps rather than cuts, at 80 and at 40 columns, and lists its sources."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from coach.content import Content, load_content
from coach.domain.evidence import load_references
from coach.render import learn

PAGES = {
    "flow": learn.flow_table,
    "chemicals": learn.chemicals_table,
    "regions": learn.regions_table,
    "evidence": learn.evidence_table,
    "sources": learn.sources_table,
    "safety": learn.safety_panel,
}


def render(name: str, content: Content, width: int) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, color_system=None)
    console.print(PAGES[name](content, width))
    return buffer.getvalue()


@pytest.mark.parametrize("width", [40, 80, 120])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_cell_is_cut_at_any_width(name: str, width: int) -> None:
    text = render(name, load_content(), width)
    assert "…" not in text and "..." not in text
    assert max(len(line) for line in text.splitlines()) <= width


@pytest.mark.parametrize("width", [40, 80])
def test_every_word_of_every_note_is_shown(width: int) -> None:
    content = load_content()
    shown = " ".join(render("chemicals", content, width).split())
    shown += " " + " ".join(render("regions", content, width).split())
    for target in content.targets:
        assert " ".join(target.evidence_note.split()) in shown, target.id
        assert f"Evidence: {target.evidence}" in shown
    steps = " ".join(render("flow", content, width).split())
    for step in content.steps:
        assert step.about in steps and step.evidence in steps


def test_sources_lists_every_reference_with_its_doi() -> None:
    shown = "".join(render("sources", load_content(), 200).split())
    for reference in load_references():
        assert "".join(reference.doi.split()) in shown
        assert "".join(reference.cite.split()) in shown


def test_learn_speaks_plain_words() -> None:
    content = load_content()
    for name in PAGES:
        assert "seed" not in render(name, content, 120).lower(), name


def test_coach_learn_sources_prints_the_bibliography_and_the_checkin_source() -> None:
    from typer.testing import CliRunner

    from coach.cli.main import app

    result = CliRunner().invoke(app, ["learn", "sources"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    for reference in load_references():
        assert reference.cite in flat
    assert "10.1037/0893-3200.21.4.572" in load_content().checkin.citation
    assert any(r.doi == "10.1037/0893-3200.21.4.572" for r in load_references())
