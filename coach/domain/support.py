"""Which support lines a partner sees, for their country first. Pure: the environment is passed in.

The country comes from COACH_COUNTRY, else the setting made with `coach init --country`, else
the locale (LC_ALL, LC_MESSAGES, LANG: "en_GB.UTF-8" is GB). It is never asked, and never saved,
because of a disclosure. A country coach has no lines for counts as unknown: then every line is
shown, so nobody is left with none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

from coach.content.check_files import Support

COUNTRY_ENV: Final = "COACH_COUNTRY"
_LOCALE = re.compile(r"^[a-z]{2,3}_([A-Za-z]{2})(?:[.@].*)?$")
DISCLOSURE_KINDS: Final = ("emergency", "abuse", "crisis", "anywhere")
CRISIS_KINDS: Final = ("emergency", "crisis", "anywhere")


def normal_country(code: str) -> str:
    return code.strip().upper().replace("_", "-")


def country_from_locale(environ: Mapping[str, str]) -> str | None:
    """The country of the first locale variable that is set: "en_GB.UTF-8" -> "GB"."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            match = _LOCALE.match(value)
            return match.group(1).upper() if match else None
    return None


def resolve_country(environ: Mapping[str, str], setting: str | None) -> str | None:
    """COACH_COUNTRY, else the saved setting, else the locale; None when none says."""
    chosen = environ.get(COUNTRY_ENV, "").strip() or (setting or "").strip()
    if chosen:
        return normal_country(chosen)
    return country_from_locale(environ)


def _serves(countries: Sequence[str], country: str) -> bool:
    # GB shows every UK line; GB-SCT and GB-WLS show their nation's lines and the UK-wide ones.
    return country in countries or (country == "GB" and any(c.startswith("GB-") for c in countries))


def lines_for(support: Support, country: str | None, kinds: Sequence[str]) -> list[str]:
    """The lines of these kinds, in kind order: the country's own, then the every-country line;
    every line when the country is unknown or coach has none for it."""
    known = country is not None and any(
        _serves(line.countries, country) for line in support.lines if line.kind != "anywhere"
    )
    found = []
    for kind in kinds:
        for line in support.lines:
            if line.kind != kind:
                continue
            if kind == "anywhere" or not known or _serves(line.countries, country or ""):
                found.append(line.text)
    return found


def disclosure_lines(support: Support, country: str | None) -> list[str]:
    """After a disclosure: immediate danger, domestic abuse, crisis lines, then elsewhere."""
    return lines_for(support, country, DISCLOSURE_KINDS)


def crisis_lines(support: Support, country: str | None) -> list[str]:
    """Crisis first: the emergency number, then the crisis lines, then elsewhere."""
    return lines_for(support, country, CRISIS_KINDS)
