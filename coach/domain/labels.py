"""Couple labels that match in any order and case.

"Sam & Alex", "alex & sam" and "Alex  &  Sam" are one couple: a label is compared by its names,
split at "&", compared as names are (coach.domain.validity.name_key: without case, spacing, Unicode
normalisation or invisible characters) and in sorted order (couple_key). The default label sorts
the names (workflow.default_couple_label) while people type them in their own order, so every
place that looks a couple up compares keys, never the text as written.
"""

from __future__ import annotations

from collections.abc import Mapping

from coach.domain.validity import name_key

__all__ = ["couple_key", "same_couple"]


def couple_key(label: str) -> str:
    """The label's names without case, spacing or order: what two labels must share to match."""
    names = (name_key(name) for name in label.split("&"))
    return " & ".join(sorted(name for name in names if name))


def same_couple(first: str, second: str) -> bool:
    return couple_key(first) == couple_key(second)


def _name(name: str) -> str:
    return name_key(name)


def swapped(partners: Mapping[str, str], reference: tuple[str, str]) -> bool:
    """True when this session's partners A and B are the reference's B and A (names in any case
    and spacing): they typed their names the other way round that time. Each partner's CSI-4
    and scores then belong in the other's series."""
    a, b = _name(partners["a"]), _name(partners["b"])
    return a != b and (a, b) == (_name(reference[1]), _name(reference[0]))
