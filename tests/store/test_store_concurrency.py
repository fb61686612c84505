"""Two processes saving at the same moment both land: new sessions, and updates to one session."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from store_helpers import SessionFactory

from coach.store.files import (
    iter_session_files,
    load_session,
    save_session,
    session_lock,
)

UPDATES = 25


def run_together(*jobs: Callable[[], None]) -> None:
    """Fork one child per job, release them all at the same moment, and wait for each."""
    start_read, start_write = os.pipe()
    children = []
    for job in jobs:
        pid = os.fork()
        if pid == 0:
            os.close(start_write)
            status = 0
            try:
                os.read(start_read, 1)
                job()
            except BaseException:
                traceback.print_exc()
                status = 1
            finally:
                sys.stderr.flush()
                os._exit(status)
        children.append(pid)
    os.close(start_read)
    os.write(start_write, b"go" * len(jobs))
    os.close(start_write)
    for pid in children:
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0


def test_two_processes_saving_new_sessions_at_once_both_land(
    make_session: SessionFactory,
) -> None:
    def save_many(tag: str) -> Callable[[], None]:
        def job() -> None:
            for n in range(UPDATES):
                save_session(make_session(session_id=f"20240501-201500-{tag}{n:02d}"))

        return job

    run_together(save_many("a"), save_many("b"))
    saved = [path.stem for path in iter_session_files()]
    assert len(saved) == 2 * UPDATES
    assert all(load_session(path).id == path.stem for path in iter_session_files())


def test_two_processes_updating_one_session_lose_no_update(make_session: SessionFactory) -> None:
    session = make_session(answered=5)
    session.homework = []
    path = save_session(session)

    def append(tag: str) -> Callable[[], None]:
        def job() -> None:
            for n in range(UPDATES):
                with session_lock(session.id):  # load, modify and save as one step
                    current = load_session(path)
                    current.homework.append(f"{tag}{n}")
                    save_session(current)

        return job

    run_together(append("a"), append("b"))
    homework = load_session(path).homework
    assert sorted(homework) == sorted(f"{tag}{n}" for tag in "ab" for n in range(UPDATES))
    for tag in "ab":  # each process's updates landed in the order it made them
        assert [h for h in homework if h[0] == tag] == [f"{tag}{n}" for n in range(UPDATES)]


def test_the_lock_can_be_taken_again_by_its_holder_and_leaves_nothing_behind(
    make_session: SessionFactory, coach_home: Path
) -> None:
    session = make_session()
    with session_lock(session.id), session_lock(session.id):
        save_session(session)  # takes the same lock a third time, without waiting for itself
    assert list((coach_home / "sessions" / ".locks").iterdir()) == []


def test_readers_beside_rebuilds_always_see_every_session(make_session: SessionFactory) -> None:
    """Four processes rebuilding the index and eight listing at the same time: every listing
    sees all the sessions, and none fails (an index error would be an error, never "none")."""
    from datetime import timedelta

    from store_helpers import WHEN

    from coach.store.index import history
    from coach.store.index_refresh import rebuild_index

    ids = set()
    for n in range(30):
        session = make_session(session_id=f"20240501-2015{n:02d}-abc123", answered=3)
        session.created = WHEN + timedelta(minutes=n)
        ids.add(save_session(session).stem)

    def rebuild() -> None:
        for _ in range(5):
            assert rebuild_index() == []

    def read() -> None:
        for _ in range(10):
            seen = {row.id for row in history()}
            assert seen == ids, f"a listing saw {len(seen)} of {len(ids)} sessions"

    run_together(*[rebuild] * 4, *[read] * 8)
