"""`coach notes` reads the facilitator's note from standard input: input that is not UTF-8
text, or that never ends, is refused with one line and exit 2, as any other bad input, and the
session file is left as it was."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from coach_process import COACH

from coach.content import Content
from coach.store import files

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "render"))
from test_couple_view import saved_without_consent


def notes(session_id: str, stdin: bytes | Path) -> subprocess.CompletedProcess[bytes]:
    def limit_memory() -> None:  # without a bound on the read, /dev/zero would use it all
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    if isinstance(stdin, Path):
        with stdin.open("rb") as source:
            return subprocess.run(
                [COACH, "notes", session_id, "--step", "2"],
                stdin=source,
                capture_output=True,
                timeout=120,
                preexec_fn=limit_memory,
                check=False,
            )
    return subprocess.run(
        [COACH, "notes", session_id, "--step", "2"],
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_a_note_that_is_not_utf8_is_refused_with_one_line(
    content: Content, coach_home: Path
) -> None:
    session_id = saved_without_consent(content)
    before = files.session_path(session_id).read_bytes()
    result = notes(session_id, b"Quiet about money \xff\x9b\n")
    assert result.returncode == 2, result
    assert result.stderr.decode().startswith("coach: the note is not UTF-8 text")
    assert len(result.stderr.splitlines()) == 1
    assert b"surrogate" not in result.stderr
    assert files.session_path(session_id).read_bytes() == before


def test_a_note_that_never_ends_is_read_only_up_to_the_limit(
    content: Content, coach_home: Path
) -> None:
    session_id = saved_without_consent(content)
    before = files.session_path(session_id).read_bytes()
    result = notes(session_id, Path("/dev/zero"))
    assert result.returncode == 2, result
    assert b"the limit is 10,000" in result.stderr
    assert b"MemoryError" not in result.stderr
    assert files.session_path(session_id).read_bytes() == before


def test_the_saved_path_is_shown_harmlessly(
    content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A data directory whose name holds an escape sequence: the confirmation names the file
    with visible escapes."""
    home = tmp_path / "home\x1b]52;c;aGk=\x07"
    monkeypatch.setenv("COACH_HOME", str(home))
    session_id = saved_without_consent(content)
    result = subprocess.run(
        [COACH, "notes", session_id, "--step", "2"],
        input=b"Quiet about money\n",
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result
    assert b"\x1b" not in result.stdout + result.stderr and b"\x07" not in result.stdout
    assert b"home\\x1b]52;c;aGk=\\x07" in result.stdout
