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


def filled(*options: str, secure: bool = True, check: bool = True, **extra: Any) -> str:
    """A complete answer file made by filling in the template: secure or the opposite.

    A template for both partners holds no check: with `check`, both partners' checks (nothing
    disclosed, the full session) are added, as a single file may hold them."""
    text, prompts = template_parts(*options)
    text = fill(text, answer_set(prompts, secure=secure, **extra))
    if check and not any(p["section"] == "check" for p in prompts):
        text += both_checks()
    return text


def both_checks(today: str = "full") -> str:
    """Both partners' checks, nothing disclosed, as a [check] table to add to a file's end."""
    return "\n" + check_toml({**check_values("a", today), **check_values("b", today)})


def check_items() -> list[str]:
    from coach.content.check_files import load_check

    return [item.id for item in load_check().items]


def check_values(partner: str, today: str = "full", *yes: str) -> dict[str, object]:
    """A partner's check: every item false except `yes`, and how much today."""
    values: dict[str, object] = {f"{partner}.{i}": i in yes for i in check_items()}
    values[f"{partner}.today"] = today
    return values


def check_toml(values: Mapping[str, object]) -> str:
    """A [check] table holding these keys."""
    lines = ["[check]", *(f'"{k}" = {toml_value(v)}' for k, v in values.items())]
    return "\n".join(lines) + "\n"


# --- building answer files from the template -------------------------------------------------


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def fill(template: str, values: Mapping[str, object]) -> str:
    """Fill the template's `"key" = ""` lines (commented out or not) with `values` by key.

    Keys are unique across sections (`s1.a.x`, `a.hurt`, `a.happiness`), so the key alone
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
    """Answers for every entry of a template document: secure or not; the check discloses
    nothing (every item false, the acuity question left out, a measure's first answer) and
    chooses the full session."""
    values: dict[str, object] = {}
    for entry in prompts:
        if entry["section"] == "checkin":
            if checkin and entry["type"] == "yesno":  # a.shared: yes, show the total to both
                values[entry["key"]] = True
            elif checkin:
                values[entry["key"]] = entry["max"] if secure else entry["min"]
        elif entry["section"] == "check":
            if entry["type"] == "choice":
                values[entry["key"]] = "full"
            elif entry["type"] == "scale":
                values[entry["key"]] = entry["min"]
            elif entry["required"]:
                values[entry["key"]] = False
        elif entry["type"] == "text":
            values[entry["key"]] = text
        else:
            values[entry["key"]] = entry["secure_answer"] if secure else opposite(entry)
    return values


def set_keys(text: str, values: Mapping[str, object]) -> str:
    """Set `"key" = value` for each key of a filled answer file, commented out or not."""
    for key, value in values.items():
        pattern = rf'^(?:# )?"{re.escape(key)}" = .*$'
        text, count = re.subn(pattern, f'"{key}" = {toml_value(value)}', text, flags=re.M)
        assert count == 1, key
    return text


def normalise(text: str) -> str:
    """Blank out what differs between two runs of the same answers: ids and times."""
    text = LONG_DATE_PATTERN.sub("<date>", ID_PATTERN.sub("<id>", text))
    return TIME_PATTERN.sub("<time>", text)
