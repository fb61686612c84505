"""One validation vocabulary (coach.domain.validity): every question says what is valid the same
way,
never quoting the value, and every reader of answers and names uses it."""

from __future__ import annotations

import unicodedata

import pytest
import tomli_w

from coach.answers import parse_answer_text
from coach.base.errors import DataError
from coach.content import Content
from coach.domain import checkin
from coach.domain.validity import (
    MAX_NAME_LENGTH,
    Invalid,
    Question,
    check_couple_label,
    check_name,
    clean_name,
    names_or_defaults,
    option_names_problem,
    same_names,
)

SECRET = "my very private answer"


def questions(content: Content) -> list[Question]:
    """One question of every kind coach asks: each prompt type, a check-in item, a screen one."""
    kinds: dict[str, Question] = {}
    for prompt in content.prompts.values():
        kinds.setdefault(prompt.type, prompt)
    assert set(kinds) == {"scale", "choice", "yesno", "text"}
    return [*kinds.values(), content.checkin.items[0], content.safety.screen[0]]


@pytest.mark.parametrize("value", [SECRET, 987_654, -987_654, 2.5, [SECRET], {"x": SECRET}])
def test_every_kind_of_question_says_what_is_valid_without_quoting_the_value(
    content: Content, value: object
) -> None:
    for question in questions(content):
        if question.check_value(value) is None:
            assert isinstance(value, str)  # text prompts take any short text
            continue
        invalid = question.check_value(value)
        assert isinstance(invalid, Invalid)
        assert invalid.expected == question.expected()
        message = str(invalid)
        assert question.expected() in message
        assert SECRET not in message and "987" not in message and "2.5" not in message


def test_a_value_of_the_wrong_kind_names_its_kind(content: Content) -> None:
    item = content.checkin.items[0]
    assert item.check_value("3") == Invalid(item.expected(), given="text in quotes")
    screen = content.safety.screen[0]
    assert screen.check_value(1) == Invalid("true or false (no quotes)", given="a whole number")


@pytest.mark.parametrize("score", [-1, 0, 3, 5, 6, 7, True, 2.0, "2", None])
def test_the_csi4_range_is_checked_one_way(content: Content, score: object) -> None:
    """The content's item, the scorer and the published shape agree on every score."""
    for item in content.checkin.items:
        valid = item.check_value(score) is None
        assert valid == (type(score) is int and 0 <= score <= checkin.ITEM_MAX[item.id])
        if valid:
            assert checkin.check_item(item.id, score) == score
        else:
            with pytest.raises(DataError, match=f"CSI-4 item {item.id}: "):
                checkin.check_item(item.id, score)


def test_checkin_items_say_their_end_labels(content: Content) -> None:
    item = content.checkin.items[0]
    assert item.expected() == (
        f"a whole number from 0 ({item.answers[0]}) to {item.max_score} ({item.answers[-1]})"
    )


def test_an_answer_file_and_a_session_file_word_a_bad_answer_alike(content: Content) -> None:
    from coach.domain.session import Session, now
    from coach.store.format import session_from_text, session_to_data

    prompt = content.prompts["s1.a.greeted_warmly"]
    expected = str(prompt.check_value(9))
    text = '[answers]\n"s1.a.greeted_warmly" = 9\n'
    with pytest.raises(DataError) as from_answers:
        parse_answer_text(text, "a.toml", content)
    assert f"a.toml:2: answers.s1.a.greeted_warmly: {expected}" in from_answers.value.details

    session = Session(id="x1", created=now(), partners={"a": "Sam", "b": "Alex"}, couple="c")
    session.record(prompt, 4)
    data = session_to_data(session)
    data["answers"][0]["value"] = 9
    with pytest.raises(DataError) as from_session:
        session_from_text(tomli_w.dumps(data), "x1.toml")
    assert from_session.value.message.endswith(f"answers[0].value: {expected}")


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Sam", None),
        ("  Sam  ", None),
        ("x" * MAX_NAME_LENGTH, None),
        ("", "empty"),
        ("   ", "empty"),
        ("x" * (MAX_NAME_LENGTH + 1), "too long"),
    ],
)
def test_a_name_is_1_to_60_characters_once_trimmed(name: str, problem: str | None) -> None:
    invalid = check_name(name)
    assert (invalid.problem if invalid else None) == problem
    if invalid:
        assert str(invalid) == f"{problem}: expected a name of 1 to 60 characters"


