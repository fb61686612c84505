"""Whether a free-text answer reads as a disclosure of harm, and of which kind. Pure: no terminal.

`classify(text)` reads the text with the lexicon (coach.domain.lexicon: the packaged
coach/content/lexicon.toml and any lexicon files a clinician put in the data directory):

1. idioms are blanked out first, so "the film killed me" or "dying to tell you" cannot count;
2. each kind's phrase patterns are tried in the order of coach.domain.lexicon.KINDS, self-harm
first;
3. a match counts unless a negation cue ("never", "not", "doesn't"...) stands within a few words
   before it in the same clause ("he has never hit me"); a cue written into a pattern itself
   ("won't let me see my friends") is part of the phrase, not a negation.

The first match that counts gives the verdict's kind. The lexicon is a backstop for the private
check, never a diagnosis: it is tuned on the corpus in tests/safety/corpus/, and its measured
recall and false positives are in docs/safety-lexicon.md.

The patterns are compiled on first use, not on import, so that `coach --help` never pays for
them; they are compiled again only when a lexicon file in the data directory changes.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from coach.domain.lexicon import (
    GAP_WORD,
    KINDS,
    LexiconData,
    Memo,
    check_phrases,
    normalise,
    parts,
    phrase_regex,
    phrase_regexes,
    phrase_triggers,
    read_into,
    text_keys,
)

PACKAGED = "lexicon.toml"
# In the data directory: one file, and any number in a folder, read in name order.
EXTRA_FILE = "lexicon.toml"
EXTRA_DIR = "lexicon"
MAX_LEXICON_BYTES = 1024 * 1024
_CLAUSE_END = re.compile(r"[.!?,;:]")
_SENTENCE_END = re.compile(r"[.!?]+")


@dataclass(frozen=True)
class Verdict:
    """`risk` is true when the text reads as a disclosure; `kind` is one of KINDS, or None."""

    risk: bool
    kind: str | None = None


NO_RISK = Verdict(False, None)


class Classifier:
    """A compiled lexicon."""

    def __init__(self, lexicon: LexiconData) -> None:
        check_phrases(lexicon)
        words = lexicon.words
        self.cues = _union(lexicon.cues, words)
        # A gap inside a phrase ("he ... hit me") never passes over a negation cue.
        gap_word = GAP_WORD if self.cues is None else rf"(?!(?:{self.cues.pattern})){GAP_WORD}"
        self.idioms = _union(lexicon.idioms, words)
        self.boundaries = _union(lexicon.boundaries, words)
        self.window = lexicon.window
        # Each pattern is its parts: one, or those of `a && b`, all in the same sentence. A
        # pattern is tried only on a text that holds one of its first part's trigger words, and
        # its expressions are compiled when it is first tried.
        memo: Memo = {}
        self.patterns: list[tuple[str, list[str]]] = []
        self.compiled: dict[int, list[re.Pattern[str]]] = {}
        self.index: dict[str, list[int]] = {}
        self.stems: dict[str, list[tuple[str, int]]] = {}  # first three letters -> stems
        for kind in KINDS:
            for phrase in lexicon.patterns[kind]:
                regexes = phrase_regexes(phrase, words, gap_word, memo)
                number = len(self.patterns)
                self.patterns.append((kind, regexes))
                for word in phrase_triggers(parts(phrase)[0], words):
                    if word.endswith("*"):
                        self.stems.setdefault(word[:3], []).append((word[:-1], number))
                    else:
                        self.index.setdefault(word, []).append(number)

    def classify(self, text: str) -> Verdict:
        text = normalise(text)
        if self.idioms is not None:
            text = self.idioms.sub(" . ", text)
        candidates: set[int] = set()
        for key in text_keys(text):
            candidates.update(self.index.get(key, ()))
            for stem, number in self.stems.get(key[:3], ()):
                if key.startswith(stem):
                    candidates.add(number)
        sentences: list[str] | None = None
        found: set[str] = set()
        for number in sorted(candidates):  # in the order of KINDS
            kind, regexes = self.patterns[number]
            if kind in found:
                continue
            pattern = self.compiled.get(number)
            if pattern is None:
                pattern = self.compiled[number] = [re.compile(r) for r in regexes]
            if len(pattern) == 1:
                if self._found(pattern[0], text):
                    found.add(kind)
                continue
            if sentences is None:
                sentences = _SENTENCE_END.split(text)
            if any(all(self._found(p, s) for p in pattern) for s in sentences):
                found.add(kind)
        return next((Verdict(True, kind) for kind in KINDS if kind in found), NO_RISK)

    def _found(self, pattern: re.Pattern[str], text: str) -> bool:
        """True when `pattern` matches somewhere in `text` that no negation cue cancels."""
        at = 0
        while (found := pattern.search(text, at)) is not None:
            if not self._negated(text, found.start()):
                return True
            at = found.start() + 1
        return False

    def _negated(self, text: str, start: int) -> bool:
        """True when a negation cue stands among the few words before `start` in its clause."""
        if self.cues is None:
            return False
        clause = text[:start]
        ends = list(_CLAUSE_END.finditer(clause))
        if ends:
            clause = clause[ends[-1].end() :]
        if self.boundaries is not None:
            bounds = list(self.boundaries.finditer(clause))
            if bounds:
                clause = clause[bounds[-1].end() :]
        words = re.findall(GAP_WORD, clause)[-self.window :]
        return bool(self.cues.search(" ".join(words)))


def _union(phrases: list[str], words: dict[str, list[str]]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    return re.compile("|".join(phrase_regex(p, words) for p in phrases))


def extra_files(data_dir: Path) -> list[Path]:
    """The clinician's lexicon files in the data directory, in the order they are read."""
    found = []
    single = data_dir / EXTRA_FILE
    if single.exists():
        found.append(single)
    folder = data_dir / EXTRA_DIR
    if folder.is_dir():
        found.extend(sorted(p for p in folder.iterdir() if p.suffix == ".toml"))
    return found


