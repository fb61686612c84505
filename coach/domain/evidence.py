"""Evidence: the bibliography, the citations that point into it, labels and the wording rules.

Pure: no Typer, Rich or questionary. Used when content and rule packs load (coach/content,
coach/rules/pack_check.py), by `coach learn sources`, and by the tests that keep every text honest.

- Every citation in shipped or custom text ("(Gable et al. 2004)", "Coan et al. 2006, 2017")
  resolves to one entry of coach/content/references.toml, by first author and year.
- Each reference records what its abstract reports, how it was read (`read`) and what kind of
  evidence it is (`basis`); one study or one lab never supports Strong, and a paper whose abstract
  was not read never supports more than Preliminary. The label a claim carries: coach.domain.claims.
- Wording: answers suggest patterns. Text never says a chemical or a region is raised, calmed or
  rewired (a causal verb passes only in the past tense beside the study that found it), never
  states the mirror-neuron account as fact, never claims to measure ("your oxytocin is").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Final

from coach.base.errors import DataError

# Strongest first (docs/science-and-wording.md). Unmeasured: no study measured it, the coach's
# reading. Practice (a clinical habit, not a measured effect) and Contested (a failed replication
# or an open debate, which overrides the others) come last, so a reading that rests on one of
# them shows it.
EVIDENCE_ORDER: Final = ("Strong", "Moderate", "Preliminary", "Unmeasured", "Practice", "Contested")
_RANK: Final = {label: n for n, label in enumerate(EVIDENCE_ORDER)}
UNMEASURED_NOTE: Final = "the coach's reading, not measured"
LABEL_MEANINGS: Final = {
    "Strong": "replicated human studies, broad agreement",
    "Moderate": "several human studies, some limits",
    "Preliminary": "few or small human studies, or animal work only",
    "Unmeasured": f"no study measured it: {UNMEASURED_NOTE}",
    "Contested": "a failed replication or an open scientific debate (overrides the others)",
    "Practice": "a clinical or coaching practice, not a measured effect (only for practices)",
}
REFERENCES_FILE: Final = "references.toml"
REFERENCE_KEYS: Final = frozenset(
    {
        "id",
        "cite",
        "authors",
        "year",
        "title",
        "journal",
        "doi",
        "supports",
        "reports",
        "basis",
        "read",
    }
)
OPTIONAL_REFERENCE_KEYS: Final = frozenset({"where"})
# What kind of evidence a reference is. One study or one lab is never Strong.
BASES: Final = ("one study", "one lab", "several studies", "review", "meta-analysis", "book")
_NEVER_STRONG: Final = frozenset({"one study", "one lab", "book"})
# How the reference was read: its abstract (or a book's description) through the search tool,
# or not at all; an unread paper supports at most Preliminary.
_READ: Final = re.compile(r"^(abstract|publisher's description|not read)\b")


def shown(label: str) -> str:
    """A label as the couple reads it: Unmeasured says what it means."""
    return f"Unmeasured ({UNMEASURED_NOTE})" if label == "Unmeasured" else label


def rank(label: str) -> int:
    """0 for Strong up to 5 for Contested: a larger number is a weaker label."""
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
    supports: str  # the label of the paper's finding: a sentence resting on it alone carries it
    reports: str  # what the paper itself reports, from its abstract
    basis: str = "one study"  # one of BASES
    read: str = "not read"  # how and where it was read (see _READ)
    where: str = ""  # where in the paper a cited detail is stated, when one is cited

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
    from coach.domain.translation import content_file

    return parse_references(content_file(REFERENCES_FILE))


def parse_references(data: dict[str, object]) -> tuple[Reference, ...]:
    entries = data.get("reference")
    if not isinstance(entries, list) or not entries:
        raise DataError(f"{REFERENCES_FILE}: needs [[reference]] tables")
    found: list[Reference] = []
    for number, entry in enumerate(entries, start=1):
        where = f"{REFERENCES_FILE}: reference {number}"
        keys = set(entry) if isinstance(entry, dict) else set()
        if not REFERENCE_KEYS <= keys <= REFERENCE_KEYS | OPTIONAL_REFERENCE_KEYS:
            raise DataError(f"{where}: needs exactly the keys {', '.join(sorted(REFERENCE_KEYS))}")
        assert isinstance(entry, dict)
        year = entry["year"]
        if isinstance(year, bool) or not isinstance(year, int):
            raise DataError(f"{where}: year must be a whole number")
        texts = {k: entry[k] for k in keys - {"year"}}
        if not all(isinstance(v, str) and v.strip() for v in texts.values()):
            raise DataError(f"{where}: every key but year must be non-empty text")
        _check_label(where, entry)
        reference = Reference(year=year, **{k: str(v) for k, v in texts.items()})
        if [(r.key) for r in cited(reference.cite)] != [reference.key]:
            raise DataError(f'{where}: cite "{reference.cite}" must read like "Name et al. 2004"')
        if any(r.key == reference.key for r in found):
            raise DataError(f"{where}: a second entry for {reference.cite}")
        found.append(reference)
    return tuple(found)


def _check_label(where: str, entry: dict[str, object]) -> None:
    """The label a reference supports is one its basis and reading allow."""
    supports, basis, read = entry["supports"], entry["basis"], str(entry["read"])
    if supports not in EVIDENCE_ORDER:
        raise DataError(f'{where}: supports "{supports}" is not an evidence label')
    if basis not in BASES:
        raise DataError(f'{where}: basis "{basis}" is not one of {", ".join(BASES)}')
    if supports == "Strong" and basis in _NEVER_STRONG:
        raise DataError(
            f"{where}: supports Strong but its basis is {basis}; one study or one lab"
            " is never Strong"
        )
    if not _READ.match(read):
        raise DataError(
            f'{where}: read must start with "abstract", "publisher\'s description" or "not read"'
        )
    if read.startswith("not read") and rank(str(supports)) < rank("Preliminary"):
        raise DataError(
            f"{where}: supports {supports} but its abstract was not read; an unread"
            " paper supports at most Preliminary"
        )


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


def citation_problems(text: str, references: Iterable[Reference]) -> list[str]:
    """The citations of a text that match no reference."""
    _, unknown = resolve(text, references)
    return [
        f'cites "{u}", which is not in the bibliography (coach/content/references.toml;'
        " see `coach learn sources`)"
        for u in unknown
    ]
