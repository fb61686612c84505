"""The docs stay true: the CLI reference is generated from the app, the README names commands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from coach.cli.main import app

ROOT = Path(__file__).resolve().parents[2]


def test_cli_reference_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```", 2)[1]
    lines = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert lines == ["scripts/coach demo", "scripts/test"]


def test_readme_shows_every_command_with_an_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    commands = getattr(group, "commands", {})
    # Hidden: older names (list, init, ...) that still work; the README shows the new ones.
    names = sorted(name for name, command in commands.items() if not command.hidden)
    assert len(names) >= 10 and "history" in names and "vault" in names
    for name in names:
        assert f"coach {name}" in readme, f"README has no example of coach {name}"


def test_readme_journaling_examples_match_the_tested_doc() -> None:
    # docs/journaling.md's jq examples run against real output in tests/journal; the README
    # carries the same section, so its examples must be the same ones.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    doc = (ROOT / "docs" / "journaling.md").read_text(encoding="utf-8")
    programs = re.compile(r"jq (?:-r )?'([^']+)'")
    assert programs.findall(doc)
    assert programs.findall(readme) == programs.findall(doc)
    assert "crontab" in readme or "# m h dom mon dow" in readme


def test_evidence_reference_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_evidence_docs.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


TEST_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?")


@pytest.mark.parametrize("doc", ["reliability.md", "privacy.md", "architecture.md", "safety.md"])
def test_every_test_a_doc_names_exists(doc: str) -> None:
    """The docs' tables of promises name the tests that prove them: each must be there."""
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    named = TEST_REFERENCE.findall(text)
    assert named or doc == "architecture.md"
    for file, test in named:
        path = ROOT / file
        assert path.is_file(), f"{doc} names {file}, which does not exist"
        if test:
            assert re.search(rf"def {test}\b", path.read_text(encoding="utf-8")), (
                f"{doc} names {file}::{test}, which does not exist"
            )