def load_classifier(data_dir: Path | None) -> Classifier:
    """The packaged lexicon with the extra files of `data_dir` (None: the packaged one only)."""
    from importlib import resources

    from coach.base.document import decode, read_limited
    from coach.base.errors import DataError
    from coach.domain.translation import shown_translation, translation_files

    lexicon = LexiconData()
    text = resources.files("coach.content").joinpath(PACKAGED).read_text(encoding="utf-8")
    read_into(lexicon, PACKAGED, text, packaged=True)
    # A translation's lexicon adds its language's phrases to the English ones: a couple may
    # write in either.
    for path in translation_files(PACKAGED):
        shown = shown_translation(path)
        read_into(
            lexicon, shown, decode(read_limited(path, "lexicon file", error=DataError), shown)
        )
    for path in extra_files(data_dir) if data_dir is not None else []:
        data = read_limited(path, "lexicon file", error=DataError, limit=MAX_LEXICON_BYTES)
        read_into(lexicon, str(path), decode(data, str(path)))
    return Classifier(lexicon)


_compiled: dict[tuple[object, ...], Classifier] = {}


def _signature(data_dir: Path) -> tuple[object, ...]:
    """What the compiled lexicon depends on: the data directory's lexicon files, their sizes
    and times (a file added, changed or removed compiles it again; none is the packaged one)."""
    from coach.domain.translation import translation_files

    stamps: list[object] = []
    for path in [*translation_files(PACKAGED), *extra_files(data_dir)]:
        try:
            info = os.stat(path)
            stamps.append((str(path), info.st_mtime_ns, info.st_size))
        except OSError:
            stamps.append((str(path), None))
    return tuple(stamps)


def classifier() -> Classifier:
    """The classifier for the current data directory, compiled on first use."""
    from coach.base import paths

    data_dir = paths.data_dir()
    key = _signature(data_dir)
    found = _compiled.get(key)
    if found is None:
        _compiled.clear()
        found = _compiled[key] = load_classifier(data_dir)
    return found


def classify(text: str) -> Verdict:
    """The lexicon's verdict on one text: risk and kind, or Verdict(False, None)."""
    return classifier().classify(text)
