"""Every JSON document coach prints has a schema_version and validates against a schema shipped
in the package (coach/render/*.schema.json), so that a program reading it knows what it holds."""

from __future__ import annotations

import importlib.util
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from coach_process import invoke

from coach.base.formats import COMMAND_FORMATS, Format

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "coach" / "content" / "demo.toml"
COUPLE = "Sam & Alex"

# Each command line that prints JSON, the schema file and (for a file of several documents)
# the $defs entry. "ID" is the newest session's id.
DOCUMENTS: list[tuple[tuple[str, ...], str, str | None]] = [
    (("show", "ID", "--format", "json"), "session.schema.json", None),
    (("run", "--answers", str(DEMO), "--format", "json", "--no-save"), "session.schema.json", None),
    (("export", "ID", "--format", "json"), "session.schema.json", None),
    (("export", "--couple", COUPLE, "--format", "json"), "report.schema.json", None),
    (("template", "--format", "json"), "template.schema.json", None),
    (("list", "--format", "json"), "listings.schema.json", "sessions"),
    (("history", "--format", "json"), "listings.schema.json", "sessions"),
    (("trends", "--format", "json"), "listings.schema.json", "trends"),
    (("rules", "list", "--format", "json"), "listings.schema.json", "rules"),
    (("rules", "show", "s1_warm_greeting", "--format", "json"), "listings.schema.json", "rule"),
    (("rules", "test", "--format", "json"), "listings.schema.json", "cases"),
    (("rules", "explain", "ID", "--format", "json"), "listings.schema.json", "explain"),
    (("couples", "--format", "json"), "listings.schema.json", "couples"),
    (("safety", "check", str(DEMO), "--format", "json"), "safety.schema.json", None),
]


def shipped(name: str) -> dict[str, Any]:
    text = resources.files("coach.render").joinpath(name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@pytest.fixture
def newest() -> str:
    for _ in range(2):
        assert invoke("run", "--answers", str(DEMO), "--couple", COUPLE).code == 0
    return str(invoke("list", "--format", "json").json()["sessions"][0]["id"])


@pytest.mark.parametrize(("args", "name", "kind"), DOCUMENTS, ids=lambda v: str(v)[:40])
def test_every_json_document_has_a_version_and_its_schema(
    newest: str, args: tuple[str, ...], name: str, kind: str | None
) -> None:
    result = invoke(*[newest if arg == "ID" else arg for arg in args])
    assert result.code == 0, result
    document = json.loads(result.stdout)
    assert document["schema_version"] == 1
    schema = shipped(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, {**schema, "$ref": f"#/$defs/{kind}"} if kind else schema)


def test_every_command_that_prints_json_is_checked_here() -> None:
    checked = {args[0] for args, _, _ in DOCUMENTS}
    printing = {command for command, formats in COMMAND_FORMATS.items() if Format.JSON in formats}
    assert printing <= checked


def test_the_report_schema_refuses_a_report_without_its_version(newest: str) -> None:
    document = json.loads(invoke("export", "--couple", COUPLE, "--format", "json").stdout)
    del document["schema_version"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, shipped("report.schema.json"))


def _schema_script() -> Any:
    spec = importlib.util.spec_from_file_location(
        "gen_schemas", ROOT / "scripts" / "gen_schemas.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_schemas_list_the_targets_and_steps_of_the_content() -> None:
    """targets.toml and flow.toml are the one source; scripts/gen_schemas.py writes them into
    the schemas, and the shipped schemas are as it writes them."""
    assert _schema_script().main(["--check"]) == 0


def test_a_new_target_and_a_new_step_reach_every_schema() -> None:
    from coach.domain.steps import STEPS
    from coach.domain.targets import TARGETS

    script = _schema_script()
    more = (*TARGETS, "hypothalamus")
    for name in ("session.schema.json", "report.schema.json", "listings.schema.json"):
        text = json.dumps(script._fill(shipped(name), more, STEPS[-1] + 1))
        assert '"hypothalamus"' in text, name
        assert f'"maximum": {STEPS[-1] + 1}' in text, name
        assert f'"maximum": {STEPS[-1]}}}' not in text, name
    session = script._fill(shipped("session.schema.json"), more, 6)
    assert session["$defs"]["targets"]["required"][-1] == "hypothalamus"
    assert "hypothalamus" in session["$defs"]["targets"]["properties"]
