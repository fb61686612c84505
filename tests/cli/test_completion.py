"""Shell completion for bash, zsh and fish: scripts, session ids and couples from the index."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from coach_process import invoke

from coach.cli.completion import _shown

ROOT = Path(__file__).resolve().parents[2]
COACH_BIN = ROOT / ".venv" / "bin" / "coach"
DEMO = ROOT / "coach" / "content" / "demo.toml"

pytestmark = pytest.mark.skipif(not COACH_BIN.exists(), reason="needs the project's venv")


def complete(home: Path, shell: str, words: str) -> str:
    """What the shell's completion function would receive for the command line `words`."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "COACH_HOME": str(home)}
    env["_COACH_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":
        env |= {"COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    else:
        env["_TYPER_COMPLETE_ARGS"] = words
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = subprocess.run(
        [str(COACH_BIN)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


@pytest.fixture
def sessions(coach_home: Path) -> list[str]:
    for couple in ("Sam & Alex", "Jo & Kim"):
        assert invoke("run", "--answers", str(DEMO), "--couple", couple).code == 0
    listing = invoke("list", "--format", "json").json()  # also brings the index up to date
    return [item["id"] for item in listing["sessions"]]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_a_script_for_each_shell(shell: str) -> None:
    result = subprocess.run(
        [str(COACH_BIN), "--show-completion", shell],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": os.environ.get("PATH", ""), "SHELL": f"/bin/{shell}"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "_COACH_COMPLETE" in result.stdout


def test_bash_completes_commands_and_session_ids(coach_home: Path, sessions: list[str]) -> None:
    assert "remind" in complete(coach_home, "bash", "coach rem").split()
    newest = sessions[0]
    offered = complete(coach_home, "bash", f"coach show {newest[:8]}").split()
    assert sorted(offered) == sorted(sessions)
    assert complete(coach_home, "bash", f"coach delete {newest}").split() == [newest]


def test_zsh_completes_couple_labels_with_a_count(coach_home: Path, sessions: list[str]) -> None:
    offered = complete(coach_home, "zsh", "coach history --couple Sa")
    assert "Sam & Alex" in offered and "1 session" in offered
    assert "Jo & Kim" not in offered


def test_fish_completes_ids_with_their_couple(coach_home: Path, sessions: list[str]) -> None:
    lines = complete(coach_home, "fish", "coach rules explain ").splitlines()
    values = [line.split("\t")[0] for line in lines]
    assert sorted(values) == sorted(sessions)
    assert any("Jo & Kim" in line for line in lines)


def test_resume_offers_only_drafts(coach_home: Path, sessions: list[str]) -> None:
    assert complete(coach_home, "bash", "coach resume 2").split() == []


def test_completion_never_creates_the_index(tmp_path: Path) -> None:
    home = tmp_path / "fresh"
    assert complete(home, "bash", "coach show 2").split() == []
    assert not home.exists()


def test_labels_are_shown_on_one_line() -> None:
    assert _shown("Sam\n& Alex\x1b[31m") == "Sam & Alex [31m"
