"""The JSON document validates against the shipped schema, and the docs describe the real thing."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from journal_helpers import ROOT, filled, invoke, run_json

from coach.content import Content
from coach.render.json_out import schema, session_document, to_json

DOCS = ROOT / "docs" / "json-output.md"
JOURNALING = ROOT / "docs" / "journaling.md"


def validate(doc: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_schema_itself_is_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())


@pytest.mark.parametrize(
    ("options", "secure"),
    [((), True), ((), False), (("--steps", "2,4"), True), (("--partner", "a"), True)],
)
def test_run_output_validates(tmp_path: Path, options: tuple[str, ...], secure: bool) -> None:
    text = filled(*options, secure=secure)
    if "--partner" in options:
        other = tmp_path / "b.toml"
        other.write_text(filled("--partner", "b"), encoding="utf-8")
        text_path = tmp_path / "a.toml"
        text_path.write_text(text, encoding="utf-8")
        outcome = invoke(
            "run", "--answers", str(text_path), "--answers", str(other), "--format", "json"
        )
        assert outcome.code == 0, outcome.stderr
        doc = outcome.json()
    else:
        doc = run_json(tmp_path, text)
    validate(doc)
    assert doc["schema_version"] == 1
    assert doc["saved_to"] and Path(doc["saved_to"]).exists()
    for stamp in (doc["session"]["created"], doc["session"]["finished"]):
        assert datetime.fromisoformat(stamp).tzinfo is not None
    assert 1 <= len(doc["exercises"]) <= 3
    assert all(e["step"] in doc["session"]["steps"] for e in doc["exercises"])


def test_every_result_explains_itself(tmp_path: Path) -> None:
    doc = run_json(tmp_path, filled(), "--no-save")
    fired = [
        rule
        for scope in ("couple", "a", "b")
        for target in doc["results"][scope].values()
        for rule in target["fired"]
    ]
    assert fired
    assert all(rule["because"] and rule["answers"] for rule in fired)
    oxytocin = doc["results"]["couple"]["oxytocin"]
    assert oxytocin["evidence"] in {"Strong", "Moderate", "Preliminary", "Contested", "Practice"}
    assert {"score", "confidence", "label", "evidence", "fired"} <= set(oxytocin)


def test_show_and_draft_documents_validate(content: Content, tmp_path: Path) -> None:
    from coach.domain.session import Session, new_session_id, now

    doc = run_json(tmp_path, filled())
    shown = invoke("show", doc["session"]["id"], "--format", "json")
    validate(shown.json())
    created = now()
    draft = Session(new_session_id(created), created, {"a": "Sam", "b": "Alex"})
    draft.checkin = {"b": {item.id: 1 for item in content.checkin.items}}
    draft.notes = {2: "They laughed a lot."}
    draft_doc = session_document(draft, content, saved_to=None)
    validate(json.loads(to_json(draft_doc)))
    # As the couple may see it: nobody said yes to sharing, and the notes are the facilitator's.
    assert draft_doc["checkin"]["a"] is None
    assert draft_doc["checkin"]["b"] == {"total": None, "items": None, "hidden": True}
    assert draft_doc["session"]["notes"] == {}
    own = session_document(draft, content, saved_to=None, with_notes=True, all_totals=True)
    validate(json.loads(to_json(own)))
    assert own["checkin"]["a"] is None and own["checkin"]["b"]["total"] == 4
    assert own["session"]["notes"] == {"2": "They laughed a lot."}
    draft.checkin_shared = {"a": True, "b": True}
    shared = session_document(draft, content, saved_to=None)
    assert shared["checkin"]["b"]["total"] == 4 and shared["checkin"]["b"]["hidden"] is False


def test_docs_name_every_field_of_the_schema() -> None:
    text = DOCS.read_text(encoding="utf-8")
    root = schema()
    fields = set(root["properties"]) | set(root["$defs"]["session"]["properties"])
    fields |= set(root["$defs"]["target"]["properties"])
    fields |= set(root["$defs"]["fired_rule"]["properties"])
    fields |= set(root["$defs"]["exercise"]["properties"])
    missing = sorted(f for f in fields if f"`{f}`" not in text and f'"{f}"' not in text)
    assert not missing, f"docs/json-output.md does not mention {missing}"


def test_the_example_document_in_the_docs_has_the_real_top_level_fields(tmp_path: Path) -> None:
    text = DOCS.read_text(encoding="utf-8")
    example = re.search(r"## The document\n\n```json\n(.*?)\n```", text, re.S)
    assert example is not None
    documented = re.findall(r'^  "(\w+)":', example.group(1), re.M)
    real = list(run_json(tmp_path, filled(), "--no-save"))
    assert documented == real


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_the_jq_examples_in_the_journaling_docs_work(tmp_path: Path) -> None:
    doc_path = tmp_path / "week-2026-11-29.json"
    doc_path.write_text(json.dumps(run_json(tmp_path, filled(), "--no-save")), encoding="utf-8")
    text = JOURNALING.read_text(encoding="utf-8")
    programs = re.findall(r"jq (?:-r )?'([^']+)'", text)
    assert len(programs) >= 4
    for program in programs:
        result = subprocess.run(
            ["jq", "-r", program, str(doc_path)], capture_output=True, text=True, timeout=30
        )
        assert result.returncode == 0, (program, result.stderr)
        assert result.stdout.strip() and "null" not in result.stdout.split(), program
