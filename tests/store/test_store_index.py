"""The SQLite index: history and trends from generated sessions, and an index that heals itself."""

from __future__ import annotations

import os
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from store_helpers import SessionFactory, generate

from coach.base.errors import UsageError
from coach.content import TARGETS
from coach.store import index, index_refresh
from coach.store.files import iter_session_files, load_session, save_session
from coach.store.format import session_to_text
from coach.store.index import HistoryRow, history, trend_series
from coach.store.index_refresh import rebuild_index, refresh_index
from coach.store.index_summary import couple_scores

COUNT = 60


@pytest.fixture
def generated(coach_home: Path) -> list[Path]:
    generate(coach_home, COUNT)
    return list(iter_session_files())


def rows(**filters: object) -> list[HistoryRow]:
    return list(history(**filters))  # type: ignore[arg-type]


def expected_rows() -> list[tuple[object, ...]]:
    """What history should say, worked out by loading every file in full."""
    sessions = [load_session(path) for path in iter_session_files()]
    sessions.sort(key=lambda s: (s.created, s.id), reverse=True)
    return [
        (
            s.id,
            s.created,
            s.status,
            s.couple,
            s.partners,
            tuple(s.steps),
            len(s.answers),
            # The index feeds the couple's views: totals only with both partners' yes.
            s.checkin_total("a") if s.checkin_shown_to_both else None,
            s.checkin_total("b") if s.checkin_shown_to_both else None,
            {t: couple_scores(s.results).get(t) for t in TARGETS},
        )
        for s in sessions
    ]


def seen(found: list[HistoryRow]) -> list[tuple[object, ...]]:
    return [
        (
            r.id,
            r.created,
            r.status,
            r.couple,
            r.partners,
            r.steps,
            r.answered,
            r.csi_a,
            r.csi_b,
            r.scores,
        )
        for r in found
    ]


def test_history_agrees_with_the_files(generated: list[Path]) -> None:
    assert refresh_index() == []
    found = rows()
    assert len(found) == COUNT
    assert seen(found) == expected_rows()
    assert {r.path for r in found} == set(generated)
    assert any(r.csi_a is not None for r in found) and any(r.csi_a is None for r in found)
    assert all(r.headline.startswith("highest ") and ", lowest " in r.headline for r in found)


