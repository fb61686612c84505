"""The fill-in answer file printed by `coach template`, as TOML with the questions as comments
or as JSON for scripts. Pure: it only builds text and data.

Every required key is written as `"key" = ""`: the empty string means "not answered yet", so a
template run as it is reports each required answer as unanswered, with its line. Optional keys
(free text, the CSI-4 check-in) are commented out. Names given with --a/--b are filled in, and
pass through the neutraliser (coach.base.escape) wherever they reach a comment.

A one-partner template (--partner a|b) starts with that partner's private check
(coach.render.check_template); a template for both partners holds no check and says how each
partner gets theirs.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from coach.base.escape import neutralise_line, unicode_escaped
from coach.base.formats import JSON_SCHEMA_VERSION
from coach.content import CheckinItem, Content, Prompt, fill_names
from coach.domain.session import prompts_for
from coach.domain.validity import names_or_defaults
from coach.render.template_entry import TemplateEntry

if TYPE_CHECKING:
    from coach.domain.measures import Measure

__all__ = ["TemplateEntry", "template_document", "template_entries", "template_toml"]


def template_entries(
    content: Content,
    steps: Sequence[int],
    partners: Sequence[str],
    names: Mapping[str, str],
    *,
    check_only: bool = False,
    measures: Sequence[Measure] = (),
) -> list[TemplateEntry]:
    """Every key of an answer file for these steps and partners: the private check (in a
    one-partner file only), check-in, answers. `check_only`: the check alone."""
    from coach.render.check_template import check_entries

    entries = check_entries(partners[0], names, measures) if len(partners) == 1 else []
    if check_only:
        return entries
    entries += [
        entry
        for partner in partners
        for entry in (
            *(_checkin_entry(item, partner, names) for item in content.checkin.items),
            _shared_entry(partner, names),
        )
    ]
    entries += [
        _prompt_entry(prompt, names)
        for prompt in prompts_for(content, steps)
        if prompt.partner in partners
    ]
    return entries


def _prompt_entry(prompt: Prompt, names: Mapping[str, str]) -> TemplateEntry:
    return TemplateEntry(
        section="answers",
        key=prompt.id,
        partner=prompt.partner,
        step=prompt.step,
        type=prompt.type,
        required=prompt.required,
        text=prompt.render_text(dict(names)),
        valid=prompt.expected(),
        secure=prompt.secure,
        secure_answer=prompt.secure_value(),
        prompt=prompt,
    )


def _checkin_entry(item: CheckinItem, partner: str, names: Mapping[str, str]) -> TemplateEntry:
    return TemplateEntry(
        section="checkin",
        key=f"{partner}.{item.id}",
        partner=partner,
        step=None,
        type="scale",
        required=False,
        text=fill_names(item.text, dict(names), partner),
        valid=item.expected(),
        item=item,
    )


SHARED_QUESTION = (
    "May your CSI-4 total be shown to both of you? true or false. Without both partners' true, "
    "the totals stay out of everything you see together (the summary, show, trends, couples "
    "and exports); the history on this computer keeps them, for anyone who can open it."
)


def _shared_entry(partner: str, names: Mapping[str, str]) -> TemplateEntry:
    return TemplateEntry(
        section="checkin",
        key=f"{partner}.shared",
        partner=partner,
        step=None,
        type="yesno",
        required=False,
        text=SHARED_QUESTION,
        valid="true or false",
    )


def template_document(
    content: Content,
    steps: Sequence[int],
    partners: Sequence[str],
    names: Mapping[str, str],
    *,
    check_only: bool = False,
    measures: Sequence[Measure] = (),
) -> dict[str, Any]:
    """The template as data (`coach template --format json`), for scripts that build answers."""
    entries = template_entries(
        content, steps, partners, names, check_only=check_only, measures=measures
    )
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "content_version": content.version,
        "steps": None if check_only else list(steps),
        "partners": {p: names[p] for p in partners},
        "blank": "",
        "prompts": [_entry_dict(e, content) for e in entries],
    }


def _entry_dict(entry: TemplateEntry, content: Content) -> dict[str, Any]:
    if entry.section == "check":
        return _check_dict(entry)
    prompt, item = entry.prompt, entry.item
    scale = entry.type == "scale"
    low = item.answers[0] if item else prompt.low if prompt else ""
    high = item.answers[-1] if item else prompt.high if prompt else ""
    return {
        "section": entry.section,
        "key": entry.key,
        "partner": entry.partner,
        "step": entry.step,
        "step_title": content.step(entry.step).title if entry.step else None,
        "type": entry.type,
        "required": entry.required,
        "text": entry.text,
        "valid": entry.valid,
        "min": (0 if item else prompt.min if prompt else None) if scale else None,
        "max": (item.max_score if item else prompt.max if prompt else None) if scale else None,
        "low": low if scale else None,
        "high": high if scale else None,
        "labels": list(item.answers) if item else None,
        "choices": (
            [{"value": c.value, "label": c.label} for c in prompt.choices]
            if prompt and prompt.type == "choice"
            else None
        ),
        "secure": entry.secure,
        "secure_answer": entry.secure_answer,
    }


def _check_dict(entry: TemplateEntry) -> dict[str, Any]:
    """A key of the private check: no secure pattern (a check has no right answer)."""
    from coach.domain.pathway import CHOICES

    measure = entry.type == "scale"
    return {
        "section": entry.section,
        "key": entry.key,
        "partner": entry.partner,
        "step": None,
        "step_title": None,
        "type": entry.type,
        "required": entry.required,
        "text": entry.text,
        "valid": entry.valid,
        "min": 1 if measure else None,
        "max": len(entry.labels) if measure else None,
        "low": entry.labels[0] if measure else None,
        "high": entry.labels[-1] if measure else None,
        "labels": list(entry.labels) if measure else None,
        "choices": [{"value": c, "label": c} for c in CHOICES] if entry.type == "choice" else None,
        "secure": None,
        "secure_answer": None,
    }


_TEMPLATE_HEAD = """\
coach answer file (content version {version}). Fill it in, then run:
  coach run --answers {example}

