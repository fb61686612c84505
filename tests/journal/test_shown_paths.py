"""Every success line that names a file or directory shows the path harmlessly: a data
directory or -o name holding an escape sequence (ESC [2J clears the screen) is printed with
visible escapes (coach.base.escape.shown_path), never raw."""

from __future__ import annotations

from pathlib import Path

import pytest
from journal_helpers import filled, invoke

from coach.base.escape import shown_path

HOSTILE = "home\x1b[2J\u202e"


@pytest.fixture
def hostile_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / HOSTILE
    monkeypatch.setenv("COACH_HOME", str(home))
    return home


def harmless(text: str) -> None:
    assert "\x1b" not in text and "\u202e" not in text, text
    assert "home\\x1b[2J\\u202e" in text.replace("\n", ""), text  # Rich may wrap a long path


def test_shown_path_neutralises_controls_marks_and_undecodable_bytes() -> None:
    assert shown_path(Path("/tmp/a\x1b[2J\n")) == "/tmp/a\\x1b[2J\\x0a"
    assert shown_path("/tmp/\u202eb") == "/tmp/\\u202eb"
    assert shown_path("/tmp/\udcff") == "/tmp/\\udcff"  # a byte that is not UTF-8


def test_the_saved_lines_of_run_name_the_file_harmlessly(
    hostile_home: Path, tmp_path: Path
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text(filled(), encoding="utf-8")
    text = invoke("run", "--answers", str(answers))
    assert text.code == 0, text.stderr
    harmless(text.stdout.rsplit("Saved:", 1)[1])
    toml = invoke("run", "--answers", str(answers), "--format", "toml")
    assert toml.code == 0, toml.stderr
    harmless(toml.stderr)


def test_the_wrote_line_of_run_o_names_the_file_harmlessly(tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text(filled(), encoding="utf-8")
    out = tmp_path / HOSTILE / "out.json"
    out.parent.mkdir()
    result = invoke("run", "--answers", str(answers), "--no-save", "-f", "json", "-o", str(out))
    assert result.code == 0, result.stderr
    assert out.exists()
    harmless(result.stderr)


def test_demo_and_init_name_the_data_directory_harmlessly(hostile_home: Path) -> None:
    demo = invoke("demo", "--save")
    assert demo.code == 0, demo.stderr
    harmless(demo.stdout.rsplit("Saved:", 1)[1])
    init = invoke("vault", "init")
    assert init.code == 0, init.stderr
    harmless(init.stdout)
