"""The Typer app: global options, command registration and the one error handler.

Only typer is imported at module level. Every command imports what it needs inside its
function so that `coach --help` and `coach --version` stay quick.
"""

from __future__ import annotations

import os
import sys

import typer

from coach import __version__
from coach.cli import content, couples, export, history, journal, rules, session, vault
from coach.errors import EXIT_INTERRUPTED, CoachError

HELP = """A couples-exercise coach for two partners at one terminal.

Walks you both through five steps (warm engagement, reciprocation, conflict, co-regulation,
repetition) and reflects on the patterns your answers suggest. An educational reflection
tool, not therapy, diagnosis or a medical device.

Exit codes: 0 ok, 1 bad data, 2 bad usage, 3 storage problem, 70 internal error,
130 interrupted (draft kept).
"""

app = typer.Typer(
    name="coach",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_debug = False


def _show_version(value: bool) -> None:
    if value:
        print(f"coach {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
    ),
    debug: bool = typer.Option(
        False, "--debug", envvar="COACH_DEBUG", help="Show full tracebacks for errors."
    ),
) -> None:
    """Global options."""
    global _debug
    _debug = debug


session.register(app)
journal.register(app)
content.register(app)
history.register(app)
export.register(app)
vault.register(app)
app.add_typer(rules.app, name="rules")
app.add_typer(couples.app, name="couples")


def _print_error(error: CoachError) -> None:
    print(f"coach: {error.message}", file=sys.stderr)
    for line in error.details:
        print(f"  {line}", file=sys.stderr)


def run() -> None:
    """Console-script entry point: one place where errors become messages and exit codes."""
    try:
        app()
    except CoachError as error:
        if _debug:
            raise
        _print_error(error)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        print("\ncoach: interrupted", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as error:  # a bug: say so plainly, keep answers out of the output
        if _debug or os.environ.get("COACH_DEBUG"):
            raise
        name = type(error).__name__
        print(
            f"coach: internal error ({name}); run again with --debug for details",
            file=sys.stderr,
        )
        sys.exit(70)
