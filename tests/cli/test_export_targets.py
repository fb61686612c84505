"""Where an export may be written: never over an existing file without --force, never inside
the data directory, `-o -` is standard output, and the format agrees with the file's suffix."""

from __future__ import annotations

from pathlib import Path

import pytest
from coach_process import Outcome, invoke_checked


def coach(*args: str) -> Outcome:
    return invoke_checked(*args, code=None)


@pytest.fixture
def two_sessions(coach_home: Path) -> tuple[str, Path]:
    """Two saved demo sessions: the id of one, and the file of the other."""
    for _ in range(2):
        result = coach("demo", "--save")
        assert result.returncode == 0, result.stderr
    ids = sorted(p.stem for p in (coach_home / "sessions").glob("*.toml"))
    assert len(ids) == 2
    return ids[0], coach_home / "sessions" / f"{ids[1]}.toml"


def test_an_export_never_writes_inside_the_data_directory(
    two_sessions: tuple[str, Path], coach_home: Path
) -> None:
    session_id, other = two_sessions
    before = other.read_bytes()
    for target in (other, coach_home / "report.json", coach_home / "sessions" / "new.json"):
        for force in ([], ["--force"]):
            result = coach("export", session_id, "-f", "json", "-o", str(target), *force)
            assert result.returncode == 2
            assert "inside coach's data directory" in result.stderr
    assert other.read_bytes() == before
    assert not (coach_home / "report.json").exists()


def test_an_existing_file_is_replaced_only_with_force(
    two_sessions: tuple[str, Path], tmp_path: Path
) -> None:
    session_id, _ = two_sessions
    target = tmp_path / "mine.md"
    target.write_text("keep me")
    refused = coach("export", session_id, "-o", str(target))
    assert refused.returncode == 2
    assert refused.stderr == f"coach: -o {target} exists; pass --force to replace it\n"
    assert target.read_text() == "keep me"
    assert coach("export", session_id, "-o", str(target), "--force").returncode == 0
    assert target.read_text().startswith("# Reflection")


def test_dash_is_standard_output_and_an_empty_name_is_refused(
    two_sessions: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id, _ = two_sessions
    monkeypatch.chdir(tmp_path)
    to_stdout = coach("export", session_id, "-o", "-", "-f", "json")
    assert to_stdout.returncode == 0 and to_stdout.stdout.startswith("{")
    assert not (tmp_path / "-").exists()
    empty = coach("export", session_id, "-o", "")
    assert empty.returncode == 2
    assert empty.stderr == "coach: -o needs a file name (or - for standard output)\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "x.pdf"], "cannot tell the format from the suffix .pdf"),
        (["-o", "x.md", "-f", "json"], "--format json does not match the file's suffix .md"),
        (["-o", "x.html", "-f", "csv"], "--format csv does not match the file's suffix .html"),
    ],
)
def test_the_format_agrees_with_the_suffix(
    two_sessions: tuple[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    session_id, _ = two_sessions
    monkeypatch.chdir(tmp_path)
    result = coach("export", session_id, *args)
    assert result.returncode == 2 and message in result.stderr
    assert not (tmp_path / args[1]).exists()


def test_an_unknown_suffix_with_a_format_is_written_in_that_format(
    two_sessions: tuple[str, Path], tmp_path: Path
) -> None:
    session_id, _ = two_sessions
    target = tmp_path / "notes.txt"
    assert coach("export", session_id, "-o", str(target), "-f", "json").returncode == 0
    assert target.read_text().startswith("{")
