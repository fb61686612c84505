"""Files from before the private check: a session saved by `coach run` then keeps loading beside
new ones (history, show, trends); an answer file of the old shape is refused in one line."""

from __future__ import annotations

import shutil
from pathlib import Path

from journal_helpers import filled, invoke, saved_files, set_keys

DATA = Path(__file__).parent / "data"
OLD_SESSION = DATA / "20261204-195917-fbf029.toml"
OLD_ANSWERS = DATA / "old-answers.toml"


def test_a_session_saved_by_an_older_run_loads_beside_a_short_one(
    tmp_path: Path, coach_home: Path
) -> None:
    (coach_home / "sessions").mkdir(parents=True)
    shutil.copy(OLD_SESSION, coach_home / "sessions" / OLD_SESSION.name)
    sam = tmp_path / "sam.toml"
    sam.write_text(set_keys(filled("--partner", "a"), {"a.today": "short"}), encoding="utf-8")
    alex = tmp_path / "alex.toml"
    alex.write_text(filled("--partner", "b"), encoding="utf-8")
    new = invoke("run", "--answers", str(sam), "--answers", str(alex), "--format", "json")
    assert new.code == 0, new.stderr
    assert len(saved_files(coach_home)) == 2
    history = invoke("history", "--format", "json")
    assert history.code == 0, history.stderr
    assert OLD_SESSION.stem in history.stdout and new.json()["session"]["id"] in history.stdout
    old = invoke("show", OLD_SESSION.stem, "--format", "json")
    assert old.code == 0, old.stderr
    assert old.json()["session"]["steps"] == [1, 2, 3, 4, 5]  # a file without `length`: full
    assert invoke("trends", "--format", "json").code == 0


def test_the_old_demo_answer_file_is_refused_in_one_line() -> None:
    outcome = invoke("run", "--answers", str(OLD_ANSWERS))
    assert outcome.code == 1
    [line] = outcome.stderr.splitlines()
    number = OLD_ANSWERS.read_text().splitlines().index("[safety]") + 1
    assert line.startswith(f"coach: {OLD_ANSWERS}:{number}: safety: the [safety] table is no")
    assert '"a.today" = "full", "short" or "stop"' in line


def test_the_shipped_demo_runs_as_an_answer_file() -> None:
    demo = Path(__file__).parents[2] / "coach" / "content" / "demo.toml"
    outcome = invoke("run", "--answers", str(demo), "--format", "json", "--no-save")
    assert outcome.code == 0, outcome.stderr
    assert outcome.json()["session"]["steps"] == [1, 2, 3, 4, 5]
