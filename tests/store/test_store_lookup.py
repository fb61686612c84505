"""Finding sessions by id or unique prefix, the newest draft, and deleting a session."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from store_helpers import WHEN, SessionFactory

from coach.base.errors import NotFoundError
from coach.store.files import iter_session_files, save_session
from coach.store.index import history
from coach.store.index_refresh import refresh_index
from coach.store.lookup import delete_session, find_session_path, load_session_by_ref


@pytest.fixture
def saved(make_session: SessionFactory) -> dict[str, Path]:
    """Two finished sessions and two drafts; the newest session is finished."""
    made = [  # id, hours after WHEN, finished
        ("20240501-201500-aaa111", 0, True),
        ("20240501-201500-aab222", 1, False),  # the newest draft
        ("20240502-090000-ccc333", -10, False),  # an older draft, though its id sorts later
        ("20240502-090000-ddd444", 3, True),  # the newest session
    ]
    return {
        session_id: save_session(
            make_session(
                session_id=session_id, created=WHEN + timedelta(hours=hours), finished=finished
            )
        )
        for session_id, hours, finished in made
    }


def test_a_full_id_or_file_name_finds_its_session(saved: dict[str, Path]) -> None:
    assert find_session_path("20240501-201500-aaa111") == saved["20240501-201500-aaa111"]
    assert find_session_path("20240501-201500-aaa111.toml") == saved["20240501-201500-aaa111"]
    assert load_session_by_ref("20240502-090000-d").id == "20240502-090000-ddd444"


def test_a_unique_prefix_finds_its_session(saved: dict[str, Path]) -> None:
    assert find_session_path("20240501-201500-aab") == saved["20240501-201500-aab222"]


def test_an_ambiguous_prefix_lists_the_candidates(saved: dict[str, Path]) -> None:
    with pytest.raises(NotFoundError) as caught:
        find_session_path("20240501")
    assert caught.value.message == (
        '"20240501" matches 2 sessions: 20240501-201500-aaa111, 20240501-201500-aab222;'
        " give more of the id"
    )


def test_no_match_suggests_the_closest(saved: dict[str, Path]) -> None:
    with pytest.raises(NotFoundError) as caught:
        find_session_path("20240501-201500-aaa112")
    assert caught.value.message == (
        'no session "20240501-201500-aaa112" (did you mean "20240501-201500-aaa111"?);'
        " coach history shows your sessions"
    )


@pytest.mark.parametrize("ref", ["../20240501", "sessions/x", "..", "a b"])
def test_a_reference_that_could_leave_the_directory_is_refused(
    saved: dict[str, Path], ref: str
) -> None:
    with pytest.raises(NotFoundError, match="is not a session id"):
        find_session_path(ref)


def test_no_reference_means_the_newest_session_or_draft(saved: dict[str, Path]) -> None:
    assert find_session_path(None) == saved["20240502-090000-ddd444"]
    assert find_session_path(None, drafts_only=True) == saved["20240501-201500-aab222"]


def test_a_finished_session_is_not_a_draft(saved: dict[str, Path]) -> None:
    with pytest.raises(NotFoundError, match="is finished; only a draft can be resumed"):
        find_session_path("20240501-201500-aaa", drafts_only=True)
    draft = find_session_path("20240502-090000-c", drafts_only=True)
    assert draft == saved["20240502-090000-ccc333"]


def test_nothing_saved_yet(make_session: SessionFactory) -> None:
    with pytest.raises(NotFoundError, match="no saved sessions yet"):
        find_session_path(None)
    save_session(make_session())
    with pytest.raises(NotFoundError, match="no draft to resume"):
        find_session_path(None, drafts_only=True)


def test_delete_removes_the_file_and_its_index_entry(saved: dict[str, Path]) -> None:
    refresh_index()
    removed = delete_session("20240502-090000-d")
    assert removed == saved["20240502-090000-ddd444"]
    assert not removed.exists()
    assert removed.stem not in {row.id for row in history(refresh=False)}
    assert len(list(iter_session_files())) == 3


def test_only_session_files_are_listed(saved: dict[str, Path], coach_home: Path) -> None:
    sessions = coach_home / "sessions"
    (sessions / ".0123abcd.tmp").write_text("a save that was cut off")
    (sessions / "notes.txt").write_text("")
    (sessions / ".locks" / "x.lock").write_text("")
    assert list(iter_session_files()) == sorted(saved.values())
