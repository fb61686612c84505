"""The summary a couple reads: every sentence with its own label, no reason against its reading,
who is where, and whose answers each partner's result reads.

Five answer sets, as in issue 11: the demo, all most-secure, all least-secure, warm steps 1-2
with an escalating conflict, and one partner secure with the other strained.
"""

from __future__ import annotations

import io
import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from rich.console import Console

from coach.content import AnswerValue, Content, Prompt
from coach.render.summary import (
    LABEL_THRESHOLD,
    _agreement_panel,
    _targets_section,
    agreement,
    answer_words,
    reading_sections,
    who_is_where,
)
from coach.rules import Inference, RulePack, infer
from tests.rules.conftest import answers_with, insecure_value, secure_value

NAMES = {"a": "Sam", "b": "Alex"}
DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def demo_answers() -> dict[str, AnswerValue]:
    text = resources.files("coach.content").joinpath("demo.toml").read_text(encoding="utf-8")
    answers: dict[str, AnswerValue] = tomllib.loads(text)["answers"]
    return answers


def warm_then_escalating(prompt: Prompt) -> AnswerValue | None:
    if prompt.step in (1, 2):
        return secure_value(prompt)
    if prompt.name == "escalated":
        return prompt.max
    return insecure_value(prompt)


def a_secure_b_strained(prompt: Prompt) -> AnswerValue | None:
    return secure_value(prompt) if prompt.partner == "a" else insecure_value(prompt)


SETS = ("demo", "most_secure", "least_secure", "warm_then_escalating", "a_secure_b_strained")


def answer_set(name: str, content: Content) -> dict[str, AnswerValue]:
    pickers = {
        "most_secure": secure_value,
        "least_secure": insecure_value,
        "warm_then_escalating": warm_then_escalating,
        "a_secure_b_strained": a_secure_b_strained,
    }
    return demo_answers() if name == "demo" else answers_with(content, pickers[name])


def render(renderable: object, width: int = 100) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, no_color=True, color_system=None).print(renderable)
    return " ".join(buffer.getvalue().split())  # one line: wrapping must not hide a match


def mislabelled(text: str, pack: RulePack) -> tuple[int, int]:
    """(sentences shown, sentences shown with a label other than their rule's own)."""
    shown = wrong = 0
    for because in {r.because for r in pack.rules}:
        labels = {r.evidence for r in pack.rules if r.because == because}
        for match in re.finditer(re.escape(because) + r" Evidence: (\w+)(?: \([^)]*\))?\.", text):
            shown += 1
            wrong += match.group(1) not in labels
    return shown, wrong


@pytest.mark.parametrize("name", SETS)
def test_every_sentence_carries_its_own_rules_label(
    name: str, content: Content, default_pack: RulePack
) -> None:
    inference = infer(default_pack, answer_set(name, content))
    text = render(_targets_section(inference, content, NAMES, 100))
    shown, wrong = mislabelled(text, default_pack)
    assert shown >= 10 and wrong == 0, (shown, wrong)
    assert "seed" not in text.lower()  # plain words: no internal names reach the couple
    assert not re.search(r"= (active|passive)_|_(constructive|destructive)\b", text)
    # Every rule sentence on the page is followed by a label: none is left bare.
    for rule in default_pack.rules:
        assert text.count(rule.because) == text.count(rule.because + " Evidence:"), rule.id


@pytest.mark.parametrize("name", SETS)
def test_no_reason_stands_against_its_reading(
    name: str, content: Content, default_pack: RulePack
) -> None:
    inference = infer(default_pack, answer_set(name, content))
    for target in content.targets:
        result = inference.couple[target.id]
        sections = reading_sections(result, (target.positive, target.negative))
        if abs(result.score) >= LABEL_THRESHOLD:
            heading, first = sections[0]
            assert heading.startswith("Why"), (target.id, heading)
            assert all(f.weight * result.score > 0 for f in first), target.id
            assert all(len(rules) <= 2 for _, rules in sections)
        elif sections:
            assert sections[0][0].startswith("Little sign either way")
            signs = {f.weight > 0 for f in result.fired}
            assert len(sections) == len(signs), target.id  # both sides when both pulled


