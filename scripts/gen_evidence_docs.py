"""Write docs/evidence.md, every claim the coach shows with its label and source, from the packs
and the content (`--check` compares instead, for the test that keeps it current).

python scripts/gen_evidence_docs.py          # regenerate docs/evidence.md
python scripts/gen_evidence_docs.py --check  # exit 1 if docs/evidence.md is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from coach.content import load_content
from coach.domain.claims import load_groups
from coach.domain.evidence import load_references, resolve
from coach.rules import load_pack

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "evidence.md"
HEADER = """# Evidence: every claim, its label and its source

Generated from `coach/content/*.toml` and `coach/rules/default.toml` by
`scripts/gen_evidence_docs.py`; a test checks that it is current. Labels follow
docs/rules.md, "Labels and citations" (coach/domain/claims.py): a label belongs to a claim, a
sentence
with the papers it cites and the use it makes of them, and one claim carries one label
everywhere. Strong > Moderate > Preliminary > Unmeasured ("the coach's reading, not measured");
Contested overrides; Practice is only for practices; a sentence that applies a finding to the
couple in a way no study measured is Unmeasured; one study or one lab is never Strong. A
sentence may end with its own label in parentheses. `coach learn sources` prints the
bibliography in the terminal.
"""


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def sources(text: str) -> str:
    known, _ = resolve(text, load_references())
    return ", ".join(r.cite for r in known) or "none (see the sentence)"


def render() -> str:
    content = load_content()
    pack = load_pack(None, content)
    lines = [HEADER, "## Steps", "", "| step | claim | label | sources |", "|---|---|---|---|"]
    for step in content.steps:
        lines.append(
            f"| {step.number} {step.title} | {cell(step.about)} | {step.evidence}"
            f" | {cell(sources(step.about + ' ' + step.source))} |"
        )
    lines += [
        "",
        "## Targets",
        "",
        "| target | claim | label | caveats (each with its own label) | sources |",
        "|---|---|---|---|---|",
    ]
    for target in content.targets:
        caveats = " ".join(target.caveats) or "none noted"
        lines.append(
            f"| {target.name} | {cell(target.evidence_note)} | {target.evidence}"
            f" | {cell(caveats)} | {cell(sources(target.evidence_note + ' ' + caveats))} |"
        )
    lines += ["", "## Exercises", "", "| exercise | source | label |", "|---|---|---|"]
    for exercise in content.exercises:
        lines.append(f"| {cell(exercise.title)} | {cell(exercise.source)} | {exercise.evidence} |")
    lines += [
        "",
        "## Rules of the default pack",
        "",
        "Each sentence is shown in the summary with its own label.",
        "",
        "| rule | step | moves | sentence | label | sources |",
        "|---|---|---|---|---|---|",
    ]
    for rule in pack.rules:
        moves = ", ".join(rule.targets) or "(sets a fact)"
        lines.append(
            f"| `{rule.id}` | {rule.step} | {moves} | {cell(rule.because)} | {rule.evidence}"
            f" | {cell(sources(rule.because))} |"
        )
    lines += [
        "",
        "## Sources",
        "",
        "Each entry was re-read for issue 21 (`read`); `basis` is what kind of evidence it is.",
        "",
        "| cited as | reference | what it reports | its finding's label | basis"
        " | how it was read |",
        "|---|---|---|---|---|---|",
    ]
    for ref in sorted(load_references(), key=lambda r: r.cite):
        lines.append(
            f"| {ref.cite} | {cell(ref.formatted())} | {cell(ref.reports)} | {ref.supports}"
            f" | {ref.basis} | {cell(ref.read)} |"
        )
    lines += ["", "Papers that together support one claim:", ""]
    for group in load_groups():
        cites = " with ".join(r.cite for r in load_references() if r.key in group.cites)
        lines.append(f"- {cites}: {group.says} ({group.label}).")
    lines.append(f"\nThe CSI-4 check-in: {content.checkin.citation}")
    funk = next(r for r in load_references() if r.id == "funk2007")
    lines.append(f"\nThe CSI-4 reference point of {content.checkin.cutoff:g}: {funk.where}")
    return "\n".join(lines) + "\n"


def main() -> int:
    text = render()
    if "--check" in sys.argv[1:]:
        if TARGET.read_text(encoding="utf-8") != text:
            print(
                "docs/evidence.md is out of date: run scripts/gen_evidence_docs.py", file=sys.stderr
            )
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
