"""The shipped content and rule packs follow the wording rules of the science guide.

Banned verbs would claim a measured effect; every explanation carries an evidence label. The
`seed` fields quote the source model verbatim and are exempt: they are never shown as advice.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest

from coach.content import CHEMICALS, EVIDENCE_LABELS

BANNED = re.compile(
    r"\b(releases?|released|boost(s|ed|ing)?|flood(s|ed|ing)?|rewires?|rewired|rewiring|proves?|proven)\b",
    re.IGNORECASE,
)
# "Your oxytocin is high" claims a measurement; the coach only infers patterns.
MEASURING = re.compile(rf"\byour ({'|'.join(CHEMICALS)})\b", re.IGNORECASE)
EXPLANATION_KEYS = {"about", "evidence_note", "because", "how"}
QUOTED_SOURCE_KEYS = {"seed", "role", "effect"}  # the seed's own wording, shown as such


def shipped_toml_files() -> Iterator[tuple[str, dict[str, Any]]]:
    for package in ("coach.content", "coach.rules"):
        for entry in resources.files(package).iterdir():
            if entry.name.endswith(".toml") and "cases" not in entry.name:
                yield f"{package}/{entry.name}", tomllib.loads(entry.read_text(encoding="utf-8"))


def walk(node: Any, path: str = "") -> Iterator[tuple[str, str, Any, dict[str, Any] | None]]:
    """Yield (path, key, value, parent table) for every value in a TOML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield f"{path}.{key}", key, value, node
            yield from walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}[{index}]")


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


FILES = list(shipped_toml_files())


def test_rule_packs_and_content_are_scanned() -> None:
    names = {name for name, _ in FILES}
    assert "coach.content/flow.toml" in names
    assert "coach.rules/default.toml" in names


@pytest.mark.parametrize(("name", "data"), FILES, ids=[n for n, _ in FILES])
def test_no_banned_verbs_or_measurement_claims(name: str, data: dict[str, Any]) -> None:
    offences = []
    for path, key, value, _ in walk(data):
        if key in QUOTED_SOURCE_KEYS:
            continue
        for text in strings(value):
            for pattern in (BANNED, MEASURING):
                match = pattern.search(text)
                if match:
                    offences.append(f"{name}{path}: {match.group(0)!r} in {text!r}")
    assert not offences, "\n".join(offences)


@pytest.mark.parametrize(("name", "data"), FILES, ids=[n for n, _ in FILES])
def test_every_explanation_has_an_evidence_label(name: str, data: dict[str, Any]) -> None:
    missing = []
    for path, key, _, parent in walk(data):
        if key in EXPLANATION_KEYS and (parent or {}).get("evidence") not in EVIDENCE_LABELS:
            missing.append(f"{name}{path}")
    assert not missing, "explanations without an evidence label:\n" + "\n".join(missing)


def test_the_scanner_catches_offences() -> None:
    assert BANNED.search("Hugging releases oxytocin")
    assert BANNED.search("this boosts dopamine")
    assert BANNED.search("neuroplasticity rewires the bond")
    assert MEASURING.search("Your oxytocin is high")
    assert not BANNED.search("associated with higher oxytocin")