def test_escalation_in_a_warm_session_is_shown_where_it_pulls(
    content: Content, default_pack: RulePack
) -> None:
    """Issue 11: "escalated = 4" from both in an otherwise warm session. The escalation reason
    must sit under "Pulling the other way" (or the reading it supports), never under "calmer"."""
    answers = answers_with(content, secure_value)
    answers["s3.a.escalated"] = answers["s3.b.escalated"] = 4
    inference = infer(default_pack, answers)
    amygdala = content.target("amygdala")
    result = inference.couple["amygdala"]
    sections = reading_sections(result, (amygdala.positive, amygdala.negative))
    for heading, rules in sections:
        if any(f.rule_id in ("s3_a_escalated", "s3_b_escalated") for f in rules):
            assert "more reactive" in heading
        if heading.startswith("Why") and "calmer" in heading:
            assert all(f.weight > 0 for f in rules)


def test_a_neutral_reading_says_what_balanced_it(content: Content, default_pack: RulePack) -> None:
    inference = infer(default_pack, demo_answers())
    text = render(_targets_section(inference, content, NAMES, 100))
    assert 'Little sign either way: toward "likely calmer":' in text
    assert 'balanced by, toward "likely more reactive":' in text


def test_answers_are_shown_in_words_with_whose_they_are(
    content: Content, default_pack: RulePack
) -> None:
    inference = infer(default_pack, demo_answers())
    text = render(_targets_section(inference, content, NAMES, 100))
    assert '(Alex, celebrated news: Quiet support ("that\'s nice"))' in text
    assert "passive_constructive" not in text
    assert "(Sam, escalated: 4 of 5)" in text  # Sam's answer moves Sam's reading only
    turned = content.prompts["s1.b.turned_toward"]
    assert answer_words(turned, "toward") == "Turned toward: I responded with interest"
    assert answer_words(content.prompts["s1.a.offered_touch"], 5) == "5 of 5 (a lot)"


def test_what_a_reading_rests_on_is_said_in_words_only_when_answers_are_missing(
    content: Content, default_pack: RulePack
) -> None:
    answers = answers_with(content, secure_value)
    full = render(_targets_section(infer(default_pack, answers), content, NAMES, 100))
    assert "This rests on" not in full
    del answers["s3.a.escalated"]
    partial = render(_targets_section(infer(default_pack, answers), content, NAMES, 100))
    # 3 of the 4 prompts behind it answered (confidence 0.75): "most", never "75%".
    assert (
        "This rests on most of your answers behind it: some questions behind it went unanswered"
        in partial
    )
    assert not re.search(r"\d+%|[Cc]onfidence \d", partial)
    assert not re.search(r"[+-]\d\.\d\d", partial)  # no two-decimal score either


def test_disagreement_says_who_is_where(content: Content, default_pack: RulePack) -> None:
    inference: Inference = infer(default_pack, answer_set("a_secure_b_strained", content))
    _, differ = agreement(inference)
    assert differ
    text = render(_agreement_panel(inference, content, NAMES), width=200)
    for target_id in differ:
        a, b = inference.a[target_id].label, inference.b[target_id].label
        assert who_is_where(inference, target_id, NAMES) == f"Sam {a}, Alex {b}"
        assert f"{content.target(target_id).name}: Sam {a}, Alex {b}" in text


def documented_cross_partner_rules() -> set[tuple[str, str]]:
    section = DOCS.read_text(encoding="utf-8").split("### Whose answers a partner's result reads")[
        1
    ]
    rows = re.findall(r"^\| `(\w+)` \| ([AB](?: and [AB])?) \|", section, re.MULTILINE)
    return {(rule_id, p.lower()) for rule_id, partners in rows for p in partners.split(" and ")}


