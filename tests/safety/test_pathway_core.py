"""The safety pathway's pure core: the check's content, the plan, support lines, measures."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.base.errors import DataError
from coach.content import Content
from coach.content.check_files import TOPICS, load_check, load_support, parse_check
from coach.domain.measures import load_measures, parse_measure
from coach.domain.pathway import (
    combined,
    discloses,
    forced,
    offered,
    plan_for,
    plan_line,
    planned_steps,
    reads_suicidal,
    self_harm_positive,
    short_steps,
    shorter,
    text_risk,
)
from coach.domain.support import (
    country_from_locale,
    crisis_lines,
    disclosure_lines,
    resolve_country,
)


def test_the_check_covers_every_topic_and_ends_with_the_asq() -> None:
    check = load_check()
    assert {item.topic for item in check.items} == set(TOPICS)
    asq = [i.text for i in check.self_harm_items]
    assert asq == [
        "In the past few weeks, have you wished you were dead?",
        "In the past few weeks, have you felt that you or your family would be better off if "
        "you were dead?",
        "In the past week, have you been having thoughts about killing yourself?",
        "Have you ever tried to kill yourself?",
    ]
    assert check.acuity.text == "Are you having thoughts of killing yourself right now?"
    assert all(i.source == "horowitz2012" for i in check.self_harm_items)
    # Everything else is coach's own wording: an unvalidated screen.
    assert all(i.source == "coach" for i in check.harm_items)
    text = " ".join(i.text for i in check.items).casefold()
    for words in ("children", "pet", "immigration", "photos", "phone", "money", "sexual"):
        assert words in text
    assert "Ctrl-Q" in check.intro


def test_a_check_file_problem_names_the_file_and_key() -> None:
    good = {
        "title": "t",
        "intro": "i",
        "self_harm_lead": "l",
        "item": [
            {"id": f"x{n}", "topic": t, "source": "coach", "text": "?"}
            for n, t in enumerate(TOPICS)
        ],
        "acuity": {"id": "now", "source": "coach", "text": "?"},
        "choice": {"question": "q", "full": "f", "short": "s", "stop": "x"},
        "reply": {
            "title": "t",
            "disclosed": "d",
            "text": "x",
            "crisis": "c",
            "acute": "a",
            "forced": "f",
        },
    }
    assert len(parse_check(good, set()).items) == len(TOPICS)
    bad = {**good, "item": [{**good["item"][0], "topic": "weather"}]}  # type: ignore[dict-item]
    with pytest.raises(DataError, match=r"^check.toml: item\[0\].topic: \"weather\" is not one of"):
        parse_check(bad, set())
    unknown = {**good, "acuity": {"id": "now", "source": "nobody2001", "text": "?"}}
    with pytest.raises(DataError, match=r"^check.toml: acuity.source: "):
        parse_check(unknown, set())


def test_the_shorter_choice_wins_and_a_disclosure_forces_short() -> None:
    assert shorter("full", "short") == "short" == shorter("short", "full")
    assert shorter("short", "stop") == "stop"
    assert combined(["full", "full"]) == "full"
    assert combined(["full", "short"]) == "short"
    assert combined(["stop", "full"]) == "stop"
    assert forced("full", disclosed=True) == "short"
    assert forced("stop", disclosed=True) == "stop"
    assert forced("full", disclosed=False) == "full"
    assert offered(True) == ("short", "stop")
    assert offered(False) == ("full", "short", "stop")


def test_a_short_session_leaves_out_conflict_and_co_regulation() -> None:
    assert short_steps([1, 2, 3, 4, 5]) == [1, 2, 5]
    assert planned_steps([1, 2, 3, 4, 5], "short") == [1, 2, 5]
    assert planned_steps([2, 3], "full") == [2, 3]
    assert plan_for([3, 4], "short") == "stop"  # nothing left: a stop
    assert plan_for([3, 5], "short") == "short"
    assert planned_steps([1, 2], "stop") == []


def test_the_plan_line_never_says_whose_choice() -> None:
    line = plan_line("short", [1, 2, 3, 4, 5])
    assert line == "Today's plan: a short session, steps 1, 2 and 5."
    assert plan_line("full", [1, 2, 3, 4, 5]) == (
        "Today's plan: the full session, steps 1, 2, 3, 4 and 5."
    )
    assert plan_line("stop", [1]).startswith("One of you chose to stop for today.")


def test_disclosure_and_self_harm_answers() -> None:
    check = load_check()
    none = {item.id: False for item in check.items}
    assert not discloses(check, none)
    assert discloses(check, {**none, "monitored": True})
    assert discloses(check, {})  # unanswered counts as a yes
    assert not self_harm_positive(check, {**none, "hurt": True})
    assert self_harm_positive(check, {**none, "asq_tried": True})


def test_text_risk_is_one_function_with_a_kind(content: Content) -> None:
    assert text_risk(content, "We went for a walk.") == (False, None)
    assert text_risk(content, "I want to die.") == (True, "self_harm")
    assert text_risk(content, "He hits me.")[0]
    assert reads_suicidal(content, "I think about suicide")
    assert not reads_suicidal(content, "He hits me.")


def test_country_from_the_environment_and_setting() -> None:
    assert country_from_locale({"LANG": "en_GB.UTF-8"}) == "GB"
    assert country_from_locale({"LC_ALL": "C", "LANG": "en_US.UTF-8"}) is None
    assert resolve_country({"LANG": "en_US.UTF-8"}, "gb-sct") == "GB-SCT"
    assert resolve_country({"COACH_COUNTRY": "us", "LANG": "en_GB.UTF-8"}, "GB") == "US"
    assert resolve_country({}, None) is None


def test_support_lines_for_a_country_first_and_every_line_when_unknown() -> None:
    support = load_support()
    us = disclosure_lines(support, "US")
    assert us[0].startswith("In immediate danger in the US")
    assert any("text START to 88788" in line for line in us)
    assert not any("0808" in line for line in us)
    assert us[-1].startswith("Elsewhere: findahelpline.com")
    gb = " ".join(disclosure_lines(support, "GB"))
    for number in ("0808 2000 247", "0800 027 1234", "0808 80 10 800", "0808 801 0327", "116 123"):
        assert number in gb
    scotland = " ".join(disclosure_lines(support, "GB-SCT"))
    assert "0800 027 1234" in scotland and "0808 80 10 800" not in scotland
    unknown = disclosure_lines(support, None)
    assert unknown == disclosure_lines(support, "XX") == [line.text for line in _ordered(support)]


def _ordered(support):  # type: ignore[no-untyped-def]
    order = ("emergency", "abuse", "crisis", "anywhere")
    return sorted(support.lines, key=lambda line: order.index(line.kind))


def test_the_crisis_reply_puts_the_emergency_number_first() -> None:
    support = load_support()
    lines = crisis_lines(support, None)
    emergency = [i for i, line in enumerate(lines) if "immediate danger" in line]
    at = {
        key: next(i for i, line in enumerate(lines) if key in line)
        for key in ("988", "116 123", "findahelpline.com")
    }
    assert max(emergency) < at["988"] < at["116 123"] < at["findahelpline.com"]
    assert crisis_lines(support, "US")[:2] == [
        "In immediate danger in the US: call 911.",
        "988 Suicide & Crisis Lifeline (US): call or text 988.",
    ]


MEASURE = """
name = "A licensed screen"
citation = "Someone et al. 2001"
permission = "Licensed to the clinic"
cutoff = 2

