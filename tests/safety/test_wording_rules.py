"""Everything the coach ships follows the wording rules of the science guide.

One checker (coach.domain.wording_rules.wording_problems) covers the content, the rule packs, the
pages of
`coach learn`, the summary notice, the safety text, README.md and docs/*.md: no causal verbs
(activates, releases, triggers, boosts, floods, rewires, proves), no mirror neurons stated as
fact, no measurement claims ("your oxytocin is"). Fields that quote the source model or a paper's
title (`seed`, `role`, `effect`, `title`, ...) are exempt: they are shown as quotations.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from coach.content import EVIDENCE_LABELS, load_content
from coach.domain.wording_rules import sentences, wording_problems
from coach.render import learn
from coach.render.summary import NOTICE

ROOT = Path(__file__).resolve().parents[2]
EXPLANATION_KEYS = {"about", "evidence_note", "because", "how"}
# The source model's own wording and bibliographic fields, shown as quotations.
QUOTED_KEYS = {"seed", "role", "effect", "title", "authors", "journal", "cite", "doi"}
SCIENCE_WORDS = re.compile(
    r"oxytocin|dopamine|serotonin|endorphin|vasopressin|amygdala|cortex|insula|hippocampus"
    r"|brain|neuron|hormone|chemical",
    re.IGNORECASE,
)


def shipped_toml_files() -> Iterator[tuple[str, dict[str, Any]]]:
    for package in ("coach.content", "coach.rules"):
        for entry in resources.files(package).iterdir():
            # The risk lexicon holds phrases to find in answers, never text the coach shows.
            if entry.name == "lexicon.toml":
                continue
            if entry.name.endswith(".toml") and "cases" not in entry.name:
                yield f"{package}/{entry.name}", tomllib.loads(entry.read_text(encoding="utf-8"))


def walk(node: Any, path: str = "") -> Iterator[tuple[str, str, Any, dict[str, Any] | None]]:
    """Yield (path, key, value, parent table) for every value in a TOML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield f"{path}.{key}", key, value, node
            yield from walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}[{index}]")


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


FILES = list(shipped_toml_files())
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def prose(markdown: str) -> str:
    """Markdown without code and without quoted words: what the docs themselves claim."""
    markdown = re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL)
    markdown = re.sub(r"`[^`\n]*`", " ", markdown)
    return re.sub(r'"[^"\n]*"|“[^”\n]*”|\'[^\'\n]*\'(?=[\s.,;:)])', " ", markdown)


def science_sentences(text: str) -> Iterator[str]:
    """Sentences that speak about a chemical, a region or the brain (docs also speak of
    releases of software and of what a test proves)."""
    for part in re.split(r"\n\s*\n|\|", text):
        for sentence in sentences(part):
            if SCIENCE_WORDS.search(sentence):
                yield sentence


def test_rule_packs_and_content_are_scanned() -> None:
    names = {name for name, _ in FILES}
    assert {"coach.content/flow.toml", "coach.rules/default.toml"} <= names
    assert "coach.content/references.toml" in names
    assert ROOT / "README.md" in DOCS and len(DOCS) > 5


@pytest.mark.parametrize(("name", "data"), FILES, ids=[n for n, _ in FILES])
def test_shipped_text_follows_the_wording_rules(name: str, data: dict[str, Any]) -> None:
    offences = []
    for path, key, value, _ in walk(data):
        if key in QUOTED_KEYS:
            continue
        for text in strings(value):
            offences += [f"{name}{path}: {p} in {text!r}" for p in wording_problems(text)]
    assert not offences, "\n".join(offences)


def test_learn_pages_notice_and_safety_text_follow_the_wording_rules() -> None:
    content = load_content()
    texts = [learn.HONESTY_NOTE, NOTICE, *learn.EVIDENCE_MEANINGS.values()]
    texts += [content.safety.intro, content.safety.message_body, content.safety.text_body]
    texts += [step.shown for step in content.steps]
    offences = [f"{p} in {t!r}" for t in texts for p in wording_problems(t)]
    assert not offences, "\n".join(offences)


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_readme_and_docs_follow_the_wording_rules(path: Path) -> None:
    offences = [
        f"{path.name}: {problem} in {sentence.strip()!r}"
        for sentence in science_sentences(prose(path.read_text(encoding="utf-8")))
        for problem in wording_problems(sentence)
    ]
    assert not offences, "\n".join(offences)


