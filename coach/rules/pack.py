"""Rule packs: loading a TOML pack, checking all of it in one pass, and planning its evaluation.

A pack that fails any check is never run. Checking reports every problem it can find, each with
the file, the line of the rule (or of the key at fault), the rule id and a suggestion where one
helps, so a therapist can fix a pack in one round trip.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal, TypeAlias, TypeVar

from coach import evidence as ev
from coach.content import EVIDENCE_LABELS, TARGETS, Content, Prompt
from coach.document import DocumentError, Problem, decode, key_lines, parse, read_limited
from coach.errors import DataError, did_you_mean
from coach.rules import expr

DEFAULT_PACK_PATH: Final = Path(__file__).with_name("default.toml")
DEFAULT_PACK_NAME: Final = "default.toml"
RULES_ENV: Final = "COACH_RULES"

PartnerScope: TypeAlias = Literal["a", "b", "both"]
EFFECT_PARTNERS: Final[tuple[PartnerScope, ...]] = ("a", "b", "both")
STEPS: Final = (1, 2, 3, 4, 5)
PACK_KEYS: Final = ("id", "version", "description", "rule")
RULE_KEYS: Final = ("id", "step", "when", "effects", "because", "evidence", "sets")
RULE_ID: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
FACT_NAME: Final = re.compile(r"^[a-z_][a-z0-9_]*$")


def _problem(file: str, line: int | None, rule_id: str | None, message: str) -> Problem:
    """One thing wrong with a pack, printed as `file:line: rule id: message`."""
    return Problem(file, line, f"rule {rule_id}" if rule_id else "", message)


@dataclass(frozen=True)
class Effect:
    target: str
    partner: PartnerScope
    weight: float


@dataclass(frozen=True)
class Rule:
    id: str
    step: int
    when: str
    effects: tuple[Effect, ...]
    because: str
    evidence: str
    sets: tuple[str, ...]
    line: int | None
    # Prompt ids the condition reads, and facts it uses.
    reads: tuple[str, ...]
    uses: tuple[str, ...]
    # `reads` plus the reads of every rule that sets a fact this rule uses, transitively: the
    # answers a result can be traced back to.
    traces: tuple[str, ...]
    condition: expr.Evaluator = field(compare=False, repr=False)

    def weight(self, target: str, partner: Literal["a", "b"]) -> float:
        """The total weight this rule gives `target` for one partner (`both` counts for each)."""
        return sum(
            e.weight for e in self.effects if e.target == target and e.partner != _other(partner)
        )

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(t for t in TARGETS if any(e.target == t for e in self.effects))


def _other(partner: Literal["a", "b"]) -> str:
    return "b" if partner == "a" else "a"


Row: TypeAlias = tuple[str, float, float, float]


@dataclass(frozen=True)
class Plan:
    """What inference needs, worked out once when the pack is loaded."""

    # Groups of rule indexes in dependency order; a recursive group (facts feeding each other
    # positively) is repeated until nothing new fires.
    order: tuple[tuple[tuple[int, ...], bool], ...]
    # Per rule index: (target, weight for A, weight for B, weight for the couple) for each
    # target it moves for A or B. The couple weight is the mean of the two, rounded to 3 places.
    rows: tuple[tuple[Row, ...], ...]
    # Per rule index: its distinct weights (A, B and couple), so each fired rule is built once
    # per weight.
    weights: tuple[tuple[float, ...], ...]
    # scope ("couple", "a", "b") -> target -> prompt ids read by the rules affecting it.
    relevant: dict[str, dict[str, frozenset[str]]]
    # The same as bit masks over `prompt_bits`, with their sizes, so confidence is a popcount.
    relevant_masks: dict[str, dict[str, tuple[int, int]]]
    prompt_bits: dict[str, int]
    # target -> (label when positive, label when negative), from the content.
    labels: dict[str, tuple[str, str]]


@dataclass(frozen=True)
class RulePack:
    id: str
    version: str
    description: str
    source: str  # how messages name the file: "default.toml" or the path given
    rules: tuple[Rule, ...]
    plan: Plan = field(compare=False, repr=False)
    content: Content = field(compare=False, repr=False)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        hint = did_you_mean(rule_id, [r.id for r in self.rules])
        raise DataError(f'no rule "{rule_id}" in {self.source}{hint}')

    @property
    def facts(self) -> frozenset[str]:
        return frozenset(f for r in self.rules for f in r.sets)


# --- locating lines --------------------------------------------------------------------------


def block_lines(text: str, table: str) -> tuple[dict[str, int], list[dict[str, int]]]:
    """Line numbers of keys: at the top level, and in each `[[table]]` block in source order.

    Keys of sub-tables such as `[rule.effects]` or `effects.oxytocin.b = 0.4` are recorded by
    their dotted path within the block (`effects.oxytocin`), and "" is the block's header line.
    The lines come from coach.document's locator, which skips the inside of strings.
    """
    top: dict[str, int] = {}
    blocks: list[dict[str, int]] = []
    for path, number in key_lines(text).items():
        if len(path) >= 2 and path[0] == table and isinstance(path[1], int):
            while len(blocks) <= path[1]:
                blocks.append({})
            blocks[path[1]].setdefault(".".join(str(p) for p in path[2:]), number)
        elif path != (table,):
            top.setdefault(".".join(str(p) for p in path), number)
    return top, blocks


# --- checking --------------------------------------------------------------------------------


@dataclass
class _Draft:
    """A rule whose condition parsed, waiting for the pack-wide checks.

    Rules with other problems are kept so that the cycle check still sees their facts; a pack
    with any problem is never built, so those never run.
    """

    index: int
    id: str
    step: int
    when: str
    node: expr.Node
    reads: tuple[str, ...]
    facts: dict[str, bool]
    effects: tuple[Effect, ...]
    because: str
    evidence: str
    sets: tuple[str, ...]
    line: int | None


_ref_tables: dict[int, tuple[Content, dict[str, Prompt]]] = {}


def ref_table(content: Content) -> dict[str, Prompt]:
    """Prompts by the name conditions use for them (`a.s1.greeted_warmly`), built once."""
    cached = _ref_tables.get(id(content))
    if cached is None or cached[0] is not content:  # Content holds a dict, so it is unhashable
        cached = (content, {expr.ref_name(p): p for p in content.prompts.values()})
        _ref_tables[id(content)] = cached
    return cached[1]


class _PackChecker:
    def __init__(self, text: str, filename: str, content: Content) -> None:
        self.text = text
        self.filename = filename
        self.content = content
        self.refs = ref_table(content)
        self.problems: list[Problem] = []
        self.top_lines, self.blocks = block_lines(text, "rule")

    # Reporting ---------------------------------------------------------------------------

    def line(self, index: int | None, *keys: str) -> int | None:
        if index is None:
            for key in keys:
                if key in self.top_lines:
                    return self.top_lines[key]
            return None
        block = self.blocks[index] if index < len(self.blocks) else {}
        for key in (*keys, "id", ""):
            if key in block:
                return block[key]
        return None

    def report(
        self, message: str, index: int | None = None, rule: str | None = None, *keys: str
    ) -> None:
        self.problems.append(_problem(self.filename, self.line(index, *keys), rule, message))

    # The whole pack ----------------------------------------------------------------------

    def run(self) -> tuple[dict[str, Any], list[_Draft]] | None:
        try:
            data = parse(self.text, self.filename)
        except DocumentError as exc:
            self.problems.append(exc.problem)
            return None
        self.check_header(data)
        raw_rules = data.get("rule")
        if not isinstance(raw_rules, list) or not raw_rules:
            self.report("a pack needs one or more [[rule]] tables")
            return data, []
        tables = [r for r in raw_rules if isinstance(r, dict)]
        if len(tables) != len(raw_rules):
            self.report("rule must be written as [[rule]] tables", None, None, "rule")
            return data, []
        facts = self.facts_set(tables)
        seen: dict[str, int] = {}
        drafts = [self.check_rule(i, raw, facts, seen) for i, raw in enumerate(tables)]
        checked = [d for d in drafts if d is not None]
        self.check_cycles(checked)
        return data, checked

    def check_header(self, data: dict[str, Any]) -> None:
        for key in data:
            if key not in PACK_KEYS:
                self.report(f'unknown key "{key}"{did_you_mean(key, PACK_KEYS)}', None, None, key)
        for key in ("id", "version", "description"):
            value = data.get(key)
            if value is None:
                self.report(f'the pack needs "{key}" at the top of the file')
            elif not isinstance(value, str) or not value.strip():
                self.report(f'"{key}" must be non-empty text, e.g. {key} = "1"', None, None, key)
            elif key == "description":
                for problem in ev.wording_problems(value):
                    self.report(f"description {problem}", None, None, key)

    def facts_set(self, tables: list[dict[str, Any]]) -> set[str]:
        facts: set[str] = set()
        for raw in tables:
            sets = raw.get("sets")
            if isinstance(sets, list):
                facts.update(s for s in sets if isinstance(s, str) and FACT_NAME.match(s))
        return facts

    # One rule ----------------------------------------------------------------------------

    def check_rule(
        self, index: int, raw: dict[str, Any], facts: set[str], seen: dict[str, int]
    ) -> _Draft | None:
        rule_id = self.check_id(index, raw.get("id"), seen)
        label = rule_id or f"#{index + 1}"
        for key in raw:
            if key not in RULE_KEYS:
                self.report(f'unknown key "{key}"{did_you_mean(key, RULE_KEYS)}', index, label, key)
        step = self.check_step(index, label, raw.get("step"))
        evidence = self.check_evidence(index, label, raw.get("evidence"))
        because = self.check_because(index, label, raw.get("because"))
        sets = self.check_sets(index, label, raw.get("sets"))
        effects = self.check_effects(index, label, raw.get("effects"))
        if raw.get("effects") in (None, {}) and raw.get("sets") in (None, []):
            self.report("a rule needs effects, sets, or both", index, label)
        if evidence is not None and because is not None:
            self.check_label(index, label, evidence, because, effects)
        when = self.check_when(index, label, raw.get("when"), facts)
        if when is None:
            return None
        node, result, text = when
        # Placeholders below stand in only for rules with problems, and those are never built.
        return _Draft(
            index=index,
            id=label,
            step=step or 0,
            when=text,
            node=node,
            reads=tuple(result.reads),
            facts=result.facts,
            effects=effects,
            because=because or "",
            evidence=evidence or "",
            sets=sets,
            line=self.line(index, "id"),
        )

    def check_id(self, index: int, value: object, seen: dict[str, int]) -> str | None:
        if value is None:
            self.report('a rule needs an id, e.g. id = "s1_warm_greeting"', index, f"#{index + 1}")
            return None
        if not isinstance(value, str) or not RULE_ID.match(value):
            self.report(
                "a rule id must start with a letter and use letters, digits, _ or -",
                index,
                f"#{index + 1}",
                "id",
            )
            return None
        if value in seen:
            first = self.line(seen[value], "id")
            also = f" (first defined on line {first})" if first else ""
            self.report(f'duplicate rule id "{value}"{also}', index, value, "id")
        else:
            seen[value] = index
        return value

    def check_step(self, index: int, label: str, value: object) -> int | None:
        if value is None:
            self.report("a rule needs a step (1 to 5)", index, label)
        elif isinstance(value, bool) or not isinstance(value, int):
            self.report(
                f"step must be a whole number from 1 to 5, not {value!r}", index, label, "step"
            )
        elif value not in STEPS:
            self.report(f"step {value} is out of range; steps are 1 to 5", index, label, "step")
        else:
            return value
        return None

    def check_evidence(self, index: int, label: str, value: object) -> str | None:
        labels = ", ".join(EVIDENCE_LABELS)
        if value is None:
            self.report(f"a rule needs an evidence label ({labels})", index, label)
        elif not isinstance(value, str) or value not in EVIDENCE_LABELS:
            shown = value if isinstance(value, str) else repr(value)
            hint = did_you_mean(shown, EVIDENCE_LABELS)
            self.report(
                f'evidence "{shown}" is not one of {labels}{hint}', index, label, "evidence"
            )
        else:
            return value
        return None

    def check_because(self, index: int, label: str, value: object) -> str | None:
        if value is None:
            self.report("a rule needs a because sentence to show the couple", index, label)
            return None
        if not isinstance(value, str) or not value.strip():
            self.report("because must be non-empty text", index, label, "because")
            return None
        for problem in ev.wording_problems(value):
            self.report(f"because {problem}", index, label, "because")
        return value

    def check_label(
        self, index: int, label: str, evidence: str, because: str, effects: tuple[Effect, ...]
    ) -> None:
        """A rule's sentence is shown with its own label, so that label must be honest: no
        Contested reasons, no stronger than any paper it cites, and no stronger than the
        evidence for any target it moves (targets.toml), since the sentence speaks for it."""
        if evidence == "Contested":
            self.report(
                "a Contested claim cannot serve as a reason; drop the rule or rest it on a"
                " claim with stronger evidence",
                index,
                label,
                "evidence",
            )
            return
        for problem in ev.label_problems(evidence, because, ev.load_references()):
            self.report(f"because {problem}", index, label, "because", "evidence")
        target_labels = {t.id: t.evidence for t in self.content.targets}
        for target in dict.fromkeys(e.target for e in effects):
            if ev.stronger(evidence, target_labels[target]):
                self.report(
                    f"is labelled {evidence} but moves {target}, whose evidence is"
                    f" {target_labels[target]} (targets.toml); a rule that moves a target is"
                    " labelled no stronger than that target",
                    index,
                    label,
                    "evidence",
                )

    def check_sets(self, index: int, label: str, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.report(
                'sets must be a list of fact names, e.g. sets = ["mutual_warmth"]',
                index,
                label,
                "sets",
            )
            return ()
        for name in value:
            if not FACT_NAME.match(name):
                self.report(
                    f'fact name "{name}" must use lower-case letters, digits and _',
                    index,
                    label,
                    "sets",
                )
        return tuple(value)

    def check_effects(self, index: int, label: str, value: object) -> tuple[Effect, ...]:
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.report(
                "effects must be a table, e.g. effects = { oxytocin = { b = 0.4 } }",
                index,
                label,
                "effects",
            )
            return ()
        effects: list[Effect] = []
        for target, partners in value.items():
            key = f"effects.{target}"
            if target not in TARGETS:
                hint = did_you_mean(target, TARGETS)
                self.report(f'unknown target "{target}"{hint}', index, label, key, "effects")
                continue
            if not isinstance(partners, dict) or not partners:
                self.report(
                    f"effects.{target} must be a table of partner = weight, e.g. {{ both = 0.3 }}",
                    index,
                    label,
                    key,
                    "effects",
                )
                continue
            effects.extend(self.check_weights(index, label, target, partners))
        return tuple(effects)

    def check_weights(
        self, index: int, label: str, target: str, partners: dict[str, Any]
    ) -> list[Effect]:
        effects: list[Effect] = []
        key = f"effects.{target}"
        for partner, weight in partners.items():
            keys = (f"{key}.{partner}", key, "effects")
            if partner not in EFFECT_PARTNERS:
                hint = did_you_mean(partner, EFFECT_PARTNERS)
                self.report(
                    f'unknown partner "{partner}" in effects.{target}{hint}; use a, b or both',
                    index,
                    label,
                    *keys,
                )
            elif isinstance(weight, bool) or not isinstance(weight, int | float):
                self.report(
                    f"the weight of effects.{target}.{partner} must be a number, not {weight!r}",
                    index,
                    label,
                    *keys,
                )
            elif not (math.isfinite(weight) and -1 <= weight <= 1):
                self.report(
                    f"the weight of effects.{target}.{partner} is {weight}; weights are -1 to 1",
                    index,
                    label,
                    *keys,
                )
            else:
                effects.append(Effect(target, partner, float(weight)))
        return effects

    def check_when(
        self, index: int, label: str, value: object, facts: set[str]
    ) -> tuple[expr.Node, expr.CheckResult, str] | None:
        if value is None:
            self.report("a rule needs a when condition", index, label)
            return None
        if not isinstance(value, str):
            self.report(
                "when must be text, e.g. when = 'a.s1.greeted_warmly >= 4'", index, label, "when"
            )
            return None
        try:
            node = expr.parse(value)
        except expr.ExprSyntaxError as exc:
            self.report(
                f"syntax error in when at column {exc.column}: {exc.message}", index, label, "when"
            )
            return None
        result = expr.check(node, self.refs, facts)
        for problem in result.problems:
            self.report(problem.message, index, label, "when")
        return node, result, value

    # Facts that depend on each other -----------------------------------------------------

    def check_cycles(self, drafts: list[_Draft]) -> None:
        # Edges fact -> fact: a rule that uses fact u (positively or not) and sets fact s.
        edges: list[tuple[str, str, str, bool]] = [
            (used, made, d.id, positive)
            for d in drafts
            for used, positive in d.facts.items()
            for made in d.sets
        ]
        graph: dict[str, list[str]] = {}
        for used, made, _, _ in edges:
            graph.setdefault(used, []).append(made)
            graph.setdefault(made, [])
        component = {node: n for n, group in enumerate(components(graph)) for node in group}
        reported: set[int] = set()
        for used, made, rule_id, positive in edges:
            group = component[used]
            if positive or component[made] != group or group in reported:
                continue
            reported.add(group)
            cycle = _describe_cycle(used, made, rule_id, edges, component)
            index = next(d.index for d in drafts if d.id == rule_id)
            self.report(
                f"facts depend on each other through a negation: {cycle}; a pack cannot decide"
                " such facts, so break the cycle",
                index,
                rule_id,
                "when",
            )


def _describe_cycle(
    used: str,
    made: str,
    rule_id: str,
    edges: list[tuple[str, str, str, bool]],
    component: dict[str, int],
) -> str:
    """`fact.x -[not, rule r2]-> fact.y -[rule r1]-> fact.x`: the negated step, then back."""
    group = component[used]
    inside = [e for e in edges if component[e[0]] == group and component[e[1]] == group]
    # Breadth-first search from `made` back to `used` along edges inside the cycle.
    came_from: dict[str, tuple[str, str, bool] | None] = {made: None}
    queue = [made]
    while queue and used not in came_from:
        node = queue.pop(0)
        for source, target, rule, positive in inside:
            if source == node and target not in came_from:
                came_from[target] = (source, rule, positive)
                queue.append(target)
    path: list[tuple[str, str, bool]] = []
    node = used
    while came_from.get(node) is not None and node != made:
        step = came_from[node]
        assert step is not None
        path.append((node, step[1], step[2]))
        node = step[0]
    text = f"fact.{used} -[not, rule {rule_id}]-> fact.{made}"
    for target, rule, positive in reversed(path):
        text += f" -[{'' if positive else 'not, '}rule {rule}]-> fact.{target}"
    return text


Node = TypeVar("Node", bound=Hashable)


def components(graph: Mapping[Node, Sequence[Node]]) -> list[list[Node]]:
    """Strongly connected components in topological order (Kosaraju, without recursion)."""
    finished: list[Node] = []
    visited: set[Node] = set()
    for start in graph:
        if start in visited:
            continue
        visited.add(start)
        stack: list[tuple[Node, Iterable[Node]]] = [(start, iter(graph[start]))]
        while stack:
            node, children = stack[-1]
            child = next((c for c in children if c not in visited), None)
            if child is None:
                stack.pop()
                finished.append(node)
            else:
                visited.add(child)
                stack.append((child, iter(graph[child])))
    reverse: dict[Node, list[Node]] = {node: [] for node in graph}
    for node, children in graph.items():
        for child in children:
            reverse[child].append(node)
    assigned: set[Node] = set()
    result: list[list[Node]] = []
    for root in reversed(finished):
        if root in assigned:
            continue
        group = [root]
        assigned.add(root)
        pending = [root]
        while pending:
            for parent in reverse[pending.pop()]:
                if parent not in assigned:
                    assigned.add(parent)
                    group.append(parent)
                    pending.append(parent)
        result.append(group)
    return result


# --- building --------------------------------------------------------------------------------


def _build(data: dict[str, Any], drafts: list[_Draft], source: str, content: Content) -> RulePack:
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


def _setters(rules: Sequence[_Draft | Rule]) -> dict[str, list[int]]:
    setters: dict[str, list[int]] = {}
    for i, rule in enumerate(rules):
        for fact in rule.sets:
            setters.setdefault(fact, []).append(i)
    return setters


def _traces(drafts: list[_Draft], content: Content) -> list[tuple[str, ...]]:
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


# --- public API ------------------------------------------------------------------------------


def compile_pack_text(
    text: str, filename: str, content: Content
) -> tuple[RulePack | None, list[Problem]]:
    """Check a pack's text and, when it has no problems, build the pack ready to run."""
    checker = _PackChecker(text, filename, content)
    parsed = checker.run()
    if parsed is None or checker.problems:
        # File order reads best; sorted() is stable, so problems on one line keep their order.
        return None, sorted(checker.problems, key=lambda p: p.line or 0)
    data, drafts = parsed
    return _build(data, drafts, filename, content), []


