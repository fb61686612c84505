"""Odd terminals give readable output and no tracebacks: NO_COLOR, TERM=dumb, 40 columns, LANG=C."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pexpect
import pytest
from coach_process import COACH, spawn_coach

COLOUR = re.compile(r"\x1b\[[0-9;]*m")
# Bold and italic are fine without colour; colours (30-49, 90-107, 38;5;n ...) are not.
FOREGROUND_OR_BACKGROUND = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])[;m]")

TERMINALS = {
    "no_color": {"NO_COLOR": "1", "TERM": "xterm-256color"},
    "dumb": {"TERM": "dumb"},
    "narrow": {"COLUMNS": "40", "TERM": "xterm"},
    "lang_c": {"LANG": "C", "LC_ALL": "C", "TERM": "xterm"},
}


def run_in_pty(args: list[str], env_extra: dict[str, str], home: Path, columns: int) -> str:
    # The output itself is under test here, not the pager (tests/cli/test_pager.py).
    child = spawn_coach(
        args,
        home,
        columns=columns,
        lines=50,
        env_extra={"COACH_NO_PAGER": "1", **env_extra},
        timeout=30,
        drop=("COACH_", "LC_", "NO_COLOR"),
        codec_errors="replace",
    )
    child.expect(pexpect.EOF)
    child.close()
    output = str(child.before)
    assert child.exitstatus == 0, output[-2000:]
    return output


@pytest.mark.parametrize("terminal", list(TERMINALS))
@pytest.mark.parametrize("command", [["demo"], ["learn"]])
def test_readable_output_without_tracebacks(
    tmp_path: Path, terminal: str, command: list[str]
) -> None:
    env = TERMINALS[terminal]
    columns = int(env.get("COLUMNS", "100"))
    output = run_in_pty(command, env, tmp_path / "home", columns)
    assert "Traceback" not in output
    flat = " ".join(output.split())
    if command == ["demo"]:
        assert "Oxytocin" in flat and "Amygdala" in flat
        assert "educational reflection tool" in flat
    else:
        assert "Warm engagement" in flat and "Hippocampus" in flat
    if terminal in ("no_color", "dumb"):
        assert not FOREGROUND_OR_BACKGROUND.search(output)
    if terminal == "narrow":
        longest = max(len(COLOUR.sub("", line)) for line in output.splitlines())
        assert longest <= 40


def test_piped_output_has_no_escape_codes(tmp_path: Path) -> None:
    env = {**os.environ, "COACH_HOME": str(tmp_path / "home"), "TERM": "xterm-256color"}
    result = subprocess.run(
        [COACH, "demo"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "What your answers suggest" in result.stdout
