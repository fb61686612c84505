"""The label a claim carries, so that one claim carries one label everywhere.

A claim is a sentence: the papers it cites and the use it makes of them
(docs/science-and-wording.md, "Labels: the rules"). Its label follows from those, the same in a
step brief, a summary reading, an exercise, a learn page or a rule pack, so two places can never
label one claim differently:

- a sentence that names a contested finding (a reference that supports Contested, or the
  mirror-neuron account) is Contested, which overrides everything else;
- a sentence that describes a clinical or coaching practice is Practice (and only such a one);
- otherwise the sentence carries the weakest label among the findings it cites (papers cited
  together as one `[[claim]]` of references.toml count as that claim); a sentence that cites
  nothing is Unmeasured, the coach's reading;
- a sentence that applies a finding to the couple in a way no study measured ("the coach's
  reading", "not measured", "not studied in couples") carries the weaker of the finding's label
  and Unmeasured, which is Unmeasured.

A text with one `evidence` label (a rule's `because`, an exercise's source, a step's `about`)
has each of its sentences checked against that label; a sentence may instead carry its own label
in parentheses, "(Lieberman et al. 2007; Moderate)" or "(Practice)", as a talking point does.
Pure: used by coach.content.loader and coach.rules.pack_check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from coach.base.errors import DataError
from coach.domain.evidence import (
    EVIDENCE_ORDER,
    REFERENCES_FILE,
    Reference,
    load_references,
    rank,
    resolve,
    weakest,
)
from coach.domain.wording_rules import MIRROR, SCIENCE, sentences

_LABELS: Final = "|".join(EVIDENCE_ORDER)
INLINE_LABEL: Final = re.compile(rf"\((?:[^()]*;\s*)?({_LABELS})\)")
PRACTICE: Final = re.compile(r"\b(?:clinical|coaching) practice\b", re.IGNORECASE)
APPLICATION: Final = re.compile(
    r"\bthe coach's (?:reading|interpretation)\b|\b(?:read|interpreted) by the coach\b"
    r"|\bthe coach (?:reads|links|interprets)\b"
    r"|\bnot (?:been |yet |directly )?(?:measured|studied|tested)\b|\bno study (?:has )?measure"
    r"|\bnot measure\b|\bdid not (?:measure|study|test)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Group:
    """Papers that together support one claim (references.toml `[[claim]]`), such as a study
    and the meta-analysis that replicated it."""

    cites: frozenset[tuple[str, int]]
    label: str
    says: str


@dataclass(frozen=True)
class ClaimLabel:
    label: str
    why: str  # why the claim carries it, in words


@cache
def load_groups() -> tuple[Group, ...]:
    from coach.domain.translation import content_file

    return parse_groups(content_file(REFERENCES_FILE), load_references())


def parse_groups(data: dict[str, object], references: Sequence[Reference]) -> tuple[Group, ...]:
    entries = data.get("claim", [])
    if not isinstance(entries, list):
        raise DataError(f"{REFERENCES_FILE}: claim must be [[claim]] tables")
    by_cite = {r.cite: r for r in references}
    groups: list[Group] = []
    for number, entry in enumerate(entries, start=1):
        where = f"{REFERENCES_FILE}: claim {number}"
        if not isinstance(entry, dict) or set(entry) != {"cites", "label", "says"}:
            raise DataError(f"{where}: needs exactly the keys cites, label, says")
        cites, label, says = entry["cites"], entry["label"], entry["says"]
        if not isinstance(cites, list) or len(cites) < 2 or any(c not in by_cite for c in cites):
            raise DataError(f"{where}: cites must list two or more `cite` names of references")
        if label not in EVIDENCE_ORDER or not isinstance(says, str) or not says.strip():
            raise DataError(f"{where}: label must be an evidence label and says non-empty text")
        groups.append(Group(frozenset(by_cite[c].key for c in cites), label, says))
    return tuple(groups)


def _cited_label(found: list[Reference], groups: Iterable[Group]) -> tuple[str, str]:
    """The weakest label among the findings cited, and which paper sets it."""
    units: list[tuple[str, str]] = []
    left = {r.key: r for r in found}
    for group in groups:
        if group.cites <= set(left):
            names = " with ".join(left[k].cite for k in sorted(group.cites))
            units.append((group.label, names))
            for key in group.cites:
                left.pop(key)
    units += [(r.supports, r.cite) for r in left.values()]
    label = weakest(u[0] for u in units) or "Unmeasured"
    return label, next(name for lab, name in units if lab == label)


def sentence_label(sentence: str, references: Sequence[Reference] | None = None) -> ClaimLabel:
    """The label one sentence's claim carries (its inline label, if any, is ignored)."""
    groups = load_groups() if references is None else ()
    references = load_references() if references is None else references
    found, _ = resolve(sentence, references)
    contested = [r.cite for r in found if r.supports == "Contested"]
    if contested:
        return ClaimLabel("Contested", f"it cites {', '.join(contested)}, a contested finding")
    if MIRROR.search(sentence):
        return ClaimLabel("Contested", "the mirror-neuron account is an open debate")
    if PRACTICE.search(sentence):
        return ClaimLabel("Practice", "it describes a clinical or coaching practice")
    if not found:
        return ClaimLabel("Unmeasured", "it cites no study: it is the coach's reading")
    label, source = _cited_label(found, groups)
    if APPLICATION.search(sentence) and rank(label) < rank("Unmeasured"):
        return ClaimLabel(
            "Unmeasured",
            f"it applies {source} ({label}) to the couple in a way no study measured",
        )
    return ClaimLabel(label, f"it rests on {source}, which supports {label}")


def inline_label(sentence: str) -> str | None:
    found = INLINE_LABEL.findall(sentence)
    return found[-1] if found else None


def label_problems(label: str | None, text: str) -> list[str]:
    """Each sentence of a text whose label is not the one its claim carries.

    `label` is the text's own label (None for text whose sentences label themselves, such as
    talking points: there a sentence that cites a paper or names a chemical or a region needs one).
    """
    problems: list[str] = []
    for sentence in sentences(text):
        given = inline_label(sentence) or label
        if given is None:
            if SCIENCE.search(sentence) or resolve(sentence, load_references())[0]:
                problems.append(
                    f'"{_short(sentence)}" needs an evidence label in parentheses at its end,'
                    ' such as "(Preliminary)"'
                )
            continue
        carries = sentence_label(sentence)
        if carries.label != given:
            problems.append(
                f'conflicting labels: {given} here, but the claim "{_short(sentence)}" carries'
                f" {carries.label} everywhere ({carries.why})"
            )
    return problems


def _short(sentence: str, width: int = 60) -> str:
    return sentence if len(sentence) <= width else sentence[: width - 3].rstrip() + "..."