def check_pack_text(text: str, filename: str, content: Content) -> list[Problem]:
    """Every problem in a pack, in file order; an empty list means the pack can run."""
    return compile_pack_text(text, filename, content)[1]


def pack_problems_error(source: str, problems: list[Problem]) -> DataError:
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    return DataError(f"{source}: the rule pack has {count}", details=[str(p) for p in problems])


def read_pack_text(path: Path) -> str:
    """A pack's text, read within coach.document's limits."""
    return decode(read_limited(path, "rule pack"), str(path))


def pack_source(path: Path | None) -> tuple[Path, str]:
    """The file to read and the name messages use for it."""
    if path is None:
        return DEFAULT_PACK_PATH, DEFAULT_PACK_NAME
    return path, str(path)


_default: dict[str, tuple[Content, RulePack]] = {}


def load_pack(path: Path | None, content: Content) -> RulePack:
    """Load and check a pack; None means the default pack, parsed once per process.

    Raises DataError listing every problem (as details) when the pack does not check.
    """
    if path is None:
        cached = _default.get("pack")
        if cached is not None and cached[0] is content:
            return cached[1]
    file, source = pack_source(path)
    pack, problems = compile_pack_text(read_pack_text(file), source, content)
    if pack is None:
        raise pack_problems_error(source, problems)
    if path is None:
        _default["pack"] = (content, pack)
    return pack


def check_default_pack_uncached(content: Content) -> RulePack:
    """Read, check and compile the default pack without the cache (for benchmarks and tests)."""
    pack, problems = compile_pack_text(
        read_pack_text(DEFAULT_PACK_PATH), DEFAULT_PACK_NAME, content
    )
    if pack is None:
        raise pack_problems_error(DEFAULT_PACK_NAME, problems)
    return pack


def resolve_pack_path(option: Path | None) -> Path | None:
    """The pack to use: the --rules option, else $COACH_RULES, else None (the default pack)."""
    if option is not None:
        return option
    from_env = os.environ.get(RULES_ENV, "").strip()
    return Path(from_env).expanduser() if from_env else None
