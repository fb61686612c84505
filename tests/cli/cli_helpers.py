"""Run the CLI in-process as the entry point does, for the tests of issue 15's commands."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from typing import Any

from typer.testing import CliRunner

from coach.cli import main
from coach.errors import CoachError


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def invoke(*args: str, stdin: str | None = None) -> Outcome:
    """`coach ARGS`; a CoachError becomes its message on stderr and its exit code."""
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
