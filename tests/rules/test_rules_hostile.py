"""Hostile rule packs: every limit is a problem `rules check` reports, never a crash, and a pack
that `rules check` accepts evaluates without error whatever the answers."""

from __future__ import annotations

import pytest

from coach.content import Content
from coach.rules import check_pack_text, infer
from coach.rules.expr import MAX_LITERAL, MAX_NESTING, MAX_TOKENS
from coach.rules.pack import compile_pack_text

HEADER = 'id = "hostile"\nversion = "1"\ndescription = "A pack for a test."\n'


def pack(when: str) -> str:
    return HEADER + (
        "\n[[rule]]\n"
        'id = "r"\n'
        "step = 1\n"
        f"when = '{when}'\n"
        "effects = { oxytocin = { both = 0.3 } }\n"
        'because = "Warm greetings are associated with closeness."\n'
        'evidence = "Unmeasured"\n'
    )


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (" + ".join(["a.s1.greeted_warmly"] * 600) + " >= 1", "the limit is 1,000"),
        ("+".join(["1"] * 300) + " >= a.s1.greeted_warmly", f"more than {MAX_TOKENS} parts"),
        ("not " * 900 + "a.s1.greeted_warmly >= 1", "the limit is 1,000"),
        ("not " * 40 + "a.s1.greeted_warmly >= 1", f"nests more than {MAX_NESTING} deep"),
        ("(" * 40 + "a.s1.greeted_warmly >= 1" + ")" * 40, f"nests more than {MAX_NESTING}"),
        ("a.s1.greeted_warmly >= " + "1" * 1_000_000, "the limit is 1,000"),
        ("9" * 5000 + " / a.s1.greeted_warmly >= 1", "the limit is 1,000"),
        ("9" * 30 + " / a.s1.greeted_warmly >= 1", f"at most {MAX_LITERAL:,}"),
        ("a.s1.greeted_warmly >= 1000001", f"at most {MAX_LITERAL:,}"),
    ],
)
def test_a_condition_beyond_the_limits_is_a_problem_not_a_crash(
    content: Content, when: str, expected: str
) -> None:
    problems = [str(p) for p in check_pack_text(pack(when), "pack.toml", content)]
    assert len(problems) == 1
    assert problems[0].startswith("pack.toml:8: rule r: syntax error in when")
    assert expected in problems[0]


@pytest.mark.parametrize(
    "when",
    [
        "(" + " * ".join(["1000000"] * 60) + ") / a.s1.greeted_warmly >= 1",
        "mean(" + " * ".join(["1000000"] * 60) + ", a.s1.greeted_warmly) >= 1",
        "-(" + " * ".join(["1000000"] * 60) + ") / 3 < a.s1.greeted_warmly",
        "max(" + " * ".join(["999999.5"] * 60) + ", 1) * 0 >= 0",
    ],
)
def test_whatever_rules_check_accepts_evaluates_without_error(content: Content, when: str) -> None:
    compiled, problems = compile_pack_text(pack(when), "pack.toml", content)
    assert problems == [] and compiled is not None
    for value in (1, 3, 5):
        inference = infer(compiled, {"s1.a.greeted_warmly": value})
        assert inference is not None


def test_deep_toml_in_a_pack_is_a_problem(content: Content) -> None:
    text = pack("a.s1.greeted_warmly >= 4") + "extra = " + "[" * 600 + "]" * 600 + "\n"
    problems = [str(p) for p in check_pack_text(text, "pack.toml", content)]
    assert problems == ["pack.toml: not valid TOML: nested more than 32 deep"]
