"""Hostile and damaged files: each is one clear problem naming the file, never a crash, and a
damaged session file is named and skipped while every other session is still listed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from store_helpers import SessionFactory

from coach.base import document
from coach.base.document import MAX_FILE_BYTES, DocumentError, read_limited
from coach.base.errors import CoachError, DataError, NotFoundError, UsageError
from coach.store.files import save_session
from coach.store.index import history
from coach.store.index_refresh import refresh_index
from coach.store.lookup import find_session_path

COACH = str(Path(sys.executable).parent / "coach")
GOOD = "20240501-201500-abc123"

# Each hostile session: how it differs from a good file, and what the problem must say.
HOSTILE = {
    # 500 lists deep in the [session] table, which the index's quick read parses.
    "deep": (
        'couple = "Sam & Alex"',
        'couple = "Sam & Alex"\nextra = ' + "[" * 500 + "]" * 500,
        "nested more than 32 deep",
    ),
    "digits": ("score = 0.5", "score = 1" + "0" * 5000, "a number with too many digits"),
    "huge": ("score = 0.5", "score = 1" + "0" * 400, "beyond the 64-bit range"),
    "nan": ("score = 0.5", "score = nan", "must be a finite number"),
    "inf": ("score = 0.5", "score = 1e400", "must be a finite number"),
    # A couple label swollen by hand to a megabyte: refused, not printed or wrapped for minutes.
    "label": (
        'couple = "Sam & Alex"',
        'couple = "' + "x" * 1_000_000 + '"',
        "session.couple: must be text in quotes of at most 200 characters",
    ),
    "toplevel": ("schema_version = 1\n", "schema_version = 1\nresults = 5\n", "results: must"),
}


def hostile_id(name: str) -> str:
    return f"20240101-000000-{name}"


@pytest.fixture
def hostile_home(make_session: SessionFactory, coach_home: Path) -> Path:
    """A data directory with one good session and each hostile file beside it."""
    good = save_session(make_session(session_id=GOOD))
    text = good.read_text(encoding="utf-8")
    for name, (old, new, _) in HOSTILE.items():
        assert old in text
        base = text.split("\n[results")[0] + "\n" if name == "toplevel" else text
        changed = base.replace(old, new, 1).replace(GOOD, hostile_id(name))
        (good.parent / f"{hostile_id(name)}.toml").write_text(changed, encoding="utf-8")
    loop = good.parent / f"{hostile_id('loop')}.toml"
    loop.symlink_to(loop)
    return coach_home


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x = " + "[" * 500 + "]" * 500, "doc.toml: not valid TOML: nested more than 32 deep"),
        ("x = " + "[" * 40 + "]" * 40, "doc.toml:1: x" + "[0]" * 32),
        ("\nx = 1" + "0" * 5000, "doc.toml:2: not valid TOML: a number with too many digits"),
        ("[t]\nx = 1" + "0" * 400, "doc.toml:2: t.x: is a whole number beyond the 64-bit range"),
        ("x = [1.0, nan]", "doc.toml:1: x[1]: must be a finite number"),
        ("x = -inf", "doc.toml:1: x: must be a finite number"),
        ("x = 1e400", "doc.toml:1: x: must be a finite number"),
        ('x = "\\u0007"\ny = "bad\x01', "doc.toml:2:9: not valid TOML: Illegal character"),
    ],
)
def test_a_hostile_document_is_one_problem_with_its_line(text: str, expected: str) -> None:
    with pytest.raises(DocumentError) as caught:
        document.parse(text, "doc.toml")
    assert caught.value.message.startswith(expected)
    assert "\x01" not in caught.value.message


def test_special_and_oversized_files_are_refused_before_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)  # nobody writes to it: reading would wait for ever
    big = tmp_path / "big.toml"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written
    cases = {
        Path("/dev/zero"): "not a regular file",
        fifo: "not a regular file",
        tmp_path: "it is a directory",
        big: "it is 4.0 MB; coach reads files of up to 4.0 MB",
        tmp_path / "missing.toml": "no such file",
    }
    for path, reason in cases.items():
        with pytest.raises(UsageError) as caught:
            read_limited(path, "rule pack")
        assert caught.value.message == f"cannot read rule pack {path}: {reason}"


def test_damaged_session_files_are_named_and_skipped(hostile_home: Path) -> None:
    problems = dict(refresh_index())
    sessions = hostile_home / "sessions"
    for name, (_, _, reason) in HOSTILE.items():
        path = sessions / f"{hostile_id(name)}.toml"
        assert path in problems, name
        assert problems[path].startswith(str(path)) and reason in problems[path], name
    assert "leads to itself" in problems[sessions / f"{hostile_id('loop')}.toml"]
    assert [row.id for row in history()] == [GOOD]


@pytest.mark.parametrize(
    "command",
    [["list", "--all"], ["history"], ["trends"], ["reindex"], ["export", "--couple", "Sam & Alex"]],
)
def test_every_listing_names_the_damaged_files_and_goes_on(
    hostile_home: Path, command: list[str]
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env["COACH_HOME"] = str(hostile_home)
    result = subprocess.run(
        [COACH, *command], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for name in [*HOSTILE, "loop"]:
        assert f"skipped unreadable session file {hostile_home}" in result.stderr
        assert f"{hostile_id(name)}.toml" in result.stderr, name


def test_a_damaged_session_can_be_deleted(hostile_home: Path) -> None:
    from coach.store.lookup import delete_session

    for name in [*HOSTILE, "loop"]:
        path = delete_session(hostile_id(name))
        assert not path.is_symlink() and not path.exists()
    assert refresh_index() == []


def test_resume_with_only_a_damaged_draft_names_it(
    make_session: SessionFactory, coach_home: Path
) -> None:
    draft = save_session(make_session(finished=False, answered=3))
    draft.write_text(draft.read_text(encoding="utf-8").replace("mode =", "mode = 5 #"))
    with pytest.raises(NotFoundError) as caught:
        find_session_path(None, drafts_only=True)
    assert str(draft) in caught.value.message
    assert "session.mode" in caught.value.message


def test_every_reader_uses_the_one_parse_error_shape(tmp_path: Path) -> None:
    """Session files, answer files, rule packs, cases and content say the same thing."""
    from coach.answers import read_answer_text
    from coach.content import load_content, parse_toml
    from coach.rules.cases import parse_cases
    from coach.rules.pack import check_pack_text
    from coach.store.format import session_from_text

    bad = 'a = 1\nb = "open\n'
    expected = "x.toml:2:10: not valid TOML: Illegal character"
    content = load_content()
    readers = [
        lambda: session_from_text(bad, "x.toml"),
        lambda: parse_cases(bad, "x.toml", content),
        lambda: parse_toml(bad, "x.toml"),
    ]
    for read in readers:
        with pytest.raises(CoachError) as caught:
            read()
        assert expected in caught.value.message
    _, problems = read_answer_text(bad, "x.toml", content)
    assert [str(problem) for problem in problems] == [expected]
    assert [str(problem) for problem in check_pack_text(bad, "x.toml", content)] == [expected]
    assert issubclass(DocumentError, DataError)


def test_a_problem_in_stored_results_names_the_file(
    make_session: SessionFactory, coach_home: Path
) -> None:
    from coach.domain.finish import stored_inference
    from coach.store.files import load_session

    path = save_session(make_session())
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("score = 0.5", 'score = "high"', 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        stored_inference(load_session(path))
    assert caught.value.message == f"{path}: results: couple.oxytocin.score: must be a number"


def test_a_swollen_note_is_refused_on_loading(make_session: SessionFactory) -> None:
    """Listings never print notes, but `coach show` would: a note is as long as an answer."""
    from coach.store.files import load_session

    path = save_session(make_session())
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("They laughed at the start.", "x" * 20_000), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_session(path)
    assert caught.value.message.startswith(f"{path}:")
    assert caught.value.message.endswith(
        "facilitator.notes.1: must be text in quotes of at most 10,000 characters"
    )
