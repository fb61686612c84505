"""The headline a listing shows: its wording lives in coach.wording; the index stores it."""

from __future__ import annotations

from collections.abc import Callable

from coach.session import Session
from coach.store import index
from coach.wording import session_headline


def test_a_draft_tells_how_far_it_got() -> None:
    line = session_headline(finished=False, answered=3, asked=12, scores={}, name=str.title)
    assert line == "draft: 3 of 12 answered"


def test_a_finished_session_names_its_highest_and_lowest_target() -> None:
    scores = {"oxytocin": 0.25, "amygdala": -0.5, "insula": 0.75}
    line = session_headline(finished=True, answered=9, asked=9, scores=scores, name=str.upper)
    assert line == "highest INSULA +0.75, lowest AMYGDALA -0.50"
    empty = session_headline(finished=True, answered=9, asked=9, scores={}, name=str.upper)
    assert empty == "finished; no results saved"


def test_the_index_lists_a_saved_session_with_its_headline(
    save_finished: Callable[..., Session],
) -> None:
    save_finished(0)
    (row,) = index.history()
    assert row.headline.startswith("highest ") and ", lowest " in row.headline
