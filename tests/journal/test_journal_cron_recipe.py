"""The README's cron recipe, run as cron would: no file behind a failed run, 0600 on success, and
nothing in the log that depends on a disclosure, nor the support line."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from pathlib import Path

import pytest
from journal_helpers import (
    COACH_BIN,
    ROOT,
    check_toml,
    check_values,
    filled,
    invoke,
    normalise,
    saved_files,
)

from coach.content.check_files import load_support

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


def test_recipe_uses_an_output_file_and_sends_standard_error_nowhere() -> None:
    command = recipe_command()
    assert " -o " in command and "--partner" not in command
    assert command.count("--answers") == 2  # one file per partner, each with its own check
    # The only redirects: standard error (the support line) to nowhere, the failure line to the log.
    assert command.replace("2>/dev/null", "").replace(">> coach.log", "").count(">") == 0
    assert "2>/dev/null" in command and "2>>" not in command


def partner_files(journal: Path, a: str = "", b: str = "") -> None:
    """The two files the recipe reads: sam.toml and alex.toml, each with its partner's check."""
    journal.mkdir(parents=True, exist_ok=True)
    (journal / "sam.toml").write_text(a or filled("--partner", "a"), encoding="utf-8")
    (journal / "alex.toml").write_text(b or filled("--partner", "b"), encoding="utf-8")


def test_a_failed_run_leaves_no_file_and_logs_only_that_it_failed(tmp_path: Path) -> None:
    journal = tmp_path / "journal"
    partner_files(journal, a=filled("--partner", "a") + '"s1.a.nope" = 3\n')
    result = run_recipe(tmp_path)
    assert result.stdout == result.stderr == ""  # nothing for cron to mail
    assert sorted(p.name for p in journal.iterdir()) == ["alex.toml", "coach.log", "sam.toml"]
    [line] = (journal / "coach.log").read_text(encoding="utf-8").splitlines()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}: coach run failed \(exit 1\); run it by hand.*", line)
    assert not saved_files(tmp_path / "coach-data")
    # By hand, the same command says why.
    by_hand = invoke(
        "run", "--answers", str(journal / "sam.toml"), "--answers", str(journal / "alex.toml")
    )
    assert by_hand.code == 1 and "s1.a.nope" in by_hand.stderr and "s1.a.nope" not in line


def test_a_good_run_writes_private_json_and_no_log(tmp_path: Path) -> None:
    journal = tmp_path / "journal"
    partner_files(journal)
    result = run_recipe(tmp_path)
    assert result.returncode == 0 and result.stdout == result.stderr == ""
    assert not (journal / "coach.log").exists()
    [written] = journal.glob("week-*.json")
    assert stat.S_IMODE(os.stat(written).st_mode) == 0o600
    document = json.loads(written.read_text(encoding="utf-8"))
    [saved] = saved_files(tmp_path / "coach-data")
    assert document["saved_to"] == str(saved)


def disclosing_or_short(journal: Path, disclosed: bool) -> None:
    """Sam either answers yes to being afraid (keeping "full") or simply chooses "short"."""
    sam = filled("--partner", "a", check=False)
    values = check_values("a", "full", "afraid") if disclosed else check_values("a", "short")
    sam = sam.split("[check]")[0] + check_toml(values) + "\n[checkin]" + sam.split("[checkin]")[1]
    partner_files(journal, a=sam)


def test_a_disclosure_leaves_the_same_trace_as_a_short_choice(tmp_path: Path) -> None:
    runs = {}
    for disclosed in (True, False):
        home = tmp_path / f"disclosed-{disclosed}"
        journal = home / "journal"
        disclosing_or_short(journal, disclosed)
        result = run_recipe(home)
        assert result.returncode == 0 and result.stdout == result.stderr == ""
        assert not (journal / "coach.log").exists()
        [written] = journal.glob("week-*.json")
        [saved] = saved_files(home / "coach-data")
        document = normalise(written.read_text(encoding="utf-8")).replace(str(home), "<home>")
        runs[disclosed] = (document, normalise(saved.read_text(encoding="utf-8")))
        assert load_support().scripted not in document
    assert runs[True] == runs[False]
    assert json.loads(runs[True][0])["session"]["steps"] == [1, 2, 5]


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
