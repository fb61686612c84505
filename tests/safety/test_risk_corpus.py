"""The risk lexicon measured on the labelled corpus in tests/safety/corpus/ (see
docs/safety-lexicon.md).

dev.tsv is the half the lexicon is tuned on: recall of at least 90% of disclosures and at most
10% of everyday lines flagged. frozen.tsv was committed before the lexicon existed and is never
edited (`git log tests/safety/corpus/frozen.tsv` shows one commit); its floor is what the lexicon
reached when it was first measured, so a change to the lexicon cannot quietly make it worse.
fresh.tsv, fresh2.tsv and fresh3.tsv were written later, each after a version of the lexicon
and measured once before any change: fresh and fresh2 showed how little the lexicon generalised
(17.5% and 25% recall) and their misses informed the next version, so they are no longer held
out; fresh3 (30% recall, 7.5% false positives when first measured) was the fourth lexicon's
development material, so it is no longer held out either. dev2, dev3 and dev4 were written
during the fourth lexicon, each measured once before it was tuned on (40%, 28% and 30% recall:
the best estimate of what a phrase lexicon finds on a stranger's sentences). fresh4 was written
before the fourth lexicon was begun and measured once at its end (98.5% recall, 12.3% false
positives); it is held out, but its author also wrote that lexicon. Their floors, too,
are what is measured now, so the figures in docs/safety-lexicon.md stay true.
Run with `-s` to see the figures per kind.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from coach.domain.lexicon import KINDS
from coach.domain.risk_text import load_classifier

CORPUS = Path(__file__).parent / "corpus"
LABELS = ("ok", *KINDS)


@dataclass(frozen=True)
class Figures:
    lines: Counter[str]  # label -> lines
    flagged: Counter[str]  # label -> lines flagged (any kind)
    right_kind: Counter[str]  # label -> disclosures flagged with their own kind

    @property
    def disclosures(self) -> int:
        return sum(self.lines[k] for k in KINDS)

    @property
    def recall(self) -> float:
        return sum(self.flagged[k] for k in KINDS) / self.disclosures

    @property
    def false_positives(self) -> float:
        return self.flagged["ok"] / self.lines["ok"]

    def report(self, name: str) -> str:
        rows = [f"{name}: recall {self.recall:.1%}, false positives {self.false_positives:.1%}"]
        for label in LABELS:
            n, f = self.lines[label], self.flagged[label]
            kind = "" if label == "ok" else f", kind right {self.right_kind[label]}/{n}"
            rows.append(f"  {label:18} {f:3}/{n:3} flagged ({f / n:.0%}){kind}")
        return "\n".join(rows)


def read_corpus(name: str) -> list[tuple[str, str]]:
    rows = []
    for number, line in enumerate((CORPUS / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, _, text = line.partition("\t")
        assert label in LABELS and text.strip(), f"{name}:{number}: label TAB text"
        rows.append((label, text))
    return rows


def measure(name: str) -> Figures:
    judge = load_classifier(None)  # the packaged lexicon only
    lines: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for label, text in read_corpus(name):
        verdict = judge.classify(text)
        lines[label] += 1
        flagged[label] += verdict.risk
        right[label] += verdict.kind == label
    return Figures(lines, flagged, right)


def test_the_corpus_is_big_enough_and_balanced() -> None:
    dev, frozen = read_corpus("dev.tsv"), read_corpus("frozen.tsv")
    assert len(dev) + len(frozen) >= 300
    for half in (dev, frozen):
        labels = Counter(label for label, _ in half)
        assert all(labels[kind] >= 15 for kind in KINDS), labels
        assert 0.4 <= labels["ok"] / len(half) <= 0.6, labels
    texts = [text for _, text in dev + frozen]
    assert len(set(texts)) == len(texts), "a line is in the corpus twice"


def test_dev_half_recall_and_false_positives(capsys: pytest.CaptureFixture[str]) -> None:
    figures = measure("dev.tsv")
    with capsys.disabled():
        print("\n" + figures.report("dev.tsv"))
    assert figures.recall >= 0.90
    assert figures.false_positives <= 0.10


# What the lexicon reaches on the frozen half (docs/safety-lexicon.md): 90 of 90 disclosures and
# 0 of 95 everyday lines; at its first measurement it was 89 of 90 and 0 of 95.
FROZEN_RECALL_FLOOR = 90 / 90
FROZEN_FALSE_POSITIVE_CEILING = 0 / 95


def test_frozen_half_stays_at_its_floor(capsys: pytest.CaptureFixture[str]) -> None:
    figures = measure("frozen.tsv")
    with capsys.disabled():
        print("\n" + figures.report("frozen.tsv"))
    assert figures.recall >= FROZEN_RECALL_FLOOR
    assert figures.false_positives <= FROZEN_FALSE_POSITIVE_CEILING


# name -> (recall floor, false-positive ceiling), as measured (docs/safety-lexicon.md).
FRESH_FLOORS = {
    "fresh.tsv": (39 / 40, 0 / 40),
    "fresh2.tsv": (37 / 40, 0 / 40),
    "fresh3.tsv": (39 / 40, 2 / 40),
    "dev2.tsv": (50 / 50, 2 / 50),
    "dev3.tsv": (23 / 25, 1 / 25),
    "dev4.tsv": (28 / 30, 2 / 30),
    # Written before the fourth lexicon was begun, measured once at its end, never tuned on.
    "fresh4.tsv": (64 / 65, 8 / 65),
}


@pytest.mark.parametrize("name", sorted(FRESH_FLOORS))
def test_fresh_sets_stay_at_their_floor(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    figures = measure(name)
    with capsys.disabled():
        print("\n" + figures.report(name))
    recall, false_positives = FRESH_FLOORS[name]
    assert figures.recall >= recall
    assert figures.false_positives <= false_positives
