"""Guards around a session: unusable data directories fail before any question, and text typed
into an answer (escape sequences, any unicode) is stored as typed but shown harmlessly."""

from __future__ import annotations

import os
import subprocess
import tomllib
from importlib import resources
from pathlib import Path

import pexpect
import tomli_w
from coach_process import COACH, spawn_coach


def spawn(args: list[str], home: Path) -> pexpect.spawn:
    # `coach show` prints its summary straight to the terminal here
    return spawn_coach(args, home, drop=("COACH_",), env_extra={"COACH_NO_PAGER": "1"})


def test_coach_home_that_is_a_file_fails_before_any_question(tmp_path: Path) -> None:
    home = tmp_path / "not-a-dir"
    home.write_text("")
    child = spawn(["start", "--a", "Sam", "--b", "Alex"], home)
    child.expect(pexpect.EOF)
    child.close()
    output = str(child.before)
    assert child.exitstatus == 3
    assert str(home) in output
    assert "Welcome" not in output and "Step 1" not in output
    assert "Traceback" not in output


def test_escape_sequences_in_answers_are_stored_as_typed_and_shown_harmlessly(
    tmp_path: Path,
) -> None:
    typed = "we talked \x1b[2J\x1b[31mlate\x1b[0m 🌙 שלום e\u0301"
    demo = resources.files("coach.content").joinpath("demo.toml").read_text(encoding="utf-8")
    data = tomllib.loads(demo)
    data["answers"]["s1.a.moment"] = typed
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(data), encoding="utf-8")
    env = {**os.environ, "COACH_HOME": str(tmp_path / "home")}
    run = subprocess.run(
        [COACH, "run", "--answers", str(answers), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    assert run.returncode == 0, run.stderr
    saved = next((tmp_path / "home" / "sessions").glob("*.toml"))
    stored = tomllib.loads(saved.read_text(encoding="utf-8"))
    assert {a["prompt"]: a["value"] for a in stored["answers"]}["s1.a.moment"] == typed

    child = spawn(["show", saved.stem], tmp_path / "home")
    child.expect(pexpect.EOF)
    child.close()
    shown = str(child.before)
    assert child.exitstatus == 0
    assert "In your own words" in shown
    assert "\x1b[2J" not in shown and "\x1b[31mlate" not in shown
    assert "\\x1b[2J" in shown
    assert "🌙 שלום e\u0301" in shown
