"""A save never leaves a torn file: not when killed, not when the disk is full or a rename fails."""

from __future__ import annotations

import errno
import os
import random
import signal
import time
from pathlib import Path
from typing import Any, NoReturn

import pytest
from store_helpers import SessionFactory

from coach.base.errors import StorageError
from coach.domain.session import Session
from coach.store import files
from coach.store.disk import atomic_write_text, ensure_data_dir, exclusive_create
from coach.store.files import load_session, save_session
from coach.store.format import session_to_text

KILLS = 200


def leftovers(directory: Path) -> list[Path]:
    return sorted(directory.glob(".*.tmp"))


def big_versions(make_session: SessionFactory) -> tuple[Session, Session]:
    """Two versions of one session, each about 150 KB, so that a write takes a while."""
    old = make_session(text="old " * 2_400, answered=20)
    new = make_session(text="new " * 2_400)
    new.notes = {step: f"note {step} " * 1_000 for step in range(1, 6)}
    return old, new


def save_forever(versions: tuple[Session, Session], texts: dict[int, str], report: int) -> NoReturn:
    """Run in a forked child: say it has started, then save the two versions in turn until
    killed, writing one byte to `report` after each save that has landed.

    Their text is made beforehand (serializing is tested elsewhere), so that the child spends its
    time in the part that matters here: writing, flushing and renaming.
    """
    try:
        files.session_to_text = lambda session: texts[id(session)]
        os.write(report, b"s")
        for turn in range(10**9):
            save_session(versions[turn % 2])
            os.write(report, b".")
    finally:
        os._exit(1)


def saves_landed(reports: int) -> int:
    """How many saves the (now dead) child reported as landed since the last call."""
    landed = 0
    while chunk := os.read(reports, 65536):
        landed += chunk.count(b".")
    return landed


@pytest.mark.slow
def test_a_save_killed_at_random_moments_never_leaves_a_torn_file(
    make_session: SessionFactory,
) -> None:
    versions = big_versions(make_session)
    texts = {id(version): session_to_text(version) for version in versions}
    path = save_session(versions[0])
    rng = random.Random(20240501)
    mid_write = 0
    for kill in range(KILLS):
        if kill % 10 == 0:  # now and then the child creates the file anew
            path.unlink(missing_ok=True)
        present = path.exists()  # a child killed before its first save can leave it missing
        reports, report = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(reports)
            save_forever(versions, texts, report)
        os.close(report)
        # Wait until the child runs, so that on a loaded machine the kill still lands while it
        # saves rather than before it has begun.
        assert os.read(reports, 1) == b"s"
        time.sleep(rng.uniform(0.0, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        landed = saves_landed(reports)  # the write end is closed now: this reads to the end
        os.close(reports)
        if path.exists():
            assert load_session(path) in versions, f"kill {kill} left a torn file"
        else:
            # The file may be missing only when it was missing as the child began and the child
            # landed no save; a file that existed, or that a save created, must stay.
            assert not present and not landed, f"kill {kill} lost the file"
        stale = leftovers(path.parent)
        mid_write += bool(stale)
        for temp in stale:  # what a SIGKILL leaves: a hidden temporary file, never the session
            temp.unlink()
    # Kills that left a temporary file behind landed in the middle of a save. The bound is loose
    # so that a loaded machine, where the child runs less of each sleep, still passes.
    assert mid_write > KILLS // 10, f"only {mid_write} kills landed during a write"


@pytest.fixture
def saved(make_session: SessionFactory) -> tuple[Path, str, Session]:
    """A saved session, its text, and a changed version of it to save next."""
    old = make_session(answered=10)
    path = save_session(old)
    return path, path.read_text(encoding="utf-8"), make_session()


def fail_with(code: int) -> Any:
    def fail(*args: object, **kwargs: object) -> NoReturn:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize(
    ("call", "code"),
    [("replace", errno.EIO), ("write", errno.ENOSPC), ("fsync", errno.ENOSPC)],
)
def test_a_failed_save_keeps_the_previous_file_and_says_so(
    saved: tuple[Path, str, Session], monkeypatch: pytest.MonkeyPatch, call: str, code: int
) -> None:
    path, before, new = saved
    with monkeypatch.context() as patch, pytest.raises(StorageError) as caught:
        patch.setattr(os, call, fail_with(code))
        save_session(new)
    assert caught.value.message == (
        f"could not save {path}: {os.strerror(code)}; the previous copy is intact"
    )
    assert path.read_text(encoding="utf-8") == before
    assert leftovers(path.parent) == []


def test_a_failed_first_save_writes_nothing(
    make_session: SessionFactory, monkeypatch: pytest.MonkeyPatch, coach_home: Path
) -> None:
    ensure_data_dir()
    with monkeypatch.context() as patch, pytest.raises(StorageError) as caught:
        patch.setattr(os, "write", fail_with(errno.ENOSPC))
        save_session(make_session())
    assert caught.value.message.endswith("No space left on device; nothing was written")
    assert [p.name for p in (coach_home / "sessions").iterdir()] == [".locks"]


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "file.toml"
    target.write_text("old")
    atomic_write_text(target, "new text")
    assert target.read_text() == "new text"
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_exclusive_create_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "file.toml"
    exclusive_create(target, "first")
    with pytest.raises(StorageError) as caught:
        exclusive_create(target, "second")
    assert (
        caught.value.message
        == f"could not save {target}: it already exists; it was not overwritten"
    )
    assert target.read_text() == "first"
    assert leftovers(tmp_path) == []


def test_exclusive_create_works_without_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "link", fail_with(errno.EPERM))
    target = tmp_path / "file.toml"
    exclusive_create(target, "first")
    with pytest.raises(StorageError):
        exclusive_create(target, "second")
    assert target.read_text() == "first"
    assert leftovers(tmp_path) == []
