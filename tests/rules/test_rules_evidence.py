"""Labels and citations: `coach rules check` holds every rule's label to the one its claim
carries everywhere (coach.domain.claims) and to its targets, and every citation in the content and
the
packs resolves to the bibliography."""

from __future__ import annotations

import re

import pytest

from coach.base.errors import DataError
from coach.content import Content, citation_problems, labelled_texts
from coach.domain.claims import label_problems, sentence_label
from coach.domain.evidence import (
    EVIDENCE_ORDER,
    cited,
    load_references,
    parse_references,
    resolve,
)
from coach.rules import RulePack
from coach.rules.pack import check_pack_text
from tests.rules.conftest import PACK_HEADER


def one_rule(because: str, evidence: str, effects: str = "{ oxytocin = { b = 0.3 } }") -> str:
    return PACK_HEADER + (
        "\n[[rule]]\n"
        'id = "warm"\n'
        "step = 1\n"
        "when = 'a.s1.greeted_warmly >= 4'\n"
        f"effects = {effects}\n"
        f"because = {because!r}\n"
        f'evidence = "{evidence}"\n'
    )


def messages(text: str, content: Content) -> list[str]:
    return [p.message for p in check_pack_text(text, "custom.toml", content)]


def test_the_custom_pack_from_the_issue_fails_the_check(content: Content) -> None:
    because = "A warm word activates your partner's oxytocin and the mirror neuron system fires."
    found = messages(one_rule(because, "Strong"), content)
    assert any('"activates", a causal claim' in m for m in found)
    assert any("mirror-neuron account as fact" in m for m in found)
    assert any(
        "labelled Strong but moves oxytocin, whose evidence is Preliminary" in m for m in found
    )


def test_issue_21_causal_claims_in_a_pack_are_refused(content: Content) -> None:
    for because in (
        "Touch calms the amygdala.",
        "A warm greeting raises your partner's oxytocin.",
        "Touch will increase oxytocin.",
    ):
        found = messages(one_rule(because, "Unmeasured"), content)
        assert any("causal claim" in m or "a prediction" in m for m in found), because


def test_a_behavioural_rule_is_labelled_no_stronger_than_the_target_it_moves(
    content: Content,
) -> None:
    # A paper that supports Moderate, so that only the target's own evidence caps the label.
    because = "Enthusiasm for a partner's good news went with closeness (Gable et al. 2004)."
    assert messages(one_rule(because, "Moderate"), content) == [
        "is labelled Moderate but moves oxytocin, whose evidence is Preliminary (targets.toml);"
        " a rule that moves a target is labelled no stronger than that target"
    ]
    # The amygdala's evidence is Moderate, so the same sentence may move it at Moderate.
    assert messages(one_rule(because, "Moderate", "{ amygdala = { b = 0.3 } }"), content) == []


def test_a_claim_carries_the_label_of_the_papers_it_cites(content: Content) -> None:
    because = "Warm touch was linked to higher oxytocin (Holt-Lunstad et al. 2008)."
    found = messages(one_rule(because, "Moderate", "{ amygdala = { b = 0.3 } }"), content)
    assert found == [
        'evidence: conflicting labels: Moderate here, but the claim "Warm touch was linked to'
        ' higher oxytocin (Holt-Lunstad et..." carries Preliminary everywhere (it rests on'
        " Holt-Lunstad et al. 2008, which supports Preliminary)"
    ]
    # Weaker than its sources is wrong too: one claim carries one label everywhere.
    found = messages(one_rule(because, "Unmeasured"), content)
    assert len(found) == 1 and "carries Preliminary everywhere" in found[0]
    assert messages(one_rule(because, "Preliminary"), content) == []


def test_applying_a_finding_to_the_couple_carries_unmeasured(content: Content) -> None:
    """Lieberman et al. 2007 is Moderate for what it found, in a step brief, a learn page or a
    pack; read as a couple's argument, no study measured it, so that sentence is Unmeasured."""
    lab = (
        "Naming a feeling went with a smaller amygdala response in a lab study"
        " (Lieberman et al. 2007)."
    )
    applied = lab[:-1] + "; in a couple's argument this is the coach's reading, not measured."
    effects = "{ amygdala = { a = 0.3 } }"
    assert messages(one_rule(lab, "Moderate", effects), content) == []
    assert messages(one_rule(applied, "Unmeasured", effects), content) == []
    assert sentence_label(lab).label == "Moderate"
    assert sentence_label(applied).label == "Unmeasured"
    found = messages(one_rule(lab, "Preliminary", effects), content)
    assert len(found) == 1 and "Preliminary here" in found[0] and "carries Moderate" in found[0]


def test_a_sentence_without_a_source_is_the_coachs_reading(content: Content) -> None:
    found = messages(
        one_rule("Greeting warmly is associated with bonding.", "Preliminary"), content
    )
    assert len(found) == 1 and "carries Unmeasured" in found[0] and "cites no study" in found[0]