def test_a_name_that_is_not_text_says_its_kind() -> None:
    assert str(check_name(7)) == "expected a name of 1 to 60 characters; got a whole number"


def test_names_that_differ_only_in_case_or_spaces_are_the_same() -> None:
    assert same_names("Sam", " sam ")
    assert not same_names("Sam", "Alex")
    assert not same_names("Sam", None) and not same_names(None, None)


def test_couple_labels_may_be_empty_but_not_long() -> None:
    assert check_couple_label("") is None
    assert check_couple_label("x" * 200) is None
    too_long = check_couple_label("x" * 201)
    assert str(too_long) == "too long: expected a label of up to 200 characters"


SAME = "--a and --b need two different names so answers can be told apart"
SET_ASIDE = "Unicode forms, spacing and invisible characters are set aside"


@pytest.mark.parametrize(
    ("a", "b", "couple", "message"),
    [
        ("Sam", "Alex", "", None),
        (None, None, "", None),
        (" ", "Alex", "", "--a needs a name of 1 to 60 characters"),
        ("Sam", "x" * 61, "", "--b needs a name of 1 to 60 characters"),
        ("Sam", "SAM", "", f"{SAME}: they read as the same name once case, {SET_ASIDE}"),
        (
            "Jos\u00e9",
            "Jose\u0301",
            "",
            f"{SAME}: they read as the same name once case, {SET_ASIDE}",
        ),
        ("Sam", " Sam", "", f"{SAME}: they are the same name"),
        ("Sam", "Alex", "x" * 201, "--couple needs a label of up to 200 characters"),
    ],
)
def test_the_command_line_words_the_name_rules_one_way(
    a: str | None, b: str | None, couple: str, message: str | None
) -> None:
    assert option_names_problem(a, b, couple) == message


@pytest.mark.parametrize(
    "name",
    ["\u200b", " \u200b\u2060\ufeff ", "\u3164", "\u2800", "\x1b", "\u202e", "\u0301", "\u00ad"],
)
def test_a_name_of_only_invisible_characters_is_refused(name: str) -> None:
    invalid = check_name(name)
    assert invalid is not None and invalid.problem == "it has only invisible characters"
    label = check_couple_label(name)
    assert label is not None and label.problem == "it has only invisible characters"


@pytest.mark.parametrize("name", ["José", unicodedata.normalize("NFD", "José"), "Zoë", "अनि", "이"])
def test_names_in_any_script_and_normalisation_are_names(name: str) -> None:
    assert check_name(name) is None
    assert clean_name(f" {name} ") == unicodedata.normalize("NFC", name)


def test_a_name_with_bytes_that_were_not_utf8_is_refused() -> None:
    invalid = check_name("J\udcffo")
    assert str(invalid) == "it has a byte that is not UTF-8: expected a name of 1 to 60 characters"
    assert option_names_problem("J\udcffo", "Alex") == (
        "--a needs a name of 1 to 60 characters (it has a byte that is not UTF-8)"
    )
    assert check_couple_label("J\udcffo") is not None


def test_names_the_same_once_normalised_are_the_same() -> None:
    nfc, nfd = (unicodedata.normalize(form, "José") for form in ("NFC", "NFD"))
    assert nfc != nfd and same_names(nfc, nfd)
    assert same_names("Sam", "S\u200bam") and same_names("Sam", "Ｓａｍ")
    assert same_names("Mary Ann", "mary  ann")
    assert not same_names("José", "Jose")  # an accent tells names apart
    assert not same_names("कि", "का")  # and so does a vowel sign


def test_names_not_given_are_partner_a_and_b() -> None:
    assert names_or_defaults({"a": " Sam ", "b": None}) == {"a": "Sam", "b": "Partner B"}
    assert names_or_defaults() == {"a": "Partner A", "b": "Partner B"}


def test_couple_labels_match_as_names_do() -> None:
    from coach.domain.labels import same_couple, swapped

    nfd = unicodedata.normalize("NFD", "José & Sam")
    assert same_couple("José & Sam", nfd) and same_couple("Sam & José", "jos\u00e9 & S\u200bam")
    assert not same_couple("José & Sam", "Jose & Sam")
    assert swapped({"a": "Sam", "b": nfd.split(" & ")[0]}, ("José", "Sam"))
