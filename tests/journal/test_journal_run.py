"""`coach run`: merging files, standard input, saving, the three output formats, and `show`."""

from __future__ import annotations

import tomllib
from pathlib import Path

from journal_helpers import ESC, filled, invoke, saved_files

from coach.content import Content
from coach.render.summary import NOTICE
from coach.store import files as store
from coach.store.disk import ensure_data_dir


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_one_file_per_partner_merges_into_one_session(
    tmp_path: Path, coach_home: Path, content: Content
) -> None:
    sam = write(tmp_path, "sam.toml", filled("--partner", "a", "--a", "Sam"))
    alex = write(tmp_path, "alex.toml", filled("--partner", "b", "--b", "Alex", secure=False))
    outcome = invoke("run", "--answers", str(sam), "--answers", str(alex), "--format", "json")
    assert outcome.code == 0, outcome.stderr
    doc = outcome.json()
    assert doc["session"]["partners"] == {"a": "Sam", "b": "Alex"}
    assert doc["session"]["couple"] == "Alex & Sam"
    [path] = saved_files(coach_home)
    answers = store.load_session(path).answer_map()
    assert answers["s1.a.greeted_warmly"] == 5  # Sam's secure answer
    assert answers["s1.b.turned_toward"] != "toward"  # Alex's other answer
    assert {a.split(".")[1] for a in answers} == {"a", "b"}
    assert doc["results"]["a"]["oxytocin"]["score"] > doc["results"]["b"]["oxytocin"]["score"]


def test_a_partner_file_alone_reports_the_other_partners_answers_missing(
    tmp_path: Path, coach_home: Path
) -> None:
    sam = write(tmp_path, "sam.toml", filled("--partner", "a"))
    outcome = invoke("run", "--answers", str(sam))
    assert outcome.code == 1
    assert "answers.s1.b.noticed_warmth: missing required answer" in outcome.stderr
    assert "check: partner b's private check is missing" in outcome.stderr
    assert "check.a." not in outcome.stderr and "check.b." not in outcome.stderr
    assert saved_files(coach_home) == []


def test_standard_input_is_read_with_a_dash(coach_home: Path) -> None:
    outcome = invoke("run", "--answers", "-", "--format", "json", stdin=filled("--a", "Sam"))
    assert outcome.code == 0, outcome.stderr
    assert outcome.json()["session"]["partners"]["a"] == "Sam"
    assert len(saved_files(coach_home)) == 1


def test_standard_input_merges_with_a_file(tmp_path: Path) -> None:
    sam = write(tmp_path, "sam.toml", filled("--partner", "a"))
    outcome = invoke(
        "run", "--answers", str(sam), "--answers", "-", "--no-save",
        stdin=filled("--partner", "b"),
    )  # fmt: skip
    assert outcome.code == 0, outcome.stderr


def test_problems_on_standard_input_are_named_stdin() -> None:
    outcome = invoke("run", "--answers", "-", stdin='[answers]\n"s9.a.x" = 1\n')
    assert outcome.code == 1
    assert "<stdin>:2: answers.s9.a.x: unknown prompt id" in outcome.stderr


def test_no_save_leaves_the_data_directory_alone(tmp_path: Path, coach_home: Path) -> None:
    path = write(tmp_path, "answers.toml", filled())
    outcome = invoke("run", "--answers", str(path), "--format", "json", "--no-save")
    assert outcome.code == 0
    assert outcome.json()["saved_to"] is None
    assert not coach_home.exists()


def test_text_is_the_plain_summary_without_escape_codes(tmp_path: Path, coach_home: Path) -> None:
    path = write(tmp_path, "answers.toml", filled("--a", "Sam", "--b", "Alex"))
    outcome = invoke("run", "--answers", str(path))
    assert outcome.code == 0, outcome.stderr
    assert ESC not in outcome.stdout
    assert "Sam and Alex" in outcome.stdout
    assert "What your answers suggest, together" in outcome.stdout
    assert " ".join(NOTICE.split()[:8]) in " ".join(outcome.stdout.split())
    # A journal file holds the words, not the spaces Rich pads lines with.
    assert [line for line in outcome.stdout.splitlines() if line != line.rstrip()] == []
    [saved] = saved_files(coach_home)
    assert outcome.stdout.rstrip().endswith(f"Saved: {saved}")


def test_names_and_couple_options_override_the_files(tmp_path: Path, coach_home: Path) -> None:
    path = write(tmp_path, "answers.toml", filled("--a", "Sam", "--b", "Alex"))
    outcome = invoke(
        "run", "--answers", str(path), "--a", "Kim", "--b", "Lee", "--couple", "K+L",
        "--format", "toml",
    )  # fmt: skip
    assert outcome.code == 0, outcome.stderr
    assert tomllib.loads(outcome.stdout)  # the saved file's text, valid TOML
    [path] = saved_files(coach_home)
    session = store.load_session(path)
    assert session.partners == {"a": "Kim", "b": "Lee"}
    assert session.couple == "K+L"


def test_show_gives_the_same_document_as_run(tmp_path: Path) -> None:
    path = write(tmp_path, "answers.toml", filled())
    ran = invoke("run", "--answers", str(path), "--format", "json")
    assert ran.code == 0
    doc = ran.json()
    shown = invoke("show", doc["session"]["id"], "--format", "json")
    assert shown.code == 0, shown.stderr
    again = shown.json()
    assert again["saved_to"] is None
    assert {**again, "saved_to": doc["saved_to"]} == doc
    toml_out = invoke("show", doc["session"]["id"], "--format", "toml")
    assert toml_out.stdout == Path(doc["saved_to"]).read_text(encoding="utf-8")


def test_show_json_of_a_draft_has_no_results(coach_home: Path, content: Content) -> None:
    from coach.domain.session import Session, new_session_id, now

    created = now()
    draft = Session(new_session_id(created), created, {"a": "Sam", "b": "Alex"})
    draft.record(content.prompts["s1.a.greeted_warmly"], 4, created)
    ensure_data_dir()
    store.save_session(draft)
    outcome = invoke("show", draft.id, "--format", "json")
    assert outcome.code == 0, outcome.stderr
    doc = outcome.json()
    assert doc["session"]["status"] == "draft"
    assert doc["session"]["finished"] is None
    assert (doc["rules"], doc["results"], doc["exercises"]) == (None, None, [])
    assert doc["session"]["answer_count"] == 1
