"""`coach run` as cron and CI run it: a real process, stdin from /dev/null, output to pipes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from journal_helpers import COACH_BIN, ESC, ROOT, filled, saved_files

from coach.content.check_files import load_support

pytestmark = pytest.mark.skipif(not COACH_BIN.exists(), reason="needs the project's venv")


def coach_process(
    *args: str, home: Path, stdin: int | None = subprocess.DEVNULL, data: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed `coach` with a bare cron-like environment: no TERM, no terminal."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home.parent),
        "COACH_HOME": str(home),
    }
    return subprocess.run(
        [str(COACH_BIN), *args],
        stdin=None if data is not None else stdin,
        input=data,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=home.parent,
    )


def test_run_works_with_stdin_from_dev_null(tmp_path: Path) -> None:
    home = tmp_path / "home"
    answers = tmp_path / "f.toml"
    answers.write_text(filled(), encoding="utf-8")
    result = coach_process("run", "--answers", str(answers), home=home)
    assert result.returncode == 0, result.stderr
    # The one support line, on every run (wrapped to the width, 100 with no terminal).
    assert " ".join(result.stderr.split()) == load_support().scripted
    assert ESC not in result.stdout
    assert "What your answers suggest, together" in result.stdout
    [saved] = saved_files(home)
    assert result.stdout.rstrip().endswith(f"Saved: {saved}")


@pytest.mark.parametrize("output_format", ["text", "json", "toml"])
def test_piped_output_has_no_escape_codes(tmp_path: Path, output_format: str) -> None:
    home = tmp_path / "home"
    answers = tmp_path / "f.toml"
    answers.write_text(filled(), encoding="utf-8")
    result = coach_process(
        "run", "--answers", str(answers), "--format", output_format, "--no-save", home=home
    )
    assert result.returncode == 0, result.stderr
    assert ESC not in result.stdout and ESC not in result.stderr
    assert not home.exists()


def test_escape_sequences_typed_into_answers_do_not_reach_the_terminal(tmp_path: Path) -> None:
    home = tmp_path / "home"
    answers = tmp_path / "f.toml"
    sneaky = "We talked\u001b[2J\u001b]0;pwned\u0007 and \u009b31m laughed"
    answers.write_text(filled(text=sneaky), encoding="utf-8")
    for output_format in ("text", "json"):
        result = coach_process(
            "run", "--answers", str(answers), "--format", output_format, "--no-save", home=home
        )
        assert result.returncode == 0, result.stderr
        assert ESC not in result.stdout and "\u009b" not in result.stdout


def test_standard_input_dash_in_a_real_pipe(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = coach_process("run", "--answers", "-", "--format", "json", home=home, data=filled())
    assert result.returncode == 0, result.stderr
    assert '"schema_version": 1' in result.stdout


def test_errors_are_one_line_each_with_no_traceback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    answers = tmp_path / "f.toml"
    answers.write_text('[answers]\n"s1.a.greeted_warmly" = 7\n', encoding="utf-8")
    result = coach_process("run", "--answers", str(answers), home=home)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("coach: ") and "problems in the answers" in lines[0]
    assert all(line.startswith(f"  {answers}") for line in lines[1:])
    assert f"  {answers}:2: answers.s1.a.greeted_warmly: out of range" in result.stderr
    assert "Traceback" not in result.stderr
    assert not home.exists()

    missing = coach_process("run", "--answers", str(tmp_path / "nope.toml"), home=home)
    assert missing.returncode == 2
    assert (
        missing.stderr == f"coach: cannot read answer file {tmp_path / 'nope.toml'}: no such file\n"
    )
    bare = coach_process("run", home=home)
    assert bare.returncode == 2
    assert bare.stderr.startswith("coach: coach run needs --answers FILE")


def test_run_and_template_load_no_prompting_library(tmp_path: Path) -> None:
    """`coach run` never builds a prompt: questionary and prompt_toolkit are never imported."""
    answers = tmp_path / "f.toml"
    answers.write_text(filled(), encoding="utf-8")
    script = (
        "import sys\n"
        "from coach.cli.main import run\n"
        f"sys.argv = ['coach', 'run', '--answers', {str(answers)!r}, '--no-save']\n"
        "try:\n    run()\nexcept SystemExit as stop:\n    code = stop.code\n"
        "loaded = [m for m in ('questionary', 'prompt_toolkit') if m in sys.modules]\n"
        "print('LOADED', loaded, code, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "COACH_HOME": str(tmp_path / "home")},
        cwd=ROOT,
        timeout=60,
    )
    assert "LOADED [] 0" in result.stderr, result.stderr


def test_template_then_run_in_a_shell_pipeline(tmp_path: Path) -> None:
    home = tmp_path / "home"
    template = coach_process("template", "--steps", "1", home=home)
    assert template.returncode == 0 and ESC not in template.stdout
    unfilled = coach_process("run", "--answers", "-", home=home, data=template.stdout)
    assert unfilled.returncode == 1
    assert "not answered yet" in unfilled.stderr
    assert not home.exists()
