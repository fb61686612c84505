"""The summary's header names the couple once."""

from __future__ import annotations

import pytest

from coach.content import load_content
from coach.domain.finish import finish_session
from coach.domain.session import Session, new_session_id, now
from coach.render.summary import plain_summary
from coach.rules import load_pack


def header_for(couple: str) -> str:
    content = load_content()
    when = now()
    session = Session(
        id=new_session_id(when),
        created=when,
        partners={"a": "Sam", "b": "Alex"},
        couple=couple,
        steps=[1],
    )
    inference = finish_session(session, content, load_pack(None, content))
    return plain_summary(session, inference, content).split("Steps covered")[0]


@pytest.mark.parametrize("label", ["Alex & Sam", "Sam & Alex", "sam and alex"])
def test_a_label_that_is_just_the_two_names_is_not_repeated(label: str) -> None:
    header = header_for(label)
    assert "Sam and Alex" in header
    assert label not in header


def test_a_label_of_its_own_is_shown() -> None:
    assert "The Riverside couple" in header_for("The Riverside couple")
