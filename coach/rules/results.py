"""The results of inference: what fired for each target and scope, how to read them, and how
they are saved with a session and read back. coach.rules.infer produces them. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from coach.base.errors import DataError
from coach.content import TARGETS, AnswerValue
from coach.domain.evidence import EVIDENCE_ORDER as EVIDENCE_ORDER
from coach.domain.steps import STEPS

SCOPES: Final = ("couple", "a", "b")
LABEL_THRESHOLD: Final = 0.2
NEUTRAL_LABEL: Final = "little sign either way"

_EVIDENCE_RANK: Final = {label: n for n, label in enumerate(EVIDENCE_ORDER)}


@dataclass(frozen=True, slots=True)
class FiredRule:
    """A rule that fired, as seen from one target and scope."""

    rule_id: str
    step: int
    because: str
    evidence: str
    weight: float  # for the couple: the mean of its weights for A and B
    answers: tuple[tuple[str, AnswerValue], ...]  # the answered prompts it was traced to


@dataclass(frozen=True, slots=True)
class TargetResult:
    target: str
    score: float
    confidence: float
    label: str
    evidence: str | None  # the weakest label among the fired rules; None when none fired
    fired: tuple[FiredRule, ...]


@dataclass(frozen=True)
class Inference:
    pack_id: str
    pack_version: str
    couple: dict[str, TargetResult]
    a: dict[str, TargetResult]
    b: dict[str, TargetResult]
    facts: frozenset[str]
    steps: tuple[int, ...] = STEPS  # the steps whose rules were run
    fired: tuple[str, ...] = ()  # every rule that fired, in pack order (fact-only rules too)

    def scope(self, name: str) -> dict[str, TargetResult]:
        """Results for "couple", "a" or "b"."""
        if name not in SCOPES:
            raise DataError(f'unknown scope "{name}"; use couple, a or b')
        return {"couple": self.couple, "a": self.a, "b": self.b}[name]

    def to_dict(self) -> dict[str, Any]:
        """A TOML- and JSON-safe dict (no None values). Each fired rule's text is stored once."""
        rules: dict[str, dict[str, Any]] = {}
        for results in (self.couple, self.a, self.b):
            for result in results.values():
                for fired in result.fired:
                    rules.setdefault(fired.rule_id, _rule_dict(fired))
        return {
            "pack_id": self.pack_id,
            "pack_version": self.pack_version,
            "steps": list(self.steps),
            "facts": sorted(self.facts),
            "fired": list(self.fired),
            "rules": rules,
            **{scope: _scope_dict(self.scope(scope)) for scope in SCOPES},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Inference:
        """Rebuild an Inference saved by to_dict; raises DataError naming the first bad key."""
        return _Reader(data).inference()


def _rule_dict(fired: FiredRule) -> dict[str, Any]:
    return {
        "step": fired.step,
        "because": fired.because,
        "evidence": fired.evidence,
        "answers": dict(fired.answers),
    }


def _scope_dict(results: dict[str, TargetResult]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for target, result in results.items():
        entry: dict[str, Any] = {
            "score": result.score,
            "confidence": result.confidence,
            "label": result.label,
        }
        if result.evidence is not None:
            entry["evidence"] = result.evidence
        entry["fired"] = [{"rule": f.rule_id, "weight": f.weight} for f in result.fired]
        out[target] = entry
    return out


def evidence_rank(fired: FiredRule) -> int:
    return _EVIDENCE_RANK[fired.evidence]


def pulls(result: TargetResult) -> tuple[list[FiredRule], list[FiredRule]]:
    """The fired rules that pulled a reading up (toward the positive label) and down, each
    strongest first. What a summary shows under a reading comes from the side it leans to."""
    up = sorted((f for f in result.fired if f.weight > 0), key=lambda f: -f.weight)
    down = sorted((f for f in result.fired if f.weight < 0), key=lambda f: f.weight)
    return up, down


def leading_reason(result: TargetResult) -> FiredRule | None:
    """The strongest rule on the side the reading leans to; for a neutral reading, the
    strongest either way. Never a rule that pulled against the reading."""
    up, down = pulls(result)
    if result.score > 0:
        return up[0] if up else None
    if result.score < 0:
        return down[0] if down else None
    return max(result.fired, key=lambda f: abs(f.weight), default=None)


def label_for(score: float, labels: tuple[str, str]) -> str:
    """The content's positive or negative wording when |score| >= 0.2, else a neutral one."""
    if score >= LABEL_THRESHOLD:
        return labels[0]
    if score <= -LABEL_THRESHOLD:
        return labels[1]
    return NEUTRAL_LABEL


def weakest_evidence(labels: Iterable[str]) -> str | None:
    """The weakest of the labels (Strong > Moderate > Preliminary > Practice > Contested)."""
    return max(labels, key=_EVIDENCE_RANK.__getitem__, default=None)


def step_strengths(inference: Inference) -> dict[int, float]:
    """How secure each step looked: the mean signed weight of the partner effects fired there.

    Every (rule, target, partner) effect that fired counts once, from A's and B's results; a
    step that was run but where nothing fired scores 0.0. Steps that were not run are left out.
    The lowest values are the steps to pick exercises for.
    """
    weights: dict[int, list[float]] = {step: [] for step in inference.steps}
    for results in (inference.a, inference.b):
        for result in results.values():
            for fired in result.fired:
                weights.setdefault(fired.step, []).append(fired.weight)
    return {
        step: round(sum(values) / len(values), 3) if values else 0.0
        for step, values in sorted(weights.items())
    }


# --- reading a saved inference ---------------------------------------------------------------


class _Reader:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data

    def fail(self, key: str, problem: str) -> DataError:
        return DataError(f"results: {key}: {problem}")

    def inference(self) -> Inference:
        data = self.data
        rules = data.get("rules", {})
        if not isinstance(rules, Mapping):
            raise self.fail("rules", "must be a table")
        steps = data.get("steps", list(STEPS))
        if not isinstance(steps, list) or not all(isinstance(s, int) for s in steps):
            raise self.fail("steps", "must be a list of step numbers")
        return Inference(
            pack_id=self.text(data, "pack_id"),
            pack_version=self.text(data, "pack_version"),
            couple=self.scope("couple", rules),
            a=self.scope("a", rules),
            b=self.scope("b", rules),
            facts=frozenset(self.texts(data, "facts")),
            steps=tuple(steps),
            fired=tuple(self.texts(data, "fired")),
        )

    def text(self, table: Mapping[str, Any], key: str, where: str = "") -> str:
        value = table.get(key)
        if not isinstance(value, str):
            raise self.fail(where + key, "must be text")
        return value

    def number(self, table: Mapping[str, Any], key: str, where: str) -> float:
        value = table.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(where + key, "must be a number")
        return float(value)

    def texts(self, table: Mapping[str, Any], key: str) -> list[str]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "must be a list of text")
        return value

    def scope(self, scope: str, rules: Mapping[str, Any]) -> dict[str, TargetResult]:
        table = self.data.get(scope)
        if not isinstance(table, Mapping):
            raise self.fail(scope, "must be a table of targets")
        results: dict[str, TargetResult] = {}
        for target in TARGETS:
            entry = table.get(target)
            if entry is None and self.unknown_when_saved(target):
                # Saved before targets.toml had this target: no rule read it then.
                results[target] = TargetResult(target, 0.0, 0.0, NEUTRAL_LABEL, None, ())
                continue
            if not isinstance(entry, Mapping):
                raise self.fail(f"{scope}.{target}", "is missing")
            results[target] = self.target(f"{scope}.{target}.", target, entry, rules)
        return results

    def unknown_when_saved(self, target: str) -> bool:
        """A target none of the scopes holds: results saved before it was added (one scope
        without it is a damaged file)."""
        return all(
            isinstance(self.data.get(name), Mapping) and target not in self.data[name]
            for name in SCOPES
        )

    def target(
        self, where: str, target: str, entry: Mapping[str, Any], rules: Mapping[str, Any]
    ) -> TargetResult:
        evidence = entry.get("evidence")
        if evidence is not None and evidence not in EVIDENCE_ORDER:
            raise self.fail(where + "evidence", f'"{evidence}" is not an evidence label')
        fired_list = entry.get("fired", [])
        if not isinstance(fired_list, list):
            raise self.fail(where + "fired", "must be a list")
        return TargetResult(
            target=target,
            score=self.number(entry, "score", where),
            confidence=self.number(entry, "confidence", where),
            label=self.text(entry, "label", where),
            evidence=evidence,
            fired=tuple(self.fired(where + "fired.", item, rules) for item in fired_list),
        )

    def fired(self, where: str, item: object, rules: Mapping[str, Any]) -> FiredRule:
        if not isinstance(item, Mapping):
            raise self.fail(where.rstrip("."), "must hold tables of rule and weight")
        rule_id = self.text(item, "rule", where)
        rule = rules.get(rule_id)
        if not isinstance(rule, Mapping):
            raise self.fail(f"rules.{rule_id}", "is missing")
        step = rule.get("step")
        answers = rule.get("answers", {})
        if isinstance(step, bool) or not isinstance(step, int):
            raise self.fail(f"rules.{rule_id}.step", "must be a whole number")
        if not isinstance(answers, Mapping) or not all(
            isinstance(v, int | str) for v in answers.values()
        ):
            raise self.fail(f"rules.{rule_id}.answers", "must be a table of answers")
        return FiredRule(
            rule_id=rule_id,
            step=step,
            because=self.text(rule, "because", f"rules.{rule_id}."),
            evidence=self.text(rule, "evidence", f"rules.{rule_id}."),
            weight=self.number(item, "weight", where),
            answers=tuple(answers.items()),
        )
