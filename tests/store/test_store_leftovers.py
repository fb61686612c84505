"""What a hard kill leaves behind, a hidden copy of the session in a temporary file, is swept
on the next save once it is stale and no one is saving that session, and `coach delete`
removes it with the session."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from store_helpers import SessionFactory

from coach.store import files
from coach.store.files import (
    STALE_TEMP_SECONDS,
    save_session,
    session_lock,
    sweep_temporary_files,
)
from coach.store.lookup import delete_session


def leftover(directory: Path, target: str, age: float) -> Path:
    """A temporary file as a killed save leaves it, last written `age` seconds ago."""
    temp = directory / f".{target}.{os.urandom(8).hex()}.tmp"
    temp.write_text("a whole copy of a session")
    moment = time.time() - age
    os.utime(temp, (moment, moment))
    return temp


def test_stale_leftovers_are_swept_on_the_next_save(
    make_session: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = save_session(make_session(session_id="20240501-201500-aaaaaa"))
    directory = first.parent
    stale = leftover(directory, first.name, STALE_TEMP_SECONDS + 5)
    fresh = leftover(directory, first.name, 1)  # perhaps a save under way: kept
    old_style = leftover(directory, "", STALE_TEMP_SECONDS + 5)  # no owner in its name
    monkeypatch.setattr(files, "_swept", [])  # as in a new coach process
    save_session(make_session(session_id="20240501-201500-bbbbbb"))
    assert not stale.exists() and not old_style.exists()
    assert fresh.exists()


def test_a_leftover_of_a_session_being_saved_is_kept(make_session: SessionFactory) -> None:
    path = save_session(make_session(session_id="20240501-201500-cccccc"))
    stale = leftover(path.parent, path.name, STALE_TEMP_SECONDS + 5)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # another process saving that session: it holds the lock
        with session_lock(path.stem):
            os.write(write_end, b"locked")
            time.sleep(60)
        os._exit(0)
    try:
        assert os.read(read_end, 6) == b"locked"
        assert sweep_temporary_files() == []
        assert stale.exists()
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    assert sweep_temporary_files() == [stale]


def test_delete_removes_the_leftovers_of_its_session(make_session: SessionFactory) -> None:
    path = save_session(make_session(session_id="20240501-201500-dddddd"))
    other = save_session(make_session(session_id="20240501-201500-eeeeee"))
    mine = leftover(path.parent, path.name, 1)
    theirs = leftover(path.parent, other.name, 1)
    delete_session(path.stem)
    assert not mine.exists() and theirs.exists()
