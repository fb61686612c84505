"""Inference: how weights combine, confidence, labels, evidence, facts, steps and saved results."""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Callable
from typing import Any

import pytest
import tomli_w

from coach.base.errors import DataError
from coach.content import TARGETS, AnswerValue, Content
from coach.rules import (
    NEUTRAL_LABEL,
    Inference,
    RulePack,
    infer,
    step_strengths,
    weakest_evidence,
)

MakePack = Callable[[str], RulePack]

GREETED = "s1.a.greeted_warmly"
TOUCH = "s1.a.offered_touch"
TURNED = "s1.b.turned_toward"


# A sentence carries the label its sources give it (coach.domain.claims), so each label gets a
# source.
CITES = {
    "Moderate": " (Gable et al. 2004)",
    "Preliminary": " (Holt-Lunstad et al. 2008)",
    "Unmeasured": "",
    "Practice": ", a coaching practice",
}


def rule(
    rule_id: str,
    when: str,
    effects: str = "",
    *,
    step: int = 1,
    evidence: str = "Unmeasured",
    sets: str = "",
) -> str:
    lines = [
        "\n[[rule]]",
        f'id = "{rule_id}"',
        f"step = {step}",
        f"when = '{when}'",
        f'because = "Rule {rule_id} is associated with a pattern{CITES[evidence]}."',
        f'evidence = "{evidence}"',
    ]
    if effects:
        lines.append(f"effects = {effects}")
    if sets:
        lines.append(f"sets = {sets}")
    return "\n".join(lines) + "\n"


def test_partner_scores_are_tanh_of_summed_weights_and_couple_is_their_mean(
    make_pack: MakePack,
) -> None:
    pack = make_pack(
        rule("one", "a.s1.greeted_warmly >= 4", "{ oxytocin = { b = 0.4, a = 0.1 } }")
        + rule("two", "a.s1.offered_touch >= 4", "{ oxytocin = { both = 0.3 } }")
        + rule("three", 'b.s1.turned_toward == "against"', "{ oxytocin = { a = -0.6 } }")
    )
    result = infer(pack, {GREETED: 5, TOUCH: 4, TURNED: "against"})
    score_a = round(math.tanh(0.1 + 0.3 - 0.6), 3)
    score_b = round(math.tanh(0.4 + 0.3), 3)
    assert result.a["oxytocin"].score == score_a == -0.197
    assert result.b["oxytocin"].score == score_b == 0.604
    assert result.couple["oxytocin"].score == round((score_a + score_b) / 2, 3)
    assert result.couple["dopamine"].score == 0.0


def test_fired_rules_carry_their_reason_weight_and_the_answers_they_read(
    make_pack: MakePack,
) -> None:
    pack = make_pack(
        rule("one", "a.s1.greeted_warmly >= 4", "{ oxytocin = { b = 0.4, a = 0.1 } }")
        + rule("two", "a.s1.offered_touch >= 4", "{ oxytocin = { both = 0.3 } }")
    )
    result = infer(pack, {GREETED: 5, TOUCH: 2})
    [fired] = result.b["oxytocin"].fired
    assert (fired.rule_id, fired.step, fired.weight, fired.evidence) == (
        "one",
        1,
        0.4,
        "Unmeasured",
    )
    assert fired.because == "Rule one is associated with a pattern."
    assert fired.answers == ((GREETED, 5),)
    assert result.a["oxytocin"].fired[0].weight == 0.1
    # For the couple, a rule's weight is the mean of its weights for A and B.
    assert result.couple["oxytocin"].fired[0].weight == 0.25
    assert result.fired == ("one",)


def test_opposite_partner_weights_still_show_for_the_couple(make_pack: MakePack) -> None:
    pack = make_pack(
        rule("split", "a.s1.greeted_warmly >= 4", "{ oxytocin = { a = 0.2, b = -0.2 } }")
    )
    [fired] = infer(pack, {GREETED: 5}).couple["oxytocin"].fired
    assert fired.weight == 0.0


def test_labels_come_from_the_content_with_a_neutral_band(
    make_pack: MakePack, content: Content
) -> None:
    pack = make_pack(
        rule("up", "a.s1.greeted_warmly >= 4", "{ amygdala = { a = 0.3 } }")
        + rule("down", "a.s1.greeted_warmly <= 2", "{ amygdala = { a = -0.3 } }")
        + rule("tiny", "a.s1.greeted_warmly == 3", "{ amygdala = { a = 0.2 } }")
    )
    amygdala = content.target("amygdala")
    assert infer(pack, {GREETED: 5}).a["amygdala"].label == amygdala.positive == "likely calmer"
    assert infer(pack, {GREETED: 1}).a["amygdala"].label == amygdala.negative
    # tanh(0.2) = 0.197: under the 0.2 threshold.
    assert infer(pack, {GREETED: 3}).a["amygdala"].label == NEUTRAL_LABEL
    assert infer(pack, {}).a["amygdala"].label == NEUTRAL_LABEL


