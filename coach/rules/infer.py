"""Inference: run a checked pack over one session's answers and explain every result.

How weights combine (the same everywhere, and documented in docs/rules.md):

    raw(partner, target)   = sum of the weights of fired rules for that partner
                             (an effect on `both` counts once for each partner)
    score(partner, target) = round(tanh(raw), 3)                      in [-1, 1]
    score(couple, target)  = round((score(a) + score(b)) / 2, 3)

Every step is monotone, so an answer that can only add positive rules or remove negative ones can
never lower a score. Confidence is the share of the prompts behind a target (those read by the
rules that affect it for that scope) that were answered: a skipped prompt lowers confidence, it
never counts as a low answer.

The results' shape, how they read and how they are saved: coach.rules.results (re-exported here).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Final, TypeAlias

from coach.content import TARGETS, AnswerValue
from coach.domain.steps import STEPS
from coach.rules.expr import present_answers
from coach.rules.pack_model import RulePack
from coach.rules.results import EVIDENCE_ORDER as EVIDENCE_ORDER
from coach.rules.results import LABEL_THRESHOLD as LABEL_THRESHOLD
from coach.rules.results import NEUTRAL_LABEL as NEUTRAL_LABEL
from coach.rules.results import SCOPES, evidence_rank, label_for
from coach.rules.results import FiredRule as FiredRule
from coach.rules.results import Inference as Inference
from coach.rules.results import TargetResult as TargetResult
from coach.rules.results import leading_reason as leading_reason
from coach.rules.results import pulls as pulls
from coach.rules.results import step_strengths as step_strengths
from coach.rules.results import weakest_evidence as weakest_evidence

# --- running the rules -----------------------------------------------------------------------


def infer(
    pack: RulePack,
    answers: Mapping[str, AnswerValue],
    steps: Iterable[int] = STEPS,
) -> Inference:
    """Run the pack's rules for the given steps over one session's answers.

    Rules of other steps are not run: a session that covers fewer steps simply gives some
    targets less evidence (and lower confidence).
    """
    present = present_answers(answers)
    step_set = frozenset(steps)
    fired, facts = _fire(pack, present, step_set)
    return _results(pack, present, fired, facts, tuple(sorted(step_set)))


def _fire(
    pack: RulePack, present: Mapping[str, AnswerValue], steps: frozenset[int]
) -> tuple[list[int], set[str]]:
    """Fire rules group by group in dependency order; facts chain forward to a fixed point."""
    rules = pack.rules
    facts: set[str] = set()
    fired: list[int] = []
    for group, recursive in pack.plan.order:
        if not recursive:
            rule = rules[group[0]]
            if rule.step in steps and rule.condition(present, facts) is True:
                fired.append(group[0])
                facts.update(rule.sets)
            continue
        # Facts in this group feed each other only positively (negative cycles are rejected
        # when the pack is checked), so repeating until nothing new fires terminates.
        pending = [i for i in group if rules[i].step in steps]
        progress = True
        while progress:
            progress = False
            for index in list(pending):
                if rules[index].condition(present, facts) is True:
                    fired.append(index)
                    facts.update(rules[index].sets)
                    pending.remove(index)
                    progress = True
    fired.sort()
    return fired, facts


Trace: TypeAlias = tuple[tuple[str, AnswerValue], ...]
# Fired rules are immutable, and a rule's trace takes few distinct values, so they are shared
# between inferences: re-inferring thousands of sessions builds each one once. Bounded.
# Answers are validated before inference, so True never stands in for 1 within one rule's trace.
_FIRED_CACHE_LIMIT: Final = 50_000
_PACKS_CACHED: Final = 8
_fired_caches: dict[int, tuple[RulePack, dict[tuple[int, Trace], dict[float, FiredRule]]]] = {}


def _fired_cache(pack: RulePack) -> dict[tuple[int, Trace], dict[float, FiredRule]]:
    entry = _fired_caches.get(id(pack))
    if entry is None or entry[0] is not pack:  # RulePack is unhashable; it is kept alive here
        if len(_fired_caches) >= _PACKS_CACHED:
            _fired_caches.clear()
        entry = (pack, {})
        _fired_caches[id(pack)] = entry
    if len(entry[1]) > _FIRED_CACHE_LIMIT:
        entry[1].clear()
    return entry[1]


def _fired_by_weight(
    pack: RulePack, index: int, trace: Trace, cache: dict[tuple[int, Trace], dict[float, FiredRule]]
) -> dict[float, FiredRule]:
    made = cache.get((index, trace))
    if made is None:
        rule = pack.rules[index]
        made = {
            w: FiredRule(rule.id, rule.step, rule.because, rule.evidence, w, trace)
            for w in pack.plan.weights[index]
        }
        cache[(index, trace)] = made
    return made


def _results(
    pack: RulePack,
    present: Mapping[str, AnswerValue],
    fired: list[int],
    facts: set[str],
    steps: tuple[int, ...],
) -> Inference:
    plan = pack.plan
    cache = _fired_cache(pack)
    raw_a = dict.fromkeys(TARGETS, 0.0)
    raw_b = dict.fromkeys(TARGETS, 0.0)
    lists: dict[str, dict[str, list[FiredRule]]] = {s: {t: [] for t in TARGETS} for s in SCOPES}
    list_a, list_b, list_couple = lists["a"], lists["b"], lists["couple"]
    for index in fired:
        trace = tuple([(p, present[p]) for p in pack.rules[index].traces if p in present])
        made = _fired_by_weight(pack, index, trace, cache)
        for target, weight_a, weight_b, weight_couple in plan.rows[index]:
            if weight_a:
                raw_a[target] += weight_a
                list_a[target].append(made[weight_a])
            if weight_b:
                raw_b[target] += weight_b
                list_b[target].append(made[weight_b])
            list_couple[target].append(made[weight_couple])  # rows touch A or B, so the couple
    scores_a = {t: round(math.tanh(raw_a[t]), 3) + 0.0 for t in TARGETS}
    scores_b = {t: round(math.tanh(raw_b[t]), 3) + 0.0 for t in TARGETS}
    scores = {
        "couple": {t: round((scores_a[t] + scores_b[t]) / 2, 3) + 0.0 for t in TARGETS},
        "a": scores_a,
        "b": scores_b,
    }
    answered = 0
    for prompt_id in present:
        answered |= plan.prompt_bits.get(prompt_id, 0)
    results = {
        scope: _scope_results(
            scores[scope], lists[scope], plan.relevant_masks[scope], answered, plan.labels
        )
        for scope in SCOPES
    }
    return Inference(
        pack_id=pack.id,
        pack_version=pack.version,
        couple=results["couple"],
        a=results["a"],
        b=results["b"],
        facts=frozenset(facts),
        steps=steps,
        fired=tuple(pack.rules[i].id for i in fired),
    )


def _scope_results(
    scores: dict[str, float],
    fired: dict[str, list[FiredRule]],
    relevant: dict[str, tuple[int, int]],
    answered: int,
    labels: dict[str, tuple[str, str]],
) -> dict[str, TargetResult]:
    results = {}
    for target in TARGETS:
        score = scores[target]
        rules = fired[target]
        mask, size = relevant[target]
        results[target] = TargetResult(
            target,
            score,
            round((mask & answered).bit_count() / size, 3) if size else 0.0,
            label_for(score, labels[target]),
            max(rules, key=evidence_rank).evidence if rules else None,
            tuple(rules),
        )
    return results
