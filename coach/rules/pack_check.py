"""Checking a rule pack: every problem in one pass, each with its file, line and rule.

A pack that fails any check is never run. Checking reports every problem it can find, each with
the file, the line of the rule (or of the key at fault), the rule id and a suggestion where one
helps, so a therapist can fix a pack in one round trip. The rules that pass become drafts, which
coach.rules.plan builds into a pack.

Over 400 lines for one reason: one checker class, one method per key of a rule, is easier to
follow than the same checks spread over modules.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Final

from coach.base.document import DocumentError, Problem, key_lines, parse
from coach.base.errors import did_you_mean
from coach.content import EVIDENCE_LABELS, TARGETS, Content, Prompt
from coach.domain import evidence as ev
from coach.domain.claims import label_problems
from coach.domain.wording_rules import wording_problems
from coach.rules import expr
from coach.rules.graph import negated_cycles
from coach.rules.pack_model import EFFECT_PARTNERS, STEPS, Effect

PACK_KEYS: Final = ("id", "version", "description", "rule")
RULE_KEYS: Final = ("id", "step", "when", "effects", "because", "evidence", "sets")
RULE_ID: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
FACT_NAME: Final = re.compile(r"^[a-z_][a-z0-9_]*$")


def _problem(file: str, line: int | None, rule_id: str | None, message: str) -> Problem:
    """One thing wrong with a pack, printed as `file:line: rule id: message`."""
    return Problem(file, line, f"rule {rule_id}" if rule_id else "", message)


def block_lines(text: str, table: str) -> tuple[dict[str, int], list[dict[str, int]]]:
    """Line numbers of keys: at the top level, and in each `[[table]]` block in source order.

    Keys of sub-tables such as `[rule.effects]` or `effects.oxytocin.b = 0.4` are recorded by
    their dotted path within the block (`effects.oxytocin`), and "" is the block's header line.
    The lines come from coach.base.document's locator, which skips the inside of strings.
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


@dataclass
class Draft:
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

    def run(self) -> tuple[dict[str, Any], list[Draft]] | None:
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
                for problem in wording_problems(value):
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
    ) -> Draft | None:
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
        return Draft(
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
        for problem in wording_problems(value):
            self.report(f"because {problem}", index, label, "because")
        return value

    def check_label(
        self, index: int, label: str, evidence: str, because: str, effects: tuple[Effect, ...]
    ) -> None:
        """A rule's sentence is shown with its own label, so that label must be the one its claim
        carries everywhere (coach.domain.claims): no Contested reasons, citations from the
        bibliography, and no stronger than the evidence for any target it moves (targets.toml),
        since the sentence speaks for it."""
        if evidence == "Contested":
            self.report(
                "a Contested claim cannot serve as a reason; drop the rule or rest it on a"
                " claim with stronger evidence",
                index,
                label,
                "evidence",
            )
            return
        unknown = ev.citation_problems(because, ev.load_references())
        for problem in unknown:
            self.report(f"because {problem}", index, label, "because")
        if not unknown and not wording_problems(because):  # one problem at a time per sentence
            for problem in label_problems(evidence, because):
                self.report(f"evidence: {problem}", index, label, "evidence")
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

    def check_cycles(self, drafts: list[Draft]) -> None:
        for rule_id, cycle in negated_cycles((d.id, d.facts, d.sets) for d in drafts):
            index = next(d.index for d in drafts if d.id == rule_id)
            self.report(
                f"facts depend on each other through a negation: {cycle}; a pack cannot decide"
                " such facts, so break the cycle",
                index,
                rule_id,
                "when",
            )


def check_pack(
    text: str, filename: str, content: Content
) -> tuple[tuple[dict[str, Any], list[Draft]] | None, list[Problem]]:
    """The pack's data and its rules as drafts when it has no problems, else None and every
    problem in file order."""
    checker = _PackChecker(text, filename, content)
    parsed = checker.run()
    if parsed is None or checker.problems:
        # File order reads best; sorted() is stable, so problems on one line keep their order.
        return None, sorted(checker.problems, key=lambda p: p.line or 0)
    return parsed, []
