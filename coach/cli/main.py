"""The Typer app: global options, command registration and the one error handler.

Only typer is imported at module level. Every command imports what it needs inside its
function so that `coach --help` and `coach --version` stay quick.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import NoReturn

import typer
from typer._click.exceptions import ClickException  # typer 0.27 and 0.28 alike (pyproject)

from coach import __version__
from coach.base.errors import EXIT_INTERRUPTED, EXIT_OUTPUT, CoachError
from coach.cli import (
    apart,
    content,
    couples,
    export,
    flags,
    history,
    journal,
    remind,
    rules,
    safety,
    session,
    vault,
)
from coach.cli.helptext import RULES, THERAPIST, unwrap, unwrap_commands
from coach.cli.show import notes

HELP = """A couples-exercise coach for two partners at one terminal.

Walks you both through five steps (warm engagement, reciprocation, conflict, co-regulation,
repetition) and reflects on the patterns your answers suggest. An educational reflection
tool, not therapy, diagnosis or a medical device.

Examples:
coach demo
coach start --a Sam --b Alex
coach history --couple "Sam & Alex" --format json
"""

# Typer shows the epilog after the commands, one line per paragraph, wrapped by Rich.
EPILOG = """Your data: sessions are saved as files you own in $COACH_HOME if it is set, otherwise
in the platform's user data directory (~/.local/share/coach on Linux, ~/Library/Application
Support/coach on macOS, %LOCALAPPDATA%\\coach on Windows); files are readable by you only.

Exit codes: 0 ok; 1 bad data or not found (an answer file, session file or rule pack that does
not validate, an unknown session); 2 bad usage (a wrong option, or no terminal for an interactive
command, or an -o file that exists); 3 the data directory cannot be used, a wrong passphrase, or
a lock another coach process holds past COACH_LOCK_TIMEOUT (30 s); 70 internal error
(--debug shows the traceback); 74 standard output closed or full; 130 interrupted (the draft
is kept); 143 and 129 a session ended by SIGTERM or SIGHUP (the draft is kept).
"""

app = typer.Typer(
    name="coach",
    help=unwrap(HELP),
    epilog=unwrap(EPILOG),
    no_args_is_help=True,
    # coach's own --install-completion and --show-completion (coach/cli/shells.py).
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_debug = False


def _show_version(value: bool) -> None:
    if value:
        print(f"coach {__version__}")
        raise typer.Exit()


def _show_completion(value: str | None) -> None:
    if value is not None:
        from coach.cli import shells

        print(shells.script(value), end="")
        raise typer.Exit()


def _install_completion(value: bool) -> None:
    if value:
        from pathlib import Path

        from coach.cli import shells

        shell = shells.detect_shell()
        path = shells.install(shell, Path.home())
        print(f"{shell} completion installed in {path}; it works in shells opened from now on")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
    ),
    debug: bool = typer.Option(
        False, "--debug", envvar="COACH_DEBUG", help="Show full tracebacks for errors."
    ),
    install_completion: bool = typer.Option(
        False,
        "--install-completion",
        callback=_install_completion,
        is_eager=True,
        help="Install completion for the shell you are using (bash, zsh or fish).",
    ),
    show_completion: str | None = typer.Option(
        None,
        "--show-completion",
        metavar="SHELL",
        callback=_show_completion,
        is_eager=True,
        help="Print the completion script for SHELL (bash, zsh or fish), to install it your "
        "own way.",
    ),
    no_pager: bool = typer.Option(
        False,
        "--no-pager",
        envvar="COACH_NO_PAGER",
        help="Never page long output (by default it goes through $PAGER, else less -R, "
        "at a terminal only).",
    ),
) -> None:
    """Global options."""
    global _debug
    _debug = debug
    if no_pager:
        from coach.render import pager

        pager.set_enabled(False)


# Registered in the order `coach --help` shows them, in its panels (coach/cli/helptext.py).
session.register(app)
apart.register(app)
journal.register(app)
remind.register(app)
history.register(app)
export.register(app)
history.register_data(app)
vault.register(app)
apart.register_data(app)
app.add_typer(rules.app, name="rules", rich_help_panel=RULES)
content.register(app)
app.add_typer(couples.app, name="couples", rich_help_panel=THERAPIST)
app.add_typer(flags.app, name="flags", rich_help_panel=THERAPIST)
app.command(rich_help_panel=THERAPIST)(notes)
app.add_typer(safety.app, name="safety", rich_help_panel=THERAPIST)
unwrap_commands(app)


def _print_error(error: CoachError) -> None:
    # Messages quote file names, keys and labels from outside: shown, never acted on.
    from coach.base.escape import neutralise_line

    print(f"coach: {neutralise_line(error.message)}", file=sys.stderr)
    for line in error.details:
        print(f"  {neutralise_line(line)}", file=sys.stderr)


def _stdout_gone() -> None:
    """Point standard output at /dev/null, so that the flush at exit cannot fail again."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)


