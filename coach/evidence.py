"""Evidence: the bibliography, the citations that point into it, labels and the wording rules.

Pure: no Typer, Rich or questionary. Used when content and rule packs load (coach/content,
coach/rules/check.py), by `coach learn sources`, and by the tests that keep every text honest.

- Every citation in shipped or custom text ("(Gable et al. 2004)", "Coan et al. 2006, 2017")
  resolves to one entry of coach/content/references.toml, by first author and year.
- A sentence is labelled no stronger than the weakest paper it cites (`supports`).
- Wording: answers suggest patterns. Text never says a chemical is released or a brain rewired,
  never states the mirror-neuron account as fact, never claims to measure ("your oxytocin is").
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

from coach.errors import DataError

# Strongest first. Practice (a clinical habit, not a measured effect) ranks above Contested.
EVIDENCE_ORDER: Final = ("Strong", "Moderate", "Preliminary", "Practice", "Contested")
_RANK: Final = {label: n for n, label in enumerate(EVIDENCE_ORDER)}
REFERENCES_FILE: Final = "references.toml"
REFERENCE_KEYS: Final = frozenset(
    {"id", "cite", "authors", "year", "title", "journal", "doi", "supports", "reports"}
)


def rank(label: str) -> int:
    """0 for Strong up to 4 for Contested: a larger number is a weaker label."""
    return _RANK[label]


def stronger(label: str, than: str) -> bool:
    """True when `label` claims more than `than` allows."""
    return rank(label) < rank(than)


def weakest(labels: Iterable[str]) -> str | None:
    """The weakest of the labels, or None when there are none."""
    return max(labels, key=rank, default=None)


# --- the bibliography ------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    id: str
    cite: str  # how text names it: "Gable et al. 2004"
    authors: str
    year: int
    title: str
    journal: str
    doi: str
    supports: str  # the strongest label a sentence resting on this paper alone may carry
    reports: str  # what the paper itself reports, from its abstract

    @property
    def key(self) -> tuple[str, int]:
        return _key(self.cite.split()[0], self.year)

    def formatted(self) -> str:
        """One line in APA style, ending with the DOI."""
        return f"{self.authors} ({self.year}). {self.title}. {self.journal}. doi:{self.doi}"


def _key(surname: str, year: int) -> tuple[str, int]:
    plain = unicodedata.normalize("NFKD", surname).encode("ascii", "ignore").decode()
    return plain.lower(), year


@cache
def load_references() -> tuple[Reference, ...]:
    """The shipped bibliography, checked: every key present, labels valid, cites unique."""
    text = resources.files("coach.content").joinpath(REFERENCES_FILE).read_text(encoding="utf-8")
    return parse_references(tomllib.loads(text))


def parse_references(data: dict[str, object]) -> tuple[Reference, ...]:
    entries = data.get("reference")
    if not isinstance(entries, list) or not entries:
        raise DataError(f"{REFERENCES_FILE}: needs [[reference]] tables")
    found: list[Reference] = []
    for number, entry in enumerate(entries, start=1):
        where = f"{REFERENCES_FILE}: reference {number}"
        if not isinstance(entry, dict) or set(entry) != REFERENCE_KEYS:
            raise DataError(f"{where}: needs exactly the keys {', '.join(sorted(REFERENCE_KEYS))}")
        year = entry["year"]
        if isinstance(year, bool) or not isinstance(year, int):
            raise DataError(f"{where}: year must be a whole number")
        texts = {k: entry[k] for k in REFERENCE_KEYS - {"year"}}
        if not all(isinstance(v, str) and v.strip() for v in texts.values()):
            raise DataError(f"{where}: every key but year must be non-empty text")
        if entry["supports"] not in EVIDENCE_ORDER:
            raise DataError(f'{where}: supports "{entry["supports"]}" is not an evidence label')
        reference = Reference(year=year, **{k: str(v) for k, v in texts.items()})
        if [(r.key) for r in cited(reference.cite)] != [reference.key]:
            raise DataError(f'{where}: cite "{reference.cite}" must read like "Name et al. 2004"')
        if any(r.key == reference.key for r in found):
            raise DataError(f"{where}: a second entry for {reference.cite}")
        found.append(reference)
    return tuple(found)


# --- citations in text -----------------------------------------------------------------------

_NAME: Final = r"[A-Z][A-Za-z'\u00C0-\u017F-]+"
CITATION: Final = re.compile(
    rf"\b(?P<name>{_NAME})(?: et al\.| & {_NAME})?,? (?P<years>(?:19|20)\d\d(?:, (?:19|20)\d\d)*)\b"
)
_NOT_NAMES: Final = frozenset(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Since",
        "In",
        "From",
        "Until",
        "Version",
        "Step",
    ]
)


@dataclass(frozen=True)
class Cited:
    text: str  # as written: "Coan et al. 2006, 2017"
    key: tuple[str, int]


def cited(text: str) -> list[Cited]:
    """Every (first author, year) a text cites, in order; "Coan et al. 2006, 2017" gives two."""
    found: list[Cited] = []
    for match in CITATION.finditer(text):
        name = match.group("name")
        if name in _NOT_NAMES:
            continue
        for year in match.group("years").split(", "):
            found.append(Cited(match.group(0), _key(name, int(year))))
    return found


def resolve(text: str, references: Iterable[Reference]) -> tuple[list[Reference], list[str]]:
    """The references a text cites, and the citations that match no reference."""
    by_key = {r.key: r for r in references}
    known: list[Reference] = []
    unknown: list[str] = []
    for citation in cited(text):
        reference = by_key.get(citation.key)
        if reference is None:
            unknown.append(f"{citation.text} ({citation.key[0].title()} {citation.key[1]})")
        elif reference not in known:
            known.append(reference)
    return known, unknown


def label_problems(label: str, text: str, references: Iterable[Reference]) -> list[str]:
    """What is wrong with the citations of a labelled sentence: unknown ones, or a label
    stronger than a cited paper supports."""
    known, unknown = resolve(text, references)
    problems = [
        f'cites "{u}", which is not in the bibliography (coach/content/references.toml;'
        " see `coach learn sources`)"
        for u in unknown
    ]
    problems += [
        f"is labelled {label} but cites {r.cite}, which supports at most {r.supports}"
        for r in known
        if stronger(label, r.supports)
    ]
    return problems


# --- wording -----------------------------------------------------------------------------------

CAUSAL_VERBS: Final = re.compile(
    r"\b(activat(?:es?|ed|ing)|releas(?:es?|ed|ing)|trigger(?:s|ed|ing)?|boost(?:s|ed|ing)?"
    r"|flood(?:s|ed|ing)?|rewir(?:es?|ed|ing)|prov(?:es?|ed|en|ing))\b",
    re.IGNORECASE,
)
_TARGET_WORDS: Final = (
    r"oxytocin|dopamine|serotonin|endorphins?|vasopressin|amygdala|prefrontal cortex"
    r"|anterior cingulate cortex|insula|hippocampus|brain"
)
MEASURING: Final = re.compile(rf"\byour ({_TARGET_WORDS})(?:'s)? (is|are|was|levels?)\b", re.I)
MIRROR: Final = re.compile(r"\bmirror[- ]neurons?\b", re.IGNORECASE)
# A sentence that mentions mirror neurons must say the account is debated.
_HEDGES: Final = re.compile(r"\b(debat\w*|contested|disputed|not (?:an )?established)\b", re.I)
_SENTENCE: Final = re.compile(r"[^.!?]+[.!?]?")


def wording_problems(text: str) -> list[str]:
    """Each way a text breaks the wording rules, as short messages (empty when it is fine)."""
    problems: list[str] = []
    for match in CAUSAL_VERBS.finditer(text):
        problems.append(
            f'uses "{match.group()}", a causal claim; say "associated with", "linked to"'
            ' or "may support"'
        )
    for match in MEASURING.finditer(text):
        problems.append(
            f'says "{match.group()}", a measurement; the coach only infers patterns from answers'
        )
    for sentence in _SENTENCE.findall(text):
        if MIRROR.search(sentence) and not _HEDGES.search(sentence):
            problems.append(
                "states the mirror-neuron account as fact; say it is debated (Contested), or"
                " name the empathy-related regions (insula, anterior cingulate cortex)"
            )
    return problems
