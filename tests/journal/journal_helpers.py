"""Helpers for the scripted-journaling tests: run the CLI as a user would, and build answer files
by filling in the real template. Fixtures that use them are in conftest.py."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from coach_process import Outcome as Outcome  # re-exported for the journal tests
from coach_process import invoke as invoke

ROOT = Path(__file__).resolve().parents[2]
COACH_BIN = ROOT / ".venv" / "bin" / "coach"
ESC = "\x1b"
# The summary's header date ("Monday 30 November 2026, 09:51"): two runs may straddle a minute.
LONG_DATE_PATTERN = re.compile(r"[A-Z][a-z]+day \d{2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}")
ID_PATTERN = re.compile(r"\d{8}-\d{6}-[0-9a-f]+")
# JSON writes date-times with a "T", TOML session files (tomli_w) with a space.
TIME_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[+-]\d{2}:\d{2}|Z)?")


Coach = Callable[..., Outcome]


def run_json(tmp_path: Path, text: str, *options: str) -> dict[str, Any]:
    """`coach run` on one answer file written from `text`, expecting success and JSON."""
    path = tmp_path / "answers.toml"
    path.write_text(text, encoding="utf-8")
    outcome = invoke("run", "--answers", str(path), "--format", "json", *options)
    assert outcome.code == 0, outcome.stderr
    doc: dict[str, Any] = outcome.json()
    return doc


def saved_files(home: Path) -> list[Path]:
    sessions = home / "sessions"
    return sorted(sessions.glob("*.toml")) if sessions.exists() else []


def template_parts(*options: str) -> tuple[str, list[dict[str, Any]]]:
    """The TOML template and the JSON list of its entries, from the real command."""
    toml_out = invoke("template", *options)
    json_out = invoke("template", "--format", "json", *options)
    assert toml_out.code == 0 and json_out.code == 0, toml_out.stderr + json_out.stderr
    return toml_out.stdout, json_out.json()["prompts"]


def filled(*options: str, secure: bool = True, **extra: Any) -> str:
    """A complete answer file made by filling in the template: secure or the opposite."""
    text, prompts = template_parts(*options)
    return fill(text, answer_set(prompts, secure=secure, **extra))


# --- building answer files from the template -------------------------------------------------


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def fill(template: str, values: Mapping[str, object]) -> str:
    """Fill the template's `"key" = ""` lines (commented out or not) with `values` by key.

    Keys are unique across sections (`s1.a.x`, `a.feel_safe`, `a.happiness`), so the key alone
    says which line to fill. Every key in `values` must be in the template.
    """
    lines = template.splitlines()
    missing = set(values)
    for n, line in enumerate(lines):
        match = re.match(r'^(?:# )?"([^"]+)" = ""$', line)
        if match and match.group(1) in values:
            key = match.group(1)
            lines[n] = f'"{key}" = {toml_value(values[key])}'
            missing.discard(key)
    assert not missing, f"not in the template: {sorted(missing)}"
    return "\n".join(lines) + "\n"


def opposite(entry: Mapping[str, Any]) -> object:
    """An answer at the other end from the secure pattern (or a different choice)."""
    kind, secure = entry["type"], entry["secure_answer"]
    if kind == "scale":
        return entry["min"] if secure == entry["max"] else entry["max"]
    if kind == "yesno":
        return not secure
    if kind == "choice":
        return next(c["value"] for c in entry["choices"] if c["value"] != secure)
    raise AssertionError(f"no opposite for {kind}")


def answer_set(
    prompts: list[dict[str, Any]],
    *,
    secure: bool,
    text: str = "We went for a walk together.",
    checkin: bool = True,
) -> dict[str, object]:
    """Answers for every entry of a template document: secure or not, safety always safe."""
    values: dict[str, object] = {}
    for entry in prompts:
        if entry["section"] == "checkin":
            if checkin and entry["type"] == "yesno":  # a.shared: yes, show the total to both
                values[entry["key"]] = True
            elif checkin:
                values[entry["key"]] = entry["max"] if secure else entry["min"]
        elif entry["section"] == "safety":
            values[entry["key"]] = entry["secure_answer"]
        elif entry["type"] == "text":
            values[entry["key"]] = text
        else:
            values[entry["key"]] = entry["secure_answer"] if secure else opposite(entry)
    return values


def normalise(text: str) -> str:
    """Blank out what differs between two runs of the same answers: ids and times."""
    text = LONG_DATE_PATTERN.sub("<date>", ID_PATTERN.sub("<id>", text))
    return TIME_PATTERN.sub("<time>", text)
