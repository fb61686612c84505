"""Rule packs as data: a pack, its rules and their effects, and the plan inference follows.

Frozen dataclasses, built only by coach.rules.pack from a pack that checked (coach.rules.pack_check)
and planned (coach.rules.plan). Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal, TypeAlias

from coach.base.errors import DataError, did_you_mean
from coach.content import TARGETS, Content
from coach.domain.steps import STEPS as STEPS
from coach.rules import expr

DEFAULT_PACK_PATH: Final = Path(__file__).with_name("default.toml")
DEFAULT_PACK_NAME: Final = "default.toml"

PartnerScope: TypeAlias = Literal["a", "b", "both"]
EFFECT_PARTNERS: Final[tuple[PartnerScope, ...]] = ("a", "b", "both")


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