def test_confidence_is_the_answered_share_of_the_prompts_behind_a_target(
    make_pack: MakePack,
) -> None:
    pack = make_pack(
        rule("one", "a.s1.greeted_warmly >= 4", "{ oxytocin = { b = 0.4 } }")
        + rule("two", "mean(a.s1.offered_touch, b.s1.felt_safe) >= 4", "{ oxytocin = { a = 0.3 } }")
    )
    result = infer(pack, {GREETED: 1, TOUCH: 5})
    assert result.b["oxytocin"].confidence == 1.0  # reads only s1.a.greeted_warmly
    assert result.a["oxytocin"].confidence == 0.5  # touch answered, felt_safe not
    assert result.couple["oxytocin"].confidence == round(2 / 3, 3)
    assert result.a["amygdala"].confidence == 0.0  # no rule speaks to it
    assert infer(pack, {}).couple["oxytocin"].confidence == 0.0


def test_an_unanswered_prompt_is_not_a_low_answer(make_pack: MakePack) -> None:
    pack = make_pack(
        rule("low", "a.s1.greeted_warmly <= 2", "{ oxytocin = { both = -0.5 } }")
        + rule("not_high", "not a.s1.greeted_warmly >= 4", "{ oxytocin = { both = -0.5 } }")
    )
    skipped = infer(pack, {GREETED: None})  # type: ignore[dict-item]
    assert skipped.couple["oxytocin"].score == 0.0
    assert skipped.couple["oxytocin"].fired == ()
    assert skipped.couple["oxytocin"].confidence == 0.0
    assert infer(pack, {GREETED: 1}).couple["oxytocin"].score < 0


def test_evidence_is_the_weakest_label_among_fired_rules(make_pack: MakePack) -> None:
    pack = make_pack(
        rule("strong", "a.s1.greeted_warmly >= 1", "{ insula = { a = 0.1 } }", evidence="Moderate")
        + rule(
            "practice", "a.s1.greeted_warmly >= 3", "{ insula = { a = 0.1 } }", evidence="Practice"
        )
        + rule(
            "prelim", "a.s1.greeted_warmly >= 4", "{ insula = { a = 0.1 } }", evidence="Preliminary"
        )
    )
    assert infer(pack, {GREETED: 1}).a["insula"].evidence == "Moderate"
    assert infer(pack, {GREETED: 3}).a["insula"].evidence == "Practice"
    assert infer(pack, {GREETED: 5}).a["insula"].evidence == "Practice"
    assert infer(pack, {}).a["insula"].evidence is None


def test_evidence_order_puts_practice_above_contested() -> None:
    assert weakest_evidence(["Strong", "Moderate"]) == "Moderate"
    assert weakest_evidence(["Preliminary", "Practice"]) == "Practice"
    assert weakest_evidence(["Practice", "Contested", "Strong"]) == "Contested"
    assert weakest_evidence([]) is None


def test_rules_of_steps_not_covered_are_not_run(make_pack: MakePack) -> None:
    pack = make_pack(
        rule("s1", "a.s1.greeted_warmly >= 4", "{ oxytocin = { both = 0.5 } }", step=1)
        + rule("s3", "a.s3.escalated >= 4", "{ amygdala = { both = -0.5 } }", step=3)
    )
    answers: dict[str, AnswerValue] = {GREETED: 5, "s3.a.escalated": 5}
    both = infer(pack, answers)
    assert both.fired == ("s1", "s3")
    only_first = infer(pack, answers, steps=[1])
    assert only_first.fired == ("s1",)
    assert only_first.steps == (1,)
    assert only_first.couple["amygdala"].score == 0.0


def test_facts_chain_forward_and_trace_back_to_their_answers(make_pack: MakePack) -> None:
    pack = make_pack(
        # Written in reverse order on purpose: evaluation follows dependencies, not file order.
        rule("c_uses_b", "fact.second", "{ dopamine = { both = 0.4 } }", step=2)
        + rule("b_uses_a", 'fact.first and b.s1.turned_toward == "toward"', sets='["second"]')
        + rule("a_sets", "a.s1.greeted_warmly >= 4", sets='["first"]')
    )
    result = infer(pack, {GREETED: 5, TURNED: "toward"})
    assert result.facts == frozenset({"first", "second"})
    assert result.fired == ("c_uses_b", "b_uses_a", "a_sets")
    [fired] = result.a["dopamine"].fired
    assert fired.answers == ((GREETED, 5), (TURNED, "toward"))
    broken = infer(pack, {GREETED: 5, TURNED: "away"})
    assert broken.facts == frozenset({"first"})
    assert broken.a["dopamine"].fired == ()


def test_negated_facts_are_decided_after_the_fact_is_complete(make_pack: MakePack) -> None:
    pack = make_pack(
        rule("no_warmth", "not fact.warm", "{ oxytocin = { both = -0.3 } }")
        + rule("warm_touch", "a.s1.offered_touch >= 4", sets='["warm"]')
        + rule("warm_greeting", "a.s1.greeted_warmly >= 4", sets='["warm"]')
    )
    assert infer(pack, {GREETED: 5}).fired == ("warm_greeting",)
    assert infer(pack, {GREETED: 1}).fired == ("no_warmth",)


