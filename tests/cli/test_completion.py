"""Shell completion for bash, zsh and fish: scripts, session ids and couples from the index."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from coach_process import invoke

from coach.cli import shells
from coach.cli.completion import _shown

ROOT = Path(__file__).resolve().parents[2]
COACH_BIN = ROOT / ".venv" / "bin" / "coach"
DEMO = ROOT / "coach" / "content" / "demo.toml"

pytestmark = pytest.mark.skipif(not COACH_BIN.exists(), reason="needs the project's venv")


def completion_env(home: Path, shell: str, line: str) -> dict[str, str]:
    """What the script coach prints for `shell` sets for the command line `line` (to the cursor)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "COACH_HOME": str(home),
        "_COACH_COMPLETE": f"values_{shell}",
        "_COACH_COMPLETE_ARGS": line,
    }


def complete(home: Path, shell: str, line: str) -> str:
    """What the shell's completion function receives for the command line `line`."""
    result = subprocess.run(
        [str(COACH_BIN)],
        env=completion_env(home, shell, line),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
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
def test_show_completion_prints_the_script_of_the_shell_named(shell: str) -> None:
    for running in ("bash", "zsh", "fish"):  # whichever shell coach is started from
        result = subprocess.run(
            [str(COACH_BIN), "--show-completion", shell],
            capture_output=True,
            text=True,
            timeout=60,
            env={"PATH": os.environ.get("PATH", ""), "SHELL": f"/bin/{running}"},
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout == shells.SCRIPTS[shell]


def test_show_completion_of_an_unknown_shell_is_one_line() -> None:
    result = subprocess.run(
        [str(COACH_BIN), "--show-completion", "tcsh"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == 'coach: no completion for the shell "tcsh"; choose bash, zsh or fish\n'


def test_install_completion_writes_the_script_and_loads_it(tmp_path: Path) -> None:
    for shell in ("bash", "zsh", "fish"):
        path = shells.install(shell, tmp_path)
        assert path.read_text() == shells.SCRIPTS[shell]
    shells.install("bash", tmp_path)  # again: the line that loads it is not added twice
    assert (tmp_path / ".bashrc").read_text().count("coach.sh") == 1
    assert "fpath+=~/.zfunc" in (tmp_path / ".zshrc").read_text()


def imported_by(env: dict[str, str], *args: str) -> set[str]:
    """The modules `coach ARGS` imports, as `python -X importtime` lists them."""
    python = ROOT / ".venv" / "bin" / "python"
    result = subprocess.run(
        [str(python), "-X", "importtime", str(COACH_BIN), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_completion_call_imports_no_rich(coach_home: Path, shell: str) -> None:
    """A Tab costs what `coach --version` does plus the index (scripts/bench measures it)."""
    env = completion_env(coach_home, shell, "coach show 2")
    completing = imported_by(env)
    version = imported_by({"PATH": env["PATH"]}, "--version")
    assert not [name for name in completing if name.split(".")[0] == "rich"]
    extra = {name.split(".")[0] for name in completing - version}
    assert extra <= {"sqlite3", "_sqlite3", "shlex", "coach", "typer"}, extra


def test_scripts_from_an_older_coach_still_complete(coach_home: Path, sessions: list[str]) -> None:
    """Typer's scripts, which coach installed before it had its own, get answers in their form."""

    def typer_complete(shell: str, **variables: str) -> subprocess.CompletedProcess[str]:
        env = {"PATH": os.environ.get("PATH", ""), "COACH_HOME": str(coach_home)}
        env |= {"_COACH_COMPLETE": f"complete_{shell}", **variables}
        return subprocess.run(
            [str(COACH_BIN)], env=env, capture_output=True, text=True, timeout=60, check=False
        )

    zsh = typer_complete("zsh", _TYPER_COMPLETE_ARGS="coach rem").stdout
    assert zsh.startswith("_arguments '*: :((") and '"remind":"' in zsh
    bash = typer_complete("bash", COMP_WORDS="coach\nshow\n", COMP_CWORD="2").stdout
    assert bash.split() == sessions
    fish = {"_TYPER_COMPLETE_ARGS": "coach history --couple Jo"}
    got = typer_complete("fish", _TYPER_COMPLETE_FISH_ACTION="get-args", **fish)
    assert got.stdout == "Jo & Kim\t1 session\n"
    assert typer_complete("fish", _TYPER_COMPLETE_FISH_ACTION="is-args", **fish).returncode == 0


@pytest.mark.parametrize(
    ("line", "args", "incomplete"),
    [
        ("coach show ", ["show"], ""),
        ("coach show 2026", ["show"], "2026"),
        ("coach history --couple Sam\\ \\&\\ A", ["history", "--couple"], "Sam & A"),
        ("coach history --couple 'Sam & A", ["history", "--couple"], "Sam & A"),
        ('coach history --couple "Sam & Alex" ', ["history", "--couple", "Sam & Alex"], ""),
        ("coach ", [], ""),
    ],
)
def test_the_command_line_is_split_as_the_shell_does(
    line: str, args: list[str], incomplete: str
) -> None:
    assert shells.split_line(line) == (args, incomplete)


def test_bash_completes_commands_and_session_ids(coach_home: Path, sessions: list[str]) -> None:
    assert "remind" in complete(coach_home, "bash", "coach rem").split()
    newest = sessions[0]
    offered = complete(coach_home, "bash", f"coach show {newest[:8]}").split()
    assert offered == sessions  # newest first, as coach list
    assert complete(coach_home, "bash", f"coach delete {newest}").split() == [newest]


def test_zsh_completes_couple_labels_with_a_count(coach_home: Path, sessions: list[str]) -> None:
    offered = complete(coach_home, "zsh", "coach history --couple Sa")
    assert "Sam & Alex" in offered and "1 session" in offered
    assert "Jo & Kim" not in offered


def test_fish_completes_ids_with_their_couple(coach_home: Path, sessions: list[str]) -> None:
    lines = complete(coach_home, "fish", "coach rules explain ").splitlines()
    values = [line.split("\t")[0] for line in lines]
    assert values == sessions
    assert any("Jo & Kim" in line for line in lines)


def test_resume_offers_only_drafts(coach_home: Path, sessions: list[str]) -> None:
    assert complete(coach_home, "bash", "coach resume 2").split() == []


def test_completion_never_creates_the_index(tmp_path: Path) -> None:
    home = tmp_path / "fresh"
    assert complete(home, "bash", "coach show 2").split() == []
    assert not home.exists()


def test_labels_are_shown_on_one_line() -> None:
    assert _shown("Sam\n& Alex\x1b[31m") == "Sam & Alex [31m"
