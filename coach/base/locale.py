"""The language coach speaks, and a translation laid over the English data files by key.

The language is the first of COACH_LANG, LC_ALL, LC_MESSAGES and LANG that is set ("de_DE.UTF-8"
is tried as de_DE, then de; "C", "POSIX" and "en" are English). A translation is a directory
`<lang>/` holding any of a package's data files with only the keys it translates; each key it
leaves out stays English (docs/translating.md). Directories are looked for in COACH_LOCALE_PATH
(for trying a translation out, like PATH), then in the package's own `locale/`.

`overlay` lays one parsed file over another: tables by key, arrays of tables by their `id` (or a
choice's `value`, else by position), every other value replaced whole. A translation changes text
only: a number, a true/false or a key named in `keep` (alone, "id", or with its table,
"claim.label") stays as in English, and a key the English
file does not have is refused, so a typo cannot pass as a translation. Pure apart from reading
the files; no domain knowledge (the caller says which keys are kept).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from coach.base.errors import DataError

LANGUAGE_VARIABLES: Final = ("COACH_LANG", "LC_ALL", "LC_MESSAGES", "LANG")
LOCALE_PATH_VARIABLE: Final = "COACH_LOCALE_PATH"
LOCALE_DIR: Final = "locale"
ENGLISH: Final = ("", "c", "posix", "en")
_TAG: Final = re.compile(r"^([A-Za-z]{2,3})(?:[_-]([A-Za-z0-9]{2,8}))?$")
_MATCH_KEYS: Final = ("id", "value")


def languages(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The languages to look for, most specific first: ("pt_BR", "pt"); () for English."""
    env = os.environ if environ is None else environ
    value = next(
        (env[name].strip() for name in LANGUAGE_VARIABLES if env.get(name, "").strip()), ""
    )
    tag = re.split(r"[.@]", value, maxsplit=1)[0]
    match = _TAG.match(tag)
    if tag.lower() in ENGLISH or tag.lower().startswith("en_") or not match:
        return ()
    language = match.group(1).lower()
    if match.group(2):
        return (f"{language}_{match.group(2).upper()}", language)
    return (language,)


def locale_dirs(package_dir: Path, environ: Mapping[str, str] | None = None) -> list[Path]:
    """The directories a translation may be in: COACH_LOCALE_PATH's, then the package's."""
    env = os.environ if environ is None else environ
    extra = [Path(p) for p in env.get(LOCALE_PATH_VARIABLE, "").split(os.pathsep) if p]
    return [*extra, package_dir / LOCALE_DIR]


def translations(
    package_dir: Path, filename: str, environ: Mapping[str, str] | None = None
) -> list[Path]:
    """The translation files of `filename` that apply, least specific first (de before de_AT):
    each is laid over the ones before it."""
    found: list[Path] = []
    for language in reversed(languages(environ)):
        for folder in locale_dirs(package_dir, environ):
            path = folder / language / filename
            if path.is_file():
                found.append(path)
                break
    return found


def overlay(english: Any, translated: Any, *, where: str, keep: frozenset[str]) -> Any:
    """`translated` laid over `english` by key; a DataError naming `where` and the key for
    anything a translation may not do."""
    return _overlay(english, translated, where, "", keep)


def _fail(where: str, path: str, problem: str) -> DataError:
    return DataError(f"{where}: {path or 'the file'}: {problem}")


def _overlay(english: Any, translated: Any, where: str, path: str, keep: frozenset[str]) -> Any:
    if isinstance(english, dict):
        if not isinstance(translated, dict):
            raise _fail(where, path, "must be a table, as in English")
        merged = dict(english)
        for key, value in translated.items():
            inner = f"{path}.{key}" if path else key
            if key not in english:
                raise _fail(where, inner, "the English file has no such key")
            if _kept(path, key, keep) and _is_value(english[key]) and value != english[key]:
                raise _fail(
                    where, inner, f"a translation keeps this as in English ({english[key]!r})"
                )
            merged[key] = _overlay(english[key], value, where, inner, keep)
        return merged
    if isinstance(english, list) and english and all(isinstance(v, dict) for v in english):
        return _tables(english, translated, where, path, keep)
    if isinstance(english, str):
        if not isinstance(translated, str):
            raise _fail(where, path, "must be text, as in English")
        return translated
    if isinstance(english, list) and all(isinstance(v, str) for v in english):
        if not isinstance(translated, list) or not all(isinstance(v, str) for v in translated):
            raise _fail(where, path, "must be a list of text, as in English")
        return translated
    if translated != english or type(translated) is not type(english):
        raise _fail(where, path, f"a translation changes only text; keep {english!r} as in English")
    return english


def _is_value(value: Any) -> bool:
    """Text, a number, true/false or a list of them: not a table or a list of tables."""
    if isinstance(value, dict):
        return False
    return not (isinstance(value, list) and any(isinstance(v, dict) for v in value))


def _kept(path: str, key: str, keep: frozenset[str]) -> bool:
    """`key` is kept as in English: named alone ("id") or with its table ("claim.label")."""
    table = re.sub(r"\[[^\]]*\]$", "", path.rsplit(".", 1)[-1])
    return key in keep or f"{table}.{key}" in keep


def _match_key(tables: Sequence[dict[str, Any]]) -> str | None:
    return next((k for k in _MATCH_KEYS if all(k in t for t in tables)), None)


def _tables(
    english: list[dict[str, Any]], translated: Any, where: str, path: str, keep: frozenset[str]
) -> list[dict[str, Any]]:
    if not isinstance(translated, list) or not all(isinstance(v, dict) for v in translated):
        raise _fail(where, path, "must be tables, as in English")
    merged = list(english)
    key = _match_key(english)
    for index, table in enumerate(translated):
        if key is None:
            if index >= len(english):
                raise _fail(where, f"{path}[{index}]", f"the English file has {len(english)}")
            merged[index] = _overlay(english[index], table, where, f"{path}[{index}]", keep)
            continue
        wanted = table.get(key)
        found = next((i for i, t in enumerate(english) if t[key] == wanted), None)
        if found is None:
            raise _fail(where, f"{path}[{index}].{key}", f"the English file has no {wanted!r}")
        merged[found] = _overlay(english[found], table, where, f"{path}[{key}={wanted}]", keep)
    return merged
