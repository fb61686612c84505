"""The free-text risk classifier (coach.domain.risk_text): kinds, negation, idioms, the phrase
syntax,
and that coach.domain.safety.text_mentions_risk gives its verdict."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from test_risk_corpus import FRESH_FLOORS, read_corpus

from coach.content import Content
from coach.domain.lexicon import (
    KINDS,
    LexiconData,
    PhraseError,
    normalise,
    phrase_regex,
    phrase_triggers,
    read_into,
)
from coach.domain.risk_text import Classifier, Verdict, classify, load_classifier
from coach.domain.safety import text_mentions_risk

CORPUS_SETS = ("dev.tsv", "frozen.tsv", *sorted(FRESH_FLOORS))

EXAMPLES = {
    "self_harm": [
        "Sometimes I think everyone would be better off without me.",
        "I don't want to be alive anymore.",
        "Some nights I pray I won't wake up.",
        "I've been cutting again.",
    ],
    "physical_violence": [
        "He pushed me down the stairs.",
        "I sleep in the car when she rages.",
        "My husband slapped me.",
        "Alex hits me when the kids are asleep.",
        "She put her hands around my throat.",
    ],
    "threats": [
        "He said he'd kill me if I ever left.",
        "She threatened to post my photos online.",
        "He says he knows where my sister lives.",
    ],
    "coercive_control": [
        "He checks my phone every night.",
        "She won't let me see my friends.",
        "He takes my paycheck.",
        "Alex checks my phone every night.",
        "I'm not allowed to see my family.",
    ],
    "sexual_coercion": [
        "He forced me to have sex.",
        "She doesn't stop when I say no.",
        "I feel like I don't have a choice about sex.",
    ],
}


@pytest.mark.parametrize(
    ("kind", "text"), [(kind, text) for kind, texts in EXAMPLES.items() for text in texts]
)
def test_each_kind_is_recognised(kind: str, text: str) -> None:
    assert classify(text) == Verdict(True, kind)


@pytest.mark.parametrize(
    "text",
    [
        "He has never hit me.",
        "She would never hurt me.",
        "He's never once raised a hand to me.",
        "I'm not scared of him at all.",
        "He doesn't check my phone, we trust each other.",
        "Nobody controls my money but me.",
        "I don't want to die, I want things to get better.",
    ],
)
def test_a_negated_phrase_does_not_count(text: str) -> None:
    assert classify(text) == Verdict(False, None)


def test_a_negation_reaches_only_its_own_clause() -> None:
    assert classify("He has never hit me, but he threatened to kill me.").kind == "threats"
    assert classify("I don't know why he hits me.").kind == "physical_violence"
    # A cue written into the phrase is part of it, not a negation of it.
    assert classify("He won't let me see my friends.").kind == "coercive_control"


@pytest.mark.parametrize(
    "text",
    [
        "The film killed me.",
        "I'm dying to tell you.",
        "I could kill for a coffee.",
        "She's killing it at work.",
        "That joke slayed me.",
        "I nearly killed myself laughing.",
        "I cut myself shaving.",
        "He beat me at chess.",
        "My phone died.",
        "My back hurts me when I run.",
    ],
)
def test_idioms_do_not_count(text: str) -> None:
    assert classify(text) == Verdict(False, None)


def test_an_idiom_does_not_hide_a_disclosure_beside_it() -> None:
    assert classify("The film killed me, but he hits me.").kind == "physical_violence"


def test_a_text_of_several_kinds_gets_one_kind_self_harm_first() -> None:
    assert KINDS[0] == "self_harm"
    assert classify("He hits me and I want to die.") == Verdict(True, "self_harm")
    assert classify("He checks my phone and he hits me.").kind == "physical_violence"


@pytest.mark.parametrize(
    "text",
    ["HE CHECKS MY PHONE", "He won’t let me see my friends", "he—hits me", "self-harm", "  "],
)
def test_case_curly_apostrophes_and_punctuation_do_not_matter(text: str) -> None:
    assert classify(text).risk is bool(text.strip())


def test_text_mentions_risk_gives_the_classifier_s_verdict(content: Content) -> None:
    assert text_mentions_risk(content.safety, "He checks my phone every night.")
    assert not text_mentions_risk(content.safety, "She checks the weather every morning.")
    assert not text_mentions_risk(content.safety, "The film killed me.")


def small(patterns: dict[str, list[str]], **extra: object) -> Classifier:
    lexicon = LexiconData()
    document = 'version = 1\n[negation]\ncues = ["(never|not)"]\nboundaries = ["but"]\n'
    read_into(lexicon, "base.toml", document, packaged=True)
    for kind, phrases in patterns.items():
        lexicon.patterns[kind].extend(phrases)
    for key, value in extra.items():
        setattr(lexicon, key, value)
    return Classifier(lexicon)


def test_phrase_syntax() -> None:
    judge = small(
        {
            "threats": ["(shouts|yells) [loudly] at me", "slap* me", "he ... me", "(a|an)? ogre"],
            "coercive_control": ["{who} hides my keys"],
        },
        words={"who": ["my (flatmate|landlord)"]},
    )
    assert judge.classify("he yells at me").kind == "threats"
    assert judge.classify("he is an ogre").kind == judge.classify("ogre").kind == "threats"
    assert judge.classify("he shouts loudly at me").kind == "threats"
    assert judge.classify("they slapped me").kind == "threats"
    assert judge.classify("he always stares at me").kind == "threats"  # a gap
    assert not judge.classify("he would never stare at me").risk  # a gap never passes a cue
    assert not judge.classify("he stares. at me").risk  # nor the end of a sentence
    assert judge.classify("my landlord hides my keys").kind == "coercive_control"
    assert not judge.classify("overyells at me").risk  # whole words only


def test_parts_joined_by_and_must_all_be_in_one_sentence() -> None:
    judge = small({"self_harm": ["(my funeral|without me) && (relieved|easier)"]})
    assert judge.classify("I picture my funeral and I feel relieved.").kind == "self_harm"
    assert judge.classify("It would be easier, really, without me").kind == "self_harm"
    assert not judge.classify("I planned my funeral. Then I felt relieved it was done.").risk
    assert not judge.classify("I picture my funeral and I'm not relieved").risk


@pytest.mark.parametrize(
    ("phrase", "problem"),
    [
        ("(a|b", 'is not closed with ")"'),
        ("[a]", "needs at least one word"),
        ("... a", "goes between words"),
        ("a {nope}", "{nope} is not a list"),
        ("ab* c", "at least three letters"),
        ("a ) b", 'unexpected ")"'),
        ("a $ b", "is not a word"),
        ("a && b", "&& joins the patterns of a kind"),
    ],
)
def test_a_bad_phrase_says_why(phrase: str, problem: str) -> None:
    with pytest.raises(PhraseError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        phrase_regex(phrase, {})


def test_normal_form() -> None:
    # Lower case, with a ~ before a word that was written with a capital (for {Name}).
    assert normalise("He’s  HERE—now,  ok?") == "~he's here now , ok?"
    assert normalise("i told Jordan: I fell ~ OK") == "i told ~jordan : i fell ok"


def test_a_name_is_a_capitalised_word_that_is_not_in_not_name() -> None:
    judge = small(
        {"physical_violence": ["{Name} (shoved|shoves) me", "(scared|afraid) of {Name}"]},
        words={"not_name": ["(when|the)"]},
    )
    assert judge.classify("Jordan shoved me into the door.").kind == "physical_violence"
    assert judge.classify("Last week Dana shoves me, again").risk
    assert judge.classify("I'm scared of Riley.").risk
    assert not judge.classify("jordan shoved me").risk  # no capital: not read as a name
    assert not judge.classify("When shoved me").risk  # a word of not_name
    assert not judge.classify("Jordan never shoved me").risk  # "never ... me" is not the phrase
    assert not judge.classify("Jordan has not shoved me").risk


def test_a_name_in_a_list_and_its_triggers() -> None:
    words = {"subj": ["he", "{Name}"], "not_name": ["the"]}
    judge = small({"coercive_control": ["{subj} ... reads my (diary|texts)"]}, words=words)
    assert judge.classify("Sam always reads my diary").risk
    assert judge.classify("he reads my texts").risk
    assert not judge.classify("The teacher reads my diary").risk
    assert phrase_triggers("{subj} ... reads my (diary|texts)", words) == {"reads"}
    assert phrase_triggers("(slap*|hit) [really] me", {}) == {"slap*", "hit"}
    assert phrase_triggers("{subj} (slaps|hits)", words) == {"slaps", "hits"}  # not "he"


def test_the_trigger_words_change_no_verdict() -> None:
    """A pattern is tried only on a text holding one of its trigger words; on every line of
    the corpus the verdicts are those of trying every pattern of every kind in order."""
    judge = load_classifier(None)
    every = [(kind, [re.compile(r) for r in regexes]) for kind, regexes in judge.patterns]
    for name in CORPUS_SETS:
        for _, text in read_corpus(name):
            assert judge.classify(text) == every_pattern(judge, every, text), text


def every_pattern(
    judge: Classifier, every: list[tuple[str, list[re.Pattern[str]]]], text: str
) -> Verdict:
    plain = normalise(text)
    if judge.idioms is not None:
        plain = judge.idioms.sub(" . ", plain)
    sentences = re.split(r"[.!?]+", plain)
    for kind in KINDS:
        for of_kind, found in every:
            if of_kind == kind and any(all(judge._found(p, s) for p in found) for s in sentences):
                return Verdict(True, kind)
    return Verdict(False, None)


def test_compiled_on_first_use_not_on_import() -> None:
    probe = (
        "import coach.domain.safety, coach.domain.risk_text as r\n"
        "assert not r._compiled\n"
        "r.classify('he hits me')\n"
        "assert len(r._compiled) == 1"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, timeout=60)