def _output_failed(error: OSError) -> NoReturn:
    """Standard output cannot take more: a reader that went away is no error (`coach learn |
    head -1`); a full disk or a closed descriptor is one line and exit 74."""
    _stdout_gone()
    if isinstance(error, BrokenPipeError):
        sys.exit(0)
    reason = error.strerror or type(error).__name__
    print(f"coach: cannot write to standard output: {reason}", file=sys.stderr)
    sys.exit(EXIT_OUTPUT)


def run() -> None:
    """Console-script entry point: one place where errors become messages and exit codes."""
    if sys.stdout is None:  # started with standard output closed (`coach list >&-`)
        if sys.stderr is not None:
            print("coach: cannot write to standard output: it is closed", file=sys.stderr)
        sys.exit(EXIT_OUTPUT)
    try:
        instruction = os.environ.get("_COACH_COMPLETE")
        if instruction:  # a shell asking for completions (coach/cli/shells.py)
            from coach.cli import shells

            sys.exit(shells.complete(app, instruction))
        # Not standalone: Typer's usage errors come here, to be one line (_usage_error).
        code = app(standalone_mode=False)
    except typer.Abort:
        print("\ncoach: aborted", file=sys.stderr)
        sys.exit(1)
    except ClickException as error:  # the command line parser's usage errors
        _usage_error(error)
    except SystemExit as exit_:
        if exit_.code == 1 and isinstance(exit_.__context__, BrokenPipeError):
            # How Rich and Typer end on a broken pipe. A reader that went away (`coach learn |
            # head -1`) is no error here, as anywhere else.
            _stdout_gone()
            sys.exit(0)
        _flush_stdout()
        raise exit_
    except CoachError as error:
        if _debug:
            raise
        _flush_stdout()
        _print_error(error)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        print("\ncoach: interrupted", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except OSError as error:
        if not _is_output_error(error):
            _internal_error(error)
        _output_failed(error)
    except Exception as error:
        _internal_error(error)
    _flush_stdout()
    sys.exit(code if type(code) is int else 0)  # as standalone click would: typer.Exit(code)


def _usage_error(error: ClickException) -> NoReturn:
    """One line, like coach's own errors, where Typer would draw a box (coach/cli/usage.py)."""
    _flush_stdout()
    if type(error).__name__ != "NoArgsIsHelpError":  # `coach` alone: the help, printed already
        from coach.base.escape import neutralise_line
        from coach.cli.usage import usage_line

        line = usage_line(error)
        prefix = "" if line.startswith("coach") else "coach: "
        print(f"{prefix}{neutralise_line(line)}", file=sys.stderr)
    sys.exit(getattr(error, "exit_code", 2))


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except OSError as error:
        _output_failed(error)


def _is_output_error(error: OSError) -> bool:
    return isinstance(error, BrokenPipeError) or error.errno in (errno.ENOSPC, errno.EBADF)


def _internal_error(error: Exception) -> NoReturn:
    """A bug: say so plainly, keep answers out of the output."""
    if _debug or os.environ.get("COACH_DEBUG"):
        raise error
    name = type(error).__name__
    print(f"coach: internal error ({name}); run again with --debug for details", file=sys.stderr)
    sys.exit(70)
