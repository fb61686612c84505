"""Listings as JSON documents: `list`/`history`, and `rules list`, `show`, `test` and `explain`.

Every document is described in docs/json-output.md and checked against listings.schema.json
(shipped next to this module) by the tests. Nothing here imports Rich or Typer. Documents that
can be long (a history of thousands of sessions) are written item by item, so memory stays flat.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from coach.base.formats import JSON_SCHEMA_VERSION

if TYPE_CHECKING:
    from coach.rules import CaseReport, FiredRule, Inference, Rule, RulePack
    from coach.store.index import HistoryRow

SCHEMA_FILE = "listings.schema.json"
PARTNERS = ("a", "b")


# --- sessions (coach history) ------------------------------------------------------------


def csi4_totals(a: int | None, b: int | None, hidden: Collection[str]) -> dict[str, Any]:
    """Each partner's CSI-4 total as every listing gives it: null with hidden true where the
    total exists but not both partners agreed to show it, null with hidden false where there
    is none (no check-in, or not every item answered)."""
    return {"a": a, "b": b, "hidden": {p: p in hidden for p in PARTNERS}}


def session_item(row: HistoryRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "created": row.created.isoformat(),
        "finished": None if row.finished is None else row.finished.isoformat(),
        "status": row.status,
        "couple": row.couple,
        "partners": dict(row.partners),
        "steps": list(row.steps),
        "answer_count": row.answered,
        "headline": row.headline,
        "csi4": csi4_totals(row.csi_a, row.csi_b, row.csi_hidden),
        "scores": dict(row.scores),
        "path": str(row.path),
    }


def write_sessions_json(shown: Iterable[HistoryRow], rest: Iterator[HistoryRow]) -> int:
    """{"schema_version", "sessions": [...], "more": bool}, written row by row.

    `more` says whether sessions beyond the shown ones match (--limit cut the list short).
    Returns how many were written.
    """
    out = sys.stdout
    out.write(f'{{\n  "schema_version": {JSON_SCHEMA_VERSION},\n  "sessions": [')
    separator = "\n    "
    count = 0
    for row in shown:
        out.write(separator + _compact(session_item(row)))
        separator = ",\n    "
        count += 1
    more = next(rest, None) is not None
    out.write(("\n  " if count else "") + f'],\n  "more": {json.dumps(more)}\n}}\n')
    return count


def _compact(item: Mapping[str, Any]) -> str:
    # One line per item; ASCII-only, so no character a terminal would act on gets through.
    return json.dumps(item, ensure_ascii=True)


# --- rules (coach rules list, coach rules show) --------------------------------------------


def pack_part(pack: RulePack) -> dict[str, Any]:
    return {"id": pack.id, "version": pack.version, "source": pack.source}


def rule_item(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "step": rule.step,
        "when": rule.when,
        "effects": [
            {"target": e.target, "partner": e.partner, "weight": e.weight} for e in rule.effects
        ],
        "sets": list(rule.sets),
        "uses": list(rule.uses),
        "reads": list(rule.reads),
        "because": rule.because,
        "evidence": rule.evidence,
        "line": rule.line,
    }


def rules_document(pack: RulePack) -> dict[str, Any]:
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "pack": pack_part(pack),
        "rules": [rule_item(rule) for rule in pack.rules],
    }


def rule_document(pack: RulePack, rule: Rule) -> dict[str, Any]:
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "pack": pack_part(pack),
        "rule": rule_item(rule),
    }


def cases_document(pack: RulePack, report: CaseReport) -> dict[str, Any]:
    """`coach rules test --format json`: each case's result, and the rules that never fired."""
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "pack": pack_part(pack),
        "cases": [
            {"name": case.name, "passed": case.passed, "messages": list(case.messages)}
            for case in report.cases
        ],
        "never_fired": list(report.never_fired),
        "passed": report.passed,
    }


# --- rules explain -------------------------------------------------------------------------


def _fired(fired: FiredRule, inference: Inference, target: str) -> dict[str, Any]:
    weights: dict[str, float] = {}
    for partner in PARTNERS:
        for item in inference.scope(partner)[target].fired:
            if item.rule_id == fired.rule_id:
                weights[partner] = item.weight
    return {
        "rule_id": fired.rule_id,
        "step": fired.step,
        "because": fired.because,
        "evidence": fired.evidence,
        "weights": weights,
        "answers": [{"prompt": prompt, "value": value} for prompt, value in fired.answers],
    }


def explain_document(
    session_id: str,
    pack: RulePack,
    inference: Inference,
    targets: Iterable[str],
    names: Mapping[str, str],
    unanswered: Mapping[str, list[str]],
) -> dict[str, Any]:
    """Which rules fired for each target and why; `names` are the targets' display names."""
    from coach.render.json_out import reading

    explained = {}
    for target in targets:
        couple = inference.couple[target]
        explained[target] = {
            "name": names[target],
            "couple": reading(couple),
            "a": reading(inference.a[target]),
            "b": reading(inference.b[target]),
            "fired": [_fired(fired, inference, target) for fired in couple.fired],
            "unanswered": unanswered[target],
        }
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "session": session_id,
        "pack": pack_part(pack),
        "steps": list(inference.steps),
        "targets": explained,
        "facts": sorted(inference.facts),
    }


def write_document(document: dict[str, Any]) -> None:
    from coach.render.json_out import to_json, write_utf8

    write_utf8(to_json(document))


def schema() -> dict[str, Any]:
    """The JSON Schema of the listing documents; each one is under `$defs`."""
    from importlib import resources

    text = resources.files("coach.render").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
