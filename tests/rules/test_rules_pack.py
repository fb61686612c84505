"""Rule packs: every validation problem, with file, line, rule id and suggestion; loading."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from coach.base.errors import DataError, UsageError
from coach.content import Content
from coach.rules import Problem, RulePack, check_pack_text, load_pack, resolve_pack_path
from coach.rules.pack import DEFAULT_PACK_PATH, block_lines, check_default_pack_uncached

HEADER = 'id = "test"\nversion = "1"\ndescription = "A pack written for one test."\n'
GOOD_RULE = """
[[rule]]
id = "warm"
step = 1
when = "a.s1.greeted_warmly >= 4"
effects = { oxytocin = { b = 0.4 }, amygdala = { both = 0.3 } }
because = "Greeting warmly is associated with bonding (Holt-Lunstad et al. 2008)."
evidence = "Preliminary"
"""


def check(text: str, content: Content) -> list[str]:
    return [str(p) for p in check_pack_text(text, "pack.toml", content)]


def rule(**fields: str) -> str:
    """A [[rule]] table: GOOD_RULE's fields, replaced or removed (value "") by `fields`."""
    base = {
        "id": '"warm"',
        "step": "1",
        "when": '"a.s1.greeted_warmly >= 4"',
        "effects": "{ oxytocin = { b = 0.4 } }",
        "because": '"Greeting warmly is associated with bonding (Holt-Lunstad et al. 2008)."',
        "evidence": '"Preliminary"',
    }
    base.update(fields)
    return "\n[[rule]]\n" + "".join(f"{k} = {v}\n" for k, v in base.items() if v)


def test_a_good_pack_has_no_problems(content: Content) -> None:
    assert check(HEADER + GOOD_RULE, content) == []


def test_problem_prints_file_line_rule_and_message() -> None:
    problem = Problem("default.toml", 42, "rule s1_warm_greeting", 'unknown prompt "x"')
    assert str(problem) == 'default.toml:42: rule s1_warm_greeting: unknown prompt "x"'
    assert str(Problem("p.toml", None, "", "oops")) == "p.toml: oops"


def test_unknown_prompt_is_reported_on_the_line_of_when(content: Content) -> None:
    text = HEADER + rule(id='"s1_warm_greeting"', when='"a.s1.greeted_warmy >= 4"')
    assert check(text, content) == [
        'pack.toml:8: rule s1_warm_greeting: unknown prompt "a.s1.greeted_warmy"'
        ' (did you mean "a.s1.greeted_warmly"?)'
    ]


