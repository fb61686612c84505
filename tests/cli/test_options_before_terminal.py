"""Options are checked before the terminal: without one, a wrong option is still named as such."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COACH_BIN = ROOT / ".venv" / "bin" / "coach"

pytestmark = pytest.mark.skipif(not COACH_BIN.exists(), reason="needs the project's venv")


def without_terminal(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "COACH_HOME": str(home)}
    return subprocess.run(
        [str(COACH_BIN), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--mode", "secret"], "--mode"),
        (["--steps", "1,9"], "--steps: steps are numbers from 1 to 5"),
        (["--timer", "5m"], "--timer goes with --facilitator"),
        (["--b", "sam"], "--a and --b need two different names"),
        (["--a", "x" * 61], "--a needs a name of 1 to 60 characters"),
        (["--couple", "x" * 201], "--couple needs a label of up to 200 characters"),
        (["--rules", "missing-pack.toml"], "missing-pack.toml"),
    ],
)
def test_start_names_the_wrong_option_not_the_terminal(
    tmp_path: Path, options: list[str], named: str
) -> None:
    result = without_terminal(tmp_path / "home", "start", "--a", "Sam", "--b", "Alex", *options)
    assert result.returncode == 2, result.stderr
    assert named in result.stderr
    assert "interactive terminal" not in result.stderr
    assert not (tmp_path / "home").exists()


def test_start_with_good_options_then_asks_for_a_terminal(tmp_path: Path) -> None:
    result = without_terminal(tmp_path / "home", "start", "--a", "Sam", "--b", "Alex")
    assert result.returncode == 2
    assert "needs an interactive terminal" in result.stderr


def test_resume_of_an_unknown_id_says_so_before_the_terminal(tmp_path: Path) -> None:
    result = without_terminal(tmp_path / "home", "resume", "20990101")
    assert result.returncode == 1
    assert "20990101" in result.stderr
    assert "interactive terminal" not in result.stderr
