"""Planning a checked pack's evaluation: the rules built to run, in dependency order, with
what inference needs worked out once (each rule's weights per partner, which answers each
target's result can be traced to). Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coach.content import TARGETS, Content
from coach.rules import expr
from coach.rules.graph import components
from coach.rules.pack_check import Draft, ref_table
from coach.rules.pack_model import Plan, Row, Rule, RulePack


def build_pack(
    data: dict[str, Any], drafts: list[Draft], source: str, content: Content
) -> RulePack:
    """The pack ready to run, from the data and drafts of a pack that checked."""
    refs = ref_table(content)
    traces = _traces(drafts, content)
    rules = tuple(
        Rule(
            id=d.id,
            step=d.step,
            when=d.when,
            effects=d.effects,
            because=d.because,
            evidence=d.evidence,
            sets=d.sets,
            line=d.line,
            reads=d.reads,
            uses=tuple(d.facts),
            traces=traces[i],
            condition=expr.compile_condition(d.node, refs),
        )
        for i, d in enumerate(drafts)
    )
    return RulePack(
        id=str(data["id"]),
        version=str(data["version"]),
        description=str(data["description"]),
        source=source,
        rules=rules,
        plan=_plan(rules, content),
        content=content,
    )


def _setters(rules: Sequence[Draft | Rule]) -> dict[str, list[int]]:
    setters: dict[str, list[int]] = {}
    for i, rule in enumerate(rules):
        for fact in rule.sets:
            setters.setdefault(fact, []).append(i)
    return setters


def _traces(drafts: list[Draft], content: Content) -> list[tuple[str, ...]]:
    setters = _setters(drafts)
    traces = [set(d.reads) for d in drafts]
    changed = True
    while changed:  # facts can chain through several rules, and even loop (positively)
        changed = False
        for i, draft in enumerate(drafts):
            for fact in draft.facts:
                for j in setters.get(fact, ()):
                    if not traces[j] <= traces[i]:
                        traces[i] |= traces[j]
                        changed = True
    order = {prompt_id: n for n, prompt_id in enumerate(content.prompts)}
    return [tuple(sorted(t, key=order.__getitem__)) for t in traces]


def _plan(rules: tuple[Rule, ...], content: Content) -> Plan:
    setters = _setters(rules)
    graph = {
        i: sorted({j for f in r.uses for j in setters.get(f, ())}) for i, r in enumerate(rules)
    }
    # `graph` points from a rule to the rules it waits for; reverse it so setters come first.
    forward: dict[int, list[int]] = {i: [] for i in graph}
    for user, needed in graph.items():
        for setter in needed:
            forward[setter].append(user)
    order = tuple(
        (tuple(sorted(group)), len(group) > 1 or group[0] in graph[group[0]])
        for group in components(forward)
    )
    rows = tuple(
        tuple(row for row in (_row(r, t) for t in r.targets) if row[1] or row[2]) for r in rules
    )
    relevant = _relevant(rules, rows)
    bits = {prompt_id: 1 << n for n, prompt_id in enumerate(content.prompts)}
    return Plan(
        order=order,
        rows=rows,
        weights=tuple(tuple(sorted({w for row in rs for w in row[1:]})) for rs in rows),
        relevant=relevant,
        relevant_masks={
            scope: {t: (sum(bits[p] for p in ids), len(ids)) for t, ids in targets.items()}
            for scope, targets in relevant.items()
        },
        prompt_bits=bits,
        labels={t.id: (t.positive, t.negative) for t in content.targets},
    )


def _row(rule: Rule, target: str) -> Row:
    weight_a, weight_b = rule.weight(target, "a"), rule.weight(target, "b")
    return (target, weight_a, weight_b, round((weight_a + weight_b) / 2, 3))


def _relevant(
    rules: tuple[Rule, ...], rows: tuple[tuple[Row, ...], ...]
) -> dict[str, dict[str, frozenset[str]]]:
    found: dict[str, dict[str, set[str]]] = {s: {t: set() for t in TARGETS} for s in ("a", "b")}
    for rule, rule_rows in zip(rules, rows, strict=True):
        for target, weight_a, weight_b, _ in rule_rows:
            if weight_a:
                found["a"][target].update(rule.traces)
            if weight_b:
                found["b"][target].update(rule.traces)
    return {
        "couple": {t: frozenset(found["a"][t] | found["b"][t]) for t in TARGETS},
        "a": {t: frozenset(found["a"][t]) for t in TARGETS},
        "b": {t: frozenset(found["b"][t]) for t in TARGETS},
    }
