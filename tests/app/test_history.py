"""coach.app.history, trends and reports: listings, trend points and a couple's report, read
through the index from sessions saved in-process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from coach.app.history import Unreadable, couple_hint, sessions
from coach.app.reports import couple_report
from coach.app.trends import points_from_rows, trend_points
from coach.base.errors import NotFoundError
from coach.domain.session import Session
from coach.domain.targets import TARGETS
from coach.store import index

Problems = list[list[Unreadable]]


def collect(into: Problems) -> Callable[[list[Unreadable]], None]:
    return into.append


def test_a_listing_shows_the_newest_first_and_keeps_the_rest(
    save_finished: Callable[..., Session],
) -> None:
    saved = [save_finished(day) for day in (0, 3, 1)]
    problems: Problems = []
    listing = sessions(collect(problems), limit=2)
    assert [row.id for row in listing.shown] == [saved[1].id, saved[2].id]
    assert [row.id for row in listing.rest] == [saved[0].id]
    assert problems == [[]]  # the index was refreshed once, and nothing was unreadable


def test_the_newest_n_and_all_give_the_same_points_oldest_first(
    save_finished: Callable[..., Session],
) -> None:
    saved = [save_finished(day) for day in (0, 1, 2)]
    save_finished(4, "Other & Couple")
    chosen = ("oxytocin", "amygdala")
    newest_two = list(trend_points(collect([]), couple="sam & alex", targets=chosen, limit=2))
    every = list(trend_points(collect([]), couple="sam & alex", targets=chosen, limit=None))
    assert [p.session_id for p in every] == [s.id for s in saved]
    assert newest_two == every[1:]  # the history path and the trend query agree
    assert all(set(p.scores) == set(chosen) for p in every)


def test_points_from_rows_keep_the_order_given_and_every_target_by_default(
    save_finished: Callable[..., Session],
) -> None:
    save_finished(0)
    save_finished(1)
    rows = list(index.history())
    points = list(points_from_rows(rows))
    assert [p.session_id for p in points] == [r.id for r in rows]
    assert list(points[0].scores) == list(TARGETS)
    assert points[0].scores == rows[0].scores and points[0].scores is not rows[0].scores


def test_a_couple_report_holds_the_sessions_oldest_first_and_the_newest_whole(
    save_finished: Callable[..., Session], coach_home: Path
) -> None:
    first, last = save_finished(0), save_finished(5)
    (coach_home / "sessions" / "20260101-000000-aaaaaa.toml").write_text("not toml [")
    problems: Problems = []
    report = couple_report("SAM & ALEX", collect(problems))
    assert report.label == "Sam & Alex"
    assert [row.id for row in report.rows] == [first.id, last.id]
    assert report.latest.id == last.id
    assert len(report.partner_scores) == 2 and set(report.partner_scores[0]) == {"a", "b"}
    assert [path.name for path, _ in problems[0]] == ["20260101-000000-aaaaaa.toml"]


def test_a_couple_without_finished_sessions_is_not_found_with_a_suggestion(
    save_finished: Callable[..., Session],
) -> None:
    save_finished(0)
    with pytest.raises(NotFoundError, match='"Sam & Alx" \\(did you mean "Sam & Alex"\\?\\)'):
        couple_report("Sam & Alx", collect([]))
    assert couple_hint("Nobody at all") == ""
