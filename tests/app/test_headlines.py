"""The headline a listing shows: its wording lives in coach.domain.wording; the index stores it."""

from __future__ import annotations

import re
from collections.abc import Callable

from coach.content import Content
from coach.domain.readings import short_words
from coach.domain.session import Session
from coach.domain.wording import session_headline
from coach.store import index
from coach.store.index_summary import couple_scores


def test_a_draft_tells_how_far_it_got() -> None:
    line = session_headline(finished=False, answered=3, asked=12, scores={}, name=str.title)
    assert line == "draft: 3 of 12 answered"


def test_a_finished_session_names_its_highest_and_lowest_target() -> None:
    scores = {"oxytocin": 0.25, "amygdala": -0.5, "insula": 0.75}
    line = session_headline(finished=True, answered=9, asked=9, scores=scores, name=str.upper)
    assert line == "highest INSULA (clearly toward), lowest AMYGDALA (clearly the other way)"
    assert not re.search(r"\d", line)  # words, never a score
    empty = session_headline(finished=True, answered=9, asked=9, scores={}, name=str.upper)
    assert empty == "finished; no results saved"


def test_the_index_lists_a_saved_session_with_its_headline(
    save_finished: Callable[..., Session], content: Content
) -> None:
    session = save_finished(0)
    scores = couple_scores(session.results)
    high = max(scores, key=scores.__getitem__)
    (row,) = index.history()
    assert row.headline.startswith(
        f"highest {content.target(high).name} ({short_words(scores[high])}), "
    )


def test_a_draft_in_the_index_counts_the_questions_of_its_steps(content: Content) -> None:
    from coach.app.sessions import new_session
    from coach.store import disk, files

    draft = new_session(
        a="Sam", b="Alex", mode="together", couple="", steps="2,4", facilitated=False, checkin=False
    )
    disk.ensure_data_dir()
    files.save_session(draft)
    asked = len(content.step(2).prompts) + len(content.step(4).prompts)
    (row,) = index.history()
    assert row.headline == f"draft: 0 of {asked} answered"
