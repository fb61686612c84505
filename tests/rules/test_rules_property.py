"""Monotonicity: a more secure answer never lowers any score of the default pack.

Raising means: a scale moved one step toward its secure end, a yes/no flipped to its secure
answer, a choice switched to its secure choice. It must hold for the couple and both partners,
over random answer sets with some prompts unanswered, and for any subset of steps.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.content import AnswerValue, Prompt, load_content
from coach.rules import RulePack, infer, load_pack
from coach.rules.pack import compile_pack_text

CONTENT = load_content()
PACK = load_pack(None, CONTENT)
RAISABLE = [p for p in CONTENT.prompts.values() if p.type != "text" and p.secure is not None]


def _value(prompt: Prompt) -> st.SearchStrategy[Any]:
    if prompt.type == "scale":
        return st.integers(prompt.min, prompt.max)
    if prompt.type == "yesno":
        return st.booleans()
    return st.sampled_from(prompt.choice_values())


# None stands for an unanswered prompt; roughly one in five is left unanswered.
ANSWER_SETS = st.fixed_dictionaries(
    {p.id: st.one_of(st.none(), _value(p), _value(p), _value(p), _value(p)) for p in RAISABLE}
).map(lambda d: {k: v for k, v in d.items() if v is not None})
STEP_SETS = st.sets(st.integers(1, 5), min_size=1).map(sorted)


def raised(prompt: Prompt, value: AnswerValue) -> AnswerValue:
    if prompt.type == "scale":
        assert isinstance(value, int)
        step = 1 if prompt.secure == "high" else -1
        return min(prompt.max, max(prompt.min, value + step))
    if prompt.type == "yesno":
        return prompt.secure == "yes"
    assert prompt.secure is not None
    return prompt.secure


def scores(
    answers: dict[str, AnswerValue], steps: list[int], pack: RulePack = PACK
) -> dict[tuple[str, str], float]:
    result = infer(pack, answers, steps)
    return {
        (scope, target): outcome.score
        for scope in ("couple", "a", "b")
        for target, outcome in result.scope(scope).items()
    }


@settings(max_examples=400, deadline=None)
@given(answers=ANSWER_SETS, steps=STEP_SETS, data=st.data())
def test_a_more_secure_answer_never_lowers_a_score(
    answers: dict[str, AnswerValue], steps: list[int], data: st.DataObject
) -> None:
    answered = [p for p in RAISABLE if p.id in answers]
    if not answered:
        return
    prompt = data.draw(st.sampled_from(answered), label="raised prompt")
    better = {**answers, prompt.id: raised(prompt, answers[prompt.id])}
    before, after = scores(answers, steps), scores(better, steps)
    lowered = {k: (before[k], after[k]) for k in before if after[k] < before[k]}
    assert not lowered, f"raising {prompt.id} lowered {lowered}"


@settings(max_examples=100, deadline=None)
@given(answers=ANSWER_SETS)
def test_raising_every_answer_to_its_secure_end_never_lowers_a_score(
    answers: dict[str, AnswerValue],
) -> None:
    best: dict[str, AnswerValue] = {}
    for prompt in RAISABLE:
        if prompt.id in answers:
            value = answers[prompt.id]
            for _ in range(prompt.max - prompt.min if prompt.type == "scale" else 1):
                value = raised(prompt, value)
            best[prompt.id] = value
    before, after = scores(answers, [1, 2, 3, 4, 5]), scores(best, [1, 2, 3, 4, 5])
    assert all(after[k] >= before[k] for k in before)


def test_the_property_has_teeth() -> None:
    # A rule rewarding an insecure answer is exactly what the property must catch.
    text = (
        'id = "bad"\nversion = "1"\ndescription = "Rewards escalation."\n[[rule]]\nid = "x"\n'
        'step = 3\nwhen = "a.s3.escalated >= 4"\neffects = { amygdala = { a = 0.5 } }\n'
        'because = "A deliberately wrong rule."\nevidence = "Unmeasured"\n'
    )
    pack, problems = compile_pack_text(text, "bad.toml", CONTENT)
    assert pack is not None, problems
    prompt = CONTENT.prompts["s3.a.escalated"]
    before = scores({prompt.id: 4}, [3], pack)
    after = scores({prompt.id: raised(prompt, 4)}, [3], pack)
    assert after[("a", "amygdala")] < before[("a", "amygdala")]