@pytest.mark.parametrize(("name", "data"), FILES, ids=[n for n, _ in FILES])
def test_every_explanation_has_an_evidence_label(name: str, data: dict[str, Any]) -> None:
    missing = []
    for path, key, _, parent in walk(data):
        if key in EXPLANATION_KEYS and (parent or {}).get("evidence") not in EVIDENCE_LABELS:
            missing.append(f"{name}{path}")
    assert not missing, "explanations without an evidence label:\n" + "\n".join(missing)


REFUSED = [
    # Issue 21: 7 of 8 of these passed `coach rules check` before.
    "Touch calms the amygdala",
    "A warm greeting raises your partner's oxytocin",
    "Touch will increase oxytocin",
    "Hugging releases oxytocin",
    "this boosts dopamine",
    "neuroplasticity rewires the bond",
    "A warm word activates your partner's oxytocin",
    "Conflict triggers the amygdala",
    "Dopamine floods the brain",
    "This proves the bond is secure",
    "Your oxytocin is high",
    "your amygdala was calm",
    "and the mirror neuron system fires.",
    # Every verb of the guide, in its inflections, about a chemical or a region.
    "A hug lowers your cortisol.",
    "Kissing increases oxytocin.",
    "Criticism decreases serotonin.",
    "Laughing quiets the threat system.",
    "A kind word produces dopamine.",
    "Repetition strengthens the bonding circuits.",
    "Holding hands switches off the amygdala.",
    "A compliment gives your partner a hit of dopamine.",
    "A hit of dopamine keeps you coming back.",
    "Touch will calm the amygdala.",
    "Hugs release oxytocin in both of you.",
    "Hugs can raise oxytocin.",
    "Naming a feeling helps calm the amygdala.",
    "Eye contact is boosting oxytocin.",
    "Oxytocin is raised by touch (Holt-Lunstad et al. 2008).",
    "Touch raised oxytocin.",  # the past tense passes only beside the study that found it
    "Secure conversations rewired the brain.",
    "Rituals will strengthen your bond's neural pathways.",
    "Oxytocin rises when you hug.",
    "Cortisol levels fall when you hold hands.",
    "Oxytocin makes you bond.",
    "Science supports the idea that hugs raise oxytocin.",
    "Dopamine levels drop after an argument.",
    "Hugs promote oxytocin release.",
    "Your amygdala lights up when you feel criticised.",
]
PASSED = [
    "A four-week warm-touch programme raised salivary oxytocin in one small study"
    " (Holt-Lunstad et al. 2008).",
    "Naming a feeling lowered amygdala activity in a lab study (Lieberman et al. 2007).",
    "associated with higher oxytocin",
    "Your answers suggest a pattern associated with higher oxytocin.",
    "Warm touch is linked to lower stress markers.",
    "Repeating small rituals may support lasting trust.",
    "The coach reads this as a pattern linked to oxytocin.",
    "linked to lower amygdala activity",
    "A calm voice is linked to calmer threat responses.",
    "The 'mirror neuron system' account of this is debated.",
    "The mirror neuron story is debated (Contested); focus on what the couple notices.",
    "Raising a problem gently matters, and naming a feeling is linked to the amygdala.",
    "The coach will show the summary; oxytocin is not measured.",
    "Laughing went with endorphin release in one small study (Manninen et al. 2017).",
    "The popular claim that oxytocin makes people trust did not replicate (Declerck et al. 2020).",
]


@pytest.mark.parametrize("text", REFUSED)
def test_the_checker_catches_each_kind_of_offence(text: str) -> None:
    assert wording_problems(text)


@pytest.mark.parametrize("text", PASSED)
def test_the_checker_passes_honest_wording(text: str) -> None:
    assert not wording_problems(text)