@pytest.mark.parametrize(
    ("fields", "line", "message"),
    [
        ({"step": "0"}, 7, "step 0 is out of range; steps are 1 to 5"),
        ({"step": "6"}, 7, "step 6 is out of range; steps are 1 to 5"),
        ({"step": '"one"'}, 7, "step must be a whole number from 1 to 5, not 'one'"),
        ({"step": ""}, 6, "a rule needs a step (1 to 5)"),
        (
            {"evidence": '"strong"'},
            11,
            'evidence "strong" is not one of Strong, Moderate, Preliminary, Unmeasured, Contested,'
            " Practice"
            ' (did you mean "Strong"?)',
        ),
        ({"evidence": ""}, 6, "a rule needs an evidence label"),
        (
            {"effects": "{ oxytocine = { b = 0.4 } }"},
            9,
            'unknown target "oxytocine" (did you mean "oxytocin"?)',
        ),
        (
            {"effects": "{ oxytocin = { bothh = 0.4 } }"},
            9,
            'unknown partner "bothh" in effects.oxytocin (did you mean "both"?); use a, b or both',
        ),
        (
            {"effects": '{ oxytocin = { b = "a lot" } }'},
            9,
            "the weight of effects.oxytocin.b must be a number, not 'a lot'",
        ),
        (
            {"effects": "{ oxytocin = { b = true } }"},
            9,
            "the weight of effects.oxytocin.b must be a number, not True",
        ),
        (
            {"effects": "{ oxytocin = { b = 1.5 } }"},
            9,
            "the weight of effects.oxytocin.b is 1.5; weights are -1 to 1",
        ),
        (
            {"effects": "{ oxytocin = { b = -2 } }"},
            9,
            "the weight of effects.oxytocin.b is -2; weights are -1 to 1",
        ),
        (
            {"effects": "{ oxytocin = 0.4 }"},
            9,
            "effects.oxytocin must be a table of partner = weight, e.g. { both = 0.3 }",
        ),
        (
            {"effects": '"lots"'},
            9,
            "effects must be a table, e.g. effects = { oxytocin = { b = 0.4 } }",
        ),
        ({"effects": ""}, 6, "a rule needs effects, sets, or both"),
        (
            {"effects": "{ oxytocin = {} }"},
            9,
            "effects.oxytocin must be a table of partner = weight, e.g. { both = 0.3 }",
        ),
        ({"when": '"' + "(" * 2000 + "true" + ")" * 2000 + '"'}, 8, "the limit is 1,000"),
        ({"when": '"' + "(" * 40 + "true" + ")" * 40 + '"'}, 8, "nests more than 30 deep"),
        ({"effect": "{ oxytocin = { b = 0.4 } }"}, 12, 'unknown key "effect" (did you mean'),
        (
            {"because": '"Greeting warmly boosts oxytocin."'},
            10,
            'because uses "boosts", a causal claim about a chemical or a region; say "associated'
            ' with", "linked to", "may support" or "the coach reads this as"',
        ),
        ({"because": '""'}, 10, "because must be non-empty text"),
        ({"because": ""}, 6, "a rule needs a because sentence to show the couple"),
        ({"when": ""}, 6, "a rule needs a when condition"),
        ({"when": "4"}, 8, "when must be text"),
        (
            {"when": '"a.s1.greeted_warmly >> 4"'},
            8,
            'syntax error in when at column 22: expected a value, found ">"',
        ),
        ({"sets": '["Warm Moment"]'}, 12, 'fact name "Warm Moment" must use lower-case letters'),
        ({"sets": '"warm"'}, 12, "sets must be a list of fact names"),
        ({"id": '"1st"'}, 6, "a rule id must start with a letter"),
        ({"id": ""}, 5, 'a rule needs an id, e.g. id = "s1_warm_greeting"'),
    ],
)
def test_each_rule_problem_has_its_line_and_message(
    fields: dict[str, str], line: int, message: str, content: Content
) -> None:
    found = check(HEADER + rule(**fields), content)
    assert len(found) == 1, found
    where, _, text = found[0].partition(": rule ")
    assert where == f"pack.toml:{line}"
    assert message in text


def test_when_problems_in_a_rule_without_a_valid_id_name_its_position(content: Content) -> None:
    [found] = check(HEADER + rule(id="", when='"a.s1.greeted_warmy >= 4"'), content)[1:]
    assert found.startswith("pack.toml:7: rule #1: unknown prompt")


def test_duplicate_rule_ids_point_at_the_first(content: Content) -> None:
    found = check(HEADER + rule() + rule(), content)
    assert found == ['pack.toml:14: rule warm: duplicate rule id "warm" (first defined on line 6)']


def test_static_type_problems_are_reported(content: Content) -> None:
    text = HEADER + rule(
        when="'a.s1.bid_for_connection == 1 and b.s1.turned_toward == \"towards\"'"
    )
    assert check(text, content) == [
        'pack.toml:8: rule warm: compares yes/no prompt "a.s1.bid_for_connection" with the'
        " number 1; use true or false",
        'pack.toml:8: rule warm: "towards" is not a choice of choice prompt "b.s1.turned_toward"'
        ' (did you mean "toward"?); choices are toward, away, against',
    ]


def test_a_fact_used_but_never_set(content: Content) -> None:
    text = HEADER + rule(sets='["warm_start"]') + rule(id='"later"', when='"fact.warm_strat"')
    assert check(text, content) == [
        'pack.toml:17: rule later: fact "warm_strat" is used but no rule sets it'
        ' (did you mean "fact.warm_start"?)'
    ]


