"""Counts read right: "1 answer", "2 answers"."""

from __future__ import annotations

import pytest

from coach.wording import count


@pytest.mark.parametrize(
    ("number", "expected"),
    [(0, "0 rules"), (1, "1 rule"), (2, "2 rules"), (1234, "1,234 rules")],
)
def test_count(number: int, expected: str) -> None:
    assert count(number, "rule") == expected


def test_count_with_an_irregular_plural() -> None:
    assert count(1, "summary", "summaries") == "1 summary"
    assert count(3, "summary", "summaries") == "3 summaries"
