"""The Rich console a command draws on, for the modules that may not import Rich themselves
(coach/cli hands it on to the guided session)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def terminal_console() -> Console:
    """A console on standard output, as Rich sees the terminal (width, colours)."""
    from rich.console import Console

    return Console()
