"""A clinician's lexicon files in the data directory (docs/safety-lexicon.md): picked up, checked
on load like the packaged one, and a broken one is one line naming the file, line and key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from coach_process import invoke, run_coach

from coach.base.errors import DataError
from coach.domain.risk_text import EXTRA_DIR, EXTRA_FILE, Verdict, classify

TEXT = "My flatmate hides my shoes."
EXTRA = """version = 1
[words]
subj = ["my flatmate"]

[coercive_control]
patterns = ["{subj} hides my (shoes|keys)"]

[idioms]
patterns = ["(hit|hits) me with a tea towel"]
"""


def test_packaged_lexicon_alone_does_not_flag_the_text() -> None:
    assert classify(TEXT) == Verdict(False, None)
    assert classify("She hits me with a tea towel when I snore.").kind == "physical_violence"


@pytest.mark.parametrize("where", [EXTRA_FILE, f"{EXTRA_DIR}/clinic.toml"])
def test_an_extra_lexicon_file_is_picked_up(coach_home: Path, where: str) -> None:
    path = coach_home / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(EXTRA, encoding="utf-8")
    assert classify(TEXT) == Verdict(True, "coercive_control")
    # Its [words] extend the packaged lists, and its idioms are blanked out like the packaged ones.
    assert classify("My flatmate hides my keys.").risk
    assert classify("She hits me with a tea towel when I snore.") == Verdict(False, None)
    result = run_coach("safety", "check", "-", stdin=TEXT + "\n")
    assert result.stdout == f"flag:coercive_control\t{TEXT}\n"


def test_a_changed_or_removed_file_is_read_again(coach_home: Path) -> None:
    path = coach_home / EXTRA_FILE
    coach_home.mkdir()
    path.write_text(EXTRA, encoding="utf-8")
    assert classify(TEXT).risk
    path.write_text(EXTRA.replace("shoes|keys", "socks"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert not classify(TEXT).risk
    assert classify("My flatmate hides my socks.").risk
    path.unlink()
    assert not classify("My flatmate hides my socks.").risk


@pytest.mark.parametrize(
    ("document", "where", "problem"),
    [
        ('version = 1\n[threat]\npatterns = ["x"]\n', ":2: threat: ", 'did you mean "threats"?'),
        ("version = 2\n", ":1: version: ", "must be 1"),
        ('[threats]\npatterns = "he yells"\n', ":2: threats.patterns: ", "must be a list of text"),
        (
            'version = 1\n[threats]\npatterns = [\n  "ok phrase",\n  "he (yells",\n]\n',
            ":3: threats.patterns[1]: ",
            '"he (yells": "(" is not closed with ")"; a pattern is a phrase of words',
        ),
        (
            '[coercive_control]\npatterns = ["{nope} x"]\n',
            ":2: coercive_control.patterns[0]: ",
            "{nope} is not a list in [words]",
        ),
        ("[negation]\nwindow = 0\n", ":2: negation.window: ", "must be a whole number from 1 to 8"),
        ("[negation]\ncue = []\n", ":2: negation.cue: ", 'unknown key (did you mean "cues"?)'),
        ("version = 1\n[threats\n", ":2:", "not valid TOML"),
    ],
)
def test_a_broken_extra_file_is_one_line_naming_file_line_and_key(
    coach_home: Path, document: str, where: str, problem: str
) -> None:
    coach_home.mkdir()
    path = coach_home / EXTRA_FILE
    path.write_text(document, encoding="utf-8")
    with pytest.raises(DataError) as raised:
        classify(TEXT)
    message = raised.value.message
    assert message.startswith(f"{path}{where}") and problem in message
    assert "\n" not in message
    result = invoke("safety", "check", "-", stdin=TEXT + "\n")
    assert result.code == 1 and result.stdout == ""
    assert result.stderr == f"coach: {message}\n"


def test_a_lexicon_file_that_is_not_utf8_names_its_line(coach_home: Path) -> None:
    (coach_home / EXTRA_DIR).mkdir(parents=True)
    path = coach_home / EXTRA_DIR / "bad.toml"
    path.write_bytes(b"version = 1\n# \xff\n")
    with pytest.raises(DataError, match=rf"^{path}:2: not UTF-8 text"):
        classify(TEXT)


def test_files_in_the_folder_that_are_not_toml_are_left_alone(coach_home: Path) -> None:
    (coach_home / EXTRA_DIR).mkdir(parents=True)
    (coach_home / EXTRA_DIR / "notes.txt").write_text("[[[ not toml", encoding="utf-8")
    assert classify(TEXT) == Verdict(False, None)


def test_a_broken_extra_file_stops_a_session_before_its_first_question(coach_home: Path) -> None:
    coach_home.mkdir()
    (coach_home / EXTRA_FILE).write_text('[threats]\npatterns = ["he (yells"]\n', "utf-8")
    result = invoke("start", "--a", "Sam", "--b", "Alex")
    assert result.code == 1  # not 2 (no terminal): the lexicon is checked first
    assert result.stderr.startswith(f"coach: {coach_home / EXTRA_FILE}:2: threats.patterns[0]:")
