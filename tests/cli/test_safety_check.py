"""`coach safety check FILE`: one verdict per input line, as text or JSON; errors in one line."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from coach_process import invoke, run_coach

from coach.render.json_out import safety_schema

LINES = ["He checks my phone every night.", "", "The film killed me.", "I want to die."]


def write(tmp_path: Path, text: str | bytes, name: str = "texts.txt") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_text_output_is_one_line_per_input_in_order(tmp_path: Path) -> None:
    result = invoke("safety", "check", str(write(tmp_path, "\n".join(LINES) + "\n")))
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "flag:coercive_control\tHe checks my phone every night.",
        "ok\t",
        "ok\tThe film killed me.",
        "flag:self_harm\tI want to die.",
    ]


def test_json_output_validates_and_keeps_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "\r\n".join(LINES))  # Windows line ends, no newline at the end
    result = invoke("safety", "check", str(path), "--format", "json")
    assert result.code == 0, result.stderr
    document = result.json()
    jsonschema.validate(document, safety_schema())
    assert document["schema_version"] == 1
    assert [v["text"] for v in document["verdicts"]] == LINES
    assert [(v["risk"], v["kind"]) for v in document["verdicts"]] == [
        (True, "coercive_control"),
        (False, None),
        (False, None),
        (True, "self_harm"),
    ]


def test_standard_input_with_a_dash() -> None:
    result = run_coach("safety", "check", "-", "--format", "json", stdin="he hits me\n\n")
    verdicts = json.loads(result.stdout)["verdicts"]
    assert verdicts == [
        {"text": "he hits me", "risk": True, "kind": "physical_violence"},
        {"text": "", "risk": False, "kind": None},
    ]
    text = run_coach("safety", "check", "-", stdin="I hit the gym\n")
    assert text.stdout == "ok\tI hit the gym\n" and text.stderr == ""


def test_an_empty_input_is_no_verdicts(tmp_path: Path) -> None:
    result = invoke("safety", "check", str(write(tmp_path, "")), "--format", "json")
    assert result.code == 0 and result.json() == {"schema_version": 1, "verdicts": []}


def test_text_output_neutralises_what_could_act_on_the_terminal(tmp_path: Path) -> None:
    path = write(tmp_path, "he hits me \x1b[2J\u202e\there\n")
    result = invoke("safety", "check", str(path))
    assert result.stdout == "flag:physical_violence\the hits me \\x1b[2J\\u202e\\x09here\n"
    as_json = invoke("safety", "check", str(path), "--format", "json")
    assert "\x1b" not in as_json.stdout and "\u202e" not in as_json.stdout
    assert as_json.json()["verdicts"][0]["text"] == "he hits me \x1b[2J\u202e\there"


def test_the_exit_status_never_depends_on_what_was_flagged(tmp_path: Path) -> None:
    flagged = invoke("safety", "check", str(write(tmp_path, "he hits me\n", "a.txt")))
    clean = invoke("safety", "check", str(write(tmp_path, "he hugs me\n", "b.txt")))
    assert flagged.code == clean.code == 0


@pytest.mark.parametrize(
    ("make", "code", "message"),
    [
        (lambda p: p / "missing.txt", 2, "cannot read text file {path}: no such file"),
        (lambda p: p, 2, "cannot read text file {path}: it is a directory"),
        (lambda p: write(p, b"fine\n\xff\xfe\n"), 1, "{path}:2: not UTF-8 text"),
        (lambda p: write(p, "a" * (1024 * 1024 + 1)), 2, "coach reads files of up to 1.0 MB"),
        (lambda p: write(p, "ok\n" + "a " * 6000 + "\n"), 1, "{path}:2: a line of 12,000"),
    ],
    ids=["missing", "directory", "not-utf8", "too-big", "long-line"],
)
def test_a_file_that_cannot_be_checked_is_one_line_and_a_documented_code(
    tmp_path: Path, make: object, code: int, message: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    result = run_coach("safety", "check", str(path), code=code)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert message.format(path=path) in lines[0]


def test_standard_input_over_the_limit_is_refused() -> None:
    result = run_coach("safety", "check", "-", stdin="a" * (1024 * 1024 + 1), code=2)
    assert result.stderr == "coach: standard input is larger than 1.0 MB, the most coach reads\n"


def test_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("safety", "check", str(write(tmp_path, "x\n")), "--format", "jsn")
    assert result.code == 2 and '(did you mean "json"?)' in result.stderr


def test_the_texts_are_never_taken_from_the_command_line() -> None:
    result = invoke("safety", "check", "he", "hits", "me")
    assert result.code == 2  # one FILE only: the words are not read as text


def test_the_documented_example_validates() -> None:
    import re

    doc = (Path(__file__).resolve().parents[2] / "docs" / "json-output.md").read_text("utf-8")
    example = re.search(r"<!-- safety-schema -->\n```json\n(.*?)```", doc, re.DOTALL)
    assert example is not None
    jsonschema.validate(json.loads(example.group(1)), safety_schema())
    assert "`coach safety check FILE --format json`" in doc
