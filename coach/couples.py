"""Couple labels that match in any order and case.

"Sam & Alex", "alex & sam" and "Alex  &  Sam" are one couple: a label is compared by its names,
split at "&", stripped, without case and in sorted order (couple_key). The default label sorts
the names (workflow.default_couple_label) while people type them in their own order, so every
place that looks a couple up compares keys, never the text as written.
"""

from __future__ import annotations

__all__ = ["couple_key", "same_couple"]


def couple_key(label: str) -> str:
    """The label's names without case, spacing or order: what two labels must share to match."""
    names = (" ".join(name.split()).casefold() for name in label.split("&"))
    return " & ".join(sorted(name for name in names if name))


def same_couple(first: str, second: str) -> bool:
    return couple_key(first) == couple_key(second)