[[item]]
id = "one"
text = "Has {other} ...?"
answers = ["No", "Yes"]

[[item]]
id = "two"
text = "How often ...?"
answers = ["Never", "Sometimes", "Often"]
scores = [0, 1, 3]
"""


def test_a_measure_scores_against_its_cutoff(coach_home: Path) -> None:
    folder = coach_home / "measures"
    folder.mkdir(parents=True)
    (folder / "screen.toml").write_text(MEASURE, encoding="utf-8")
    (measure,) = load_measures(coach_home)
    assert measure.file == "measures/screen.toml"
    assert not measure.positive({"one": 0, "two": 1})
    assert measure.positive({"one": 1, "two": 1})
    assert measure.positive({"one": 0, "two": 2})
    assert measure.positive({})  # unanswered: stay safe


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cutoff": 9}, r"^measures/x.toml: cutoff: must be from 1 to 4"),
        ({"colour": "red"}, r"^measures/x.toml: colour: unknown key"),
        (
            {"item": [{"id": "a", "text": "?", "answers": ["one"]}]},
            r"^measures/x.toml: item\[0\].answers: must be a list of two or more",
        ),
        (
            {"item": [{"id": "a", "text": "?", "answers": ["n", "y"], "scores": [0]}]},
            r"^measures/x.toml: item\[0\].scores: needs one score per answer",
        ),
    ],
)
def test_a_measure_problem_is_one_line_naming_file_and_key(
    change: dict[str, object], message: str
) -> None:
    import tomllib

    data = tomllib.loads(MEASURE) | change
    with pytest.raises(DataError, match=message):
        parse_measure(data, "measures/x.toml")


def test_no_measures_folder_means_no_measures(coach_home: Path) -> None:
    assert load_measures(coach_home) == ()
