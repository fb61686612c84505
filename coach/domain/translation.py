"""The content files (coach/content/*.toml) as read in the user's language, English as fallback.

Every reader of a content file comes here: the loader (flow, targets, exercises, safety,
check-in), the private check and the support lines, the bibliography, the free-text lexicon and
the demo. `content_file` is the English file with the translation of coach.base.locale laid over
it key by key, so that whatever checks a file on load (evidence labels, citations, the wording
rules) checks the translated text too. `english_file` is the file as shipped, for the facts that
never change with a language: the steps' numbers and ids, the targets' ids.

A translation changes what is read, never what is meant: the keys in KEEP (ids, types, secure
directions, evidence labels, steps, topics, kinds, countries, the bibliography) stay as in
English, as do
numbers and true/false values. Pure apart from reading the package's files.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, Final

CONTENT_DIR: Final = Path(__file__).resolve().parents[1] / "content"
# What a translation may not change: what names, classifies or scores, rather than says.
KEEP: Final = frozenset(
    {
        # everywhere
        *("id", "value", "type", "secure", "leads", "evidence", "number", "step", "version"),
        *("unsafe", "topic", "kind", "countries", "cites"),
        # the bibliography: how the text cites a paper, and what the paper is and supports
        *("reference.cite", "reference.authors", "reference.title", "reference.journal"),
        *("reference.doi", "reference.supports", "reference.basis", "reference.read"),
        *("reference.where", "claim.label"),
        # the private check: which published screen a question comes from
        *("item.source", "acuity.source"),
    }
)


@cache
def english_file(filename: str) -> dict[str, Any]:
    """A content file as shipped, parsed once per process."""
    from coach.base.document import parse

    return parse((CONTENT_DIR / filename).read_text(encoding="utf-8"), filename)


def content_file(filename: str) -> dict[str, Any]:
    """A content file in the user's language: the English file with each translation that
    applies laid over it (coach.base.locale)."""
    from coach.base.locale import languages

    return _translated(filename, languages(), _locale_path())


def translation_files(filename: str) -> list[Path]:
    """The translation files laid over `filename` now (none in English)."""
    from coach.base.locale import translations

    return translations(CONTENT_DIR, filename)


@contextmanager
def in_translation() -> Iterator[None]:
    """A DataError raised inside says which translation was laid over the English files, so a
    problem in translated text points at the translation."""
    from coach.base.errors import DataError
    from coach.base.locale import languages

    try:
        yield
    except DataError as error:
        chosen = languages()
        if not chosen:
            raise
        folders = sorted({str(p.parent) for p in _every_translation_file()})
        where = f"; its files: {', '.join(folders)}" if folders else "; none of its files found"
        raise DataError(
            f"{error.message} (in the {chosen[0]} translation{where})", details=error.details
        ) from None


def _every_translation_file() -> list[Path]:
    return [
        p
        for name in sorted(p.name for p in CONTENT_DIR.glob("*.toml"))
        for p in translation_files(name)
    ]


def _locale_path() -> str:
    import os

    from coach.base.locale import LOCALE_PATH_VARIABLE

    return os.environ.get(LOCALE_PATH_VARIABLE, "")


@cache
def _translated(filename: str, languages: tuple[str, ...], locale_path: str) -> dict[str, Any]:
    from coach.base.document import parse
    from coach.base.locale import overlay

    data = english_file(filename)
    if not languages:
        return data
    for path in translation_files(filename):
        shown = shown_translation(path)
        translated = parse(path.read_text(encoding="utf-8"), shown)
        data = overlay(data, translated, where=shown, keep=KEEP)
    return data


def shown_translation(path: Path) -> str:
    """A translation file as messages name it: locale/de/flow.toml for a shipped one, else its
    path (a folder of COACH_LOCALE_PATH)."""
    if path.is_relative_to(CONTENT_DIR):
        return path.relative_to(CONTENT_DIR).as_posix()
    return str(path)
