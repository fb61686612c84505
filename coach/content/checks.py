"""Checking what the content says: citations, the label each claim carries, and the wording.

Run each time the content loads (coach.content.loader). Every citation resolves to the
bibliography, every sentence carries the label its claim carries everywhere (coach.domain.claims),
and
no shown text breaks the wording rules (coach.domain.wording_rules). Pure.
"""

from __future__ import annotations

from coach.content.content_model import Content


def labelled_texts(content: Content) -> list[tuple[str, str | None, str]]:
    """(where, label, text) for every labelled explanation the content shows: step notes,
    talking points and what to listen for, target notes and caveats, exercises. A None label
    means the text's sentences carry their own. Rule sentences are checked with their pack."""
    found: list[tuple[str, str | None, str]] = []
    for step in content.steps:
        where = f"flow.toml: step {step.number}"
        found.append((f"{where}: about", step.evidence, step.about))
        found += [
            (f"{where}: talking_points[{i}]", None, t) for i, t in enumerate(step.talking_points)
        ]
        found += [(f"{where}: listen_for[{i}]", None, t) for i, t in enumerate(step.listen_for)]
    for target in content.targets:
        where = f"targets.toml: {target.id}"
        found.append((f"{where}: evidence_note", target.evidence, target.evidence_note))
        found += [(f"{where}: caveats[{i}]", None, c) for i, c in enumerate(target.caveats)]
    for exercise in content.exercises:
        found.append((f"exercises.toml: {exercise.id}: source", exercise.evidence, exercise.source))
    return found


def shown_texts(content: Content) -> list[tuple[str, str]]:
    """(where, text) for every text the content shows that speaks about the science, for the
    wording rules (coach.domain.wording_rules). Quotations of the source model (`seed`, `role`,
    `effect`) are shown as quotations and are not checked."""
    found = [(where, text) for where, _, text in labelled_texts(content)]
    for step in content.steps:
        where = f"flow.toml: step {step.number}"
        found += [(f"{where}: shown", step.shown), (f"{where}: source", step.source)]
        found += [(f"{where}: aim", step.aim), (f"{where}: lead_text", step.lead_text)]
    for target in content.targets:
        found += [(f"targets.toml: {target.id}: positive", target.positive)]
        found += [(f"targets.toml: {target.id}: negative", target.negative)]
    found += [(f"exercises.toml: {e.id}: how", e.how) for e in content.exercises]
    return found


def citation_problems(content: Content) -> list[str]:
    """Every citation resolves to the bibliography, every claim carries the label its sources
    give it (coach.domain.claims: one claim, one label everywhere), and no text breaks the wording
    rules. Each problem is one line naming the file and the key."""
    from coach.domain.claims import label_problems
    from coach.domain.evidence import citation_problems as unknown
    from coach.domain.evidence import load_references
    from coach.domain.wording_rules import wording_problems

    references = load_references()
    problems = [
        f"{where}: {problem}"
        for where, label, text in labelled_texts(content)
        for problem in (unknown(text, references) or label_problems(label, text))
    ]
    problems += [
        f"{where}: {p}" for where, text in shown_texts(content) for p in wording_problems(text)
    ]
    problems += [
        f"flow.toml: step {s.number}: source: {p}"
        for s in content.steps
        for p in unknown(s.source, references)
    ]
    return problems