def test_practice_is_only_for_practices(content: Content) -> None:
    practice = "Daily rituals are a coaching practice from Gottman's work, not a measured effect."
    assert messages(one_rule(practice, "Practice"), content) == []
    found = messages(one_rule("Touch is linked to closeness.", "Practice"), content)
    assert len(found) == 1 and "carries Unmeasured" in found[0]


def test_one_study_or_one_lab_is_never_strong() -> None:
    labels = {r.cite: r.supports for r in load_references()}
    assert labels["Singer et al. 2004"] != "Strong"
    assert "Strong" not in labels.values()  # every shipped source is one study, a lab or a review
    for reference in load_references():
        if reference.basis in ("one study", "one lab"):
            assert reference.supports != "Strong", reference.id
    # Singer et al. 2004 with the meta-analysis that replicated it is Moderate, alone Preliminary.
    both = "Empathy for pain is associated with the insula (Singer et al. 2004; Lamm et al. 2011)."
    assert sentence_label(both).label == "Moderate"
    assert sentence_label("Empathy is linked to the insula (Singer et al. 2004).").label == (
        "Preliminary"
    )


def bibliography(**changes: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": "x2001",
        "cite": "Xavier et al. 2001",
        "authors": "Xavier, A.",
        "year": 2001,
        "title": "A title",
        "journal": "A journal",
        "doi": "10.1000/x",
        "supports": "Strong",
        "reports": "It reports something.",
        "basis": "meta-analysis",
        "read": "abstract, 2026-12-04: https://example.org",
    }
    entry.update(changes)
    return {"reference": [entry]}


def test_the_bibliography_refuses_labels_its_basis_or_reading_cannot_support() -> None:
    assert parse_references(bibliography())[0].supports == "Strong"
    with pytest.raises(DataError, match="one study or one lab is never Strong"):
        parse_references(bibliography(basis="one study"))
    with pytest.raises(DataError, match="an unread paper supports at most Preliminary"):
        parse_references(bibliography(read="not read: no abstract found", supports="Moderate"))
    assert parse_references(bibliography(read="not read", supports="Preliminary"))
    with pytest.raises(DataError, match="read must start with"):
        parse_references(bibliography(read="skimmed it"))


def test_every_shipped_source_records_how_it_was_read() -> None:
    for reference in load_references():
        assert reference.read.startswith(("abstract", "publisher's description", "not read"))
        if not reference.read.startswith("not read"):
            assert "2026-" in reference.read and "http" in reference.read, reference.id


def test_every_citation_must_resolve_to_the_bibliography(content: Content) -> None:
    because = "Hugging is linked to closeness (Kosfeld et al. 2005)."
    found = messages(one_rule(because, "Preliminary"), content)
    assert len(found) == 1 and "Kosfeld et al. 2005" in found[0]
    assert "not in the bibliography" in found[0] and "coach learn sources" in found[0]


def test_contested_claims_never_serve_as_reasons(content: Content) -> None:
    found = messages(one_rule("Oxytocin is linked to trust.", "Contested"), content)
    assert found == [
        "a Contested claim cannot serve as a reason; drop the rule or rest it on a claim with"
        " stronger evidence"
    ]


def test_citations_with_several_years_name_each_paper() -> None:
    keys = [c.key for c in cited("in brain-imaging studies (Coan et al. 2006, 2017).")]
    assert keys == [("coan", 2006), ("coan", 2017)]
    assert [c.key for c in cited("Carrere & Gottman 1999 (soft start-up)")] == [("carrere", 1999)]
    assert cited("since March 2020, in step 3 of 5") == []


def test_every_content_citation_resolves_and_no_label_claims_more_than_its_papers(
    content: Content,
) -> None:
    assert citation_problems(content) == []
    references = load_references()
    for where, _, text in labelled_texts(content):
        if re.search(r"\d{4}", text):
            assert resolve(text, references)[0], where


def test_the_default_pack_cites_only_the_bibliography(default_pack: RulePack) -> None:
    references = load_references()
    cited_ids = {r.id for rule in default_pack.rules for r in resolve(rule.because, references)[0]}
    assert {"gable2004", "carrere1999", "coan2006", "singer2004", "holtlunstad2008"} <= cited_ids
    for rule in default_pack.rules:
        assert label_problems(rule.evidence, rule.because) == [], rule.id


def test_every_reference_is_complete() -> None:
    for reference in load_references():
        assert re.fullmatch(r"10\.\d{4,5}/\S+", reference.doi), reference.id
        assert reference.supports in EVIDENCE_ORDER
        assert reference.title and reference.journal and reference.reports
        assert str(reference.year) in reference.cite
        assert reference.doi in reference.formatted()


