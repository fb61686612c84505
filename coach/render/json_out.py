"""A session as one JSON document (`coach run --format json`, `coach show --format json`).

The shape is documented in docs/json-output.md and checked against session.schema.json (shipped
next to this module). A draft has no results: `rules` and `results` are null and `exercises` is
empty. Nothing here records whether the safety screen left a step out: a session that skipped
the conflict step looks exactly like one that never planned it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.base.formats import JSON_SCHEMA_VERSION
from coach.base.stdio import write_stdout
from coach.content import PARTNERS, TARGETS, Content

if TYPE_CHECKING:
    from coach.domain.session import Session
    from coach.rules import FiredRule, Inference, TargetResult

# Bump when a field is removed or changes meaning; adding a field does not bump it.
SCHEMA_FILE = "session.schema.json"


def session_document(
    session: Session,
    content: Content,
    saved_to: Path | None,
    *,
    with_notes: bool = False,
    all_totals: bool = False,
) -> dict[str, Any]:
    """The whole session as JSON-ready data; `saved_to` is where it was saved, if it was.

    As the couple may see it: the facilitator's notes only `with_notes`, and each partner's
    CSI-4 total null with "hidden": true unless both said yes or `all_totals` (the
    facilitator's own view, coach show --facilitator)."""
    from coach.app.exercises import suggested_exercises
    from coach.domain.finish import stored_inference
    from coach.render.summary import NOTICE

    inference = None if session.results is None else stored_inference(session)
    exercises = [] if inference is None else suggested_exercises(inference, content, session.steps)
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "coach_version": session.coach_version,
        "session": _session_part(session, with_notes),
        "rules": None
        if inference is None
        else {"pack_id": inference.pack_id, "pack_version": inference.pack_version},
        "results": None if inference is None else _results_part(inference, content),
        "checkin": _checkin_part(session, content, all_totals),
        "exercises": [
            {
                "id": exercise.id,
                "title": exercise.title,
                "step": exercise.step,
                "step_title": content.step(exercise.step).title,
                "how": exercise.how,
                "source": exercise.source,
                "evidence": exercise.evidence,
            }
            for exercise in exercises
        ],
        "notice": NOTICE,
        "saved_to": None if saved_to is None else str(saved_to),
    }


def _session_part(session: Session, with_notes: bool) -> dict[str, Any]:
    notes = session.notes if with_notes else {}
    return {
        "id": session.id,
        "status": session.status,
        "created": session.created.isoformat(),
        "finished": None if session.finished is None else session.finished.isoformat(),
        "couple": session.couple,
        "partners": {p: session.partners[p] for p in PARTNERS},
        "steps": list(session.steps),
        "mode": session.mode,
        "facilitated": session.facilitated,
        "content_version": session.content_version,
        "answer_count": len(session.answers),
        "notes": {str(step): note for step, note in sorted(notes.items())},
        "homework": list(session.homework),
    }


def _results_part(inference: Inference, content: Content) -> dict[str, Any]:
    return {
        scope: {target: _target(results[target], content) for target in TARGETS}
        for scope, results in (("couple", inference.couple), ("a", inference.a), ("b", inference.b))
    }


def reading(result: TargetResult) -> dict[str, Any]:
    """A target's reading as every JSON document gives it: score and confidence (rule scores,
    not measurements), the same in words (coach.domain.readings), label, evidence."""
    from coach.domain.readings import rests_on, strength

    return {
        "score": result.score,
        "confidence": result.confidence,
        "strength": strength(result.score),
        "rests_on": rests_on(result.confidence),
        "label": result.label,
        "evidence": result.evidence,
    }


def _target(result: TargetResult, content: Content) -> dict[str, Any]:
    target = content.target(result.target)
    return {
        "name": target.name,
        "kind": target.kind,
        **reading(result),
        "fired": [_fired(fired) for fired in result.fired],
    }


def _fired(fired: FiredRule) -> dict[str, Any]:
    return {
        "rule_id": fired.rule_id,
        "step": fired.step,
        "because": fired.because,
        "evidence": fired.evidence,
        "weight": fired.weight,
        "answers": [{"prompt": prompt, "value": value} for prompt, value in fired.answers],
    }


def _checkin_part(session: Session, content: Content, all_totals: bool) -> dict[str, Any] | None:
    if not session.checkin:
        return None
    checkin = content.checkin
    maximum = sum(item.max_score for item in checkin.items)
    shown = all_totals or session.checkin_shown_to_both
    partners: dict[str, Any] = {}
    for partner in PARTNERS:
        items = session.checkin.get(partner)
        total = session.checkin_total(partner)
        if not items or total is None:
            partners[partner] = None
        elif shown:
            partners[partner] = {"total": total, "items": dict(items), "hidden": False}
        else:  # without both partners' yes: null, and "hidden" says a total exists
            partners[partner] = {"total": None, "items": None, "hidden": True}
    return {
        "name": checkin.name,
        **partners,
        # Whether both said yes, never each partner's answer: that one declined is theirs.
        "shared": session.checkin_shown_to_both,
        "max": maximum,
        "cutoff": checkin.cutoff,
        "reference_note": checkin.reference_note,
        "source": checkin.citation,
    }


def to_json(doc: dict[str, Any]) -> str:
    """Indented UTF-8 JSON; characters a terminal could act on are written as \\u escapes."""
    from coach.base.escape import unicode_escaped

    # json.dumps escapes C0 controls itself, not C1 controls or reordering marks.
    return unicode_escaped(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def write_json(doc: dict[str, Any]) -> None:
    write_utf8(to_json(doc))


def write_utf8(text: str) -> None:
    """Write text to standard output as UTF-8 whatever the locale (coach.base.stdio)."""
    write_stdout(text)


def schema() -> dict[str, Any]:
    """The JSON Schema that every session document validates against."""
    from importlib import resources

    text = resources.files("coach.render").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def safety_schema() -> dict[str, Any]:
    """The JSON Schema of `coach safety check --format json` (safety.schema.json)."""
    from importlib import resources

    text = (
        resources.files("coach.render").joinpath("safety.schema.json").read_text(encoding="utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded
