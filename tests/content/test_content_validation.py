"""Content files are validated on load: bad files give errors naming the file and key."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from typing import Any

import pytest
import tomli_w

from coach import content as content_module
from coach.content import load_content
from coach.errors import DataError


def flow_data() -> dict[str, Any]:
    text = resources.files("coach.content").joinpath("flow.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_with_flow(monkeypatch: pytest.MonkeyPatch, data: dict[str, Any]) -> None:
    real = content_module._read_toml

    def fake(filename: str) -> dict[str, Any]:
        if filename == "flow.toml":
            return content_module.parse_toml(tomli_w.dumps(data), filename)
        return real(filename)

    monkeypatch.setattr(content_module, "_read_toml", fake)
    load_content.cache_clear()
    try:
        load_content()
    finally:
        load_content.cache_clear()


def test_shipped_content_loads() -> None:
    content = load_content()
    assert len(content.steps) == 5
    assert len(content.targets) == 10
    assert all(p.id in content.prompts for s in content.steps for p in s.prompts)


def test_unknown_key_names_file_key_and_suggestion(monkeypatch: pytest.MonkeyPatch) -> None:
    data = flow_data()
    data["step"][0]["prompts"][0]["secrue"] = "high"
    with pytest.raises(
        DataError, match=r'flow.toml: prompts\[0\].secrue: unknown key \(did you mean "secure"\?\)'
    ):
        load_with_flow(monkeypatch, data)


def test_duplicate_prompt_id(monkeypatch: pytest.MonkeyPatch) -> None:
    data = flow_data()
    prompts = data["step"][0]["prompts"]
    prompts[1]["id"] = prompts[0]["id"]
    with pytest.raises(DataError, match=re.escape('duplicate prompt id "s1.a.greeted_warmly"')):
        load_with_flow(monkeypatch, data)


def test_bad_scale_range(monkeypatch: pytest.MonkeyPatch) -> None:
    data = flow_data()
    data["step"][0]["prompts"][0]["max"] = 1
    with pytest.raises(DataError, match=r"prompts\[0\].max: must be greater than min \(1\)"):
        load_with_flow(monkeypatch, data)


def test_missing_seed_step(monkeypatch: pytest.MonkeyPatch) -> None:
    data = flow_data()
    data["step"][4]["id"] = "repetiton"
    with pytest.raises(DataError, match="missing \\['repetition'\\]"):
        load_with_flow(monkeypatch, data)


def test_bad_evidence_label(monkeypatch: pytest.MonkeyPatch) -> None:
    data = flow_data()
    data["step"][2]["evidence"] = "Moderat"
    with pytest.raises(
        DataError, match=r'step\[2\].evidence: "Moderat" is not one of .*did you mean "Moderate"'
    ):
        load_with_flow(monkeypatch, data)


@pytest.mark.parametrize(
    ("prompt_id", "value", "problem"),
    [
        ("s1.a.greeted_warmly", 6, "6 is out of range; expected 1 to 5"),
        ("s1.a.greeted_warmly", True, "expected a whole number from 1 to 5"),
        ("s1.a.bid_for_connection", "yes", "expected true or false"),
        ("s1.b.turned_toward", "towards", 'did you mean "toward"'),
        ("s1.a.moment", "x" * 10_001, "the limit is 10000"),
    ],
)
def test_prompt_value_checks(prompt_id: str, value: object, problem: str) -> None:
    reason = load_content().prompts[prompt_id].check_value(value)
    assert reason is not None and problem in reason


def test_valid_values_pass() -> None:
    prompts = load_content().prompts
    assert prompts["s1.a.greeted_warmly"].check_value(5) is None
    assert prompts["s1.a.bid_for_connection"].check_value(False) is None
    assert prompts["s1.b.turned_toward"].check_value("toward") is None
    assert prompts["s1.a.moment"].check_value("👋 שלום e\u0301") is None


def test_secure_value_is_the_secure_end_or_choice() -> None:
    prompts = load_content().prompts
    assert prompts["s1.a.greeted_warmly"].secure_value() == 5
    assert prompts["s3.a.escalated"].secure_value() == 1  # less escalation is the secure end
    assert prompts["s1.a.bid_for_connection"].secure_value() is True
    assert prompts["s1.b.turned_toward"].secure_value() == "toward"
    assert prompts["s1.a.moment"].secure_value() is None


def test_answers_are_described_in_the_words_they_were_chosen_by() -> None:
    prompts = load_content().prompts
    assert prompts["s1.b.turned_toward"].describe("toward").startswith("Turned toward")
    assert prompts["s1.a.greeted_warmly"].describe(5) == "5 (almost every time)"
    assert prompts["s1.a.greeted_warmly"].describe(3) == "3"
    assert prompts["s1.a.bid_for_connection"].describe(False) == "no"
