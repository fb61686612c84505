"""The one output writer (coach.store.output): every -o of every command, under one policy.

`-` is standard output; an existing file is refused without --force (one line, exit 2); a path
inside the data directory is refused even with --force, symbolic links resolved; the file is
written atomically and 0600. Issue 25 items 1, 2 and 12: `remind -o` and `run -o` replaced any
file, a saved session included, and `remind -o -` wrote a file named "-".
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from coach_process import Outcome, invoke
from journal.journal_helpers import filled

from coach.base.errors import UsageError
from coach.store.output import output_target

Command = Callable[[Path, list[str]], Outcome]


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.toml"
    path.write_text(filled(), encoding="utf-8")
    return path


def _run(answers: Path) -> Command:
    def command(target: Path | str, extra: list[str]) -> Outcome:
        return invoke("run", "--answers", str(answers), "-o", str(target), *extra)

    return command


def _remind(target: Path | str, extra: list[str]) -> Outcome:
    return invoke("remind", "--every", "week", "-o", str(target), *extra)


def _export(session_id: str) -> Command:
    def command(target: Path | str, extra: list[str]) -> Outcome:
        return invoke("export", session_id, "-f", "md", "-o", str(target), *extra)

    return command


@pytest.fixture(params=["run", "remind", "export"])
def command(request: pytest.FixtureRequest, answers: Path) -> Command:
    if request.param == "run":
        return _run(answers)
    if request.param == "remind":
        return _remind
    demo = invoke("demo", "--save")
    assert demo.code == 0, demo.stderr
    return _export(_session_ids()[0])


def _session_files() -> list[Path]:
    sessions = Path(os.environ["COACH_HOME"]) / "sessions"
    return sorted(sessions.glob("*.toml")) if sessions.exists() else []


def _session_ids() -> list[str]:
    return [path.stem for path in _session_files()]


def test_an_existing_file_is_kept_without_force(command: Command, tmp_path: Path) -> None:
    target = tmp_path / "mine.txt"
    target.write_text("keep me")
    refused = command(target, [])
    assert refused.code == 2
    refusal = f"coach: -o {target} exists; pass --force to replace it"
    assert refused.stderr.splitlines()[-1] == refusal
    assert target.read_text() == "keep me"
    replaced = command(target, ["--force"])
    assert replaced.code == 0, replaced.stderr
    assert target.read_text() != "keep me"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_saved_session_is_never_replaced(command: Command, coach_home: Path) -> None:
    demo = invoke("demo", "--save")
    assert demo.code == 0, demo.stderr
    files = _session_files()
    before = {path: path.read_bytes() for path in files}
    for target in [*files, coach_home / "out.txt", coach_home / "sessions" / "new.txt"]:
        for force in ([], ["--force"]):
            result = command(target, force)
            assert result.code == 2, (target, result)
            assert "inside coach's data directory" in result.stderr.splitlines()[-1]
    assert {path: path.read_bytes() for path in _session_files()} == before
    assert not (coach_home / "out.txt").exists()


def test_a_symbolic_link_into_the_data_directory_is_refused(
    command: Command, coach_home: Path, tmp_path: Path
) -> None:
    demo = invoke("demo", "--save")
    assert demo.code == 0, demo.stderr
    session = _session_files()[0]
    before = session.read_bytes()
    link = tmp_path / "innocent.txt"
    link.symlink_to(session)
    folder = tmp_path / "folder"
    folder.symlink_to(coach_home / "sessions", target_is_directory=True)
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(coach_home / "sessions" / "not-yet.toml")
    for target in (link, folder / "x.txt", dangling):
        result = command(target, ["--force"])
        assert result.code == 2, (target, result)
        assert "inside coach's data directory" in result.stderr
    assert session.read_bytes() == before
    assert not (coach_home / "sessions" / "not-yet.toml").exists()
    assert not (coach_home / "sessions" / "x.txt").exists()


def test_dash_is_standard_output(
    command: Command, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = command("-", [])
    assert result.code == 0, result.stderr
    assert result.stdout.strip()
    assert not (tmp_path / "-").exists()


def test_no_temporary_file_is_left_beside_the_target(command: Command, tmp_path: Path) -> None:
    out = tmp_path / "out" / "file.txt"
    out.parent.mkdir()
    assert command(out, []).code == 0
    assert [p.name for p in out.parent.iterdir()] == ["file.txt"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_failed_run_writes_no_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[partners]\na = "Sam"\nb = "Alex"\n', encoding="utf-8")
    target = tmp_path / "week.json"
    target.write_text("last week")
    result = invoke("run", "--answers", str(bad), "-o", str(target), "--force")
    assert result.code == 1
    assert target.read_text() == "last week"


def test_the_writer_itself(tmp_path: Path, coach_home: Path) -> None:
    assert output_target(None).to_stdout and output_target("-").to_stdout
    for bad in ("", ".", "dir/"):
        with pytest.raises(UsageError, match="needs a file name"):
            output_target(bad)
    with pytest.raises(UsageError, match="is a directory"):
        output_target(tmp_path)
    with pytest.raises(UsageError, match="does not exist"):
        output_target(tmp_path / "nowhere" / "x")
    with pytest.raises(UsageError, match="is not a regular file; use - for standard output"):
        output_target("/dev/null", force=True)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="is not a regular file"):
        output_target(fifo, force=True)
    target = output_target(tmp_path / "x.txt")
    (tmp_path / "x.txt").write_text("appeared meanwhile")
    from coach.base.errors import StorageError

    with pytest.raises(StorageError, match="already exists"):
        target.write("new")
    assert (tmp_path / "x.txt").read_text() == "appeared meanwhile"
    output_target(tmp_path / "x.txt", force=True).write(b"bytes")
    assert (tmp_path / "x.txt").read_bytes() == b"bytes"


def _commands(app: typer.Typer) -> list[tuple[str, list[str]]]:
    import typer.main

    group = typer.main.get_command(app)
    found: list[tuple[str, list[str]]] = []

    def walk(command: object, name: str) -> None:
        for sub_name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{name} {sub_name}".strip())
        options = [o for p in getattr(command, "params", []) for o in p.opts]
        found.append((name, options))

    walk(group, "")
    return found


def test_every_output_option_has_force_and_goes_through_the_writer() -> None:
    """Each command with -o has --force; no CLI module writes a file but through the writer."""
    from coach.cli.main import app

    with_output = [name for name, options in _commands(app) if "-o" in options]
    assert sorted(with_output) == ["export", "remind", "run"]
    for name, options in _commands(app):
        if "-o" in options:
            assert "--force" in options, name
    cli = Path(__file__).resolve().parents[2] / "coach" / "cli"
    for module in cli.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        for writer in ("atomic_write", "exclusive_create", "write_text(", "write_bytes("):
            assert writer not in text, (module.name, writer)