def test_the_docs_list_exactly_the_rules_that_read_the_other_partners_answers(
    default_pack: RulePack,
) -> None:
    """Per-partner results: the choice is pinned. A partner's result reads their own answers,
    except for the rules docs/rules.md lists, each with its reason."""
    actual = set()
    for rule in default_pack.rules:
        for partner, other in (("a", "b"), ("b", "a")):
            moves = any(rule.weight(t, partner) for t in rule.targets)  # type: ignore[arg-type]
            if moves and any(p.split(".")[1] == other for p in rule.traces):
                actual.add((rule.id, partner))
    assert actual == documented_cross_partner_rules()


def test_a_rule_that_reads_one_partner_moves_that_partners_reading_only(
    default_pack: RulePack,
) -> None:
    """Issue 21: each partner's reading is their own. For every default rule whose condition
    (with the facts it uses) names only one partner's answers, every effect is on that partner."""
    checked = 0
    for rule in default_pack.rules:
        readers = {p.split(".")[1] for p in rule.traces}
        if len(readers) != 1 or not rule.effects:
            continue
        [reader] = readers
        checked += 1
        assert {e.partner for e in rule.effects} == {reader}, rule.id
        other = "b" if reader == "a" else "a"
        assert not any(rule.weight(t, other) for t in rule.targets), rule.id  # type: ignore[arg-type]
    assert checked >= 50  # nearly every rule reads one partner: the test covers them


def test_one_partners_escalation_leaves_the_other_partners_reading_alone(
    content: Content, default_pack: RulePack
) -> None:
    answers = answers_with(content, secure_value)
    calm = infer(default_pack, answers)
    answers["s3.a.escalated"] = 5
    escalated = infer(default_pack, answers)
    assert escalated.a["amygdala"].score < calm.a["amygdala"].score
    # B's reading loses only the calm both had reported, never A's escalation itself.
    assert not any(f.rule_id == "s3_a_escalated" for f in escalated.b["amygdala"].fired)
    assert escalated.b["amygdala"].score > escalated.a["amygdala"].score


def test_a_partner_who_answered_securely_reads_the_other_only_through_listed_rules(
    content: Content, default_pack: RulePack
) -> None:
    inference = infer(default_pack, answer_set("a_secure_b_strained", content))
    listed = {rule_id for rule_id, partner in documented_cross_partner_rules() if partner == "a"}
    for result in inference.a.values():
        for fired in result.fired:
            if fired.weight < 0:
                assert fired.rule_id in listed, fired.rule_id


def test_the_same_sentence_for_both_partners_is_shown_once_with_both_answers(
    content: Content, default_pack: RulePack
) -> None:
    inference = infer(default_pack, demo_answers())
    text = render(_targets_section(inference, content, NAMES, 100))
    commitment = default_pack.rule("s5_a_committed").because
    assert text.count(commitment) == 1
    assert "Sam, committed: 5 of 5 (completely); Alex, committed: 5 of 5 (completely)" in text


@pytest.mark.parametrize("width", [40, 80])
def test_a_wrapped_reason_hangs_under_its_text_not_its_bullet(
    width: int, content: Content, default_pack: RulePack
) -> None:
    inference = infer(default_pack, demo_answers())
    buffer = io.StringIO()
    Console(file=buffer, width=width, no_color=True, color_system=None).print(
        _targets_section(inference, content, NAMES, width)
    )
    lines = buffer.getvalue().splitlines()
    bullets = [i for i, line in enumerate(lines) if line.startswith("  • ")]
    assert len(bullets) >= 10
    for start in bullets:
        following = lines[start + 1].rstrip()
        next_is_new = (
            following.startswith("  • ")  # the next reason
            or not following.startswith("  ")  # the next target
            or following.lstrip().startswith(("Why", "Pulling", "Little sign", "Confidence"))
        )
        if not next_is_new:
            assert following.startswith("    "), f"a reason wraps under its bullet: {following!r}"
