"""How coach shows a date: the one formatter for listings, summaries, exports and reports.

Always a four-digit year, whatever the platform's strftime does with `%Y` (glibc prints the
year 1 as "1"): 0001-01-01, never 1-01-01. Times are shown as stored, in the offset they were
saved with. Pure.
"""

from __future__ import annotations

from datetime import date, datetime


def day(when: date) -> str:
    """2026-12-04, and 0001-01-01 for the year 1."""
    return f"{when.year:04d}-{when.month:02d}-{when.day:02d}"


def day_and_time(when: datetime) -> str:
    """2026-12-04 19:30: the listings' column."""
    return f"{day(when)} {when:%H:%M}"


def long_date(when: datetime) -> str:
    """Friday 04 December 2026, 19:30: a summary's and a session page's heading."""
    return f"{when:%A %d %B} {when.year:04d}, {when:%H:%M}"
