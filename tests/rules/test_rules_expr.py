"""The condition language: parsing, precedence, missing-value semantics and static checks."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from coach.content import AnswerValue, Content
from coach.rules.expr import (
    MISSING,
    Binary,
    Call,
    Const,
    ExprSyntaxError,
    Name,
    Unary,
    Value,
    check,
    compile_condition,
    evaluate,
    parse,
    tokenize,
)
from coach.rules.pack import ref_table

GREETED = "s1.a.greeted_warmly"  # scale 1-5
BID = "s1.a.bid_for_connection"  # yes/no
TURNED = "s1.b.turned_toward"  # choice: toward, away, against
ESC_A = "s3.a.escalated"
ESC_B = "s3.b.escalated"


def run(
    text: str,
    answers: Mapping[str, AnswerValue] | None = None,
    facts: frozenset[str] = frozenset(),
    content: Content | None = None,
) -> Value:
    from coach.content import load_content

    refs = ref_table(content or load_content())
    node = parse(text)
    result = check(node, refs, facts | {"warm", "calm"})
    # Tests of evaluation may use non-boolean expressions; only unknown names are fatal here.
    assert not [p for p in result.problems if "unknown" in p.message], result.problems
    return evaluate(compile_condition(node, refs), answers or {}, facts)


def problems(text: str, content: Content, facts: frozenset[str] = frozenset()) -> list[str]:
    return [p.message for p in check(parse(text), ref_table(content), facts).problems]


# --- tokens and syntax -----------------------------------------------------------------------


def test_tokenizer_reads_dotted_names_numbers_strings_and_operators() -> None:
    kinds = [(t.kind, t.text) for t in tokenize("a.s1.greeted_warmly >= 4.5 and \"x\" != 'y'")]
    assert kinds == [
        ("name", "a.s1.greeted_warmly"),
        ("op", ">="),
        ("number", "4.5"),
        ("name", "and"),
        ("string", '"x"'),
        ("op", "!="),
        ("string", "'y'"),
        ("end", ""),
    ]


def test_columns_are_one_based() -> None:
    assert [t.column for t in tokenize("ab + 1")] == [1, 4, 6, 7]


def test_and_binds_tighter_than_or() -> None:
    node = parse("fact.warm or fact.calm and fact.warm")
    assert isinstance(node, Binary) and node.op == "or"
    assert isinstance(node.right, Binary) and node.right.op == "and"


def test_not_binds_looser_than_comparison() -> None:
    node = parse("not a.s1.greeted_warmly >= 4")
    assert isinstance(node, Unary) and node.op == "not"
    assert isinstance(node.operand, Binary) and node.operand.op == ">="


def test_multiplication_binds_tighter_than_addition_and_is_left_associative() -> None:
    node = parse("1 + 2 * 3 - 4")
    assert isinstance(node, Binary) and node.op == "-"
    assert isinstance(node.left, Binary) and node.left.op == "+"
    assert isinstance(node.left.right, Binary) and node.left.right.op == "*"
    assert run("1 + 2 * 3 - 4") == 3
    assert run("(1 + 2) * 3") == 9
    assert run("8 / 4 / 2") == 1
    assert run("- 2 * 3") == -6
    assert run("--2") == 2


def test_parser_builds_calls_constants_and_names() -> None:
    node = parse('mean(a.s1.greeted_warmly, 3) == "x" or true')
    assert isinstance(node, Binary) and node.op == "or"
    assert node.right == Const(True, 40)
    comparison = node.left
    assert isinstance(comparison, Binary)
    assert isinstance(comparison.left, Call) and comparison.left.function == "mean"
    assert comparison.left.args == (Name("a.s1.greeted_warmly", 6), Const(3, 27))
    assert comparison.right == Const("x", 33)


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("", 1, "the condition is empty"),
        ("a.s1.greeted_warmly >= ", 24, "expected a value, found the end"),
        ("(fact.warm", 11, 'expected ")", found the end'),
        ("fact.warm fact.calm", 11, 'expected an operator or the end, found "fact.calm"'),
        ("a.s1.greeted_warmly = 4", 21, 'unexpected "="; use == to compare'),
        ("fact.warm && fact.calm", 11, 'unexpected "&"; use and'),
        ("fact.warm || fact.calm", 11, 'unexpected "|"; use or'),
        ("!fact.warm", 1, 'unexpected "!"; use not, or != to compare'),
        ('b.s1.turned_toward == "toward', 23, 'text starting with " is never closed'),
        ("1 < 2 < 3", 7, "comparisons cannot be chained; join them with and"),
        ("and fact.warm", 1, 'expected a value before "and"'),
        ("mean(1, )", 9, 'expected a value, found ")"'),
        ("mean(1 2)", 8, 'expected "," or ")", found "2"'),
        ("1 # 2", 3, 'unexpected "#"'),
    ],
)
def test_syntax_errors_name_the_column(text: str, column: int, message: str) -> None:
    with pytest.raises(ExprSyntaxError) as caught:
        parse(text)
    assert (caught.value.column, caught.value.message) == (column, message)


# --- evaluation and missing values -----------------------------------------------------------


def test_answer_refs_read_the_prompt_with_partner_and_step_swapped() -> None:
    assert run("a.s1.greeted_warmly", {GREETED: 4}) == 4
    assert run('b.s1.turned_toward == "toward"', {TURNED: "toward"}) is True
    assert run("a.s1.greeted_warmly", {}) is MISSING


def test_yes_no_answers_compare_with_true_and_false_and_count_as_one_or_zero() -> None:
    assert run("a.s1.bid_for_connection == true", {BID: True}) is True
    assert run("a.s1.bid_for_connection == false", {BID: True}) is False
    assert run("a.s1.bid_for_connection + 1", {BID: True}) == 2
    assert run("a.s1.bid_for_connection * 5", {BID: False}) == 0
    assert run("mean(a.s1.bid_for_connection, 0)", {BID: True}) == 0.5


def test_missing_propagates_through_arithmetic_and_comparisons() -> None:
    assert run("a.s1.greeted_warmly + 1") is MISSING
    assert run("1 - a.s1.greeted_warmly") is MISSING
    assert run("a.s1.greeted_warmly >= 4") is MISSING
    assert run("a.s1.greeted_warmly < 4") is MISSING
    assert run('b.s1.turned_toward != "toward"') is MISSING
    assert run("abs(a.s1.greeted_warmly)") is MISSING
    assert run("-a.s1.greeted_warmly") is MISSING


@pytest.mark.parametrize(
    ("left", "right", "conjunction", "disjunction"),
    [
        (True, True, True, True),
        (True, False, False, True),
        (False, False, False, False),
        (True, None, None, True),
        (False, None, False, None),
        (None, None, None, None),
    ],
)
def test_and_or_use_three_valued_logic(
    left: bool | None, right: bool | None, conjunction: bool | None, disjunction: bool | None
) -> None:
    answers: dict[str, AnswerValue] = {}
    if left is not None:
        answers[GREETED] = 5 if left else 1
    if right is not None:
        answers[ESC_A] = 1 if right else 5
    expected_and = MISSING if conjunction is None else conjunction
    expected_or = MISSING if disjunction is None else disjunction
    for a, b in (("a.s1.greeted_warmly >= 4", "a.s3.escalated <= 2"),):
        assert run(f"{a} and {b}", answers) is expected_and
        assert run(f"{b} and {a}", answers) is expected_and
        assert run(f"{a} or {b}", answers) is expected_or
        assert run(f"{b} or {a}", answers) is expected_or


def test_not_keeps_missing_missing() -> None:
    assert run("not a.s1.greeted_warmly >= 4", {GREETED: 5}) is False
    assert run("not a.s1.greeted_warmly >= 4", {GREETED: 2}) is True
    assert run("not a.s1.greeted_warmly >= 4", {}) is MISSING
    assert run("not not a.s1.bid_for_connection", {}) is MISSING


def test_mean_min_max_ignore_missing_arguments() -> None:
    assert run("mean(a.s3.escalated, b.s3.escalated)", {ESC_A: 2, ESC_B: 5}) == 3.5
    assert run("mean(a.s3.escalated, b.s3.escalated)", {ESC_A: 2}) == 2
    assert run("min(a.s3.escalated, b.s3.escalated)", {ESC_B: 4}) == 4
    assert run("max(a.s3.escalated, b.s3.escalated, 3)", {ESC_A: 1}) == 3
    assert run("mean(a.s3.escalated, b.s3.escalated)", {}) is MISSING
    assert run("max(a.s3.escalated, b.s3.escalated)", {}) is MISSING
    assert run("max(a.s1.bid_for_connection, 0)", {BID: True}) == 1
    assert run("abs(2 - a.s3.escalated)", {ESC_A: 5}) == 3


def test_answered_is_true_or_false_never_missing() -> None:
    assert run("answered(a.s1.greeted_warmly)", {GREETED: 1}) is True
    assert run("answered(a.s1.greeted_warmly)", {}) is False
    assert run("answered(a.s1.moment)", {"s1.a.moment": "we walked"}) is True
    # A skipped prompt (None) and a blank text answer are not answers.
    assert run("answered(a.s1.moment)", {"s1.a.moment": ""}) is False
    assert run("answered(a.s1.greeted_warmly)", {GREETED: None}) is False  # type: ignore[dict-item]


def test_division_by_zero_is_missing_not_a_crash() -> None:
    assert run("4 / (a.s3.escalated - 2)", {ESC_A: 2}) is MISSING


def test_facts_are_true_only_when_set() -> None:
    assert run("fact.warm", facts=frozenset({"warm"})) is True
    assert run("fact.warm") is False
    assert run("not fact.warm and fact.calm", facts=frozenset({"calm"})) is True


def test_an_answer_of_the_wrong_type_is_no_evidence() -> None:
    # Answers are validated before inference; this guards the engine against a bad file anyway.
    assert run("a.s1.greeted_warmly >= 4", {GREETED: "lots"}) is MISSING


# --- static checks ---------------------------------------------------------------------------


def test_a_well_formed_condition_has_no_problems(content: Content) -> None:
    text = (
        'a.s1.greeted_warmly >= 4 and b.s1.turned_toward == "toward" and a.s1.bid_for_connection'
        " and mean(a.s3.escalated, b.s3.escalated) + a.s1.bid_for_connection <= 3"
        " or answered(a.s1.moment) or fact.warm"
    )
    assert problems(text, content, frozenset({"warm"})) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a.s1.greeted_warmy >= 4",
            'unknown prompt "a.s1.greeted_warmy" (did you mean "a.s1.greeted_warmly"?)',
        ),
        (
            "c.s1.greeted_warmly >= 4",
            'unknown partner "c" in "c.s1.greeted_warmly"; answer refs start with a or b'
            ' (did you mean "a.s1.greeted_warmly"?)',
        ),
        (
            "meen(a.s3.escalated) > 2",
            'unknown function "meen" (did you mean "mean"?); functions are mean, min, max, abs,'
            " answered",
        ),
        ("fact.warmth", 'fact "warmth" is used but no rule sets it (did you mean "fact.warm"?)'),
        (
            "a.s1.bid_for_connection == 1",
            'compares yes/no prompt "a.s1.bid_for_connection" with the number 1; use true or false',
        ),
        (
            "a.s1.bid_for_connection > 0",
            'compares yes/no prompt "a.s1.bid_for_connection" with the number 0; use == true or'
            " == false",
        ),
        (
            'b.s1.turned_toward == "towards"',
            '"towards" is not a choice of choice prompt "b.s1.turned_toward" (did you mean'
            ' "toward"?); choices are toward, away, against',
        ),
        (
            "b.s1.turned_toward == 1",
            'compares choice prompt "b.s1.turned_toward" with the number 1; use one of its choices',
        ),
        (
            'b.s1.turned_toward > "away"',
            'choice prompt "b.s1.turned_toward" cannot be ordered with ">"; use == or !=',
        ),
        (
            "a.s1.greeted_warmly == true",
            'cannot compare scale prompt "a.s1.greeted_warmly" with true/false',
        ),
        (
            "a.s1.greeted_warmly >= 6",
            '6 is outside the scale of scale prompt "a.s1.greeted_warmly" (1 to 5)',
        ),
        (
            "a.s1.greeted_warmly > -1",
            '-1 is outside the scale of scale prompt "a.s1.greeted_warmly" (1 to 5)',
        ),
        (
            "a.s1.greeted_warmly",
            'the condition must be true or false, but it is scale prompt "a.s1.greeted_warmly"'
            " (compare it, e.g. a.s1.greeted_warmly >= 4)",
        ),
        (
            "a.s1.greeted_warmly and fact.warm",
            '"and" needs true or false, but got scale prompt "a.s1.greeted_warmly"',
        ),
        (
            "not b.s1.turned_toward",
            '"not" needs true or false, but got choice prompt "b.s1.turned_toward"',
        ),
        (
            "b.s1.turned_toward + 1 > 2",
            '"+" needs numbers, but got choice prompt "b.s1.turned_toward"',
        ),
        (
            'a.s1.moment == "x"',
            '"a.s1.moment" is a free-text answer; use it only as answered(a.s1.moment)',
        ),
        (
            "answered(fact.warm)",
            "answered() takes one answer ref, like answered(a.s1.greeted_warmly)",
        ),
        ("mean() > 1", "mean() needs at least one argument"),
        ("abs(1, 2) > 1", "abs() takes exactly one argument"),
        (
            "mean > 1",
            '"mean" is a function; call it like mean(a.s1.greeted_warmly)',
        ),
        ('"yes" == 1', 'cannot compare the text "yes" with the number 1'),
        ("true < false", 'true/false cannot be ordered with "<"'),
        ("fact.a.b", '"fact.a.b" is not a fact; write fact.name'),
    ],
)
def test_static_problems(text: str, message: str, content: Content) -> None:
    assert problems(text, content, frozenset({"warm"})) == [message]


def test_unknown_single_words_are_explained(content: Content) -> None:
    assert problems("warm >= 1", content) == [
        'unknown name "warm"; answer refs look like a.s1.greeted_warmly and facts like fact.name'
    ]
    assert problems("ture", content)[0].startswith('unknown name "ture" (did you mean "true"?)')


def test_several_problems_in_one_condition_are_all_reported(content: Content) -> None:
    found = problems('a.s1.greeted_warmy >= 4 and b.s1.turned_toward == "towrd"', content)
    assert len(found) == 2
    assert found[0].startswith('unknown prompt "a.s1.greeted_warmy"')
    assert found[1].startswith('"towrd" is not a choice')


def test_checker_records_reads_and_fact_polarity(content: Content) -> None:
    result = check(
        parse(
            "fact.warm and not fact.calm and a.s1.greeted_warmly >= 4"
            " and answered(a.s1.moment) and not not fact.kind"
        ),
        ref_table(content),
        {"warm", "calm", "kind"},
    )
    assert result.reads == [GREETED, "s1.a.moment"]
    assert result.facts == {"warm": True, "calm": False, "kind": True}


def test_a_fact_compared_with_a_value_counts_as_negative(content: Content) -> None:
    result = check(parse("fact.warm == false"), ref_table(content), {"warm"})
    assert result.facts == {"warm": False}
