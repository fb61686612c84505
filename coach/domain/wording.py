"""Small wording helpers shared by every message, so that counts read right ("1 answer"), and
the one-line headline of a session in a listing."""

from __future__ import annotations

from collections.abc import Callable, Mapping


def count(number: int, singular: str, plural: str | None = None) -> str:
    """'1 answer', '2 answers', '0 rules'; `plural` for words that do not just add an s."""
    return f"{number:,} {noun(number, singular, plural)}"


def noun(number: int, singular: str, plural: str | None = None) -> str:
    """The word alone, for `number` of them: 'item' for 1, 'items' otherwise."""
    return singular if number == 1 else (plural or f"{singular}s")


def session_headline(
    *,
    finished: bool,
    answered: int,
    asked: int,
    scores: Mapping[str, float],
    name: Callable[[str], str],
) -> str:
    """The one line a listing shows for a session.

    A draft tells how far it got ("draft: 3 of 12 answered", `asked` being the questions of
    its steps); a finished session names its highest and lowest couple reading, each target by
    `name`, in words (coach.domain.readings.short_words), never as a number. The index stores this
    line when it reads a file, so listings need no content.
    """
    if not finished:
        return f"draft: {answered} of {asked} answered"
    if not scores:
        return "finished; no results saved"
    high = max(scores, key=scores.__getitem__)
    low = min(scores, key=scores.__getitem__)
    from coach.domain.readings import short_words  # in words: a rule score is not a measurement

    return (
        f"highest {name(high)} ({short_words(scores[high])}), "
        f"lowest {name(low)} ({short_words(scores[low])})"
    )
