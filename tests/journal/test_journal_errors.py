"""Bad answers and bad usage: every problem in one pass, one line each, the right exit code,
no traceback, no answer value echoed, and nothing saved."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from journal_helpers import Outcome, filled, invoke, saved_files

SECRET = "zebra-lantern-secret"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def replace_line(text: str, key: str, value: str) -> str:
    """Set `"key" = value` in a filled answer file (the key must be there)."""
    new, count = re.subn(rf'^"{re.escape(key)}" = .*$', f'"{key}" = {value}', text, flags=re.M)
    assert count == 1, key
    return new


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def detail_lines(outcome: Outcome) -> list[str]:
    lines = outcome.stderr.strip().splitlines()
    assert lines[0].startswith("coach: ")
    return [line.strip() for line in lines[1:]]


def test_every_kind_of_bad_answer_is_reported_in_one_pass(tmp_path: Path, coach_home: Path) -> None:
    text = filled()
    text = replace_line(text, "s1.a.greeted_warmly", "9")
    text = replace_line(text, "s1.a.bid_for_connection", f'"{SECRET}"')
    text = replace_line(text, "s1.b.turned_toward", '"towards"')
    text = replace_line(text, "s2.a.laughed_together", "3.5")
    text = replace_line(text, "s4.b.felt_with", '""')
    text = text.replace('"s5.a.rituals" = 5\n', "")
    text = text.replace("[answers]\n", '[answers]\n"s1.a.ofered_touch" = 3\n')
    text = text.replace("[checkin]\n", '[checkin]\n"c.happiness" = 2\n')
    text = text.replace("steps = ", 'colour = "blue"\nsteps = ')
    path = write(tmp_path, "week.toml", text)

    outcome = invoke("run", "--answers", str(path))

    assert outcome.code == 1
    assert outcome.stdout == ""
    assert outcome.stderr.startswith("coach: 9 problems in the answers:\n")
    lines = detail_lines(outcome)
    expected = [
        (line_of(text, "colour ="), "colour: unknown key; expected one of couple, steps"),
        (line_of(text, '"c.happiness"'), "checkin.c.happiness: unknown check-in item"),
        (
            line_of(text, '"s1.a.ofered_touch"'),
            'answers.s1.a.ofered_touch: unknown prompt id (did you mean "s1.a.offered_touch"?)',
        ),
        (
            line_of(text, '"s1.a.greeted_warmly"'),
            "answers.s1.a.greeted_warmly: out of range: expected a whole number from 1",
        ),
        (
            line_of(text, '"s1.a.bid_for_connection"'),
            "answers.s1.a.bid_for_connection: expected true or false (no quotes); got text",
        ),
        (
            line_of(text, '"s1.b.turned_toward"'),
            'answers.s1.b.turned_toward: not one of the choices: expected one of "toward", '
            '"away", "against"',
        ),
        (
            line_of(text, '"s2.a.laughed_together"'),
            "answers.s2.a.laughed_together: expected a whole number from 1 (not at all) to 5 "
            "(many times); got a decimal number",
        ),
        (
            line_of(text, '"s4.b.felt_with"'),
            "answers.s4.b.felt_with: not answered yet: expected true or false",
        ),
    ]
    for (line, message), shown in zip(expected, lines, strict=False):
        assert shown.startswith(f"{path}:{line}: "), shown
        assert message in shown, shown
    assert "answers.s5.a.rituals: missing required answer: expected a whole number" in lines[8]
    assert SECRET not in outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert saved_files(coach_home) == []


def test_values_are_never_echoed_in_any_message(tmp_path: Path) -> None:
    text = filled()
    for key in ("s1.a.greeted_warmly", "s1.b.turned_toward", "s1.a.bid_for_connection"):
        text = replace_line(text, key, f'"{SECRET}"')
    text = text.replace("[checkin]\n", f'[checkin]\n"a.happiness" = "{SECRET}"\n', 1)
    text = text.replace('"a.happiness" = 6\n', "")
    text = replace_line(text, "a.hurt", f'"{SECRET}"')  # the private check: never echoed either
    text = replace_line(text, "b.today", f'"{SECRET}"')
    text = text.replace('a = ""  # partner A', f"a = {'x' * 61!r}  # partner A")
    path = write(tmp_path, "private.toml", text)
    outcome = invoke("run", "--answers", str(path))
    assert outcome.code == 1
    lines = detail_lines(outcome)
    assert len(lines) >= 7
    assert any("check.a.hurt: expected true or false" in line for line in lines)
    assert any('check.b.today: not a choice: expected one of "full"' in line for line in lines)
    assert SECRET not in outcome.stderr
    assert "x" * 61 not in outcome.stderr


def test_malformed_toml_names_line_and_column(tmp_path: Path, coach_home: Path) -> None:
    path = write(tmp_path, "broken.toml", '[answers]\n"s1.a.greeted_warmly" = 4\n"s1.a.x" = \n')
    outcome = invoke("run", "--answers", str(path))
    assert outcome.code == 1
    assert re.fullmatch(
        rf"coach: {re.escape(str(path))}:3:\d+: not valid TOML: .+\n", outcome.stderr
    ), outcome.stderr
    assert saved_files(coach_home) == []


def test_malformed_file_does_not_hide_the_other_files_problems(tmp_path: Path) -> None:
    broken = write(tmp_path, "a.toml", "steps = [1,\n")
    other = write(tmp_path, "b.toml", '[answers]\n"s1.b.felt_safe" = 0\n')
    outcome = invoke("run", "--answers", str(broken), "--answers", str(other))
    assert outcome.code == 1
    lines = detail_lines(outcome)
    assert len(lines) == 2
    assert lines[0].startswith(f"{broken}:")
    assert lines[1].startswith(f"{other}:2: answers.s1.b.felt_safe: out of range")


def test_a_file_that_is_not_utf8_is_bad_data(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[partners]\na = "Jos\xe9"\n')
    outcome = invoke("run", "--answers", str(path))
    assert outcome.code == 1
    assert f"{path}:2: not UTF-8 text" in outcome.stderr


def test_answered_twice_names_both_files(tmp_path: Path, coach_home: Path) -> None:
    first = write(tmp_path, "sam.toml", '[answers]\n"s1.a.greeted_warmly" = 4\n')
    second = write(tmp_path, "alex.toml", '\n[answers]\n"s1.a.greeted_warmly" = 4\n')
    outcome = invoke("run", "--answers", str(first), "--answers", str(second))
    assert outcome.code == 1
    twice = [line for line in detail_lines(outcome) if "answered twice" in line]
    assert twice == [
        f"{second}:3: answers.s1.a.greeted_warmly: answered twice: in {first} (line 2) "
        f"and in {second} (line 3)"
    ]
    assert saved_files(coach_home) == []


def test_files_that_disagree_on_steps_or_names_are_reported(tmp_path: Path) -> None:
    first = write(tmp_path, "a.toml", 'steps = [1, 2]\n[partners]\na = "Sam"\n')
    second = write(tmp_path, "b.toml", 'steps = [1]\n[partners]\na = "Samuel"\n')
    outcome = invoke("run", "--answers", str(first), "--answers", str(second))
    assert outcome.code == 1
    lines = detail_lines(outcome)
    assert (
        f"{second}:1: steps: differs between {first} (line 1) and {second} (line 1)" in (lines[0])
    )
    assert lines[1].startswith(f"{second}:3: partners.a: differs between")


def test_an_answer_for_a_step_not_covered_is_reported(tmp_path: Path) -> None:
    text = filled("--steps", "1").replace("[answers]\n", '[answers]\n"s2.a.laughed_together" = 4\n')
    path = write(tmp_path, "one-step.toml", text)
    outcome = invoke("run", "--answers", str(path))
    assert outcome.code == 1
    assert "answers.s2.a.laughed_together: step 2 is not among this session's steps [1]" in (
        outcome.stderr
    )


def test_a_partial_checkin_is_reported(tmp_path: Path) -> None:
    text = filled(checkin=False).replace("[checkin]\n", '[checkin]\n"b.happiness" = 3\n')
    outcome = invoke("run", "--answers", str(write(tmp_path, "c.toml", text)))
    assert outcome.code == 1
    lines = detail_lines(outcome)
    assert len(lines) == 3
    assert all(
        "a check-in needs every item; expected a whole number from 0" in line for line in lines
    )


def test_the_same_name_for_both_partners_is_bad_data(tmp_path: Path) -> None:
    text = filled("--a", "Sam", "--b", "Alex")
    text = text.replace('b = "Alex"', 'b = "SAM"')
    outcome = invoke("run", "--answers", str(write(tmp_path, "n.toml", text)))
    assert outcome.code == 1
    assert "partners: a and b need different names" in outcome.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "coach run needs --answers FILE (- for standard input)"),
        (["--answers", "{tmp}/nope.toml"], "cannot read answer file {tmp}/nope.toml: no such file"),
        (["--answers", "{tmp}"], "cannot read answer file {tmp}: it is a directory"),
        (["--answers", "{good}", "--format", "xml"], "--format must be one of text, json, toml"),
        (["--answers", "{good}", "--answers", "{good}"], "--answers {good} is given twice"),
        (["--answers", "-", "--answers", "-"], "standard input) can be given only once"),
        (["--answers", "{good}", "--a", "Sam", "--b", "SAM"], "once case, Unicode forms, spacing"),
        (["--answers", "{good}", "--a", " "], "--a needs a name of 1 to 60 characters"),
        (["--answers", "{good}", "--couple", "x" * 201], "--couple needs a label"),
    ],
)
def test_bad_usage_exits_2_naming_the_problem(
    tmp_path: Path, coach_home: Path, args: list[str], message: str
) -> None:
    good = write(tmp_path, "good.toml", filled())
    values = {"tmp": str(tmp_path), "good": str(good)}
    outcome = invoke("run", *(a.format(**values) for a in args), stdin="")
    assert outcome.code == 2
    assert outcome.stderr.startswith("coach: ")
    assert message.format(**values) in outcome.stderr
    assert len(outcome.stderr.strip().splitlines()) == 1
    assert outcome.stdout == ""
    assert saved_files(coach_home) == []


def test_an_unreadable_file_is_bad_usage(tmp_path: Path) -> None:
    path = write(tmp_path, "locked.toml", filled())
    path.chmod(0)
    try:
        if path.stat().st_mode & 0o400 or _can_read(path):
            pytest.skip("running as a user who can read any file")
        outcome = invoke("run", "--answers", str(path))
    finally:
        path.chmod(0o600)
    assert outcome.code == 2
    assert f"cannot read answer file {path}: permission denied" in outcome.stderr


def _can_read(path: Path) -> bool:
    try:
        path.read_bytes()
    except PermissionError:
        return False
    return True


def test_a_bad_rule_pack_is_bad_data_and_nothing_is_saved(tmp_path: Path, coach_home: Path) -> None:
    good = write(tmp_path, "good.toml", filled())
    pack = write(tmp_path, "pack.toml", "this is not a pack\n")
    outcome = invoke("run", "--answers", str(good), "--rules", str(pack))
    assert outcome.code == 1
    assert outcome.stderr.startswith("coach: ")
    assert saved_files(coach_home) == []
