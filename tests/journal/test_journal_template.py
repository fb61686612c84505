"""`coach template`: every prompt of a session, as a TOML file to fill in or as JSON."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from journal_helpers import invoke, template_parts

from coach.content import Content
from coach.domain.session import prompts_for

KEY_LINE = re.compile(r'^(# )?"([^"]+)" = ""$', re.MULTILINE)


def key_lines(text: str) -> dict[str, bool]:
    """Key -> whether it is commented out (optional)."""
    return {m.group(2): bool(m.group(1)) for m in KEY_LINE.finditer(text)}


def test_toml_template_lists_every_prompt_with_required_keys_blank(content: Content) -> None:
    text, _ = template_parts()
    keys = key_lines(text)
    for prompt in content.prompts.values():
        assert prompt.id in keys, prompt.id
        assert keys[prompt.id] is (not prompt.required), prompt.id
    parsed = tomllib.loads(text)
    required = [p.id for p in content.prompts.values() if p.required]
    assert sorted(parsed["answers"]) == sorted(required)
    assert set(parsed["answers"].values()) == {""}
    assert parsed["steps"] == [1, 2, 3, 4, 5]
    assert parsed["partners"] == {"a": "", "b": ""}


def test_toml_template_for_both_has_no_check_and_says_how_to_get_each(content: Content) -> None:
    text, prompts = template_parts()
    keys = key_lines(text)
    parsed = tomllib.loads(text)
    assert "check" not in parsed and "safety" not in parsed
    assert not any(p["section"] == "check" for p in prompts)
    comments = " ".join(line[2:] for line in text.splitlines() if line.startswith("# "))
    assert "each partner answers it alone, in a file of their own" in comments
    assert "coach template --partner a --check-only > a-check.toml" in text
    assert "coach template --partner b --check-only > b-check.toml" in text
    assert parsed["checkin"] == {}
    for partner in "ab":
        for item in content.checkin.items:
            assert keys[f"{partner}.{item.id}"] is True  # commented out: optional


def test_each_question_is_a_comment_above_its_key_with_what_is_valid(content: Content) -> None:
    text, _ = template_parts("--a", "Sam", "--b", "Alex")
    greeting = content.prompts["s1.a.greeted_warmly"]
    block = text.split('"s1.a.greeted_warmly" = ""')[0].rsplit("\n\n", 1)[1]
    question = " ".join(line.lstrip("# ").strip() for line in block.splitlines())
    assert greeting.render_text({"a": "Sam", "b": "Alex"}) in question
    assert "a whole number from 1 (rarely) to 5 (almost every time)" in question
    assert "secure pattern: 5" in question
    choice_block = text.split('"s1.b.turned_toward" = ""')[0].rsplit("\n\n", 1)[1]
    assert re.search(r'"toward"\s+Turned toward: .*\(secure pattern\)', choice_block)
    assert '"against"' in choice_block
    yesno_block = text.split('"s1.a.bid_for_connection" = ""')[0].rsplit("\n\n", 1)[1]
    assert "true or false" in yesno_block and "secure pattern: true" in yesno_block
    escalated = text.split('"s3.a.escalated" = ""')[0].rsplit("\n\n", 1)[1]
    assert "secure pattern: 1" in escalated  # a scale whose secure end is low


def test_names_are_filled_in_and_used_in_questions() -> None:
    text, prompts = template_parts("--a", "Sam", "--b", "Alex")
    assert tomllib.loads(text)["partners"] == {"a": "Sam", "b": "Alex"}
    assert "Partner B" not in text
    greeting = next(p for p in prompts if p["key"] == "s1.a.greeted_warmly")
    assert "Alex" in greeting["text"]


def test_steps_without_the_conflict_step_have_no_screen(content: Content) -> None:
    text, prompts = template_parts("--steps", "1,2,5")
    parsed = tomllib.loads(text)
    assert parsed["steps"] == [1, 2, 5]
    assert "safety" not in parsed
    expected = {p.id for p in prompts_for(content, [1, 2, 5])}
    assert {p["key"] for p in prompts if p["section"] == "answers"} == expected
    assert not any(p["section"] == "safety" for p in prompts)


def test_partner_template_holds_only_that_partners_keys() -> None:
    text, prompts = template_parts("--partner", "b")
    parsed = tomllib.loads(text)
    assert parsed["partners"] == {"b": ""}
    assert all(p["partner"] == "b" for p in prompts)
    assert all(k.startswith("b.") for k in parsed["check"])
    assert all(".b." in k for k in parsed["answers"])


def test_partner_template_starts_with_their_whole_check_and_says_why(content: Content) -> None:
    from coach.content.check_files import load_check

    check = load_check()
    text, prompts = template_parts("--partner", "a", "--a", "Sam", "--b", "Alex")
    keys = key_lines(text)
    required = [f"a.{i.id}" for i in check.items] + ["a.today"]
    assert list(tomllib.loads(text)["check"]) == required  # every item, then the choice
    assert all(keys[k] is False for k in required)  # required: ""
    assert keys[f"a.{check.acuity.id}"] is True  # the acuity question: optional
    assert text.index("[check]") < text.index("[checkin]") < text.index("[answers]")
    why = " ".join(line[2:] for line in text.split("[check]")[0].splitlines()[-12:])
    assert "Sam, this is your private check" in why and "where Alex cannot see" in why
    assert "refuses a check in a file that holds the other partner's answers" in why
    entries = [p for p in prompts if p["section"] == "check"]
    assert [e["key"] for e in entries][: len(check.items)] == [f"a.{i.id}" for i in check.items]
    today = next(e for e in entries if e["key"] == "a.today")
    assert [c["value"] for c in today["choices"]] == ["full", "short", "stop"]
    assert all(e["secure_answer"] is None for e in entries)  # a check has no right answer
    hurt = next(e for e in entries if e["key"] == "a.hurt")
    assert "Alex" in hurt["text"] and "{other}" not in hurt["text"]


def test_check_only_template_holds_the_check_alone() -> None:
    text, prompts = template_parts("--partner", "b", "--check-only")
    parsed = tomllib.loads(text)
    assert set(parsed) == {"partners", "check"}  # no steps: it goes beside a file for both
    assert {p["section"] for p in prompts} == {"check"}
    outcome = invoke("template", "--check-only")
    assert outcome.code == 2 and "--check-only needs --partner a or b" in outcome.stderr


def test_names_in_comments_are_neutralised(tmp_path: Path) -> None:
    """A name with a control character or a newline can neither break the file nor write a
    line of it: in comments it is shown escaped; the [partners] value is a TOML string."""
    for options in (("--partner", "a"), ()):
        text, _ = template_parts(
            *options, "--a", 'Sam\x1b[2J\n"a.today" = "full"', "--b", "A\u202eB"
        )
        parsed = tomllib.loads(text)  # still valid TOML: no raw control character in a comment
        assert parsed["partners"]["a"] == 'Sam\x1b[2J\n"a.today" = "full"'
        assert "\x1b" not in text and "\u202e" not in text
        assert 'Sam\\x1b[2J\\x0a"a.today" = "full"' in text
        if options:
            assert parsed["check"]["a.today"] == ""  # the name wrote no answer


def test_json_template_describes_every_prompt_type(content: Content) -> None:
    _, prompts = template_parts()
    by_key = {p["key"]: p for p in prompts}
    for prompt in content.prompts.values():
        entry = by_key[prompt.id]
        assert entry["section"] == "answers"
        assert (entry["type"], entry["step"], entry["partner"]) == (
            prompt.type,
            prompt.step,
            prompt.partner,
        )
        assert entry["required"] is prompt.required
        assert entry["secure"] == prompt.secure
        if prompt.type == "scale":
            assert (entry["min"], entry["max"]) == (prompt.min, prompt.max)
            end = prompt.max if prompt.secure == "high" else prompt.min
            assert entry["secure_answer"] == end
        elif prompt.type == "choice":
            assert [c["value"] for c in entry["choices"]] == list(prompt.choice_values())
            assert entry["secure_answer"] == prompt.secure
        elif prompt.type == "yesno":
            assert entry["secure_answer"] is (prompt.secure == "yes")
        else:
            assert entry["secure_answer"] is None
    checkin = [p for p in prompts if p["section"] == "checkin"]
    items = [p for p in checkin if p["type"] == "scale"]
    assert {(p["min"], p["max"]) for p in items} == {(0, 6), (0, 5)}
    # Each partner's private yes or no to showing their total to both: a key of its own.
    shared = [p for p in checkin if p["type"] == "yesno"]
    assert sorted(p["key"] for p in shared) == ["a.shared", "b.shared"]
    assert all(p["required"] is False for p in checkin)


def test_template_needs_no_data_directory(coach_home: Path) -> None:
    outcome = invoke("template")
    assert outcome.code == 0
    assert not coach_home.exists()


def test_bad_template_options_are_usage_errors() -> None:
    for args, words in (
        (["--format", "yaml"], "--format must be one of toml, json"),
        (["--steps", "0,9"], "--steps"),
        (["--partner", "c"], "--partner must be a, b or both"),
        (["--a", "Sam", "--b", "sam"], "two different names"),
    ):
        outcome = invoke("template", *args)
        assert outcome.code == 2, args
        assert words in outcome.stderr, outcome.stderr
        assert outcome.stdout == ""
