"""The default pack: coverage, wording, sensible results, and its cases file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from coach.base.errors import DataError, UsageError
from coach.content import EVIDENCE_LABELS, TARGETS, AnswerValue, Content
from coach.domain.evidence import load_references, resolve
from coach.domain.wording_rules import wording_problems
from coach.rules import RulePack, cases_path_for, infer, run_cases
from coach.rules.cases import load_cases, parse_cases
from coach.rules.pack import DEFAULT_PACK_PATH

SCOPES = ("couple", "a", "b")
CASES = DEFAULT_PACK_PATH.with_name("default_cases.toml")


def test_every_step_and_every_target_has_at_least_two_rules(default_pack: RulePack) -> None:
    for step in range(1, 6):
        assert sum(1 for r in default_pack.rules if r.step == step) >= 2, step
    for target in TARGETS:
        assert sum(1 for r in default_pack.rules if target in r.targets) >= 2, target


@pytest.mark.parametrize("target", TARGETS)
def test_each_partner_can_move_each_target_both_ways(default_pack: RulePack, target: str) -> None:
    for partner in ("a", "b"):
        weights = [r.weight(target, partner) for r in default_pack.rules]
        assert any(w > 0 for w in weights), (target, partner)
        assert any(w < 0 for w in weights), (target, partner)


def test_every_reason_cites_a_source_and_follows_the_wording_guide(
    default_pack: RulePack,
) -> None:
    """Every empirical sentence names a paper of the bibliography; the others are a practice
    or the coach's own reading (Unmeasured)."""
    references = load_references()
    for rule in default_pack.rules:
        known, unknown = resolve(rule.because, references)
        assert not unknown, (rule.id, unknown)
        own_reading = rule.evidence in ("Unmeasured", "Practice")
        assert known or own_reading, rule.id
        assert rule.evidence in EVIDENCE_LABELS
        assert not wording_problems(rule.because), rule.id
        assert "seed" not in rule.because, rule.id


def test_no_default_rule_rests_on_a_contested_claim(default_pack: RulePack) -> None:
    assert {r.evidence for r in default_pack.rules} <= {
        "Strong",
        "Moderate",
        "Preliminary",
        "Unmeasured",
        "Practice",
    }


def test_warm_secure_answers_are_positive_everywhere(
    default_pack: RulePack, secure_answers: dict[str, AnswerValue]
) -> None:
    result = infer(default_pack, secure_answers)
    for scope in SCOPES:
        for target, outcome in result.scope(scope).items():
            assert outcome.score >= 0.2, (scope, target, outcome.score)
            assert outcome.confidence == 1.0
            assert outcome.fired


def test_cold_escalating_answers_are_negative_everywhere(
    default_pack: RulePack, insecure_answers: dict[str, AnswerValue]
) -> None:
    result = infer(default_pack, insecure_answers)
    for scope in SCOPES:
        for target, outcome in result.scope(scope).items():
            assert outcome.score <= -0.2, (scope, target, outcome.score)
    assert "escalating_conflict" in result.facts


def test_warm_affection_with_escalating_conflict(
    default_pack: RulePack,
    secure_answers: dict[str, AnswerValue],
    insecure_answers: dict[str, AnswerValue],
) -> None:
    answers = {
        k: (insecure_answers[k] if k.startswith("s3.") else v) for k, v in secure_answers.items()
    }
    result = infer(default_pack, answers)
    for scope in SCOPES:
        assert result.scope(scope)["oxytocin"].score >= 0.2
        assert result.scope(scope)["amygdala"].score <= -0.2


def test_nothing_answered_gives_nothing(default_pack: RulePack) -> None:
    result = infer(default_pack, {})
    for scope in SCOPES:
        for outcome in result.scope(scope).values():
            assert (outcome.score, outcome.confidence, outcome.fired) == (0.0, 0.0, ())


def test_default_cases_all_pass_and_every_rule_fires(default_pack: RulePack) -> None:
    report = run_cases(default_pack, CASES)
    assert [c.name for c in report.failed] == []
    assert report.never_fired == ()
    assert report.passed
    assert len(report.cases) >= 5


