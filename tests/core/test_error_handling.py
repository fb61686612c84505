"""The one error handler: a one-line message and a documented exit code, a traceback only
with --debug, and never an answer in the output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from coach_process import run_coach

SECRET = "my private answer 4711"


def coach(
    *args: str, home: Path, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_coach(*args, home=home, code=None, env_extra=env_extra)


def damaged_session(home: Path) -> str:
    sessions = home / "sessions"
    sessions.mkdir(parents=True)
    session_id = "20261125-120000-abcdef"
    (sessions / f"{session_id}.toml").write_text(
        f'schema_version = 1\n[session]\nid = "{session_id}"\nmode = "{SECRET}"\n', encoding="utf-8"
    )
    return session_id


def test_a_domain_error_is_one_line_with_its_exit_code(tmp_path: Path) -> None:
    session_id = damaged_session(tmp_path)
    result = coach("show", session_id, home=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("coach: ")
    assert f"{session_id}.toml" in lines[0]
    assert "Traceback" not in result.stderr
    assert SECRET not in result.stderr + result.stdout


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    session_id = damaged_session(tmp_path)
    for debug in (["--debug"], []):
        extra = {} if debug else {"COACH_DEBUG": "1"}
        result = coach(*debug, "show", session_id, home=tmp_path, env_extra=extra)
        assert result.returncode != 0
        assert "Traceback" in result.stderr


def test_an_internal_error_says_so_without_a_traceback(tmp_path: Path) -> None:
    # A bug stands in for any unexpected exception: the rule pack loader is made to fail.
    probe = (
        "import sys, coach.rules\n"
        "def broken(*a, **k): raise RuntimeError('" + SECRET + "')\n"
        "coach.rules.load_pack = broken\n"
        "from coach.cli.main import run\n"
        "sys.argv = ['coach', 'demo']\n"
        "run()\n"
    )
    env = {**os.environ, "COACH_HOME": str(tmp_path)}
    env.pop("COACH_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 70
    assert "internal error (RuntimeError)" in result.stderr
    assert "--debug" in result.stderr
    assert "Traceback" not in result.stderr
    assert SECRET not in result.stderr + result.stdout
