"""coach.answers on its own: where keys are, what blank means, merging, and the session built."""

from __future__ import annotations

from importlib import resources

from coach.answers import (
    AnswerSet,
    check_answer_set,
    key_lines,
    merge,
    parse_answer_text,
    read_answer_text,
    session_from_answers,
)
from coach.base.document import Problem
from coach.content import Content
from coach.domain.session import prompts_for


def read(text: str, content: Content, name: str = "f.toml") -> tuple[AnswerSet, list[Problem]]:
    return read_answer_text(text, name, content)


def test_key_lines_follow_quoted_dotted_and_nested_keys() -> None:
    text = (
        "steps = [1]\n"  # 1
        "[answers]\n"  # 2
        '"s1.a.greeted_warmly" = 4\n'  # 3
        's1.a.offered_touch = """\n'  # 4
        "x = 1 inside a text answer\n"  # 5
        '"""\n'  # 6
        "[answers.s1.b]\n"  # 7
        "felt_safe = 5  # a comment\n"  # 8
        "[partners]\n"  # 9
        "  'a' = \"Sam\"\n"  # 10
    )
    lines = key_lines(text)
    assert lines["steps"] == 1
    assert lines["answers.s1.a.greeted_warmly"] == 3
    assert lines["answers.s1.a.offered_touch"] == 4
    assert "answers.x" not in lines  # inside a multi-line string
    assert lines["answers.s1.b.felt_safe"] == 8
    assert lines["partners.a"] == 10


def test_nested_tables_are_read_like_quoted_keys(content: Content) -> None:
    answers, problems = read("[answers.s1.a]\ngreeted_warmly = 4\ngreted = 2\n", content)
    assert answers.answers == {"s1.a.greeted_warmly": 4}
    assert problems == [
        Problem(
            "f.toml",
            3,
            "answers.s1.a.greted",
            'unknown prompt id (did you mean "s1.a.greeted_warmly"?)',
        )
    ]


def test_blank_means_not_answered_but_an_unknown_blank_key_is_still_reported(
    content: Content,
) -> None:
    text = '[answers]\n"s1.a.greeted_warmly" = ""\n"s1.a.nope" = ""\n"s1.a.moment" = ""\n'
    answers, problems = read(text, content)
    assert answers.answers == {}
    assert set(answers.blank) == {"answers.s1.a.greeted_warmly", "answers.s1.a.moment"}
    assert [p.key for p in problems] == ["answers.s1.a.nope"]
    missing = {p.key: p for p in check_answer_set(answers, content)}
    assert missing["answers.s1.a.greeted_warmly"].line == 2
    assert missing["answers.s1.a.greeted_warmly"].message.startswith("not answered yet")
    assert "answers.s1.a.moment" not in missing  # optional: blank is fine


def test_an_invalid_value_is_not_also_reported_missing(content: Content) -> None:
    answers, problems = read('steps = [1]\n[answers]\n"s1.a.greeted_warmly" = 0\n', content)
    assert [p.key for p in problems] == ["answers.s1.a.greeted_warmly"]
    missing = [p.key for p in check_answer_set(answers, content)]
    assert "answers.s1.a.greeted_warmly" not in missing
    assert "answers.s1.a.offered_touch" in missing


def test_blank_partner_names_fall_back_to_defaults(content: Content) -> None:
    answers, problems = read('steps = [1]\n[partners]\na = ""\nb = "Alex"\n', content)
    assert problems == []
    assert answers.partners == {"b": "Alex"}
    session = session_from_answers(answers, content)
    assert session.partners == {"a": "Partner A", "b": "Alex"}


def test_merge_keeps_each_answer_and_where_it_came_from(content: Content) -> None:
    first, _ = read('steps = [1]\n[answers]\n"s1.a.greeted_warmly" = 4\n', content, "a.toml")
    second, _ = read('steps = [1]\n[answers]\n"s1.b.felt_safe" = 2\n', content, "b.toml")
    merged, problems = merge([first, second])
    assert problems == []
    assert merged.answers == {"s1.a.greeted_warmly": 4, "s1.b.felt_safe": 2}
    assert merged.steps == [1]
    assert str(merged.origin["answers.s1.b.felt_safe"]) == "b.toml (line 3)"
    missing = check_answer_set(merged, content)
    assert missing and all(p.file == "a.toml, b.toml" for p in missing)


def test_the_session_records_answers_in_the_order_a_session_asks(content: Content) -> None:
    text = resources.files("coach.content").joinpath("demo.toml").read_text(encoding="utf-8")
    answers = parse_answer_text(text, "demo.toml", content)
    session = session_from_answers(answers, content, a="Kim", couple="K")
    order = [p.id for p in prompts_for(content, session.steps) if p.id in answers.answers]
    assert [a.prompt_id for a in session.answers] == order
    assert session.partners == {"a": "Kim", "b": "Alex"}
    assert session.couple == "K"
