"""The private check's part of a one-partner answer file (`coach template --partner a|b`), and the
note a file for both partners carries instead. Pure: it only builds text.

Each partner's check is in that partner's own file: a check the other partner could write or read
is not private, so `coach run` refuses a check in a file that holds the other partner's answers
(coach.answers.merging). Names come from the command line and go through the neutraliser before
they reach a comment: a control character there would break the file, or mislead its reader.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from coach.answers.check_keys import CheckQuestion, check_questions
from coach.content import fill_names
from coach.content.check_files import load_check, load_support
from coach.domain.pathway import CHOICES
from coach.render.template_entry import TemplateEntry

if TYPE_CHECKING:
    from coach.content.check_files import Check
    from coach.domain.measures import Measure

Comment = Callable[..., list[str]]

_WHY = (
    "{self}, this is your private check: for you alone, at the start of every session. Fill it "
    "in where {other} cannot see, and keep this file to yourself (chmod 600). Each of you "
    "answers your own check in your own file, never in a shared one: a check the other could "
    "write or read would not be private, so coach run refuses a check in a file that holds the "
    "other partner's answers. The answers are never saved or shown; they only decide how much "
    "today holds. After a yes (true), today is a short session (or a stop, if you choose it), "
    "and to {other} it looks like any short session anyone may choose."
)
_SELF_HARM = (
    "The next questions are about you and how you have been feeling: the Ask Suicide-Screening "
    "Questions (ASQ, NIMH), asked here without the clinician who would follow up a yes. The "
    "questions before them are coach's own, an unvalidated screen."
)
_ACUITY = (
    "Only after a yes (true) to one of the four questions above: {text} After a yes there, or "
    "with this left out after a yes above (nobody can ask you here), today stops, to be safe."
)
_BOTH = """\
The private check is not in this file: each partner answers it alone, in a file of their own, so
that neither writes or reads the other's (coach run needs both checks). Each of you prints yours:
  coach template --partner a --check-only > a-check.toml
  coach template --partner b --check-only > b-check.toml
and you pass all three:
  coach run --answers {example} --answers a-check.toml --answers b-check.toml
Or keep one whole file each, check included: coach template --partner a (and --partner b)."""


def check_entries(
    partner: str, names: Mapping[str, str], measures: Sequence[Measure] = ()
) -> list[TemplateEntry]:
    """The keys of one partner's check, as template entries (section "check")."""

    kinds = {"item": "yesno", "acuity": "yesno", "today": "choice", "measure": "scale"}
    entries = []
    for key, question in check_questions(load_check(), measures).items():
        entries.append(
            TemplateEntry(
                section="check",
                key=f"{partner}.{key}",
                partner=partner,
                step=None,
                type=kinds[question.kind],
                required=question.required,
                text=fill_names(question.text, dict(names), partner),
                valid=question.expected(),
                labels=question.labels,
            )
        )
    return entries


def check_part(
    entries: Sequence[TemplateEntry], names: Mapping[str, str], comment: Comment
) -> list[str]:
    """`[check]` for one partner, each question a comment above its key; names neutralised."""
    if not entries:
        return []
    check = load_check()
    partner = entries[0].partner
    out = comment(fill_names(_WHY, dict(names), partner))
    out += comment(load_support().scripted)
    out += ["[check]", ""]
    questions = check_questions(check)
    first_self_harm = next(i.id for i in check.self_harm_items)
    for entry in entries:
        key = entry.key.split(".", 1)[1]
        question: CheckQuestion | None = questions.get(key)
        if key == first_self_harm:
            out += [*comment(_SELF_HARM), ""]
        if question is not None and question.kind == "acuity":
            out += comment(_ACUITY.format(text=entry.text))
        elif question is not None and question.kind == "today":
            out += comment(
                f"{entry.text} For anyone, for any reason; the shorter of your two "
                "choices is today's plan, and nothing says whose it was."
            )
            out += comment(_choices(check), indent="  ")
        else:
            out += comment(f"{names[partner]}: {entry.text}")
            if entry.labels:
                out += comment(_numbered(entry.labels), indent="  ")
            out += comment(entry.valid, indent="  ")
        line = f'"{entry.key}" = ""'
        out += [line if entry.required else f"# {line}", ""]
    return out


def _choices(check: Check) -> str:
    labels = {"full": check.choice.full, "short": check.choice.short, "stop": check.choice.stop}
    width = max(len(c) for c in CHOICES) + 2
    lines = ["one of:"] + [f"  {chr(34) + c + chr(34):<{width}}  {labels[c]}" for c in CHOICES]
    return "\n".join(lines)


def _numbered(labels: Sequence[str]) -> str:
    return ", ".join(f"{n}\u00a0{label}" for n, label in enumerate(labels, 1))


def both_note(example: str) -> str:
    """What a file for both partners says instead of a check: how each partner gets theirs."""
    return _BOTH.format(example=example)