def test_positive_cycles_of_facts_reach_a_fixed_point(make_pack: MakePack) -> None:
    pack = make_pack(
        rule("x_from_y", "fact.y or a.s1.greeted_warmly >= 4", sets='["x"]')
        + rule("y_from_x", "fact.x", sets='["y"]')
        + rule("uses_both", "fact.x and fact.y", "{ hippocampus = { both = 0.3 } }")
    )
    result = infer(pack, {GREETED: 4})
    assert result.facts == frozenset({"x", "y"})
    assert result.couple["hippocampus"].score == round(math.tanh(0.3), 3)
    assert infer(pack, {GREETED: 1}).facts == frozenset()


def test_every_target_is_present_for_every_scope(default_pack: RulePack) -> None:
    result = infer(default_pack, {})
    for scope in ("couple", "a", "b"):
        assert list(result.scope(scope)) == list(TARGETS)
    with pytest.raises(DataError, match="unknown scope"):
        result.scope("both")


def test_step_strengths_average_signed_weights_per_step(make_pack: MakePack) -> None:
    pack = make_pack(
        rule("warm", "a.s1.greeted_warmly >= 4", "{ oxytocin = { both = 0.4 } }")
        + rule("touch", "a.s1.offered_touch <= 2", "{ oxytocin = { a = -0.2 } }")
        + rule("fight", "a.s3.escalated >= 4", "{ amygdala = { both = -0.5 } }", step=3)
    )
    result = infer(pack, {GREETED: 5, TOUCH: 1, "s3.a.escalated": 2}, steps=[1, 3])
    # Step 1: A gets 0.4 and -0.2, B gets 0.4 -> mean 0.2; step 3 ran but nothing fired.
    assert step_strengths(result) == {1: 0.2, 3: 0.0}


# --- saved results ---------------------------------------------------------------------------


def _has_none(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, dict):
        return any(_has_none(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_none(v) for v in value)
    return False


def test_to_dict_is_toml_and_json_safe_and_round_trips(
    default_pack: RulePack, secure_answers: dict[str, AnswerValue]
) -> None:
    answers = dict(secure_answers)
    del answers["s2.a.laughed_together"]
    original = infer(default_pack, answers, steps=[1, 2, 3])
    data = original.to_dict()
    assert not _has_none(data)
    assert "evidence" not in data["couple"]["vasopressin"]  # no rule fired: key left out
    from_toml = Inference.from_dict(tomllib.loads(tomli_w.dumps({"results": data}))["results"])
    from_json = Inference.from_dict(json.loads(json.dumps(data)))
    assert from_toml == original
    assert from_json == original
    assert step_strengths(from_toml) == step_strengths(original)


def test_to_dict_stores_each_rule_text_once(
    default_pack: RulePack, secure_answers: dict[str, AnswerValue]
) -> None:
    data = infer(default_pack, secure_answers).to_dict()
    assert data["pack_id"] == "default"
    greeting = data["rules"]["s1_warm_greeting"]
    assert greeting["answers"] == {GREETED: 5}
    assert greeting["evidence"] == "Unmeasured"
    assert {"rule": "s1_warm_greeting", "weight": 0.3} in data["a"]["oxytocin"]["fired"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("pack_id"), "results: pack_id: must be text"),
        (lambda d: d.pop("a"), "results: a: must be a table of targets"),
        (lambda d: d["b"].pop("insula"), "results: b.insula: is missing"),
        (
            lambda d: d["couple"]["oxytocin"].update(score="high"),
            "couple.oxytocin.score: must be a number",
        ),
        (
            lambda d: d["couple"]["oxytocin"].update(evidence="Sure"),
            '"Sure" is not an evidence label',
        ),
        (
            lambda d: d["rules"].pop("s1_warm_greeting"),
            "results: rules.s1_warm_greeting: is missing",
        ),
        (lambda d: d.update(steps="all"), "results: steps: must be a list of step numbers"),
    ],
)
def test_from_dict_rejects_damaged_results(
    change: Callable[[dict[str, Any]], object],
    message: str,
    default_pack: RulePack,
    secure_answers: dict[str, AnswerValue],
) -> None:
    data = json.loads(json.dumps(infer(default_pack, secure_answers).to_dict()))
    change(data)
    with pytest.raises(DataError, match=message.replace("(", "\\(").replace(")", "\\)")):
        Inference.from_dict(data)


def test_results_saved_before_a_target_existed_read_it_as_no_sign(
    default_pack: RulePack, secure_answers: dict[str, AnswerValue]
) -> None:
    """A target added to targets.toml after a session was finished is in none of its saved
    scopes: the session still loads, the new target read as no rule having read it."""
    original = infer(default_pack, secure_answers)
    data = json.loads(json.dumps(original.to_dict()))
    for scope in ("couple", "a", "b"):
        del data[scope]["insula"]
    loaded = Inference.from_dict(data)
    for scope in ("couple", "a", "b"):
        result = loaded.scope(scope)["insula"]
        assert (result.score, result.confidence, result.fired) == (0.0, 0.0, ())
        assert result.label == "little sign either way"
        assert loaded.scope(scope)["amygdala"] == original.scope(scope)["amygdala"]
