"""Domain errors. The CLI maps every CoachError to a one-line message and its exit code.

Exit codes (documented in the README):
  0  success
  1  bad data: an answer file, session file, rule pack or content file that fails validation
  2  bad usage: wrong options, an interactive command without a terminal, an -o file that
     exists (without --force) or lies inside the data directory (coach.store.output)
  3  storage: the data directory cannot be used (read-only, a file, full disk, another user's),
     a wrong passphrase, or a lock another process holds past COACH_LOCK_TIMEOUT
  74 standard output is closed or full (a reader that goes away, as with `| head`, is exit 0)
  130 interrupted (Ctrl-C / Ctrl-D); a draft is kept
  143 / 129 a guided session ended by SIGTERM / SIGHUP (128 + the signal); a draft is kept
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable, Iterable

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_STORAGE = 3
EXIT_OUTPUT = 74
EXIT_INTERRUPTED = 130


class CoachError(Exception):
    """Base class: a problem the user can act on, shown as one line without a traceback."""

    exit_code = EXIT_DATA

    def __init__(self, message: str, *, details: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        # Further lines, one per problem, for errors that report everything in one pass.
        self.details = list(details)


class DataError(CoachError):
    """A file or value that does not validate."""

    exit_code = EXIT_DATA


class UsageError(CoachError):
    """The command was called in a way that cannot work."""

    exit_code = EXIT_USAGE


class StorageError(CoachError):
    """The data directory or a file in it cannot be read or written."""

    exit_code = EXIT_STORAGE


class NotFoundError(CoachError):
    """A session id or prefix that matches nothing (or more than one thing)."""

    exit_code = EXIT_DATA


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ' (did you mean "x"?)' for the closest choice, or '' when nothing is close."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{matches[0]}"?)' if matches else ""


# --- warnings: the command goes on ------------------------------------------------------------


def _print_warning(message: str) -> None:
    # What the message quotes (paths, labels) is shown, never acted on by the terminal.
    from coach.base.escape import neutralise_line

    print(f"coach: warning: {neutralise_line(message)}", file=sys.stderr)


_warning_sink: list[Callable[[str], None]] = [_print_warning]


def set_warning_sink(sink: Callable[[str], None]) -> Callable[[str], None]:
    """Show warn()'s messages with `sink` (the CLI's, or a test's); returns the previous one."""
    previous, _warning_sink[0] = _warning_sink[0], sink
    return previous


def warn(message: str) -> None:
    """A one-line warning on standard error ("coach: warning: ..."): something the user should
    know about (a data directory others could read, a lock another process holds, a plain file
    in an encrypted store) that does not stop the command. The core never prints; this is the
    one way it speaks while a command goes on."""
    _warning_sink[0](message)
