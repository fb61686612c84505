"""The README's cron recipe, run as cron would: no file behind a failed run, 0600 on success."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from pathlib import Path

import pytest
from journal_helpers import COACH_BIN, ROOT, filled, invoke, normalise, saved_files

pytestmark = pytest.mark.skipif(not COACH_BIN.exists(), reason="needs the project's venv")


def recipe_command() -> str:
    """The command part of the README's crontab line, with cron's \\% turned back into %."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^# m h dom mon dow +command\n(.+)$", readme, re.MULTILINE)
    assert match, "README has no crontab example"
    fields = match[1].split(maxsplit=5)
    return fields[5].replace("\\%", "%")


def run_recipe(home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": f"{COACH_BIN.parent}:/usr/bin:/bin",
        "HOME": str(home),
        "COACH_HOME": str(home / "coach-data"),
    }
    # cron's usual umask lets others read new files; -o must not.
    return subprocess.run(
        ["/bin/sh", "-c", f"umask 022; {recipe_command()}"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_recipe_uses_an_output_file_not_a_redirect() -> None:
    command = recipe_command()
    assert " -o " in command
    assert ">" not in command.replace("2>>", "")  # only the log is a redirect


def test_a_failed_run_leaves_no_file_and_logs_why(tmp_path: Path) -> None:
    journal = tmp_path / "journal"
    journal.mkdir()
    (journal / "this-week.toml").write_text('steps = [1]\n[answers]\n"s1.a.nope" = 3\n')
    result = run_recipe(tmp_path)
    assert result.returncode != 0
    assert sorted(p.name for p in journal.iterdir()) == ["coach.log", "this-week.toml"]
    assert "s1.a.nope" in (journal / "coach.log").read_text(encoding="utf-8")
    assert not saved_files(tmp_path / "coach-data")


def test_a_good_run_writes_private_json(tmp_path: Path) -> None:
    journal = tmp_path / "journal"
    journal.mkdir()
    (journal / "this-week.toml").write_text(filled(), encoding="utf-8")
    result = run_recipe(tmp_path)
    assert result.returncode == 0, (journal / "coach.log").read_text(encoding="utf-8")
    [written] = journal.glob("week-*.json")
    assert stat.S_IMODE(os.stat(written).st_mode) == 0o600
    document = json.loads(written.read_text(encoding="utf-8"))
    [saved] = saved_files(tmp_path / "coach-data")
    assert document["saved_to"] == str(saved)


def test_output_to_a_missing_directory_is_refused_before_running(tmp_path: Path) -> None:
    answers = tmp_path / "a.toml"
    answers.write_text(filled(), encoding="utf-8")
    target = tmp_path / "nowhere" / "week.json"
    result = invoke("run", "--answers", str(answers), "-o", str(target))
    assert result.code == 2
    assert "does not exist" in result.stderr
    assert not saved_files(tmp_path / "coach-home")


@pytest.mark.parametrize("output_format", ["text", "toml"])
def test_output_file_holds_what_stdout_would(
    tmp_path: Path, output_format: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Standard output follows $COLUMNS (a test worker may have one); a file is always 100 wide.
    monkeypatch.setenv("COLUMNS", "100")
    answers = tmp_path / "a.toml"
    answers.write_text(filled(), encoding="utf-8")
    target = tmp_path / "out.txt"
    options = ("run", "--answers", str(answers), "--format", output_format, "--no-save")
    printed = invoke(*options)
    written = invoke(*options, "-o", str(target))
    assert written.code == 0 and written.stdout == ""
    assert normalise(target.read_text(encoding="utf-8")) == normalise(printed.stdout)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
