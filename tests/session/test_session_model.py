"""The pure session model: recording, skipping, order of prompts, steps parsing."""

from __future__ import annotations

import pytest

from coach.content import load_content
from coach.domain.finish import default_couple_label
from coach.domain.session import (
    Session,
    new_session_id,
    now,
    parse_steps,
    pending_prompts,
    prompts_for,
)


def make_session(**kwargs: object) -> Session:
    when = now()
    return Session(
        id=new_session_id(when), created=when, partners={"a": "Sam", "b": "Alex"}, **kwargs
    )  # type: ignore[arg-type]


def test_ids_are_sortable_and_safe_file_names() -> None:
    session_id = new_session_id(now())
    assert len(session_id) == len("20261125-123456-abcdef")
    assert all(ch.isalnum() or ch == "-" for ch in session_id)


def test_prompt_order_puts_the_leading_partner_first() -> None:
    content = load_content()
    step2 = [p.partner for p in prompts_for(content, [2])]
    assert step2[0] == "b" and step2[-1] == "a"  # step 2: B reciprocates
    step1 = [p.partner for p in prompts_for(content, [1])]
    assert step1[0] == "a"


def test_pending_prompts_resume_at_first_unanswered() -> None:
    content = load_content()
    session = make_session()
    order = list(prompts_for(content, session.steps))
    session.record(order[0], 5)
    session.record(order[1], True)
    session.skip(order[3])
    pending = pending_prompts(session, content)
    assert pending[0] == order[2]
    assert order[3] not in pending
    assert len(pending) == len(order) - 3


def test_recording_again_replaces_the_answer() -> None:
    content = load_content()
    session = make_session()
    prompt = content.prompts["s1.a.greeted_warmly"]
    session.record(prompt, 2)
    session.record(prompt, 4)
    assert session.answer_map() == {"s1.a.greeted_warmly": 4}
    assert len(session.answers) == 1


def test_steps_subset_limits_prompts() -> None:
    content = load_content()
    session = make_session(steps=[1, 3])
    assert {p.step for p in pending_prompts(session, content)} == {1, 3}


@pytest.mark.parametrize(
    ("text", "steps"),
    [("1,3,4", [1, 3, 4]), ("2-5", [2, 3, 4, 5]), ("5, 1", [1, 5]), ("1-5", [1, 2, 3, 4, 5])],
)
def test_parse_steps(text: str, steps: list[int]) -> None:
    assert parse_steps(text) == steps


@pytest.mark.parametrize("text", ["0", "6", "a", "1,x", "", "3-9"])
def test_parse_steps_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="step"):
        parse_steps(text)


def test_default_couple_label_is_order_independent() -> None:
    assert (
        default_couple_label("Sam", "alex") == default_couple_label("alex", "Sam") == "alex & Sam"
    )


def test_a_half_typed_answer_is_kept_and_asked_again() -> None:
    content = load_content()
    session = make_session(steps=[1])
    prompt = content.prompts["s1.a.moment"]
    session.record_unfinished(prompt, "We walked and")
    assert session.answer_map()[prompt.id] == "We walked and"
    assert prompt in pending_prompts(session, content)
    session.record(prompt, "We walked and talked")
    assert session.unfinished == []
    assert prompt not in pending_prompts(session, content)


def test_clearing_a_half_typed_optional_answer_skips_it() -> None:
    content = load_content()
    session = make_session(steps=[1])
    prompt = content.prompts["s1.a.moment"]
    session.record_unfinished(prompt, "We walked and")
    session.skip(prompt)
    assert prompt.id not in session.answer_map()
    assert session.unfinished == [] and session.skipped == [prompt.id]
