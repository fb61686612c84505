"""`coach rules explain` as text: which rules fired for a saved session, and why. Data in,
lines out: coach.app.explanations loads the session and the pack; these lines (or the JSON
document) show what it found."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.app.explanations import Explanation
    from coach.content import Content
    from coach.domain.session import Session
    from coach.rules import Inference, RulePack, TargetResult


def explanation_lines(
    session: Session,
    session_ref: str,
    pack: RulePack,
    inference: Inference,
    content: Content,
    target: str | None,
) -> list[str]:
    """Every line of the explanation, for one target or all ten (blank lines between targets)."""
    from coach.content import TARGETS

    answers = session.answer_map()
    names = {"a": "A", "b": "B", **session.partners}
    lines = [
        f"Session {session_ref}: rules from {pack.source} ({pack.id} version {pack.version});"
        f" steps {', '.join(map(str, inference.steps))}"
    ]
    for target_id in [target] if target else TARGETS:
        lines.append("")
        lines += _target_lines(content.target(target_id).name, target_id, inference, names)
        unanswered = sorted(p for p in pack.plan.relevant["couple"][target_id] if p not in answers)
        if unanswered:
            lines.append(f"  unanswered (lowers confidence): {', '.join(unanswered)}")
    if inference.facts:
        facts = ", ".join(f"fact.{f}" for f in sorted(inference.facts))
        lines += ["", f"Facts established: {facts}"]
    return lines


def _target_lines(
    name: str, target_id: str, inference: Inference, names: dict[str, str]
) -> list[str]:
    couple = inference.couple[target_id]
    lines = [f"{name}, together: {_reading(couple)}"]
    for partner in ("a", "b"):
        result = inference.scope(partner)[target_id]
        lines.append(f"  {names[partner]}: {_reading(result)}")
    return lines + _fired_lines(couple, inference, target_id, names)


def _reading(result: TargetResult) -> str:
    evidence = f", evidence {result.evidence}" if result.evidence else ""
    return (
        f"{result.label} (score {result.score:+.3f}, confidence {result.confidence:.0%}{evidence})"
    )


def _fired_lines(
    couple: TargetResult, inference: Inference, target_id: str, names: dict[str, str]
) -> list[str]:
    if not couple.fired:
        return ["  No rule fired for this target: no answers pointed either way."]
    lines = []
    for fired in couple.fired:
        weights = []
        for partner in ("a", "b"):
            for item in inference.scope(partner)[target_id].fired:
                if item.rule_id == fired.rule_id:
                    weights.append(f"{names.get(partner, partner)} {item.weight:+.2f}")
        lines.append(
            f"  - {fired.rule_id} (step {fired.step}, {fired.evidence}; {', '.join(weights)})"
        )
        lines.append(f"    {fired.because}")
        if fired.answers:
            shown = ", ".join(f"{pid} = {_value(v)}" for pid, v in fired.answers)
            lines.append(f"    answers: {shown}")
    return lines


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def print_explanation(explanation: Explanation, session_ref: str, target: str | None) -> None:
    """The explanation's lines, paged at a terminal, never read as markup."""
    from rich.console import Console

    from coach.base.escape import neutralise_line
    from coach.render.pager import paged

    e = explanation
    lines = explanation_lines(e.session, session_ref, e.pack, e.inference, e.content, target)
    console = Console(highlight=False)
    with paged(console):
        for line in lines:
            console.print(neutralise_line(line), markup=False)


def write_explanation_json(explanation: Explanation) -> None:
    """The explanation as one JSON document (docs/json-output.md)."""
    from coach.render.listings import explain_document, write_document

    e = explanation
    targets = list(e.targets)
    write_document(
        explain_document(e.session.id, e.pack, e.inference, targets, e.names(), e.unanswered())
    )
