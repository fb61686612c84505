"""Shell completion callbacks: session ids and couple labels, from the index.

Typer calls these only when the shell asks for completions (never for `--help` or a command),
and they import the store only then. A completion that fails offers nothing rather than an error.
"""

from __future__ import annotations

import unicodedata


def _shown(text: str) -> str:
    # A label is user text: one line, no control characters, whatever the shell does with it.
    return "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)


def session_ids(incomplete: str) -> list[tuple[str, str]]:
    from coach.store import completion

    return [(c.value, _shown(c.help)) for c in completion.session_ids(incomplete)]


def draft_ids(incomplete: str) -> list[tuple[str, str]]:
    from coach.store import completion

    drafts = completion.session_ids(incomplete, drafts_only=True)
    return [(c.value, _shown(c.help)) for c in drafts]


def couples(incomplete: str) -> list[tuple[str, str]]:
    from coach.store import completion

    return [(_shown(c.value), c.help) for c in completion.couples(incomplete)]
