"""One name rule on the command line (issue 25, items 9 and 11): every command that takes a
partner's name or a couple's label refuses one with a byte that is not UTF-8, or one made only
of invisible characters, with one line naming the option and what is valid (exit 2) — never
"internal error (UnicodeEncodeError)" — and names equal once normalised are one name."""

from __future__ import annotations

import os
import tomllib
import unicodedata
from pathlib import Path

import pytest
from coach_process import run_coach

NOT_UTF8 = os.fsdecode(b"J\xffo")  # how Python hands such an argument over: surrogateescape
ZERO_WIDTH = "\u200b"
NFC = unicodedata.normalize("NFC", "José")
NFD = unicodedata.normalize("NFD", "José")

# Every command that takes a name or a label, with the option that takes it.
COMMANDS = [
    (["run", "--no-save", "--answers", "{answers}", "--a", "{bad}"], "--a"),
    (["run", "--no-save", "--answers", "{answers}", "--b", "{bad}"], "--b"),
    (["run", "--no-save", "--answers", "{answers}", "--couple", "{bad}"], "--couple"),
    (["template", "--a", "{bad}"], "--a"),
    (["template", "--b", "{bad}"], "--b"),
    (["remind", "--couple", "{bad}"], "--couple"),
    (["remind", "--couple", "{bad}", "--message"], "--couple"),
    (["start", "--a", "{bad}", "--b", "Alex"], "--a"),
    (["start", "--a", "Sam", "--b", "{bad}"], "--b"),
    (["start", "--a", "Sam", "--b", "Alex", "--couple", "{bad}"], "--couple"),
    (["list", "--couple", "{bad}"], "--couple"),
    (["history", "--couple", "{bad}"], "--couple"),
    (["trends", "--couple", "{bad}"], "--couple"),
    (["export", "--couple", "{bad}"], "--couple"),
    (["delete", "--couple", "{bad}", "--yes"], "--couple"),
    (["couples", "rename", "{bad}", "Sam & Alex"], "OLD"),
    (["couples", "rename", "Sam & Alex", "{bad}"], "NEW"),
    (["couples", "merge", "{bad}", "Sam & Alex", "--yes"], "FROM"),
    (["couples", "merge", "Sam & Alex", "{bad}", "--yes"], "INTO"),
]


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("answers") / "answers.toml"
    path.write_text(run_coach("template", "--steps", "1", home=path.parent).stdout, "utf-8")
    return path


@pytest.mark.parametrize("bad", [NOT_UTF8, ZERO_WIDTH], ids=["not UTF-8", "zero-width"])
@pytest.mark.parametrize(("command", "option"), COMMANDS, ids=lambda c: " ".join(c[:3]))
def test_a_name_or_label_that_is_not_text_or_invisible_is_one_usage_line(
    tmp_path: Path, answers: Path, command: list[str], option: str, bad: str
) -> None:
    home = tmp_path / "home"
    args = [a.format(answers=answers, bad=bad) for a in command]
    result = run_coach(*args, home=home, code=None)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    expected = "a name of 1 to 60" if option in ("--a", "--b") else "a label of up to 200"
    reason = "a byte that is not UTF-8" if bad == NOT_UTF8 else "only invisible characters"
    assert lines[0].startswith(f"coach: {option} needs {expected} characters (it has {reason})")
    assert "internal error" not in result.stderr
    assert not home.exists()  # refused before anything was made


@pytest.mark.parametrize(
    "names",
    [(NFC, NFD), ("Sam", "sam"), ("Sam", f"S{ZERO_WIDTH}am"), ("Sam", "Ｓａｍ"), ("Sam", " Sam  ")],
    ids=["NFC and NFD", "case", "zero-width inside", "full-width", "spaces"],
)
def test_names_equal_once_normalised_are_one_name(
    tmp_path: Path, answers: Path, names: tuple[str, str]
) -> None:
    a, b = names
    for command in (["start"], ["template"], ["run", "--answers", str(answers), "--no-save"]):
        result = run_coach(*command, "--a", a, "--b", b, home=tmp_path, code=2)
        assert "--a and --b need two different names" in result.stderr


def test_names_in_an_answer_file_follow_the_same_rule(tmp_path: Path, answers: Path) -> None:
    text = answers.read_text(encoding="utf-8")
    same = tmp_path / "same.toml"
    same.write_text(text.replace('a = ""', f'a = "{NFC}"').replace('b = ""', f'b = "{NFD}"'))
    result = run_coach("run", "--answers", str(same), "--no-save", home=tmp_path, code=1)
    assert "partners: a and b need different names" in result.stderr
    invisible = tmp_path / "invisible.toml"
    invisible.write_text(text.replace('a = ""', 'a = "\\u200b\\u2060"'), encoding="utf-8")
    result = run_coach("run", "--answers", str(invisible), "--no-save", home=tmp_path, code=1)
    assert "partners.a: it has only invisible characters" in result.stderr


def test_a_name_is_kept_nfc_normalised(tmp_path: Path, answers: Path) -> None:
    home = tmp_path / "home"
    text = answers.read_text(encoding="utf-8").replace('b = ""', f'b = "{NFD}"')
    filled = tmp_path / "filled.toml"
    filled.write_text(fill_required(text), encoding="utf-8")
    run_coach("run", "--answers", str(filled), "--a", f" {NFD} Sam ", home=home)
    (saved,) = (home / "sessions").glob("*.toml")
    session = tomllib.loads(saved.read_text(encoding="utf-8"))
    assert session["session"]["partners"] == {"a": f"{NFC} Sam", "b": NFC}
    assert session["session"]["couple"] == f"{NFC} & {NFC} Sam"


def fill_required(text: str) -> str:
    """Every required key of a step-1 template answered, and both partners' private checks
    (a template for both holds none): nothing disclosed, the full session."""
    from coach.content import load_content
    from coach.content.check_files import load_check

    content = load_content()
    check = [f'"{p}.{i.id}" = false' for p in "ab" for i in load_check().items]
    text += "\n".join(["\n[check]", *check, '"a.today" = "full"', '"b.today" = "full"'])
    lines = []
    for line in text.splitlines():
        key = line.split('"')[1] if line.startswith('"') and line.endswith('= ""') else None
        prompt = content.prompts.get(key or "")
        if prompt is not None:
            value = {"scale": str(prompt.min), "yesno": "true", "text": '"a walk"'}.get(
                prompt.type
            ) or f'"{prompt.choice_values()[0]}"'
            line = f'"{key}" = {value}'
        lines.append(line)
    return "\n".join(lines) + "\n"
