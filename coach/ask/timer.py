"""A Rich countdown for a step's conversation, which Enter ends early."""

from __future__ import annotations

import select
import sys
import time

from rich.console import Console
from rich.live import Live
from rich.text import Text


def parse_duration(text: str) -> int:
    """'90', '90s', '5m', '1m30s' -> seconds. Raises ValueError with a readable message."""
    cleaned = text.strip().lower()
    if cleaned.isdigit():
        seconds = int(cleaned)
    else:
        seconds, number = 0, ""
        for ch in cleaned:
            if ch.isdigit():
                number += ch
            elif ch in "hms" and number:
                seconds += int(number) * {"h": 3600, "m": 60, "s": 1}[ch]
                number = ""
            else:
                raise ValueError(f'"{text}" is not a duration like 90s, 5m or 1m30s')
        if number:
            raise ValueError(f'"{text}" is not a duration like 90s, 5m or 1m30s')
    if not 1 <= seconds <= 4 * 3600:
        raise ValueError("a timer runs from 1 second to 4 hours")
    return seconds


def _enter_pressed(timeout: float) -> bool:
    ready, _, _ = select.select([sys.stdin], [], [], timeout)
    if ready:
        sys.stdin.readline()
        return True
    return False


def countdown(console: Console, seconds: int, title: str) -> int:
    """Show a countdown until it ends or Enter is pressed; returns the seconds that ran."""
    start = time.monotonic()
    end = start + seconds

    def frame(remaining: float) -> Text:
        minutes, secs = divmod(int(remaining + 0.999), 60)
        return Text(f"⏱  {title}: {minutes:02d}:{secs:02d} left  (press Enter to end early)")

    with Live(frame(seconds), console=console, refresh_per_second=4, transient=False) as live:
        while (remaining := end - time.monotonic()) > 0:
            live.update(frame(remaining))
            if _enter_pressed(min(1.0, remaining)):
                break
        live.update(Text(f"⏱  {title}: done."))
    return int(time.monotonic() - start)
