"""Private moments at a shared terminal: shown while one partner answers, gone once they end.

A private moment (a partner's turn in private mode, the safety screen, the CSI-4 check-in, a
private question after a free-text disclosure) runs on the terminal's alternate screen, the
buffer full-screen programs such as less and vim use, which keeps no scrollback. On leaving,
coach also erases the screen and the scrollback (ED 2 then ED 3) before switching back. That
second step is for terminals without an alternate screen (GNU screen unless `altscreen on`) and
for those that push an erased screen into their scrollback (VTE, iTerm2): whatever the terminal,
nothing the moment showed can be scrolled back to. The cost is that earlier shared lines leave
the scrollback too. docs/privacy.md lists what this does and does not cover.
"""

from __future__ import annotations

import sys
from typing import TextIO


def stdin_is_terminal() -> bool:
    """Whether standard input is a terminal someone can answer at. A closed standard input
    (`coach start <&-`, where sys.stdin is None) is no terminal either."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except ValueError:  # a standard input closed from within the process
        return False


ENTER_ALTERNATE_SCREEN = "\x1b[?1049h"
LEAVE_ALTERNATE_SCREEN = "\x1b[?1049l"
HOME_AND_ERASE = "\x1b[H\x1b[2J"
ERASE_SCROLLBACK = "\x1b[3J"


class PrivateScreen:
    """Enter and leave private moments on one output stream; does nothing when not a terminal."""

    def __init__(self, out: TextIO, is_terminal: bool) -> None:
        self.out = out
        self.is_terminal = is_terminal
        self.active = False

    def enter(self) -> None:
        if self.active:
            return
        self.active = True
        self._write(ENTER_ALTERNATE_SCREEN + HOME_AND_ERASE)

    def leave(self) -> None:
        if not self.active:
            return
        self.active = False
        self._write(HOME_AND_ERASE + ERASE_SCROLLBACK + LEAVE_ALTERNATE_SCREEN)

    def _write(self, codes: str) -> None:
        if not self.is_terminal:
            return
        try:
            self.out.write(codes)
            self.out.flush()
        except (OSError, ValueError):
            # A closed or broken terminal shows nothing any more: nothing left to hide.
            pass