def test_history_filters(generated: list[Path]) -> None:
    everything = rows()
    couple = everything[0].couple
    mine = rows(couple=couple.upper())  # couples match without case
    assert mine == [r for r in everything if r.couple == couple]
    assert rows(limit=5) == everything[:5]
    assert rows(status="draft") == []
    day = everything[COUNT // 2].created.date()
    local_day = [r for r in everything if r.created.astimezone().date() == day]
    assert rows(since=day, until=day) == local_day
    moment = everything[10].created
    assert rows(since=moment) == everything[: everything.index(everything[10]) + 1]
    with pytest.raises(UsageError):
        rows(status="done")


def test_trends_are_oldest_first_with_the_chosen_targets(generated: list[Path]) -> None:
    newest_first = rows()
    points = list(trend_series(targets=["oxytocin", "amygdala"]))
    assert [p.session_id for p in points] == [r.id for r in reversed(newest_first)]
    first, row = points[0], newest_first[-1]
    assert first.scores == {"oxytocin": row.scores["oxytocin"], "amygdala": row.scores["amygdala"]}
    assert (first.csi_a, first.csi_b, first.couple) == (row.csi_a, row.csi_b, row.couple)
    couple = row.couple
    assert all(p.couple == couple for p in trend_series(couple=couple))
    with pytest.raises(UsageError, match='unknown target "oxytocine" \\(did you mean "oxytocin"'):
        list(trend_series(targets=["oxytocine"]))


def answers_now() -> tuple[list[HistoryRow], list[object]]:
    return rows(), list(trend_series())


def test_a_deleted_index_is_built_again(generated: list[Path], coach_home: Path) -> None:
    before = answers_now()
    (coach_home / "index.sqlite3").unlink()
    assert answers_now() == before


@pytest.mark.parametrize(
    "damage", [os.urandom(8192), b"garbage", b"SQLite format 3\x00" + os.urandom(4000)]
)
def test_a_corrupted_index_is_built_again(
    generated: list[Path], coach_home: Path, damage: bytes
) -> None:
    before = answers_now()
    for side in coach_home.glob("index.sqlite3*"):
        side.unlink()
    (coach_home / "index.sqlite3").write_bytes(damage)
    assert answers_now() == before


def test_an_index_of_another_layout_is_built_again(generated: list[Path], coach_home: Path) -> None:
    import sqlite3

    before = answers_now()
    for side in coach_home.glob("index.sqlite3*"):
        side.unlink()
    with sqlite3.connect(coach_home / "index.sqlite3") as old:
        old.execute("CREATE TABLE sessions (id TEXT, path TEXT)")
        old.execute("PRAGMA user_version = 99")
    old.close()
    assert answers_now() == before


def test_a_stale_index_catches_up_with_the_files(
    generated: list[Path], make_session: SessionFactory, coach_home: Path
) -> None:
    refresh_index()
    added = save_session(make_session(session_id="20260101-090000-aaaaaa"))
    changed = load_session(generated[0])
    changed.couple = "A Couple With A Longer Name"
    save_session(changed)
    generated[1].unlink()
    refreshed = answers_now()
    assert {r.id for r in refreshed[0]} == {p.stem for p in generated[2:]} | {
        added.stem,
        changed.id,
    }
    assert next(r for r in refreshed[0] if r.id == changed.id).couple == changed.couple
    rebuild_index()
    assert answers_now() == refreshed


def replace_file(path: Path, data: bytes) -> None:
    """Write a new version by renaming, as coach and most editors do: the directory changes, so
    the next refresh looks (an edit in place waits: see the test of that trade-off below)."""
    temp = path.with_name(f".{path.name}.test")
    temp.write_bytes(data)
    os.replace(temp, path)


def test_an_unreadable_file_is_named_and_skipped(generated: list[Path]) -> None:
    refresh_index()
    damaged = generated[3]
    good = damaged.read_bytes()
    replace_file(damaged, good[: len(good) // 2] + b"\x00garbage")
    problems = refresh_index()
    assert [path for path, _ in problems] == [damaged]
    assert problems[0][1].startswith(f"{damaged}:")
    assert damaged.stem not in {r.id for r in rows()}
    assert len(rows()) == COUNT - 1
    replace_file(damaged, good)  # mended: indexed again
    assert refresh_index() == []
    assert len(rows()) == COUNT


def test_drafts_show_how_far_they_got(make_session: SessionFactory) -> None:
    save_session(make_session(finished=False, answered=12))
    (row,) = rows()
    assert (row.status, row.finished, row.headline) == ("draft", None, "draft: 12 of 37 answered")


def test_rebuild_reports_progress(generated: list[Path]) -> None:
    calls: list[tuple[int, int]] = []
    rebuild_index(lambda done, total: calls.append((done, total)))
    assert calls[-1] == (COUNT, COUNT)
    assert all(total == COUNT for _, total in calls)


def test_a_deleted_session_leaves_the_index_at_once(generated: list[Path]) -> None:
    refresh_index()
    index_refresh.forget(generated[0].stem)
    assert generated[0].stem not in {r.id for r in history(refresh=False)}


def test_history_reads_in_pages(generated: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "PAGE_SIZE", 7)
    assert len(rows()) == COUNT


def test_dates_are_compared_as_moments(make_session: SessionFactory) -> None:
    late = datetime.fromisoformat("2024-05-01T23:30:00-05:00")  # 04:30 UTC on 2 May
    early = datetime.fromisoformat("2024-05-02T01:00:00+02:00")  # 23:00 UTC on 1 May
    save_session(make_session(session_id="late", created=late))
    save_session(make_session(session_id="early", created=early))
    assert [r.id for r in rows()] == ["late", "early"]
    assert [r.id for r in rows(until=datetime.fromisoformat("2024-05-02T00:00:00+00:00"))] == [
        "early"
    ]
    assert rows(since=date(2024, 1, 1), until=date(2024, 12, 31))[0].id == "late"


def settle(directory: Path, mtime_ns: int | None = None) -> int:
    """Make a directory look untouched for a while, as it is between two sessions."""
    old = time.time_ns() - 10 * 10**9 if mtime_ns is None else mtime_ns
    os.utime(directory, ns=(old, old))
    return old


def test_an_unchanged_directory_is_not_looked_through_again(
    generated: list[Path], coach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(coach_home / "sessions")
    refresh_index()  # looks at every file once, and remembers the settled directory

    def no_looking() -> int:
        raise AssertionError("the files were looked through again")

    monkeypatch.setattr(index_refresh, "_plan", no_looking)
    assert len(rows()) == COUNT


def test_a_save_into_a_settled_directory_is_seen(
    generated: list[Path], coach_home: Path, make_session: SessionFactory
) -> None:
    settle(coach_home / "sessions")
    refresh_index()
    save_session(make_session(session_id="20260101-090000-bbbbbb"))
    assert "20260101-090000-bbbbbb" in {r.id for r in rows()}


def test_a_file_edited_in_place_is_seen_when_the_directory_next_changes(
    generated: list[Path], coach_home: Path, make_session: SessionFactory
) -> None:
    sessions = coach_home / "sessions"
    settled = settle(sessions)
    refresh_index()
    edited = load_session(generated[0])
    edited.couple = "Edited In Place"
    generated[0].write_text(session_to_text(edited), encoding="utf-8")  # no rename
    settle(sessions, settled)  # as an edit in place leaves it
    # The documented trade-off: the directory looks unchanged, so the edit waits...
    assert "Edited In Place" not in {r.couple for r in rows()}
    # ...until the next save changes the directory, when every file is compared again.
    save_session(make_session(session_id="20260101-090000-cccccc"))
    assert "Edited In Place" in {r.couple for r in rows()}


def test_an_index_built_by_another_coach_version_is_built_again(
    generated: list[Path], coach_home: Path
) -> None:
    import sqlite3

    before = answers_now()
    with sqlite3.connect(coach_home / "index.sqlite3") as old:
        old.execute("UPDATE meta SET value = '0.0.1' WHERE key = 'coach_version'")
        old.execute("UPDATE sessions SET headline = 'old wording'")
    old.close()
    assert answers_now() == before


def test_an_index_that_cannot_be_used_is_an_error_not_an_empty_listing(
    make_session: SessionFactory, coach_home: Path
) -> None:
    from coach.base.errors import StorageError

    save_session(make_session())
    (coach_home / "index.sqlite3").mkdir()  # where the index belongs, something else
    with pytest.raises(StorageError) as caught:
        rows()
    assert caught.value.message.startswith(f"cannot create the session index {coach_home}")
    assert list(coach_home.glob(".index.sqlite3.*")) == []  # nothing half built is left
