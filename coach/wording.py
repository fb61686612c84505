"""Small wording helpers shared by every message, so that counts read right ("1 answer")."""

from __future__ import annotations


def count(number: int, singular: str, plural: str | None = None) -> str:
    """'1 answer', '2 answers', '0 rules'; `plural` for words that do not just add an s."""
    word = singular if number == 1 else (plural or f"{singular}s")
    return f"{number:,} {word}"
