"""The safety screen in answer files: a disclosure leaves out the conflict step, prints a neutral
message on stderr, and leaves no trace in the JSON, the summary or the saved file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from journal_helpers import (
    Outcome,
    answer_set,
    fill,
    invoke,
    normalise,
    saved_files,
    template_parts,
)

from coach.content import Content
from coach.safety import skip_message, text_message

DATE_LINE = re.compile(r"\w+day \d{2} \w+ \d{4}, \d{2}:\d{2}")


def answers_file(tmp_path: Path, name: str, values: dict[str, object], *options: str) -> Path:
    text, _ = template_parts(*options)
    path = tmp_path / name
    path.write_text(fill(text, values), encoding="utf-8")
    return path


def full_values() -> dict[str, object]:
    _, prompts = template_parts()
    return answer_set(prompts, secure=True)


def without_conflict_step() -> dict[str, object]:
    """The same answers, as a session planned without step 3 (so no screen either)."""
    _, prompts = template_parts()
    left_out = {p["key"] for p in prompts if p["section"] == "safety" or p["step"] == 3}
    return {k: v for k, v in full_values().items() if k not in left_out}


def run(path: Path, *options: str) -> Outcome:
    outcome = invoke("run", "--answers", str(path), *options)
    assert outcome.code == 0, outcome.stderr
    return outcome


def comparable(outcome: Outcome) -> str:
    return DATE_LINE.sub("<date>", normalise(outcome.stdout))


@pytest.mark.parametrize(
    "disclosure",
    [
        {"a.feel_safe": False},
        {"b.fear_reaction": True},
        {"a.hurt_or_threatened": True, "b.hurt_or_threatened": True},
    ],
)
def test_a_disclosing_run_looks_like_a_run_planned_without_step_3(
    tmp_path: Path, coach_home: Path, content: Content, disclosure: dict[str, bool]
) -> None:
    disclosing = answers_file(tmp_path, "d.toml", {**full_values(), **disclosure})
    planned = answers_file(tmp_path, "p.toml", without_conflict_step(), "--steps", "1,2,4,5")
    for output_format in ("json", "toml", "text"):
        told = run(disclosing, "--format", output_format)
        plain = run(planned, "--format", output_format)
        assert comparable(told) == comparable(plain), output_format
        assert told.stderr.startswith(skip_message(content.safety).as_text())
        assert plain.stderr == "" or plain.stderr.startswith("Saved:")
    saved = [p.read_text(encoding="utf-8") for p in saved_files(coach_home)]
    assert len(saved) == 6
    assert len({normalise(text) for text in saved}) == 1  # disclosing and planned alike
    screen_ids = [q.id for q in content.safety.screen]
    for text in saved:
        assert "[safety]" not in text and '"s3.' not in text
        assert not any(question in text for question in screen_ids)


def test_the_message_is_the_same_whoever_disclosed(tmp_path: Path) -> None:
    by_a = answers_file(tmp_path, "a.toml", {**full_values(), "a.fear_reaction": True})
    by_b = answers_file(tmp_path, "b.toml", {**full_values(), "b.fear_reaction": True})
    first = run(by_a, "--no-save", "--format", "json")
    second = run(by_b, "--no-save", "--format", "json")
    assert first.stderr == second.stderr != ""
    assert normalise(first.stdout) == normalise(second.stdout)
    assert first.json()["session"]["steps"] == [1, 2, 4, 5]


def test_after_a_disclosure_the_conflict_answers_are_not_required(tmp_path: Path) -> None:
    values = {k: v for k, v in full_values().items() if not k.startswith("s3.")}
    values["b.hurt_or_threatened"] = True
    outcome = run(answers_file(tmp_path, "d.toml", values), "--format", "json", "--no-save")
    assert outcome.json()["session"]["steps"] == [1, 2, 4, 5]


def test_a_safe_screen_keeps_step_3_and_prints_nothing_on_stderr(tmp_path: Path) -> None:
    outcome = run(answers_file(tmp_path, "s.toml", full_values()), "--format", "json")
    assert outcome.json()["session"]["steps"] == [1, 2, 3, 4, 5]
    assert outcome.stderr == ""


def test_a_missing_screen_answer_is_reported_not_guessed(tmp_path: Path) -> None:
    values = {k: v for k, v in full_values().items() if k != "b.feel_safe"}
    path = answers_file(tmp_path, "m.toml", values)
    outcome = invoke("run", "--answers", str(path))
    assert outcome.code == 1
    assert re.search(r"m\.toml:\d+: safety\.b\.feel_safe: not answered yet", outcome.stderr)


@pytest.mark.parametrize("key", ["s1.a.moment", "s5.b.do_again"])
def test_risky_free_text_is_kept_out_and_leaves_out_the_conflict_step(
    tmp_path: Path, coach_home: Path, content: Content, key: str
) -> None:
    """As at a terminal when its writer keeps it out: no one can be asked here, and the other
    partner may read the summary. The run then looks like one planned without step 3 whose
    writer left that question empty, and only the neutral text message says anything."""
    disclosure = "Sometimes I am scared of him when he drinks"
    told = answers_file(tmp_path, "t.toml", {**full_values(), key: disclosure})
    unsaid = {k: v for k, v in without_conflict_step().items() if k != key}
    planned = answers_file(tmp_path, "p.toml", unsaid, "--steps", "1,2,4,5")
    for output_format in ("json", "toml", "text"):
        disclosing = run(told, "--format", output_format)
        plain = run(planned, "--format", output_format)
        assert comparable(disclosing) == comparable(plain), output_format
        assert disclosing.stderr.startswith(text_message(content.safety).as_text())
        assert skip_message(content.safety).as_text() not in disclosing.stderr
        assert "scared" not in disclosing.stdout
    saved = [p.read_bytes() for p in saved_files(coach_home)]
    assert len(saved) == 6 and not [data for data in saved if b"scared" in data]
    found = [p for p in coach_home.rglob("*") if p.is_file() and b"scared" in p.read_bytes()]
    assert found == []


def test_ordinary_free_text_prints_nothing(tmp_path: Path) -> None:
    values = {**full_values(), "s5.b.do_again": "A long walk by the river."}
    outcome = run(answers_file(tmp_path, "t.toml", values), "--no-save")
    assert outcome.stderr == ""