def test_header_problems(content: Content) -> None:
    text = 'id = "x"\nversion = 2\ncolour = "blue"\n' + GOOD_RULE
    assert check(text, content) == [
        'pack.toml: the pack needs "description" at the top of the file',
        'pack.toml:2: "version" must be non-empty text, e.g. version = "1"',
        'pack.toml:3: unknown key "colour"',
    ]


def test_a_pack_without_rules(content: Content) -> None:
    assert check(HEADER, content) == ["pack.toml: a pack needs one or more [[rule]] tables"]


def test_invalid_toml_names_the_line(content: Content) -> None:
    [found] = check(HEADER + "[[rule]]\nid = \n", content)
    assert found.startswith("pack.toml:5:6: not valid TOML:")


def test_every_problem_is_reported_in_one_pass_in_file_order(content: Content) -> None:
    text = (
        HEADER
        + rule(evidence='"Strongish"', when='"a.s1.greeted_warmy >= 4"')
        + rule(step="9", effects="{ amygdale = { both = 0.3 } }")
        + rule(id='"third"', because='"Touch releases oxytocin."', when='"a.s1.x >="')
    )
    found = check(text, content)
    assert [line.split(":")[1] for line in found] == ["8", "11", "14", "15", "17", "24", "26"]
    assert len(found) == 7
    assert "duplicate rule id" in found[2]


def test_line_numbers_follow_sub_tables_and_dotted_keys(content: Content) -> None:
    text = HEADER + (
        "\n[[rule]]\n"
        'id = "warm"\n'
        "step = 1\n"
        'when = "a.s1.greeted_warmly >= 4"\n'
        'because = "Greeting warmly is associated with bonding."\n'
        'evidence = "Unmeasured"\n'
        "effects.dopamine.both = 0.1\n"
        "\n[rule.effects.oxytocin]\n"
        "b = 0.4\n"
        "c = 0.1\n"
    )
    assert check(text, content) == [
        'pack.toml:15: rule warm: unknown partner "c" in effects.oxytocin; use a, b or both'
    ]


def test_block_lines_records_each_key_per_block() -> None:
    text = 'id = "p"\n\n[[rule]]\nid = "x"\nwhen = "y"\n[[rule]]\n# c\nid = "z"\n'
    top, blocks = block_lines(text, "rule")
    assert top == {"id": 1}
    assert blocks == [{"": 3, "id": 4, "when": 5}, {"": 6, "id": 8}]


# --- facts and cycles ------------------------------------------------------------------------

FACT_RULE = """
[[rule]]
id = "{id}"
step = 1
when = "{when}"
sets = ["{sets}"]
because = "A fact for a test."
evidence = "Unmeasured"
"""


def fact_rule(rule_id: str, when: str, sets: str) -> str:
    return FACT_RULE.format(id=rule_id, when=when, sets=sets)


def test_a_negative_cycle_of_facts_is_rejected_and_described(content: Content) -> None:
    text = (
        HEADER
        + fact_rule("first", "not fact.y", "x")
        + fact_rule("second", "fact.x and a.s1.greeted_warmly >= 4", "y")
    )
    assert check(text, content) == [
        "pack.toml:8: rule first: facts depend on each other through a negation:"
        " fact.y -[not, rule first]-> fact.x -[rule second]-> fact.y;"
        " a pack cannot decide such facts, so break the cycle"
    ]


def test_a_fact_that_denies_itself_is_a_cycle(content: Content) -> None:
    text = HEADER + fact_rule("liar", "not fact.x", "x")
    [found] = check(text, content)
    assert "fact.x -[not, rule liar]-> fact.x" in found


def test_a_comparison_with_a_fact_on_a_cycle_counts_as_negation(content: Content) -> None:
    text = HEADER + fact_rule("one", "fact.y == false", "x") + fact_rule("two", "fact.x", "y")
    [found] = check(text, content)
    assert "fact.y -[not, rule one]-> fact.x -[rule two]-> fact.y" in found


