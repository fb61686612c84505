"""--format json on every listing, validated against listings.schema.json (docs/json-output.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from coach_process import invoke

from coach.domain.targets import TARGETS
from coach.render.listings import schema

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "coach" / "content" / "demo.toml"


def validate(document: Any, kind: str) -> None:
    full = schema()
    jsonschema.validate(document, {**full, "$ref": f"#/$defs/{kind}"})


@pytest.fixture
def two_sessions() -> list[str]:
    for couple in ("Sam & Alex", "Jo & Kim"):
        result = invoke("run", "--answers", str(DEMO), "--couple", couple)
        assert result.code == 0, result.stderr
    listing = invoke("list", "--format", "json").json()
    return [item["id"] for item in listing["sessions"]]


def test_list_and_history_give_the_same_sessions(two_sessions: list[str]) -> None:
    listed = invoke("list", "--format", "json")
    assert listed.code == 0
    validate(listed.json(), "sessions")
    history = invoke("history", "--format", "json").json()
    assert history == listed.json()
    assert len(two_sessions) == 2
    first = listed.json()["sessions"][0]
    assert first["status"] == "finished" and set(first["scores"]) == set(TARGETS)


def test_filters_and_limit_apply_and_more_says_so(two_sessions: list[str]) -> None:
    one = invoke("history", "--format", "json", "--limit", "1").json()
    validate(one, "sessions")
    assert len(one["sessions"]) == 1 and one["more"] is True
    jo = invoke("history", "--format", "json", "--couple", "jo & kim").json()
    assert [s["couple"] for s in jo["sessions"]] == ["Jo & Kim"] and jo["more"] is False


def test_nothing_found_is_an_empty_list_and_exit_0() -> None:
    result = invoke("list", "--format", "json")
    assert result.code == 0
    assert result.json() == {"schema_version": 1, "sessions": [], "more": False}
    validate(result.json(), "sessions")


def test_trends_json_matches_its_schema(two_sessions: list[str]) -> None:
    result = invoke("trends", "--format", "json", "--couple", "Sam & Alex")
    assert result.code == 0
    validate(result.json(), "trends")
    assert len(result.json()["points"]) == 1


def test_rules_list_and_show() -> None:
    listed = invoke("rules", "list", "--format", "json")
    assert listed.code == 0
    validate(listed.json(), "rules")
    rules = listed.json()["rules"]
    assert len(rules) > 10 and len({r["id"] for r in rules}) == len(rules)
    shown = invoke("rules", "show", rules[0]["id"], "--format", "json")
    validate(shown.json(), "rule")
    assert shown.json()["rule"] == rules[0]


def test_rules_explain_json_agrees_with_the_saved_results(two_sessions: list[str]) -> None:
    session = two_sessions[0]
    result = invoke("rules", "explain", session, "--format", "json")
    assert result.code == 0
    document = result.json()
    validate(document, "explain")
    assert list(document["targets"]) == list(TARGETS)
    saved = invoke("show", session, "--format", "json").json()["results"]["couple"]
    for target, explained in document["targets"].items():
        assert explained["couple"]["score"] == saved[target]["score"]
        assert [f["rule_id"] for f in explained["fired"]] == [
            f["rule_id"] for f in saved[target]["fired"]
        ]
    one = invoke("rules", "explain", session, "-t", "insula", "--format", "json").json()
    assert list(one["targets"]) == ["insula"]


def test_rules_test_json_reports_each_case_and_exits_like_the_text() -> None:
    result = invoke("rules", "test", "--format", "json")
    assert result.code == 0, result.stderr
    document = result.json()
    validate(document, "cases")
    assert document["passed"] is True and document["never_fired"] == []
    assert len(document["cases"]) > 3 and all(case["passed"] for case in document["cases"])


def test_rules_test_json_on_a_failing_pack(tmp_path: Path) -> None:
    pack = tmp_path / "mine.toml"
    source = (ROOT / "coach" / "rules" / "default.toml").read_text(encoding="utf-8")
    pack.write_text(source, encoding="utf-8")
    cases = tmp_path / "none.toml"
    cases.write_text(
        '[[case]]\nname = "warm"\n[case.answers]\n"s1.a.greeted_warmly" = 5\n'
        '[case.expect]\n"b.oxytocin" = "negative"\n',
        encoding="utf-8",
    )
    result = invoke("rules", "test", str(pack), "--cases", str(cases), "--format", "json")
    assert result.code == 1
    document = result.json()
    validate(document, "cases")
    assert document["passed"] is False and document["never_fired"]
    assert document["cases"][0]["messages"][0].startswith("b.oxytocin: expected negative")


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["history"],
        ["rules", "list"],
        ["rules", "show", "x"],
        ["rules", "test"],
        ["rules", "explain", "x"],
    ],
)
def test_an_unknown_format_is_a_usage_error(command: list[str]) -> None:
    result = invoke(*command, "--format", "jsn")
    assert result.code == 2
    assert '(did you mean "json"?)' in result.stderr


def test_every_listing_document_is_in_the_docs() -> None:
    doc = (ROOT / "docs" / "json-output.md").read_text(encoding="utf-8")
    for kind in ("sessions", "trends", "rules", "rule", "explain", "couples"):
        assert kind in schema()["$defs"]
    for command in ("coach history", "coach trends", "coach rules list",
                    "coach rules show", "coach rules test", "coach rules explain",
                    "coach couples"):  # fmt: skip
        assert re.search(rf"`{command}[^`]*--format json`", doc), command
    # Every example document in the listings section validates.
    section = doc.split("## Listings", 1)[1]
    examples = re.findall(r"<!-- schema: (\w+) -->\n```json\n(.*?)```", section, re.DOTALL)
    assert sorted(kind for kind, _ in examples) == [
        "cases",
        "couples",
        "explain",
        "rule",
        "rules",
        "sessions",
        "trends",
    ]
    for kind, example in examples:
        validate(json.loads(example), kind)
