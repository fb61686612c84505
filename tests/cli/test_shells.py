"""The completion scripts in real shells: bash, zsh and fish in a pseudo-terminal, typing Tab.

Each shell loads the script `coach --show-completion SHELL` prints, as a user installs it, and a
pyte screen shows what the shell drew. Outside CI a missing shell skips its tests (Debian
packages bash, zsh, fish; .ci/run installs them); in CI (CI set) it fails them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pexpect
import pyte
import pytest
from coach_process import COACH, invoke

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "coach" / "content" / "demo.toml"
BIN = str(Path(COACH).parent)
COUPLES = ("Kim & Lee", "Sam & Alex (demo)", "Sam & Jo")

pytestmark = pytest.mark.slow


def need(shell: str) -> str:
    path = shutil.which(shell)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{shell} is not installed; CI must test its completion (.ci/run)")
        pytest.skip(f"{shell} is not installed (Debian package {shell}; .ci/run installs it)")
    return path


class Shell:
    """An interactive shell in a pseudo-terminal, its output drawn on an emulated screen."""

    def __init__(self, shell: str, home: Path, tmp: Path) -> None:
        self.name = shell
        script = tmp / f"coach.{shell}"
        made = subprocess.run(
            [COACH, "--show-completion", shell],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "SHELL": "/bin/sh"},  # the shell named wins over the one detected
        )
        script.write_text(made.stdout)
        env = {
            "PATH": f"{BIN}:/usr/bin:/bin",
            "HOME": str(tmp),
            "COACH_HOME": str(home),
            "TERM": "xterm",
            "LANG": "C.UTF-8",
        }
        argv = {
            "bash": ["--norc", "--noprofile", "-i"],
            "zsh": ["-f", "-i"],
            "fish": ["--no-config", "-i"],
        }[shell]
        setup = {
            "bash": f"PS1='$ '; source {script}; bind 'set show-all-if-ambiguous on'",
            "zsh": f"PS1='$ '; autoload -Uz compinit; compinit -u; source {script}",
            "fish": f"function fish_prompt; echo -n '$ '; end; source {script}",
        }[shell]
        self.screen = pyte.Screen(120, 30)
        self.stream = pyte.Stream(self.screen)
        self.child = pexpect.spawn(
            need(shell), argv, env=env, encoding="utf-8", dimensions=(30, 120), timeout=30
        )
        self.send(f"{setup}; clear; echo RE''ADY\r")
        self.wait_for(lambda text: "READY" in text.replace("RE''ADY", ""))

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, done: Callable[[str], bool], timeout: float = 30) -> str:
        """Read output until `done(screen text)`; fails with the screen when it never is."""
        deadline = time.monotonic() + timeout
        while not done(self.text()):
            if time.monotonic() > deadline:
                pytest.fail(f"the shell never showed what was awaited:\n{self.text()}")
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.2))
            except pexpect.TIMEOUT:
                continue
        return self.text()

    def line(self) -> str:
        """The line the cursor is on."""
        return self.screen.display[self.screen.cursor.y].rstrip()

    def close(self) -> None:
        self.child.close(force=True)


@pytest.fixture
def listing(coach_home: Path) -> list[dict[str, str]]:
    """The sessions, newest first, as `coach list` gives them (which builds the index)."""
    for couple in COUPLES:
        assert invoke("run", "--answers", str(DEMO), "--couple", couple).code == 0
    sessions: list[dict[str, str]] = invoke("list", "--format", "json").json()["sessions"]
    return sessions


@pytest.fixture(params=["bash", "zsh", "fish"])
def shell(request: pytest.FixtureRequest, coach_home: Path, tmp_path: Path) -> Iterator[Shell]:
    need(request.param)
    running = Shell(request.param, coach_home, tmp_path)
    yield running
    running.close()


def test_a_completed_couple_label_runs_as_one_word(
    shell: Shell, listing: list[dict[str, str]]
) -> None:
    demo = next(item["id"] for item in listing if item["couple"] == COUPLES[1])
    # Two labels start "Sam & ": Tab inserts that much, quoted, then "A" and Tab the rest.
    shell.send("coach history --couple Sam")
    shell.send("\t")
    shell.wait_for(lambda _: "&" in shell.line())
    shell.send("A\t")
    shell.wait_for(lambda _: "(demo" in shell.line())
    shell.send("\r")
    after = shell.wait_for(lambda text: demo in text and text.rstrip().endswith("$"))
    others = [item["id"] for item in listing if item["id"] != demo]
    assert not [other for other in others if other in after]  # the demo couple's only
    assert not re.search(r"syntax error|command not found|Unknown command", after), after


def test_session_ids_are_offered_newest_first(shell: Shell, listing: list[dict[str, str]]) -> None:
    # Each id's own end: fish shows "…4-192134-977f43" for the part the ids share.
    ends = [item["id"][-6:] for item in listing]
    shell.send("coach show 2\t")
    shell.wait_for(lambda _: len(shell.line()) > len("$ coach show 2"))
    if shell.name == "zsh":
        shell.send("\t")  # zsh lists on the second Tab; bash and fish have listed already
    text = shell.wait_for(lambda text: all(end in text for end in ends))
    shown = "\n".join(row for row in text.splitlines() if "coach show" not in row)
    assert sorted(ends, key=shown.index) == ends, shown  # as coach list: newest first
