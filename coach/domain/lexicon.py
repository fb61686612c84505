"""The free-text risk lexicon: reading, checking and compiling its files. Pure: no terminal.

The lexicon is data (coach/content/lexicon.toml, documented in docs/safety-lexicon.md): phrase
patterns by kind, idioms that must never count, and the cues that negate a phrase. A clinician
may add files of the same shape to the data directory; each is checked the same way, and a
problem is one line naming the file, the line, the key and what would be valid.

A pattern is a phrase, not a regular expression, so that a clinician can write one safely:

- words match whole words in any case; a space between words matches any spaces or punctuation
  within a sentence ("self harm" matches "self-harm", "a&e" matches "A & E"); an apostrophe may
  be there or not, straight or curly ("won't" matches "wont" and "won’t");
- `(a|b c)` is one of the alternatives, `[a b]` (or `(a b)?`) is optional, `...` is a gap of up
  to four words (never a negation cue), `word*` is a word and any ending ("slap*": slaps,
  slapped), `{name}` is any phrase of the list `name` in the `[words]` table, and `{Name}` is a
  word the text writes with a capital letter, as a first name is written ("Jordan shoved me"), other
  than the phrases of the list `not_name`;
- `a && b` matches when each part matches somewhere in the same sentence, in any order (each
  part, as any phrase, does not count where a negation cue stands just before it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from coach.base.document import DocumentError, Problem, field_name, locate_line, parse
from coach.base.errors import did_you_mean

# The kinds, in the order a text that matches several is given one: self-harm first, since it
# is the one that gets a crisis-first reply; then sexual coercion, whose phrases are the most
# specific (a rape described with force is read as sexual violence), physical violence, threats
# and coercive control.
KINDS = ("self_harm", "sexual_coercion", "physical_violence", "threats", "coercive_control")
SYNTAX = "a phrase of words, (a|b), [optional], ..., word*, {list}, {Name} and a && b"
NAME = "{Name}"
NOT_NAME = "not_name"
# A capitalised word (case-sensitive inside patterns that otherwise ignore case): "Jordan".
_NAME_REGEX = r"[^\W\d_][\w']*"
AND = "&&"
_TOP_KEYS = ("version", "words", "idioms", "negation", *KINDS)
_NEGATION_KEYS = ("cues", "boundaries", "window")
_MAX_WINDOW = 8
_TOKEN = re.compile(r"\s+|\.\.\.|[()|\[\]]|\{(?:[a-z_]+|Name)\}|[\w'’&-]+\*?|.", re.IGNORECASE)
_WORD = re.compile(r"[\w'’&-]+\*?")

# Text is matched in a normal form (see `normalise`): lower case, a word that was written with a
# capital letter marked by a ~ before it (for {Name}), straight apostrophes, every run of spaces
# and punctuation one space, except the clause marks , ; : which stand alone, and the sentence
# ends . ! ? which phrases never cross. So between two words of a phrase is a space, with perhaps
# a clause mark and the mark of a capital.
CAPITAL = "~"
SEP = " (?:[,;:] )?~?"
GAP_WORD = r"[\w']+"
_OTHER_MARKS = re.compile(r"[^\w'.!?,;:]+")
_CLAUSE_MARKS = re.compile(r" ?([,;:])[ ,;:]*")
_SPLIT = re.compile(r"(?<![\w'])(?=\w)")


def normalise(text: str) -> str:
    """The text as phrases are matched against it (compiled phrases are simple and quick)."""
    text = _OTHER_MARKS.sub(" ", text.replace("’", "'").replace("‘", "'"))
    marked = "".join(
        CAPITAL + word if word[:1].isupper() and word[1:2].islower() else word
        for word in _SPLIT.split(text)
    )
    return _CLAUSE_MARKS.sub(r" \1 ", marked.lower())


@dataclass
class LexiconData:
    """Everything read from the lexicon files, merged, before compiling."""

    words: dict[str, list[str]] = field(default_factory=dict)
    idioms: list[str] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    boundaries: list[str] = field(default_factory=list)
    window: int = 3
    patterns: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})
    # Where each phrase came from, to name it in an error: (file, its text, key path, phrase).
    sources: list[tuple[str, str, tuple[str | int, ...], str]] = field(default_factory=list)


class _File:
    """One lexicon file being read: its name, text and data, for errors that name the line."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.data = parse(text, name)

    def fail(self, path: tuple[str | int, ...], message: str) -> DocumentError:
        line = locate_line(self.text, path)
        return DocumentError(Problem(self.name, line, field_name(path), message))

    def table(self, key: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail((key,), "must be a table")
        for inner in value:
            if inner not in allowed:
                hint = did_you_mean(inner, allowed)
                raise self.fail((key, inner), f"unknown key{hint}; valid: {', '.join(allowed)}")
        return value

    def phrases(self, path: tuple[str, ...], value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(path, "must be a list of text")
        for index, phrase in enumerate(value):
            if not phrase.strip():
                raise self.fail((*path, index), "must be non-empty text")
        return list(value)


def read_into(lexicon: LexiconData, name: str, text: str, *, packaged: bool = False) -> None:
    """Check one lexicon file and add what it holds to `lexicon` (DocumentError if it fails)."""
    file = _File(name, text)
    for key in file.data:
        if key not in _TOP_KEYS:
            hint = did_you_mean(key, _TOP_KEYS)
            raise file.fail((key,), f"unknown key{hint}; valid: {', '.join(_TOP_KEYS)}")
    version = file.data.get("version", 1 if not packaged else None)
    if version != 1:
        raise file.fail(("version",), "must be 1")
    words = file.data.get("words", {})
    if not isinstance(words, dict):
        raise file.fail(("words",), "must be a table of lists of phrases")
    for set_name, phrases in words.items():
        if not re.fullmatch(r"[a-z_]+", set_name):
            raise file.fail(("words", set_name), "a list's name is lower-case letters and _")
        _add(lexicon, file, ("words", set_name), phrases, lexicon.words.setdefault(set_name, []))
    idioms = file.table("idioms", ("patterns",))
    _add(lexicon, file, ("idioms", "patterns"), idioms.get("patterns", []), lexicon.idioms)
    negation = file.table("negation", _NEGATION_KEYS)
    _add(lexicon, file, ("negation", "cues"), negation.get("cues", []), lexicon.cues)
    _add(lexicon, file, ("negation", "boundaries"), negation.get("boundaries", []),
         lexicon.boundaries)  # fmt: skip
    if "window" in negation:
        window = negation["window"]
        whole = isinstance(window, int) and not isinstance(window, bool)
        if not whole or not 1 <= window <= _MAX_WINDOW:
            problem = f"must be a whole number from 1 to {_MAX_WINDOW}"
            raise file.fail(("negation", "window"), problem)
        lexicon.window = window
    for kind in KINDS:
        table = file.table(kind, ("patterns",))
        _add(lexicon, file, (kind, "patterns"), table.get("patterns", []), lexicon.patterns[kind])


def _add(
    lexicon: LexiconData, file: _File, path: tuple[str, str], value: Any, into: list[str]
) -> None:
    for index, phrase in enumerate(file.phrases(path, value)):
        lexicon.sources.append((file.name, file.text, (*path, index), phrase))
        into.append(phrase)


# --- compiling phrases -----------------------------------------------------------------------


Memo = dict[tuple[str, int], str]


class PhraseError(ValueError):
    """A phrase that is not valid; the message says why."""


class _Compiler:
    """Turns one phrase into a regular expression (see the module docstring for the syntax)."""

    def __init__(
        self, words: dict[str, list[str]], gap_word: str, depth: int = 0, memo: Memo | None = None
    ) -> None:
        self.words = words
        self.gap_word = gap_word
        self.depth = depth
        # What each {list} (and {Name}) compiles to, at each depth: a list named by many phrases
        # is compiled once.
        self.memo: Memo = {} if memo is None else memo

    def compile(self, phrase: str) -> str:
        tokens = [t for t in _TOKEN.findall(phrase) if not t.isspace()]
        self.tokens, self.at = tokens, 0
        body = self._alternatives()
        if self.at != len(tokens):
            raise PhraseError(f'unexpected "{tokens[self.at]}"')
        return body

    def _peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _alternatives(self) -> str:
        options = [self._sequence()]
        while self._peek() == "|":
            self.at += 1
            options.append(self._sequence())
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    def _sequence(self) -> str:
        # Each element is (regex, optional, gap). Optional elements before the first word carry
        # their separator after them; the others before them.
        elements: list[tuple[str, str]] = []
        while (token := self._peek()) is not None and token not in ("|", ")", "]"):
            self.at += 1
            elements.append(self._element(token))
        if not any(kind == "word" for _, kind in elements):
            raise PhraseError("needs at least one word that is not optional or a gap")
        if elements[0][1] == "gap" or elements[-1][1] == "gap":
            raise PhraseError('"..." goes between words, not at the start or end')
        out, started = "", False
        for regex, kind in elements:
            if kind == "gap":
                out += f"(?:{SEP}{self.gap_word}){{0,4}}"
            elif kind == "optional":
                out += f"(?:{SEP}{regex})?" if started else f"(?:{regex}{SEP})?"
            else:
                out += f"{SEP}{regex}" if started else regex
                started = True
        return out

    def _element(self, token: str) -> tuple[str, str]:
        if token == "...":
            return "", "gap"
        if token in ("(", "["):
            closing = ")" if token == "(" else "]"
            inner = self._alternatives()
            if self._peek() != closing:
                raise PhraseError(f'"{token}" is not closed with "{closing}"')
            self.at += 1
            optional = token == "[" or self._peek() == "?"  # (a|b)? is [a|b] too
            if token == "(" and optional:
                self.at += 1
            return f"(?:{inner})", "optional" if optional else "word"
        if token == NAME:
            return self._name(), "word"
        if token.startswith("{"):
            name = token[1:-1]
            if name not in self.words:
                hint = did_you_mean(name, self.words)
                raise PhraseError(f"{{{name}}} is not a list in [words]{hint}")
            if self.depth > 2:
                raise PhraseError(f"{{{name}}}: lists may hold lists only two deep")
            if (name, self.depth) not in self.memo:
                nested = _Compiler(self.words, self.gap_word, self.depth + 1, self.memo)
                listed = "|".join(nested.compile(p) for p in self.words[name])
                self.memo[name, self.depth] = f"(?:{listed})"
            return self.memo[name, self.depth], "word"
        if not _WORD.fullmatch(token):
            raise PhraseError(f'"{token}" is not a word or one of ( ) | [ ] ... * {{list}}')
        return _word(token), "word"

    def _name(self) -> str:
        """{Name}: a capitalised word that is not one of the list `not_name` ("When", "The")."""
        if self.depth > 2:
            raise PhraseError(f"{NAME}: lists may hold lists only two deep")
        excluded = self.words.get(NOT_NAME, [])
        if not excluded:
            return CAPITAL + _NAME_REGEX
        if (NAME, self.depth) not in self.memo:
            nested = _Compiler(self.words, self.gap_word, self.depth + 1, self.memo)
            others = "|".join(nested.compile(p) for p in excluded)
            self.memo[NAME, self.depth] = rf"{CAPITAL}(?!(?:{others})(?![\w'])){_NAME_REGEX}"
        return self.memo[NAME, self.depth]


def _word(token: str) -> str:
    stem = token.rstrip("*")
    if token.endswith("*") and len(stem) < 3:
        raise PhraseError(f'"{token}": a word with * needs at least three letters before it')
    regex = "".join(_character(c) for c in stem.lower())
    return regex + (r"\w*" if token.endswith("*") else "")


def _character(c: str) -> str:
    if c in "'’":
        return "'?"
    return SEP if c in "&-" else re.escape(c)


# --- triggers: words a text must hold for a phrase to be worth trying -------------------------

# Words so common that a phrase is better tried for a rarer one of its words.
_COMMON = frozenset(
    {"i", "me", "my", "he", "she", "they", "it", "the", "a", "an", "to", "and", "of", "in"}
    | {"on", "you", "we", "is", "was", "his", "her"}
)


def text_keys(text: str) -> set[str]:
    """What a normalised text offers the triggers: each word without apostrophes, the part of
    it before an apostrophe (a phrase may end there: "jordan" in "jordan's"), and the mark of a
    capital ({Name})."""
    keys = {CAPITAL} if CAPITAL in text else set()
    for word in re.findall(GAP_WORD, text):
        keys.add(word.replace("'", ""))
        keys.add(word.split("'", 1)[0])
    return keys


def phrase_triggers(phrase: str, words: dict[str, list[str]]) -> frozenset[str]:
    """Words of which a text must hold at least one for `phrase` to match (a word ending in *
    is a stem that a word of the text starts with; "~" is a capitalised word). Chosen from the
    phrase's required words, preferring rare ones, so a text is tried against few phrases."""
    tokens = [t for t in _TOKEN.findall(phrase) if not t.isspace()]
    return frozenset(_Triggers(tokens, words).alternatives())


class _Triggers:
    """The phrase parsed as _Compiler parses it, giving each part's trigger words."""

    def __init__(self, tokens: list[str], words: dict[str, list[str]]) -> None:
        self.tokens, self.at, self.words = tokens, 0, words

    def alternatives(self) -> set[str]:
        found = self.sequence()
        while self.at < len(self.tokens) and self.tokens[self.at] == "|":
            self.at += 1
            found |= self.sequence()
        return found

    def sequence(self) -> set[str]:
        required: list[set[str]] = []
        while self.at < len(self.tokens) and self.tokens[self.at] not in ("|", ")", "]"):
            token = self.tokens[self.at]
            self.at += 1
            if token in ("(", "["):
                inner = self.alternatives()
                self.at += 1  # the closing bracket
                optional = token == "[" or self._next_is("?")
                if optional and token == "(":
                    self.at += 1
                if not optional:
                    required.append(inner)
            elif token == NAME:
                required.append({CAPITAL})
            elif token.startswith("{"):
                listed: set[str] = set()
                for item in self.words[token[1:-1]]:
                    listed |= phrase_triggers(item, self.words)
                required.append(listed)
            elif token != "...":
                required.append({_trigger_word(token)})
        return min(required, key=lambda s: (len(s & _COMMON) > 0, len(s)))

    def _next_is(self, token: str) -> bool:
        return self.at < len(self.tokens) and self.tokens[self.at] == token


def _trigger_word(token: str) -> str:
    word = re.split(r"[&-]", token.lower().replace("’", "'"))[0].replace("'", "")
    return word if not token.endswith("*") else word.rstrip("*") + "*"


def parts(phrase: str) -> list[str]:
    """The parts of `a && b` (one part for a phrase without &&)."""
    found = [part.strip() for part in phrase.split(AND)]
    if len(found) > 1 and not all(found):
        raise PhraseError("&& goes between two phrases")
    return found


def phrase_regexes(
    phrase: str, words: dict[str, list[str]], gap_word: str = GAP_WORD, memo: Memo | None = None
) -> list[str]:
    """The regular expression of each part of a pattern (PhraseError if it is not valid).
    `memo` (one per `words` and `gap_word`) keeps what lists compile to, for the next phrase."""
    return [phrase_regex(part, words, gap_word, memo) for part in parts(phrase)]


def phrase_regex(
    phrase: str, words: dict[str, list[str]], gap_word: str = GAP_WORD, memo: Memo | None = None
) -> str:
    """The regular expression of one phrase, matching whole words only (PhraseError if bad)."""
    if AND in phrase:
        raise PhraseError("&& joins the patterns of a kind, not idioms, cues or lists")
    return rf"(?<![\w'])(?:{_Compiler(words, gap_word, memo=memo).compile(phrase)})(?!\w)"


def check_phrases(lexicon: LexiconData) -> None:
    """Compile every phrase once, so that a bad one is reported by file, line and key."""
    memo: Memo = {}
    for name, text, path, phrase in lexicon.sources:
        try:
            if path[0] in KINDS:
                phrase_regexes(phrase, lexicon.words, memo=memo)
            else:
                phrase_regex(phrase, lexicon.words, memo=memo)
        except PhraseError as exc:
            problem = f'"{phrase}": {exc}; a pattern is {SYNTAX}'
            raise _File(name, text).fail(path, problem) from None
