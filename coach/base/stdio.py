"""Standard output as UTF-8, whatever the locale: JSON, TOML, iCalendar and a verdict list are
UTF-8 formats, and a cron job's locale may not be. Core: the output writer (coach.store.output)
and the renderers (coach.render.json_out) both write through it."""

from __future__ import annotations

import sys

__all__ = ["write_stdout"]


def write_stdout(data: str | bytes) -> None:
    """Write `data` (text as UTF-8) to standard output and flush it."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text stream put in its place (tests do this)
        sys.stdout.write(data if isinstance(data, str) else data.decode("utf-8"))
    else:
        buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
    (buffer or sys.stdout).flush()


def stdin_is_terminal() -> bool:
    """Whether standard input is a terminal someone can answer at. A closed standard input
    (`coach start <&-`, where sys.stdin is None) is no terminal either."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except ValueError:  # a standard input closed from within the process
        return False
