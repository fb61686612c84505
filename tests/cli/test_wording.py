"""Counts read right: "1 answer", "2 answers"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from coach_process import invoke

from coach.domain.wording import count


@pytest.mark.parametrize(
    ("number", "expected"),
    [(0, "0 rules"), (1, "1 rule"), (2, "2 rules"), (1234, "1,234 rules")],
)
def test_count(number: int, expected: str) -> None:
    assert count(number, "rule") == expected


def test_count_with_an_irregular_plural() -> None:
    assert count(1, "summary", "summaries") == "1 summary"
    assert count(3, "summary", "summaries") == "3 summaries"


# Where a hand-made plural may stay for now, and why (each to move to coach.domain.wording).
HAND_PLURALS_ELSEWHERE: dict[str, str] = {}
HAND_PLURAL = re.compile(
    r"""[a-z]\(s\)(?! for )[\s.,;:'"!?]"""  # "session(s) of", not "f(s) for s in"
    r"""|['"]s['"] if \w"""  # f"session{'s' if n != 1 else ''}"
    r"""|['"]{2} if \w+ == 1 else ['"]s['"]"""  # f"{noun}{'' if n == 1 else 's'}"
)


def test_messages_count_through_the_wording_helper() -> None:
    """No "session(s)" and no `'s' if n != 1`: coach.domain.wording.count says "1 session"."""
    root = Path(__file__).resolve().parents[2]
    found = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sorted((root / "coach").rglob("*.py"))
        if str(path.relative_to(root)) not in HAND_PLURALS_ELSEWHERE
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HAND_PLURAL.search(line) and "Day(s)" not in line  # a help text's "Day(s) of the week"
    ]
    assert found == []


def test_one_renamed_session_is_one_session() -> None:
    demo = Path(__file__).resolve().parents[2] / "coach" / "content" / "demo.toml"
    assert invoke("run", "--answers", str(demo), "--couple", "Sam & Alex").code == 0
    renamed = invoke("couples", "rename", "Sam & Alex", "Alex & Sam")
    assert renamed.code == 0 and 'Renamed 1 session to "Alex & Sam".' in renamed.stderr
    deleted = invoke("delete", "--couple", "Alex & Sam", "--yes")
    assert deleted.code == 0 and 'Deleted 1 session of "Alex & Sam"' in deleted.stdout
