"""What a valid value is, said one way everywhere: the one validation vocabulary.

Every question coach asks (a flow prompt, a CSI-4 check-in item, a safety screen question) and
every partner's name is checked here, whichever file or option the value came from: an answer
file, a session file, a rule pack's test cases, --a/--b. A value that does not fit gives an
Invalid, which says what is wrong and what would be valid, and never quotes the value: answers
are private, and these messages end up in logs and cron mail.

Pure: no I/O, no terminal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from coach.base.errors import did_you_mean

# Longer text than a person types in one answer; it keeps files and listings a sane size.
MAX_TEXT_LENGTH = 10_000
# The longest names and couple labels coach accepts anywhere (--a/--b, answer files, --couple,
# session files).
MAX_NAME_LENGTH = 60
MAX_COUPLE_LENGTH = 200
DEFAULT_NAMES = {"a": "Partner A", "b": "Partner B"}
NAME_RULE = f"a name of 1 to {MAX_NAME_LENGTH} characters"
COUPLE_RULE = f"a label of up to {MAX_COUPLE_LENGTH} characters"
YES_OR_NO = "true or false (no quotes)"


@dataclass(frozen=True)
class Invalid:
    """Why a value is not valid: `problem: expected X` or `expected X; got Y`.

    expected: what a valid value looks like ("a whole number from 1 (not at all) to 5 (very
    much)"); problem: what is wrong when the kind was right ("out of range"); given: the kind of
    value given when the kind was wrong ("text in quotes"); hint: a did-you-mean naming a valid
    value. None of them is ever the value itself.
    """

    expected: str
    problem: str = ""
    given: str = ""
    hint: str = ""

    def __str__(self) -> str:
        if self.problem:
            return f"{self.problem}: expected {self.expected}{self.hint}"
        if self.given:
            return f"expected {self.expected}; got {self.given}{self.hint}"
        return f"expected {self.expected}{self.hint}"


class Question(Protocol):
    """What every question offers to whoever checks its answers (a prompt, a check-in item, a
    safety screen question): what is valid, and why a value is not."""

    def expected(self) -> str: ...

    def check_value(self, value: object) -> Invalid | None: ...


# Checked in order: bool before int, as True is an int too. TOML's other values are dates.
_KINDS: tuple[tuple[type, str], ...] = (
    (bool, "true/false"),
    (int, "a whole number"),
    (float, "a decimal number"),
    (str, "text in quotes"),
    (list, "a list"),
    (dict, "a table"),
)


def kind_of(value: object) -> str:
    """What kind of value this is, without showing it."""
    return next((word for kind, word in _KINDS if isinstance(value, kind)), "a date or time")


def whole_number_rule(low: int, high: int, low_words: str = "", high_words: str = "") -> str:
    """ "a whole number from 1 (not at all) to 5 (very much)": the words are the ends' labels."""
    first = f"{low} ({low_words})" if low_words else str(low)
    last = f"{high} ({high_words})" if high_words else str(high)
    return f"a whole number from {first} to {last}"


def check_whole_number(
    value: object, low: int, high: int, low_words: str = "", high_words: str = ""
) -> Invalid | None:
    """A whole number from low to high inclusive (a scale answer, a CSI-4 item score)."""
    expected = whole_number_rule(low, high, low_words, high_words)
    # bool is an int subclass; True as an answer would be a silent 1.
    if isinstance(value, bool) or not isinstance(value, int):
        return Invalid(expected, given=kind_of(value))
    if not low <= value <= high:
        return Invalid(expected, problem="out of range")
    return None


def check_yes_no(value: object) -> Invalid | None:
    if not isinstance(value, bool):
        return Invalid(YES_OR_NO, given=kind_of(value))
    return None


def one_of_rule(values: Sequence[str]) -> str:
    return "one of " + ", ".join(f'"{v}"' for v in values)


def check_one_of(value: object, values: Sequence[str]) -> Invalid | None:
    """One of a few text values; a near miss gets a did-you-mean that names a valid one."""
    if not isinstance(value, str):
        return Invalid(one_of_rule(values), given=kind_of(value))
    if value not in values:
        hint = did_you_mean(value, values)
        return Invalid(one_of_rule(values), problem="not one of the choices", hint=hint)
    return None


def text_rule(limit: int = MAX_TEXT_LENGTH) -> str:
    return f"text in quotes of at most {limit:,} characters"


def check_text(value: object, limit: int = MAX_TEXT_LENGTH) -> Invalid | None:
    if not isinstance(value, str):
        return Invalid(text_rule(limit), given=kind_of(value))
    if len(value) > limit:
        return Invalid(text_rule(limit), problem=f"too long ({len(value):,} characters)")
    return None


# --- partners' names and couple labels -------------------------------------------------------
#
# The one name rule, wherever a name is taken (--a/--b of start, run and template, an answer
# file's [partners]) and, for what applies to them, couple labels (every --couple, and the
# labels `couples rename` takes):
# - a name is stored NFC-normalised and without spaces around it (clean_name), so the same name
#   typed on two systems (macOS keyboards often give NFD "José") is one name;
# - it needs at least one visible character: a name of only spaces, zero-width or other
#   format characters, controls or blank-looking fillers is refused as empty-looking;
# - it must be text: an argument with a byte that is not UTF-8 (Python reads such bytes as lone
#   surrogates) is refused with what is valid, never written anywhere;
# - two partners' names may not be the same by name_key: equal once normalised (NFKC, so NFC
#   and NFD forms and full-width letters too), without case, spacing or invisible characters
#   (controls, format characters, blank-looking letters).

