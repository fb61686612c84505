"""Long output through a pager at a terminal ($PAGER, else `less -R`), never when piped.

Output is rendered first (with its colours); only when it is taller than the terminal is it
handed to the pager, so short output appears as usual. `coach --no-pager` (or
COACH_NO_PAGER=1) turns it off. If the pager cannot be started, the text is printed as is.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import subprocess
from collections.abc import Iterator
from typing import TYPE_CHECKING

from coach.base.stdio import stdin_is_terminal

if TYPE_CHECKING:
    from rich.console import Console

DEFAULT_PAGER = "less -R"
TRAILING_SPACES = re.compile(r"[ \t]+(?=\n)")
_state = {"enabled": True}


def without_padding(text: str) -> str:
    """`text` without the spaces Rich pads each line with to the console's width."""
    return TRAILING_SPACES.sub("", text)


def set_enabled(enabled: bool) -> None:
    """Called once by the CLI's global --no-pager option."""
    _state["enabled"] = enabled


def pager_command() -> list[str]:
    """$PAGER split as a shell would, else `less -R` (which keeps the colours)."""
    command = os.environ.get("PAGER", "").strip() or DEFAULT_PAGER
    try:
        return shlex.split(command)
    except ValueError:
        return shlex.split(DEFAULT_PAGER)


def wanted(console: Console) -> bool:
    return (
        _state["enabled"]
        and not os.environ.get("COACH_NO_PAGER")
        and console.is_terminal
        and stdin_is_terminal()
    )


@contextlib.contextmanager
def paged(console: Console) -> Iterator[Console]:
    """Print to the console inside the block; afterwards it goes through a pager if long.

    Piped or redirected, the text goes out without the spaces Rich pads each line with to the
    console's width: a journal kept with `coach run ... >> journal.txt` holds only the words.
    """
    if not console.is_terminal:
        with console.capture() as captured:
            yield console
        console.file.write(without_padding(captured.get()))
        console.file.flush()
        return
    if not wanted(console):
        yield console
        return
    with console.capture() as captured:
        yield console
    text = captured.get()
    if text.count("\n") < console.height or not show(text):
        console.file.write(text)
        console.file.flush()


def show(text: str) -> bool:
    """Hand `text` to the pager and wait for it; False if no pager could be started."""
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # quit if one screen, keep colours, leave the text on screen
    try:
        process = subprocess.Popen(pager_command(), stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert process.stdin is not None
    try:
        with contextlib.suppress(BrokenPipeError):  # the reader quit before the end
            process.stdin.write(text.encode("utf-8", "replace"))
            process.stdin.close()
        process.wait()
    except KeyboardInterrupt:
        process.wait()
    return True
