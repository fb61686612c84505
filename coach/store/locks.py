"""Waiting for a lock another coach process holds: said after a second, given up after a while.

The store's lock, a session's lock and the index's lock are flocks held for milliseconds by a
save or a refresh. A process that holds one for longer is stuck (or stopped with Ctrl-Z), and a
command waiting on it must not hang in silence: after NOTICE_SECONDS it says on standard error
what it waits for, and after the timeout (COACH_LOCK_TIMEOUT seconds, default 30) it gives up
with a StorageError, exit 3, having changed nothing.
"""

from __future__ import annotations

import fcntl
import os
import time

from coach.base.errors import StorageError, UsageError, warn

__all__ = ["DEFAULT_TIMEOUT", "LOCK_TIMEOUT_ENV", "NOTICE_SECONDS", "lock_timeout", "wait_for"]

LOCK_TIMEOUT_ENV = "COACH_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 30.0
NOTICE_SECONDS = 1.0
_LONGEST_NAP = 0.1


def lock_timeout() -> float:
    """Seconds to wait for a lock: COACH_LOCK_TIMEOUT if set (a positive number), else 30."""
    value = os.environ.get(LOCK_TIMEOUT_ENV)
    if not value:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise UsageError(f"{LOCK_TIMEOUT_ENV} must be a number of seconds above 0, not {value!r}")
    return seconds


def wait_for(fd: int, operation: int, what: str) -> None:
    """flock(fd, operation) (LOCK_SH or LOCK_EX), waiting at most lock_timeout() for another
    process to let go; `what` names the lock in the notice and the error."""
    try:
        fcntl.flock(fd, operation | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    timeout = lock_timeout()
    start = time.monotonic()
    nap = 0.005
    told = False
    while True:
        time.sleep(nap)
        nap = min(nap * 2, _LONGEST_NAP)
        try:
            fcntl.flock(fd, operation | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        waited = time.monotonic() - start
        if not told and waited >= min(NOTICE_SECONDS, timeout):
            told = True  # said before giving up, however late this process got to run
            warn(f"waiting for {what}, which another coach process holds (up to {timeout:g} s)")
        if waited >= timeout:
            raise StorageError(
                f"gave up waiting for {what} after {timeout:g} s: another coach process holds "
                f"it (still running, or stopped?); nothing was changed; try again once it ends"
            )
