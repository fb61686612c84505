"""template -> fill -> run: answer files made from the real template give real sessions."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from journal_helpers import (
    answer_set,
    both_checks,
    fill,
    filled,
    invoke,
    run_json,
    saved_files,
    template_parts,
)

from coach.content import TARGETS, Content
from coach.domain.session import prompts_for
from coach.store import files as store


def test_a_secure_set_is_recorded_answer_for_answer(
    tmp_path: Path, coach_home: Path, content: Content
) -> None:
    text, prompts = template_parts("--a", "Sam", "--b", "Alex")
    values = answer_set(prompts, secure=True)
    doc = run_json(tmp_path, fill(text, values) + both_checks())
    [path] = saved_files(coach_home)
    assert doc["saved_to"] == str(path)
    session = store.load_session(path)
    assert session.partners == {"a": "Sam", "b": "Alex"}
    assert session.steps == [1, 2, 3, 4, 5]
    assert not session.is_draft
    # Every prompt type made the trip with its value and type intact.
    expected = {p.id: values[p.id] for p in prompts_for(content, session.steps)}
    assert session.answer_map() == expected
    assert {content.prompts[k].type for k in expected} == {"scale", "choice", "yesno", "text"}
    assert session.checkin == {p: {i.id: i.max_score for i in content.checkin.items} for p in "ab"}


def test_secure_answers_score_at_least_as_high_as_insecure_ones_everywhere(
    tmp_path: Path,
) -> None:
    secure = run_json(tmp_path, filled(secure=True), "--no-save")
    insecure = run_json(tmp_path, filled(secure=False), "--no-save")
    secure_results = secure["results"]
    insecure_results = insecure["results"]
    assert isinstance(secure_results, dict) and isinstance(insecure_results, dict)
    for scope in ("couple", "a", "b"):
        for target in TARGETS:
            high = secure_results[scope][target]["score"]
            low = insecure_results[scope][target]["score"]
            assert high >= low, (scope, target)
    total = sum(secure_results["couple"][t]["score"] for t in TARGETS)
    assert total > sum(insecure_results["couple"][t]["score"] for t in TARGETS)
    assert secure_results["couple"]["oxytocin"]["score"] > 0
    assert insecure_results["couple"]["oxytocin"]["score"] < 0


def test_checkin_totals_are_in_the_json(tmp_path: Path) -> None:
    doc = run_json(tmp_path, filled(secure=False), "--no-save")
    checkin = doc["checkin"]
    assert isinstance(checkin, dict)
    assert checkin["a"] == {
        "total": 0,
        "items": {"happiness": 0, "warm_comfortable": 0, "rewarding": 0, "satisfied": 0},
        "hidden": False,
    }
    assert checkin["shared"] is True
    assert checkin["max"] == 21
    assert checkin["cutoff"] == 13.5


@pytest.mark.parametrize("given", [{"a": True, "b": False}, {}])
def test_checkin_totals_are_hidden_without_both_partners_yes(
    tmp_path: Path, given: dict[str, bool]
) -> None:
    text, prompts = template_parts()
    values = answer_set(prompts, secure=False)
    for partner in ("a", "b"):
        del values[f"{partner}.shared"]
    values.update({f"{p}.shared": yes for p, yes in given.items()})
    doc = run_json(tmp_path, fill(text, values) + both_checks(), "--no-save")
    checkin = doc["checkin"]
    assert checkin["a"] == {"total": None, "items": None, "hidden": True}
    assert checkin["b"] == {"total": None, "items": None, "hidden": True}
    assert checkin["shared"] is False  # and never which partner said no
    assert checkin["a"] == checkin["b"]  # nothing tells one partner's answer from the other's
    summary = invoke("run", "--answers", "-", "--no-save", stdin=fill(text, values) + both_checks())
    assert summary.code == 0, summary.stderr
    assert " of 21" not in summary.stdout
    assert "stay private" in " ".join(summary.stdout.split())


def test_without_the_optional_keys_the_run_still_works(tmp_path: Path) -> None:
    text, prompts = template_parts()
    required = [p for p in prompts if p["required"]]
    doc = run_json(
        tmp_path, fill(text, answer_set(required, secure=True)) + both_checks(), "--no-save"
    )
    assert doc["checkin"] is None
    session = doc["session"]
    assert isinstance(session, dict)
    assert session["answer_count"] == len([p for p in required if p["section"] == "answers"])


@pytest.mark.parametrize("steps", ["1", "2,4", "1-2,5", "3"])
def test_templates_for_fewer_steps_round_trip(tmp_path: Path, steps: str) -> None:
    text = filled("--steps", steps)
    wanted = sorted(tomllib.loads(text)["steps"])
    doc = run_json(tmp_path, text, "--no-save")
    session = doc["session"]
    assert isinstance(session, dict)
    assert session["steps"] == wanted


def test_template_answers_in_the_toml_output_match_the_saved_file(
    tmp_path: Path, coach_home: Path
) -> None:
    path = tmp_path / "answers.toml"
    path.write_text(filled(), encoding="utf-8")
    outcome = invoke("run", "--answers", str(path), "--format", "toml")
    assert outcome.code == 0, outcome.stderr
    [saved] = saved_files(coach_home)
    assert outcome.stdout == saved.read_text(encoding="utf-8")
    assert f"Saved: {saved}" in outcome.stderr
