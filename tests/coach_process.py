"""Running `coach` for the tests: as a process (the installed console script, as a user runs
it) or in-process (the Typer app, as the entry point runs it; much quicker).

One home for what several test files each wrote for themselves: the console script's path, a
clean environment, a timeout, an exit-code check that shows both streams when it fails, and the
in-process runner that reports a CoachError exactly as the entry point does.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pexpect

COACH = str(Path(sys.executable).parent / "coach")


def run_coach(
    *args: str,
    home: Path | None = None,
    code: int | None = 0,
    env_extra: dict[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run `coach ARGS` and return the finished process.

    home: the data directory; with it, no other COACH_* variable of the test's environment is
    passed on (without it the environment is used as it is, COACH_HOME from the coach_home
    fixture included). code: the exit status expected (None: not checked). stdin: text to feed;
    without it standard input is /dev/null, never a terminal.
    """
    env = dict(os.environ)
    if home is not None:
        env = {k: v for k, v in env.items() if not k.startswith("COACH_")}
        env["COACH_HOME"] = str(home)
    env.update(env_extra or {})
    result = subprocess.run(
        [COACH, *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )
    if code is not None:
        assert result.returncode == code, (args, result.returncode, result.stdout, result.stderr)
    return result


def spawn_coach(
    args: list[str],
    home: Path,
    *,
    columns: int = 120,
    lines: int = 40,
    env_extra: dict[str, str] | None = None,
    timeout: float = 20,
    drop: tuple[str, ...] = ("COACH_", "NO_COLOR"),
    codec_errors: str = "strict",
) -> pexpect.spawn:
    """Start `coach ARGS` in a real pseudo-terminal of COLUMNS x LINES, as a person at a
    terminal runs it. Variables starting with a prefix in DROP are not passed on; ENV_EXTRA
    (TERM included) is set last.
    """
    import pexpect

    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update({"COACH_HOME": str(home), "TERM": "xterm"})
    env.update({"COLUMNS": str(columns), "LINES": str(lines)})
    # pexpect does not answer the cursor-position requests prompt_toolkit sends; without this
    # every prompt that ends waits a second for the reply. Real terminals do answer.
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    # The summary after a session is paged at a terminal; `cat` as the pager hands it straight
    # back, so a test reads it as printed. Tests of the paging itself set PAGER in ENV_EXTRA.
    env["PAGER"] = "cat"
    env.update(env_extra or {})
    child = pexpect.spawn(
        COACH,
        args,
        env=env,
        encoding="utf-8",
        codec_errors=codec_errors,
        timeout=timeout,
        dimensions=(lines, columns),
    )
    # pexpect sleeps 50 ms before every send by default, for programs that drop keys typed
    # before they read. coach must not drop them (it drops type-ahead only where it says so,
    # and the tests check that), and a session sends about a hundred keys.
    child.delaybeforesend = None
    return child


@dataclass
class Outcome:
    """What an in-process run of coach ended with."""

    code: int
    stdout: str
    stderr: str

    @property
    def returncode(self) -> int:  # as subprocess.CompletedProcess names it
        return self.code

    def json(self) -> Any:
        return json.loads(self.stdout)


def invoke_checked(*args: str, code: int | None = 0, stdin: str | None = None) -> Outcome:
    """`coach ARGS` in-process, as a pipe sees it; CODE: the exit status expected (None: not
    checked). For tests where the process itself (its start, signals, terminal) is not what
    is tested: it saves starting Python and importing coach again, a third of a second each."""
    outcome = invoke(*args, stdin=stdin)
    if code is not None:
        assert outcome.code == code, (args, outcome)
    return outcome


def invoke(*args: str, stdin: str | bytes | None = None) -> Outcome:
    """Run `coach ARGS` in-process; a CoachError is reported exactly as the entry point does."""
    from typer.testing import CliRunner

    from coach.base.errors import CoachError
    from coach.cli import main

    result = CliRunner().invoke(main.app, list(args), input=stdin)
    stderr = result.stderr
    code = result.exit_code
    if isinstance(result.exception, CoachError):
        buffer = io.StringIO()
        with contextlib.redirect_stderr(buffer):
            main._print_error(result.exception)
        stderr += buffer.getvalue()
        code = result.exception.exit_code
    elif result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Outcome(code, result.stdout, stderr)
