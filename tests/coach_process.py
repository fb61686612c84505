"""Running the installed `coach` command as a user would, for every test that needs a process.

One home for what several test files each wrote for themselves: the console script's path, a
clean environment, a timeout, and an exit-code check that shows both streams when it fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