def test_cases_file_sits_beside_the_pack() -> None:
    assert cases_path_for(None) == CASES
    assert cases_path_for(Path("/x/mine.toml")) == Path("/x/mine_cases.toml")


def test_a_failing_expectation_and_a_rule_that_never_fires_fail_the_report(
    make_pack: Callable[[str], RulePack], tmp_path: Path
) -> None:
    pack = make_pack(
        '\n[[rule]]\nid = "warm"\nstep = 1\nwhen = "a.s1.greeted_warmly >= 4"\n'
        "effects = { oxytocin = { both = 0.5 } }\n"
        'because = "Warm greetings are associated with bonding."\nevidence = "Unmeasured"\n'
        '\n[[rule]]\nid = "never"\nstep = 1\nwhen = "a.s1.greeted_warmly > 5"\n'
        "effects = { oxytocin = { both = 0.5 } }\n"
        'because = "A rule no case reaches."\nevidence = "Unmeasured"\n'
    )
    cases = tmp_path / "cases.toml"
    cases.write_text(
        '[[case]]\nname = "warm"\n[case.answers]\n"s1.a.greeted_warmly" = 5\n'
        '[case.expect]\n"couple.oxytocin" = "negative"\n"a.amygdala" = "neutral"\n',
        encoding="utf-8",
    )
    report = run_cases(pack, cases)
    [case] = report.cases
    assert not case.passed
    assert case.messages == ("couple.oxytocin: expected negative, got positive (score +0.462)",)
    assert report.never_fired == ("never",)
    assert not report.passed


def test_cases_accept_unquoted_dotted_keys(content: Content) -> None:
    [case] = parse_cases(
        '[[case]]\nname = "n"\nsteps = [1]\n[case.answers]\ns1.a.greeted_warmly = 5\n'
        "[case.expect]\ncouple.oxytocin = 'positive'\n",
        "c.toml",
        content,
    )
    assert case.answers == {"s1.a.greeted_warmly": 5}
    assert case.expect == (("couple", "oxytocin", "positive"),)
    assert case.steps == (1,)


def test_cases_file_problems_are_all_reported(content: Content) -> None:
    text = (
        '[[case]]\nname = "one"\nstep = [1]\n'
        '[case.answers]\n"s1.a.greeted_warmy" = 5\n"s1.b.turned_toward" = "towards"\n'
        '"s1.a.offered_touch" = 9\n'
        '[case.expect]\n"couple.oxytocine" = "positive"\n"pair.oxytocin" = "positive"\n'
        '"a.amygdala" = "calm"\n'
        '\n[[case]]\nname = "one"\nsteps = [0]\n'
    )
    with pytest.raises(DataError) as caught:
        parse_cases(text, "c.toml", content)
    assert caught.value.message == "c.toml: the cases file has 9 problems"
    assert caught.value.details == [
        'c.toml:3: case one: unknown key "step" (did you mean "steps"?)',
        'c.toml:4: case one: unknown prompt "s1.a.greeted_warmy" (did you mean'
        ' "s1.a.greeted_warmly"?)',
        "c.toml:4: case one: s1.b.turned_toward: not one of the choices: expected one of"
        ' "toward", "away", "against" (did you mean "toward"?)',
        "c.toml:4: case one: s1.a.offered_touch: out of range: expected a whole number from"
        " 1 (none) to 5 (a lot)",
        'c.toml:8: case one: "couple.oxytocine": unknown target "oxytocine" (did you mean'
        ' "oxytocin"?)',
        'c.toml:8: case one: "pair.oxytocin": unknown scope "pair"',
        "c.toml:8: case one: \"a.amygdala\": expected positive, negative or neutral, not 'calm'",
        "c.toml:15: case one: steps must be a list of step numbers from 1 to 5",
        "c.toml:14: case one: duplicate case name",
    ]


def test_missing_cases_file_is_a_usage_error(content: Content, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cases file not found"):
        load_cases(tmp_path / "none.toml", content)
