"""Display-safe text from outside coach, with no Rich import: the plain history listing uses it
on its fast path, and the renderers import it as coach.base.escape. Pure, so the core uses it
too: names are neutralised where they are filled into content text (coach.content.fill_names),
so every question that names a partner is safe wherever it is shown.

Everything that did not come from coach itself (partner names, couple labels, answers, rule-pack
text, result labels read from a session file, file names and keys quoted in error messages)
passes through here before it reaches a terminal, so that nothing in it can act on the terminal:
C0 and C1 control characters (escape sequences start with one), DEL, and the invisible marks that
reorder text (bidirectional overrides and isolates) are shown as visible escapes such as `\x1b`
or `\u202e`. Text is stored exactly as typed; this is only for display.
"""

from __future__ import annotations

import re
from functools import cache
from os import PathLike, fspath

# Bidirectional overrides, embeddings, isolates and marks can make text display in a misleading
# order; line and paragraph separators can start a new line unseen.
_FORMAT_MARKS = "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"


@cache
def _unsafe(in_a_line: bool) -> re.Pattern[str]:
    """Compiled on first use, not on import: every command module imports this one, and
    `coach --help` never neutralises anything."""
    # In a line, tabs and newlines (\x09, \x0a) are shown as escapes too; in text they are kept.
    controls = "\x00-\x1f" if in_a_line else "\x00-\x08\x0b-\x1f"
    return re.compile(f"[{controls}\x7f-\x9f{_FORMAT_MARKS}]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def neutralise(text: str) -> str:
    """User text made safe to show: controls and reordering marks become visible escapes;
    newlines and tabs are kept."""
    return _unsafe(False).sub(_visible, text)


def neutralise_line(text: str) -> str:
    """The same for text that must stay on one line (a name, a label, an error message):
    newlines and tabs are shown as escapes too."""
    return _unsafe(True).sub(_visible, text)


def one_line(text: str) -> str:
    """User text for one cell or one line of a listing: escapes visible, line breaks and tabs
    as spaces."""
    return neutralise(text).replace("\n", " ").replace("\t", " ")


def has_unsafe(text: str) -> bool:
    """Whether neutralise_line would change `text`: it holds a control character or a mark
    that reorders text or breaks the line."""
    return _unsafe(True).search(text) is not None


def unicode_escaped(text: str) -> str:
    """The same characters as \\uXXXX escapes, for text that is a JSON document or holds TOML
    basic strings (where that escape reads back as the very character): newlines and tabs,
    which are part of the layout, are kept."""
    return _unsafe(False).sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def shown_path(path: str | PathLike[str]) -> str:
    """A file or directory path as every success line and message prints it: on one line,
    with controls and reordering marks as visible escapes (a data directory or -o name holding
    ESC [2J must not clear the screen), and bytes that are not UTF-8 as \\udcXX escapes."""
    text = fspath(path).encode("utf-8", "backslashreplace").decode("utf-8")
    return neutralise_line(text)