@pytest.mark.parametrize(
    ("rule_id", "label"),
    [
        # Singer et al. 2004 (one fMRI study of 16 couples) with the meta-analysis that
        # replicated its regions (Lamm et al. 2011) is Moderate, never Strong.
        ("s4_a_felt_with", "Moderate"),
        # Read as a chemical or a region in the couple, no study measured it.
        ("s3_a_escalated", "Unmeasured"),
        ("s1_turned_toward", "Unmeasured"),
        ("s3_a_named_feeling", "Unmeasured"),
        # Touch and oxytocin, laughter and endorphins: one small study each.
        ("s1_warm_touch", "Preliminary"),
        ("s2_laughed_together", "Preliminary"),
    ],
)
def test_corrected_labels_of_the_default_pack(
    default_pack: RulePack, rule_id: str, label: str
) -> None:
    assert default_pack.rule(rule_id).evidence == label


def test_corrected_citations_say_what_the_papers_report(
    default_pack: RulePack, content: Content
) -> None:
    """The miscitations listed in issue 11, each pinned to what the paper reports."""

    def because(rule_id: str) -> str:
        return default_pack.rule(rule_id).because

    # Gable et al. 2004 studied responses to good news, not returned warmth or serotonin.
    for rule_id in ("s2_returned_warmth", "s2_felt_appreciated", "s2_enjoyed_time"):
        assert "Gable" not in because(rule_id), rule_id
    assert "Gable et al. 2004" in because("s2_active_constructive")
    # Carrere & Gottman 1999 is behavioural: the brain part is said to be the coach's reading.
    for rule_id in ("s3_a_soft_startup", "s3_calm_disagreement", "s3_a_escalated"):
        assert "Carrere & Gottman 1999" in because(rule_id)
        assert "coach's" in because(rule_id) or "not measured" in because(rule_id), rule_id
    # Holt-Lunstad et al. 2008 tested warm touch, not a smile or a kind word.
    assert "only warm touch has been studied" in because("s1_warm_greeting")
    # Coan et al. 2006 reported lower threat activity (insula, hypothalamus, lower prefrontal
    # activity), not the amygdala and not higher prefrontal activity.
    for partner in ("a", "b"):
        rule = default_pack.rule(f"s4_{partner}_helped_settle")
        assert [e.target for e in rule.effects] == ["amygdala"]
        assert "rather than the amygdala itself" in rule.because
    # The exercise built on Singer et al. 2004 is a practice, not a Strong finding.
    feel_with = next(e for e in content.exercises if e.id == "feel_with")
    assert feel_with.evidence == "Practice" and "not been tested" in feel_with.source


def test_step_and_target_labels_are_those_their_claims_carry(content: Content) -> None:
    for where, label, text in labelled_texts(content):
        assert label_problems(label, text) == [], where
    labels = {t.id: t.evidence for t in content.targets}
    # No couples study measured dopamine, serotonin or the hippocampus: the coach's reading.
    assert labels["dopamine"] == labels["serotonin"] == labels["hippocampus"] == "Unmeasured"
    assert labels["insula"] == labels["anterior_cingulate_cortex"] == "Moderate"
    assert [s.evidence for s in content.steps] == [
        "Preliminary",
        "Moderate",
        "Moderate",
        "Preliminary",
        "Preliminary",
    ]


def test_issue_21_label_inconsistencies_are_gone(content: Content, default_pack: RulePack) -> None:
    """Step 3's brief said Lieberman et al. 2007 was Moderate where the summary said Preliminary;
    step 4's brief said "(Strong)" under a panel labelled Moderate."""
    step3, step4 = content.steps[2], content.steps[3]
    lieberman = [t for t in (step3.about, *step3.talking_points) if "Lieberman et al. 2007" in t]
    assert lieberman and all("Moderate" in t or step3.evidence == "Moderate" for t in lieberman)
    for rule in default_pack.rules:
        if "Lieberman et al. 2007" in rule.because:
            assert rule.evidence == sentence_label(rule.because).label, rule.id
    assert not any("(Strong)" in t for t in step4.talking_points)
    assert not any("Strong" in t.evidence for t in content.targets)


def test_a_conflicting_label_in_the_content_is_one_line_naming_file_key_and_labels(
    content: Content,
) -> None:
    from dataclasses import replace

    step = replace(
        content.steps[3],
        talking_points=(
            "Empathy for a partner's pain is linked to the insula"
            " (Singer et al. 2004; Lamm et al. 2011; Strong).",
        ),
    )
    broken = replace(content, steps=(*content.steps[:3], step, *content.steps[4:]))
    [problem] = citation_problems(broken)
    assert problem.startswith("flow.toml: step 4: talking_points[0]: conflicting labels: Strong")
    assert "carries Moderate everywhere" in problem and "\n" not in problem


def test_a_pack_description_follows_the_wording_rules(content: Content) -> None:
    text = one_rule("Turning toward is linked to warmth.", "Preliminary").replace(
        "A pack written for one test.", "Rules that show how hugs release oxytocin."
    )
    found = messages(text, content)
    assert len(found) == 2  # the description's wording, and the sentence without a source
    assert found[0].startswith('description uses "release", a causal claim')