NOT_TEXT = "it has a byte that is not UTF-8"
INVISIBLE = "it has only invisible characters"
# Lone surrogates: what Python makes of bytes in argv that are not UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Letters that show as blank space though Unicode files them as letters or symbols.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
# Spaces, controls, format characters (zero-width space and joiners, bidi marks, soft hyphen,
# BOM), marks that combine with nothing, and unassigned or private code points.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cn", "Co", "Mn", "Me"})


def is_text(value: str) -> bool:
    """False for a string holding lone surrogates (bytes that were not UTF-8)."""
    return _SURROGATE.search(value) is None


def _visible(char: str) -> bool:
    return not (
        char.isspace()
        or char in _BLANK_LOOKING
        or unicodedata.category(char) in _INVISIBLE_CATEGORIES
    )


def clean_name(name: str) -> str:
    """A name or label as coach keeps it: without spaces around it, NFC-normalised."""
    return unicodedata.normalize("NFC", name.strip())


def name_key(name: str) -> str:
    """What two names must share to be the same person's: NFKC-normalised, without case,
    invisible characters or differences in spacing."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    # Marks stay: in many scripts a vowel sign is what tells two names apart.
    kept = "".join(
        " " if c.isspace() else "" if c in _BLANK_LOOKING or _hidden(c) else c for c in folded
    )
    return " ".join(kept.split())


def _hidden(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Cn", "Co")


def check_name(name: object) -> Invalid | None:
    """A partner's name: 1 to MAX_NAME_LENGTH characters once cleaned (clean_name), at least
    one of them visible, and text (no bytes that were not UTF-8)."""
    if not isinstance(name, str):
        return Invalid(NAME_RULE, given=kind_of(name))
    if not is_text(name):
        return Invalid(NAME_RULE, problem=NOT_TEXT)
    cleaned = clean_name(name)
    if not cleaned:
        return Invalid(NAME_RULE, problem="empty")
    if not any(_visible(c) for c in cleaned):
        return Invalid(NAME_RULE, problem=INVISIBLE)
    if len(cleaned) > MAX_NAME_LENGTH:
        return Invalid(NAME_RULE, problem="too long")
    return None


def check_couple_label(label: object) -> Invalid | None:
    """A couple's label for the history; empty means "the two names" (default_couple_label).
    Like a name, it is text, and when given it has a visible character."""
    if not isinstance(label, str):
        return Invalid(COUPLE_RULE, given=kind_of(label))
    if not is_text(label):
        return Invalid(COUPLE_RULE, problem=NOT_TEXT)
    cleaned = clean_name(label)
    if cleaned and not any(_visible(c) for c in cleaned):
        return Invalid(COUPLE_RULE, problem=INVISIBLE)
    if len(cleaned) > MAX_COUPLE_LENGTH:
        return Invalid(COUPLE_RULE, problem="too long")
    return None


def same_names(a: str | None, b: str | None) -> bool:
    """True when two given names could not tell the partners' answers apart (name_key)."""
    return bool(a and b and name_key(a) == name_key(b))


def why_same(a: str, b: str) -> str:
    """Why two names that same_names refuses count as one, to end the refusal's line: names
    that differ as typed would otherwise look like a wrong refusal."""
    if a.strip() == b.strip():
        return "they are the same name"
    return (
        "they read as the same name once case, Unicode forms, spacing and invisible characters "
        "are set aside"
    )


def option_problem(option: str, invalid: Invalid | None) -> str | None:
    """The command line's wording of a name or label that is not valid: "--a needs a name of 1
    to 60 characters", and why when the rule alone does not say it."""
    if invalid is None:
        return None
    why = f" ({invalid.problem})" if invalid.problem in (NOT_TEXT, INVISIBLE) else ""
    return f"{option} needs {invalid.expected}{why}"


def option_names_problem(a: str | None, b: str | None, couple: str = "") -> str | None:
    """What is wrong with --a, --b and --couple as typed (None: not given), or None.

    The command line's wording of the rules above, shared by every command that takes names.
    """
    for option, name in (("--a", a), ("--b", b)):
        if name is not None and (problem := option_problem(option, check_name(name))):
            return problem
    if a and b and same_names(a, b):
        return (
            f"--a and --b need two different names so answers can be told apart: {why_same(a, b)}"
        )
    return option_problem("--couple", check_couple_label(couple))


def names_or_defaults(given: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """Each partner's name as given (cleaned), or "Partner A"/"Partner B" when not given."""
    given = given or {}
    return {p: clean_name(given.get(p) or "") or default for p, default in DEFAULT_NAMES.items()}


def default_couple_label(a: str, b: str) -> str:
    """A stable label for a couple when none is given: the two names, sorted, joined."""
    first, second = sorted([clean_name(a), clean_name(b)], key=str.casefold)
    return f"{first} & {second}"