How to fill it in:
- Replace each "" with an answer. The comment above each key says what is valid: a scale takes
  a whole number (4), yes/no takes true or false, a choice takes one of its values in quotes
  ("toward"), text takes anything in quotes (use \"\"\"...\"\"\" for several lines).
- A key left as "" (or deleted) is not answered. coach run lists every required answer that is
  missing, with its line. Lines starting with "# " followed by a key are optional: remove the
  "# " and fill in the value to answer them.
- "secure pattern" marks the answer that matches the model's secure pattern. It is a reference
  point for conversation, not the right answer: answer as things really were.
- Each partner can fill in a file of their own (coach template --partner a > a.toml), the
  private check included, and you pass both: coach run --answers a.toml --answers b.toml
- This file holds private answers: keep it where only you can read it."""


def template_toml(
    content: Content,
    steps: Sequence[int],
    partners: Sequence[str],
    given_names: Mapping[str, str | None],
    *,
    check_only: bool = False,
    measures: Sequence[Measure] = (),
) -> str:
    """The fill-in answer file (`coach template`): every key, its question as a comment.

    Names given with --a/--b are filled in; the questions use them, or "Partner A"/"Partner B".
    In comments they are neutralised: a control character would break the file or mislead.
    """
    from coach.render.check_template import both_note, check_part

    names = {p: neutralise_line(n) for p, n in names_or_defaults(given_names).items()}
    entries = template_entries(
        content, steps, partners, names, check_only=check_only, measures=measures
    )
    example = "answers.toml"
    if len(partners) == 1:
        other = "b" if partners[0] == "a" else "a"
        example = f"{partners[0]}.toml --answers {other}.toml"
    if check_only:
        example = f"answers.toml --answers {partners[0]}-check.toml"
    out = _comment(_TEMPLATE_HEAD.format(version=content.version, example=example))
    out.append("")
    if not check_only:
        out += [
            f"steps = {list(steps)}  # the steps this session covers",
            '# couple = ""  # a label for this couple\'s history (default: the two names)',
            "",
        ]
    out += [
        "[partners]  # optional; coach run --a NAME --b NAME overrides",
        *(_partner_line(p, given_names) for p in partners),
        "",
    ]
    if len(partners) > 1:
        out += [*_comment(both_note(example)), ""]
    out += check_part([e for e in entries if e.section == "check"], names, _comment)
    if check_only:
        return "\n".join(out).rstrip() + "\n"
    out += _checkin_part(content, [e for e in entries if e.section == "checkin"], names)
    out += _answers_part(content, [e for e in entries if e.section == "answers"], names)
    return "\n".join(out).rstrip() + "\n"


def _partner_line(partner: str, given: Mapping[str, str | None]) -> str:
    name = (given.get(partner) or "").strip()
    # A name is a TOML string: escape it the way TOML (and JSON) basic strings do, C1 controls
    # and reordering marks included, so that it reads back exactly and shows harmlessly.
    value = unicode_escaped(json.dumps(name, ensure_ascii=False))
    return f"{partner} = {value}  # partner {partner.upper()}'s name"


def _comment(text: str, indent: str = "") -> list[str]:
    lines = []
    for paragraph in text.splitlines():
        wrapped = textwrap.wrap(
            paragraph, width=98 - len(indent), subsequent_indent=_hanging(paragraph)
        )
        lines += [f"# {indent}{w}".replace("\u00a0", " ").rstrip() for w in wrapped or [""]]
    return lines


def _hanging(paragraph: str) -> str:
    """Continuation lines of a "- " bullet or an indented line line up under its text."""
    stripped = paragraph.lstrip(" ")
    indent = " " * (len(paragraph) - len(stripped))
    return indent + ("  " if stripped.startswith("- ") else "")


def _key_line(entry: TemplateEntry) -> str:
    line = f'"{entry.key}" = ""'
    return line if entry.required else f"# {line}"


def _entry_block(entry: TemplateEntry, name: str, detail: list[str]) -> list[str]:
    return [*_comment(f"{name}: {entry.text}"), *detail, _key_line(entry), ""]


def _checkin_part(
    content: Content, entries: list[TemplateEntry], names: Mapping[str, str]
) -> list[str]:
    checkin = content.checkin
    out = _comment(
        f"{checkin.name} (optional): the Couples Satisfaction Index, 4-item form "
        "(Funk & Rogge, 2007). To include it, a partner answers all four of their items: "
        'remove the "# " and fill in a number.'
    )
    out += ["[checkin]", ""]
    for entry in entries:
        if entry.item is None:  # the partner's yes or no to showing their total to both
            out += _entry_block(entry, names[entry.partner], [])
            continue
        # No-break spaces keep each number on one line with its label when the line wraps.
        scale = ", ".join(f"{n}\u00a0{label}" for n, label in enumerate(entry.item.answers))
        out += _entry_block(entry, names[entry.partner], _comment(scale, indent="  "))
    return out


def _answers_part(
    content: Content, entries: list[TemplateEntry], names: Mapping[str, str]
) -> list[str]:
    out = ["[answers]", ""]
    step_shown = 0
    for entry in entries:
        assert entry.prompt is not None and entry.step is not None
        if entry.step != step_shown:
            step = content.step(entry.step)
            lead = fill_names(step.lead_text, dict(names))
            out += [*_comment(f"Step {step.number}: {step.title}. {lead}"), ""]
            step_shown = entry.step
        out += _entry_block(entry, names[entry.partner], _prompt_detail(entry.prompt))
    return out


def _prompt_detail(prompt: Prompt) -> list[str]:
    if prompt.type == "choice":
        quoted = [f'"{value}"' for value in prompt.choice_values()]
        width = max(len(q) for q in quoted)
        lines = ["one of:"]
        for shown, choice in zip(quoted, prompt.choices, strict=True):
            mark = "  (secure pattern)" if choice.value == prompt.secure else ""
            lines.append(f"  {shown:<{width}}  {choice.label}{mark}")
        return _comment("\n".join(lines), indent="  ")
    detail = prompt.expected()
    answer = prompt.secure_value()
    if answer is not None:
        shown = "true" if answer is True else "false" if answer is False else str(answer)
        detail += f"; secure pattern: {shown}"
    if not prompt.required:
        detail += '; optional: remove the "# " to answer'

    return _comment(detail, indent="  ")
