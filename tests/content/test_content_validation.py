"""Content files are validated on load: bad files give errors naming the file and key."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from typing import Any

import pytest
import tomli_w

from coach.base.errors import DataError
from coach.content import load_content, loader
from coach.domain.validity import Invalid


def shipped_data(filename: str) -> dict[str, Any]:
    text = resources.files("coach.content").joinpath(filename).read_text(encoding="utf-8")
    return tomllib.loads(text)


def flow_data() -> dict[str, Any]:
    return shipped_data("flow.toml")


def load_with(monkeypatch: pytest.MonkeyPatch, changed: str, data: dict[str, Any]) -> None:
    """Load the content with one file's data replaced."""
    real = loader._read_toml

    def fake(filename: str) -> dict[str, Any]:
        if filename == changed:
            return loader.parse_toml(tomli_w.dumps(data), filename)
        return real(filename)

    monkeypatch.setattr(loader, "_read_toml", fake)
    load_content.cache_clear()
    try:
        load_content()
    finally:
        load_content.cache_clear()


def load_with_flow(monkeypatch: pytest.MonkeyPatch, data: dict[str, Any]) -> None:
    load_with(monkeypatch, "flow.toml", data)


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


def test_a_step_the_code_names_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    """The conflict step is left out after a disclosure: flow.toml must hold it, by id."""
    data = flow_data()
    data["step"][2]["id"] = "conflcit"
    with pytest.raises(
        DataError, match='needs a step with id = "conflict" \\(did you mean "conflcit"'
    ):
        load_with_flow(monkeypatch, data)


def test_step_ids_are_unique(monkeypatch: pytest.MonkeyPatch) -> None:
    data = flow_data()
    data["step"][4]["id"] = "warm_engagement"
    with pytest.raises(DataError, match="each step needs its own id"):
        load_with_flow(monkeypatch, data)


def test_bad_evidence_label(monkeypatch: pytest.MonkeyPatch) -> None:
    data = flow_data()
    data["step"][2]["evidence"] = "Moderat"
    with pytest.raises(
        DataError, match=r'step\[2\].evidence: "Moderat" is not one of .*did you mean "Moderate"'
    ):
        load_with_flow(monkeypatch, data)


@pytest.mark.parametrize(
    ("prompt_id", "value", "expected"),
    [
        (
            "s1.a.greeted_warmly",
            6,
            Invalid(
                "a whole number from 1 (rarely) to 5 (almost every time)", problem="out of range"
            ),
        ),
        (
            "s1.a.greeted_warmly",
            True,
            Invalid("a whole number from 1 (rarely) to 5 (almost every time)", given="true/false"),
        ),
        (
            "s1.a.bid_for_connection",
            "yes",
            Invalid("true or false (no quotes)", given="text in quotes"),
        ),
        (
            "s1.b.turned_toward",
            "towards",
            Invalid(
                'one of "toward", "away", "against"',
                problem="not one of the choices",
                hint=' (did you mean "toward"?)',
            ),
        ),
        (
            "s1.a.moment",
            "x" * 10_001,
            Invalid(
                "text in quotes of at most 10,000 characters",
                problem="too long (10,001 characters)",
            ),
        ),
    ],
)
def test_prompt_value_checks_say_what_is_valid(
    prompt_id: str, value: object, expected: Invalid
) -> None:
    prompt = load_content().prompts[prompt_id]
    assert prompt.check_value(value) == expected
    assert prompt.expected() == expected.expected


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


@pytest.mark.parametrize(
    "change",
    [
        lambda data: data["item"].pop(),
        lambda data: data["item"][1]["answers"].append("Beyond words"),
        lambda data: data["item"][2].update(id="rewarded"),
    ],
)
def test_a_checkin_file_unlike_the_published_csi4_is_refused_on_loading(
    monkeypatch: pytest.MonkeyPatch, change: Any
) -> None:
    data = shipped_data("checkin.toml")
    change(data)
    with pytest.raises(DataError, match=r"checkin.toml: item: the CSI-4 has exactly these items"):
        load_with(monkeypatch, "checkin.toml", data)
