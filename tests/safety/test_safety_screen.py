"""The private screen and the free-text check decide when the neutral message appears."""

from __future__ import annotations

import pytest

from coach.content import load_content
from coach.domain.safety import screen_discloses, skip_message, text_mentions_risk, text_message
from coach.domain.session import Session, now

SAFE = {"feel_safe": True, "fear_reaction": False, "hurt_or_threatened": False}


def test_safe_answers_do_not_disclose() -> None:
    assert not screen_discloses(load_content().safety, SAFE)


@pytest.mark.parametrize(
    ("question", "answer"),
    [("feel_safe", False), ("fear_reaction", True), ("hurt_or_threatened", True)],
)
def test_any_single_unsafe_answer_discloses(question: str, answer: bool) -> None:
    assert screen_discloses(load_content().safety, {**SAFE, question: answer})


def test_an_unanswered_screen_question_counts_as_unsafe() -> None:
    answers = dict(SAFE)
    del answers["fear_reaction"]
    assert screen_discloses(load_content().safety, answers)


@pytest.mark.parametrize(
    "text",
    [
        "Sometimes I want to kill myself",
        "he hit me last week",
        "There was VIOLENCE at home",
        "I think about self-harm",
        "she threatened me",
        "I'm scared of him",
        "I am scared of him when he drinks",
        "He choked me once",
        "he gets violent when he drinks",
        "she pulled a knife on me, held a knife to my throat",
    ],
)
def test_risky_free_text_is_noticed(text: str) -> None:
    assert text_mentions_risk(load_content().safety, text)


@pytest.mark.parametrize(
    "text",
    [
        "We watched a thriller with a gunfight scene",
        "The shotgun wedding joke",
        "skillful",
        "",
        "I choked up when she read the letter",
        "We got soaked in a violent storm and laughed",
        "He bought me a new kitchen knife for the pasta",
        "a stranglehold of a schedule this week",
    ],
)
def test_ordinary_text_is_not_flagged(text: str) -> None:
    # whole words only: "gunfight" and "shotgun" do not match "gun"
    assert not text_mentions_risk(load_content().safety, text)


def test_messages_share_the_same_resources_and_name_no_one() -> None:
    safety = load_content().safety
    skip, text = skip_message(safety), text_message(safety)
    assert skip.resources == text.resources
    assert any("988" in r for r in skip.resources)
    for message in (skip, text):
        rendered = message.as_text().lower()
        assert "partner a" not in rendered and "partner b" not in rendered
        assert "disclos" not in rendered


def test_leaving_out_the_conflict_step_removes_its_answers() -> None:
    content = load_content()
    session = Session(id="x", created=now(), partners={"a": "Sam", "b": "Alex"})
    session.record(content.prompts["s1.a.greeted_warmly"], 4)
    session.record(content.prompts["s3.a.soft_startup"], 2)
    session.skip(content.prompts["s3.a.named_feeling"])
    session.leave_out_conflict_step()
    assert session.steps == [1, 2, 4, 5]
    assert list(session.answer_map()) == ["s1.a.greeted_warmly"]
    assert session.skipped == []
