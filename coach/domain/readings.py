"""A reading in words, never as a number: how clear a pattern is, and how much it rests on. Pure.

A rule score is a sum of weights people chose, passed through tanh (coach.rules.infer): it is a
reference point, not a measurement, so the couple never sees it as a decimal or a percentage.
The thresholds come from the score's own scale and the weights of the built-in pack:

    |score| <  0.2   "little sign either way"   the neutral band, as the labels use it
    |score| <  0.5   "a slight lean"            about one typical rule (weight 0.15 to 0.3)
    |score| >= 0.5   "a clear pattern"          tanh(0.55): two or three rules that agree

How much a reading rests on comes from its confidence, the share of the questions behind it that
were answered:

    confidence  1            "all of your answers behind it"
                >= 2/3       "most of your answers behind it"
                >= 1/3       "some of your answers behind it"
                >  0         "a few answers"
                0            "no answers"

JSON keeps `score` and `confidence` for scripts, with these words beside them as `strength` and
`rests_on` (docs/json-output.md).
"""

from __future__ import annotations

from typing import Final

NEUTRAL_BELOW: Final = 0.2  # the same band as coach.rules.results.LABEL_THRESHOLD
CLEAR_FROM: Final = 0.5

CLEAR: Final = "a clear pattern"
SLIGHT: Final = "a slight lean"
LITTLE: Final = "little sign either way"


def strength(score: float) -> str:
    """ "a clear pattern", "a slight lean" or "little sign either way"."""
    size = abs(score)
    if size >= CLEAR_FROM:
        return CLEAR
    if size >= NEUTRAL_BELOW:
        return SLIGHT
    return LITTLE


def direction(score: float) -> int:
    """+1 toward the secure pattern, -1 the other way, 0 for little sign either way."""
    if score >= NEUTRAL_BELOW:
        return 1
    if score <= -NEUTRAL_BELOW:
        return -1
    return 0


def rests_on(confidence: float) -> str:
    """How much of the answers behind a reading were given, in words."""
    if confidence >= 0.999:
        return "all of your answers behind it"
    if confidence >= 2 / 3:
        return "most of your answers behind it"
    if confidence >= 1 / 3:
        return "some of your answers behind it"
    if confidence > 0:
        return "a few answers"
    return "no answers"


def in_words(label: str, score: float) -> str:
    """ "likely calmer: a clear pattern", "likely calmer: a slight lean", or the neutral label."""
    words = strength(score)
    return words if words == LITTLE else f"{label}: {words}"


def short_words(score: float) -> str:
    """A reading in a table cell: "clearly toward", "slightly the other way", "little sign"."""
    way = direction(score)
    if way == 0:
        return "little sign"
    adverb = "clearly" if strength(score) == CLEAR else "slightly"
    return f"{adverb} {'toward' if way > 0 else 'the other way'}"
