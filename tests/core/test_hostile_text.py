"""Hostile text from outside (names, labels, answers, rule-pack text, keys and file names) never
reaches the terminal raw: every command that prints it shows escape sequences, C1 controls and
bidirectional overrides as visible escapes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from coach_process import run_coach

from coach.content import load_content
from coach.content.check_files import load_check
from coach.rules.pack import DEFAULT_PACK_PATH

# What a terminal could act on: C0 controls but newline and tab, DEL, C1, and reordering marks.
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
TITLE = "\\u001b]0;PWNED\\u0007"  # an OSC sequence that sets the window title, as TOML escapes
RLO = "\\u202e"  # right-to-left override
CSI = "\\u009b31m"  # the one-byte C1 form of ESC [


def coach(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_coach(*args, home=home, code=None, env_extra={"COLUMNS": "200"})


def filled_answer_file(home: Path) -> str:
    """`coach template` with every required key answered and hostile names, label and text."""
    content = load_content()
    lines = []
    for line in coach(home, "template").stdout.splitlines():
        # Optional questions are answered too: "In your own words" shows them with the other
        # partner's name inside the question.
        found = re.match(r'^(?:# )?"([^"]+)" = ""', line)
        prompt = content.prompts.get(found.group(1)) if found else None
        if found and prompt is None:
            pass  # an optional CSI-4 item: left out
        elif found and prompt is not None:
            value = {
                "scale": str(prompt.min),
                "yesno": "true",
                "text": f'"text {TITLE} {RLO}"',
            }.get(prompt.type) or f'"{prompt.choice_values()[0]}"'
            line = f'"{found.group(1)}" = {value}'
        lines.append(line)
    text = "\n".join(lines) + "\n"
    # Both partners' private checks (a file for both holds none): nothing disclosed, full.
    check = [f'"{p}.{i.id}" = false' for p in "ab" for i in load_check().items]
    text += "\n".join(["[check]", *check, '"a.today" = "full"', '"b.today" = "full"']) + "\n"
    text = text.replace('a = ""', f'a = "Sam{TITLE}{RLO}"').replace('b = ""', f'b = "Al{CSI}ex"')
    return text.replace('# couple = ""', f'couple = "Evil{TITLE} couple"')


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, str]:
    """A data directory with one saved hostile session, its answer file, and a rule pack whose
    `because` texts carry escape sequences."""
    root = tmp_path_factory.mktemp("hostile")
    home = root / "home"
    answers = root / "answers.toml"
    answers.write_text(filled_answer_file(home), encoding="utf-8")
    pack = root / "pack.toml"
    pack_text = DEFAULT_PACK_PATH.read_text(encoding="utf-8")
    pack_text = pack_text.replace('because = "', f'because = "{TITLE}{RLO}')
    for key, hostile_text in (("id", TITLE + RLO), ("version", CSI)):
        start = re.search(f'^{key} = "', pack_text, flags=re.M)
        assert start is not None
        pack_text = pack_text[: start.end()] + hostile_text + pack_text[start.end() :]
    pack.write_text(pack_text, "utf-8")
    saved = coach(home, "run", "--answers", str(answers), "--save", "--format", "json")
    assert saved.returncode == 0, saved.stderr
    session_id = next((home / "sessions").glob("*.toml")).stem
    return home, answers, pack, session_id


COMMANDS = [
    ["run", "--answers", "{answers}"],
    ["run", "--answers", "{answers}", "--format", "text"],
    ["run", "--answers", "{answers}", "--format", "json"],
    ["run", "--answers", "{answers}", "--rules", "{pack}"],
    ["show", "{id}"],
    ["list"],
    ["history"],
    ["trends"],
    ["export", "{id}"],
    ["export", "{id}", "-f", "json"],
    ["export", "{id}", "-f", "csv"],
    ["rules", "show", "s1_warm_greeting", "--rules", "{pack}"],
    ["rules", "explain", "{id}", "--rules", "{pack}"],
    ["rules", "list", "--rules", "{pack}"],
    ["rules", "list", "--rules", "{pack}", "--format", "json"],
    ["rules", "show", "s1_warm_greeting", "--rules", "{pack}", "--format", "json"],
    ["couples"],
    ["couples", "--format", "json"],
    ["export", "--couple", "{couple}"],
    ["export", "--couple", "{couple}", "-f", "json"],
    ["template", "--a", "{name_a}", "--b", "{name_b}"],
    ["template", "--a", "{name_a}", "--b", "{name_b}", "--format", "json"],
    ["template", "--partner", "b", "--a", "{name_a}", "--b", "{name_b}", "--steps", "3"],
    ["run", "--answers", "{answers}", "--a", "{name_a}", "--b", "{name_b}", "--no-save"],
]
# The same hostile text typed on the command line (names, labels).
ARGUMENTS = {
    "name_a": "Sam\x1b]0;PWNED\x07\u202e",
    "name_b": "Al\x9b31m\u2066ex",
    "couple": "Evil\x1b]0;PWNED\x07 couple",  # the saved session's label
}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_every_command_shows_hostile_text_harmlessly(
    hostile: tuple[Path, Path, Path, str], command: list[str]
) -> None:
    home, answers, pack, session_id = hostile
    args = [a.format(answers=answers, pack=pack, id=session_id, **ARGUMENTS) for a in command]
    result = coach(home, *args)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert RAW.findall(output) == []
    assert "Traceback" not in output


def test_names_and_rule_text_are_shown_as_visible_escapes(
    hostile: tuple[Path, Path, Path, str],
) -> None:
    home, answers, pack, session_id = hostile
    shown = coach(home, "show", session_id).stdout
    assert "Sam\\x1b]0;PWNED\\x07\\u202e" in shown
    assert "Al\\x9b31mex" in shown
    explained = coach(home, "run", "--answers", str(answers), "--rules", str(pack)).stdout
    assert "\\x1b]0;PWNED\\x07\\u202e" in explained


def test_keys_and_file_names_quoted_in_errors_are_shown_harmlessly(
    hostile: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    home, _, pack, _ = hostile
    bad_pack = tmp_path / "pack.toml"
    text = pack.read_text(encoding="utf-8")
    bad_pack.write_text(text.replace("[[rule]]", f'"ke{TITLE}y" = 1\n[[rule]]', 1), "utf-8")
    checked = coach(home, "rules", "check", str(bad_pack))
    assert checked.returncode == 1
    assert 'unknown key "ke\\x1b]0;PWNED\\x07y"' in checked.stderr
    odd_name = tmp_path / "answers\x1b]0;PWNED\x07.toml"
    missing = coach(home, "run", "--answers", str(odd_name))
    assert missing.returncode == 2
    assert "answers\\x1b]0;PWNED\\x07.toml" in missing.stderr
    for result in (checked, missing):
        assert RAW.findall(result.stdout + result.stderr) == []


@pytest.mark.parametrize("extra", [[], ["--message"], ["--cron"]])
@pytest.mark.parametrize("label", ["couple", "name_b"])
def test_a_reminder_refuses_a_label_a_calendar_or_cron_mail_would_show_raw(
    tmp_path: Path, extra: list[str], label: str
) -> None:
    result = coach(tmp_path, "remind", "--couple", ARGUMENTS[label], *extra)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("coach: --couple needs a label")
    assert RAW.findall(result.stderr) == []


def _home_with_the_hostile_session(hostile: tuple[Path, Path, Path, str], tmp_path: Path) -> Path:
    """A fresh data directory holding one saved session of the hostile couple."""
    _, answers, _, _ = hostile
    home = tmp_path / "home"
    saved = coach(home, "run", "--answers", str(answers), "--save", "--format", "json")
    assert saved.returncode == 0, saved.stderr
    return home


def test_deleting_a_hostile_couple_names_it_harmlessly(
    hostile: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    home = _home_with_the_hostile_session(hostile, tmp_path)
    deleted = coach(home, "delete", "--couple", ARGUMENTS["couple"], "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert 'Deleted 1 session of "Evil\\x1b]0;PWNED\\x07 couple"' in deleted.stdout
    assert RAW.findall(deleted.stdout + deleted.stderr) == []


def test_renaming_to_a_hostile_label_names_it_harmlessly(
    hostile: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    home = _home_with_the_hostile_session(hostile, tmp_path)
    renamed = coach(home, "couples", "rename", ARGUMENTS["couple"], "\x1b[2JNew\x9b couple")
    assert renamed.returncode == 0, renamed.stderr
    assert 'Renamed 1 session to "\\x1b[2JNew\\x9b couple"' in renamed.stderr
    assert RAW.findall(renamed.stdout + renamed.stderr) == []
