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

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

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

    def wipe_all(self) -> None:
        """The quick exit: leave any private moment, then erase the shared screen and its
        scrollback too, so that nothing of the session is left to see."""
        self.leave()
        self._write(HOME_AND_ERASE + ERASE_SCROLLBACK)

    def _write(self, codes: str) -> None:
        if not self.is_terminal:
            return
        try:
            self.out.write(codes)
            self.out.flush()
        except (OSError, ValueError):
            # A closed or broken terminal shows nothing any more: nothing left to hide.
            pass


# --- signals that end a session --------------------------------------------------------------

# SIGTERM (a `kill`, a shutdown, systemd stopping a unit) and SIGHUP (the terminal window
# closed, an ssh connection dropped) end a guided session the way Ctrl-C does: the open
# question ends, a half-typed answer goes to the draft, a private moment is wiped, scrollback
# included, and the draft is saved. The exit status is 128 + the signal's number, as a shell
# reports a process a signal ended: 143 for SIGTERM, 129 for SIGHUP (Ctrl-C is 130).
ENDING_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def signal_exit_status(signum: int) -> int:
    """The exit status after `signum` ended a session: 128 + its number."""
    return 128 + signum


def signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


class EndedBySignal(KeyboardInterrupt):
    """SIGTERM or SIGHUP outside a question: handled wherever Ctrl-C is (a KeyboardInterrupt)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


# What ends the question open now, if one is: set by coach.ask.prompts while it asks. Called from
# the signal handler with the signal's number; True when the question will end (with the
# exception that keeps what was typed), False when no question is open.
_end_question: Callable[[int], bool] | None = None
_handlers: EndingSignals | None = None


class EndingSignals:
    """While a guided session runs: SIGTERM and SIGHUP end it as Ctrl-C does.

    Installed once around the whole session (`with EndingSignals() as ending:`), and the
    previous handlers are restored afterwards. `received` is the first ending signal's number,
    or None. A question open when the signal arrives is ended from inside its event loop, so
    it ends the way Ctrl-C ends it (its text kept); anywhere else the handler raises
    EndedBySignal at once. A second signal while the first is being handled is noted only, so
    that the draft's save is not cut short.
    """

    def __init__(self) -> None:
        self.received: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> EndingSignals:
        global _handlers
        for signum in ENDING_SIGNALS:
            self._previous[signum] = signal.signal(signum, self._handle)
        _handlers = self
        return self

    def __exit__(self, *_: object) -> None:
        global _handlers
        _handlers = None
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        self._previous.clear()

    def _handle(self, signum: int, _frame: object) -> None:
        if self.received is not None:
            return  # already ending: let the draft be saved
        self.received = signum
        ender = _end_question
        if ender is not None and ender(signum):
            return
        raise EndedBySignal(signum)


def signal_received() -> int | None:
    """The ending signal received while a session runs, or None."""
    return None if _handlers is None else _handlers.received


def raise_if_ended() -> None:
    """Before a question: a signal that arrived while the last one was being answered (after
    its Enter) ends the session here, before anything more is asked."""
    if _handlers is not None and _handlers.received is not None:
        raise EndedBySignal(_handlers.received)


@contextmanager
def question_ended_by(ender: Callable[[int], bool]) -> Iterator[None]:
    """While a question is open, an ending signal calls `ender` instead of raising."""
    global _end_question
    previous, _end_question = _end_question, ender
    try:
        yield
    finally:
        _end_question = previous
