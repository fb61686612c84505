"""`coach rules ...`: list, show, check and test rule packs, and explain a saved session.

A thin layer over coach.rules, coach.app.explanations and the renderers (coach.render.rule_listing,
explain, listings), each imported inside its command so that `coach --help` stays quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coach.base.escape import neutralise_line
from coach.base.formats import Format, parse_format
from coach.cli import completion
from coach.cli.options import WORD, RulesOption
from coach.domain.wording import count, noun

if TYPE_CHECKING:
    from coach.content import Content
    from coach.rules import RulePack

app = typer.Typer(
    help="List, check and test rule packs (the rules that turn answers into a reflection), "
    "and explain which rules fired for a saved session. See docs/rules.md.\n\n"
    "Example: coach rules explain 20261125 --target amygdala",
    no_args_is_help=True,
)

FormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="text: for reading. json: one document (docs/json-output.md).",
    ),
]
PackArgument = Annotated[
    Path | None,
    typer.Argument(
        dir_okay=False,
        metavar="[FILE]",
        help="Rule pack TOML file (default: --rules, $COACH_RULES or built-in).",
    ),
]


def _content() -> Content:
    from coach.content import load_content

    return load_content()


def _pack(option: Path | None) -> RulePack:
    from coach.rules import load_pack, resolve_pack_path

    return load_pack(resolve_pack_path(option), _content())


def _checked_pack_or_exit(path: Path | None) -> RulePack:
    """Load a pack, or print every problem to stderr, one per line, and exit 1."""
    from coach.rules.pack import compile_pack_text, pack_source, read_pack_text

    file, source = pack_source(path)
    pack, problems = compile_pack_text(read_pack_text(file), source, _content())
    if pack is None:
        for problem in problems:
            typer.echo(neutralise_line(str(problem)), err=True)
        raise typer.Exit(1)
    return pack


@app.command("list")
def list_rules(rules: RulesOption = None, output_format: FormatOption = "text") -> None:
    """List every rule in the pack: id, step, targets (with weights) and evidence.

    Example: coach rules list --rules my-pack.toml
    """
    fmt = parse_format("rules", output_format)
    pack = _pack(rules)
    if fmt is Format.JSON:
        from coach.render.listings import rules_document, write_document

        write_document(rules_document(pack))
        return
    from coach.render.rule_listing import print_rules

    print_rules(pack)


@app.command()
def show(
    rule_id: Annotated[str, typer.Argument(metavar="RULE", click_type=WORD, help="The rule's id.")],
    rules: RulesOption = None,
    output_format: FormatOption = "text",
) -> None:
    """Show one rule in full: condition, effects, facts, reason, evidence and what it reads.

    Example: coach rules show s1_warm_greeting
    """
    fmt = parse_format("rules", output_format)
    pack = _pack(rules)
    rule = pack.rule(rule_id)  # unknown ids raise DataError with a suggestion
    if fmt is Format.JSON:
        from coach.render.listings import rule_document, write_document

        write_document(rule_document(pack, rule))
        return
    from coach.render.rule_listing import print_rule

    print_rule(pack, rule)


@app.command()
def check(file: PackArgument = None, rules: RulesOption = None) -> None:
    """Check a rule pack and report every problem at once (exit 1 if there are any).

    Example: coach rules check my-pack.toml
    """
    from coach.rules import resolve_pack_path

    pack = _checked_pack_or_exit(file or resolve_pack_path(rules))
    typer.echo(f"OK: {count(len(pack.rules), 'rule')} in {neutralise_line(pack.source)}")


@app.command()
def test(
    file: PackArgument = None,
    cases: Annotated[
        Path | None,
        typer.Option(
            "--cases",
            dir_okay=False,
            metavar="FILE",
            help="Cases TOML file (default: <pack stem>_cases.toml beside the pack).",
        ),
    ] = None,
    rules: RulesOption = None,
    output_format: FormatOption = "text",
) -> None:
    """Run a pack's cases; exit 1 if a case fails or a rule never fires.

    Example: coach rules test my-pack.toml --cases my-cases.toml
    """
    from coach.rules import cases_path_for, resolve_pack_path, run_cases

    fmt = parse_format("rules", output_format)
    path = file or resolve_pack_path(rules)
    pack = _checked_pack_or_exit(path)
    report = run_cases(pack, cases or cases_path_for(path))
    if fmt is Format.JSON:
        from coach.render.listings import cases_document, write_document

        write_document(cases_document(pack, report))
        if not report.passed:
            raise typer.Exit(1)
        return
    for result in report.cases:
        typer.echo(f"{'PASS' if result.passed else 'FAIL'}  {neutralise_line(result.name)}")
        for message in result.messages:
            typer.echo(f"      {neutralise_line(message)}")
    if report.never_fired:
        typer.echo(f"FAIL  rules that never fired: {', '.join(report.never_fired)}")
    passed = len(report.cases) - len(report.failed)
    summary = f"{passed} of {count(len(report.cases), 'case')} passed"
    if report.passed:
        number = len(pack.rules)
        fired = f"{noun(number, 'the', 'all')} {count(number, 'rule')}"
        typer.echo(f"OK: {summary}; {fired} fired")
        return
    never = f"; {count(len(report.never_fired), 'rule')} never fired" if report.never_fired else ""
    typer.echo(f"FAILED: {summary}{never}", err=True)
    raise typer.Exit(1)


@app.command()
def explain(
    session_ref: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            click_type=WORD,
            help="Session id or unique prefix.",
            autocompletion=completion.session_ids,
        ),
    ],
    target: Annotated[
        str | None,
        typer.Option("--target", "-t", metavar="TARGET", help="Only this target, e.g. oxytocin."),
    ] = None,
    rules: RulesOption = None,
    output_format: FormatOption = "text",
) -> None:
    """Explain which rules fired for a saved session and why, using the current pack.

    Example: coach rules explain 20261125 --target amygdala --format json
    """
    from coach.app.explanations import explain as explained
    from coach.render.explain import print_explanation, write_explanation_json

    fmt = parse_format("rules", output_format)
    explanation = explained(session_ref, target, rules)
    if fmt is Format.JSON:
        write_explanation_json(explanation)
    else:
        print_explanation(explanation, session_ref, target)