def test_positive_cycles_and_negation_outside_cycles_are_allowed(content: Content) -> None:
    text = (
        HEADER
        + fact_rule("one", "fact.y or a.s1.greeted_warmly >= 4", "x")
        + fact_rule("two", "fact.x", "y")
        + fact_rule("three", "not fact.x", "z")
    )
    assert check(text, content) == []


# --- loading ---------------------------------------------------------------------------------


def test_load_pack_none_is_the_cached_default(content: Content) -> None:
    first = load_pack(None, content)
    assert load_pack(None, content) is first
    assert first.id == "default" and first.source == "default.toml"
    assert check_default_pack_uncached(content) is not first


def test_load_pack_raises_one_data_error_with_every_problem(
    tmp_path: Path, content: Content
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(HEADER + rule(step="9", evidence='"Sure"'), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_pack(path, content)
    assert caught.value.message == f"{path}: the rule pack has 2 problems"
    assert caught.value.details == [
        f"{path}:7: rule warm: step 9 is out of range; steps are 1 to 5",
        f'{path}:11: rule warm: evidence "Sure" is not one of Strong, Moderate, Preliminary,'
        " Unmeasured, Contested, Practice",
    ]


def test_load_pack_reads_a_valid_file(tmp_path: Path, content: Content) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(HEADER + GOOD_RULE, encoding="utf-8")
    pack = load_pack(path, content)
    assert (pack.id, pack.version, pack.source) == ("test", "1", str(path))
    assert [r.id for r in pack.rules] == ["warm"]
    warm = pack.rules[0]
    assert warm.line == 6
    assert warm.reads == ("s1.a.greeted_warmly",)
    assert warm.weight("amygdala", "a") == 0.3 and warm.weight("oxytocin", "a") == 0.0


def test_load_pack_missing_file_is_a_usage_error(tmp_path: Path, content: Content) -> None:
    with pytest.raises(UsageError, match=r"cannot read rule pack .*: no such file"):
        load_pack(tmp_path / "nope.toml", content)
    with pytest.raises(UsageError, match="is a directory"):
        load_pack(tmp_path, content)


def test_resolve_pack_path_prefers_the_option_then_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("COACH_RULES", raising=False)
    assert resolve_pack_path(None) is None
    monkeypatch.setenv("COACH_RULES", str(tmp_path / "env.toml"))
    assert resolve_pack_path(None) == tmp_path / "env.toml"
    assert resolve_pack_path(Path("opt.toml")) == Path("opt.toml")
    monkeypatch.setenv("COACH_RULES", "  ")
    assert resolve_pack_path(None) is None


def test_unknown_rule_id_suggests_a_close_one(default_pack: RulePack) -> None:
    with pytest.raises(DataError) as caught:
        default_pack.rule("s1_warm_greting")
    assert caught.value.message == (
        'no rule "s1_warm_greting" in default.toml (did you mean "s1_warm_greeting"?)'
    )


def test_default_pack_file_ships_in_the_package() -> None:
    assert DEFAULT_PACK_PATH.name == "default.toml" and DEFAULT_PACK_PATH.is_file()
    assert DEFAULT_PACK_PATH.with_name("default_cases.toml").is_file()


def test_make_pack_fixture_builds(make_pack: Callable[[str], RulePack]) -> None:
    assert make_pack(GOOD_RULE).rules[0].id == "warm"


def test_lines_inside_a_multi_line_because_are_not_read_as_keys(content: Content) -> None:
    text = HEADER + rule(
        id='"first"',
        because=(
            '"""Warm greetings are associated with closeness (Holt-Lunstad et al. 2008).'
            '\n[[rule]]\nstep = 7\n"""'
        ),
    )
    text += rule(id='"second"', step="9")
    step_line = text.split("\n").index("step = 9") + 1
    assert check(text, content) == [
        f"pack.toml:{step_line}: rule second: step 9 is out of range; steps are 1 to 5"
    ]
