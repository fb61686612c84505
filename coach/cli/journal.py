"""Scripted journaling: `coach template` and `coach run`, a whole session from answer files.

`coach run` never asks anything, so it works from cron, CI and `</dev/null`. It uses the same
content, rule engine and saved file as an interactive session. Every problem in the answers is
reported in one pass (exit 1) and nothing is saved from a run that fails; messages name the file,
line and key and what would be valid, never an answer's value.

Each partner's private check comes from their own file and makes today's plan as at a terminal
(coach.domain.pathway). Nothing a run prints, saves or exits with depends on the check beyond the
plan:
a disclosure reads exactly as a short session (or a stop) chosen for no reason, and the one
support line on standard error is the same on every run, whatever was answered.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from coach.base.escape import shown_path
from coach.base.formats import Format, choices, parse_format
from coach.cli import completion
from coach.cli.options import FORCE_OPTION, LABEL, NAME, RulesOption, output_option

if TYPE_CHECKING:
    from coach.content import Content
    from coach.domain.measures import Measure
    from coach.domain.session import Session
    from coach.rules import Inference
    from coach.store.output import OutputTarget

PARTNER_CHOICES = ("both", "a", "b")
PLAIN_WIDTH = 100  # the summary's width in a file, or with no terminal and no $COLUMNS
MIN_WIDTH, MAX_WIDTH = 40, 200


def register(app: typer.Typer) -> None:
    app.command()(template)
    app.command("run")(run_answers)


def template(
    output_format: str = typer.Option(
        "toml",
        "--format",
        "-f",
        metavar="FORMAT",
        help="toml: an answer file to fill in. json: for scripts.",
    ),
    steps: str = typer.Option(
        "1-5", "--steps", metavar="STEPS", help="Steps to cover, e.g. 1,3,4 or 2-5."
    ),
    partner: str = typer.Option(
        "both",
        "--partner",
        metavar="PARTNER",
        help="Whose questions: a or b (one file each, with that partner's private check), "
        "or both (no check: each partner adds theirs in a file of their own).",
    ),
    check_only: bool = typer.Option(
        False,
        "--check-only",
        help="Only the partner's private check, to pass beside a file for both (needs --partner).",
    ),
    a: str = typer.Option(
        "",
        "--a",
        metavar="NAME",
        click_type=NAME,
        help="Partner A's name, filled in and used in questions.",
    ),
    b: str = typer.Option(
        "",
        "--b",
        metavar="NAME",
        click_type=NAME,
        help="Partner B's name, filled in and used in questions.",
    ),
) -> None:
    """Print every question of a session as an answer file to fill in for `coach run`.

    Unanswered keys are "" (required) or commented out (optional). Each partner answers the
    private check alone, in their own file (--partner a, --partner b). Example:
    coach template --partner a --a Sam --b Alex > sam.toml
    """
    from coach.base.errors import UsageError
    from coach.content import PARTNERS, load_content
    from coach.domain.session import parse_steps
    from coach.domain.validity import names_or_defaults
    from coach.render.answer_template import template_document, template_toml
    from coach.render.json_out import write_json, write_utf8

    fmt = parse_format("template", output_format)
    if partner not in PARTNER_CHOICES:
        raise UsageError("--partner must be a, b or both")
    if check_only and partner == "both":
        raise UsageError("--check-only needs --partner a or b: each partner's check is their own")
    try:
        chosen_steps = parse_steps(steps)
    except ValueError as error:
        raise UsageError(f"--steps: {error}") from None
    given = _checked_names(a, b)
    partners = list(PARTNERS) if partner == "both" else [partner]
    content = load_content()
    measures = _measures() if len(partners) == 1 else ()
    if fmt is Format.JSON:
        names = names_or_defaults(given)
        document = template_document(
            content, chosen_steps, partners, names, check_only=check_only, measures=measures
        )
        write_json(document)
    else:
        text = template_toml(
            content, chosen_steps, partners, given, check_only=check_only, measures=measures
        )
        write_utf8(text)


def run_answers(
    answer_files: list[str] | None = typer.Option(
        None,
        "--answers",
        metavar="FILE",
        help="An answer file (TOML); - reads standard input. Repeat to merge files.",
    ),
    a: str = typer.Option(
        "",
        "--a",
        metavar="NAME",
        click_type=NAME,
        help="Partner A's name (overrides the files' partners table).",
    ),
    b: str = typer.Option(
        "",
        "--b",
        metavar="NAME",
        click_type=NAME,
        help="Partner B's name (overrides the files' partners table).",
    ),
    couple: str = typer.Option(
        "",
        "--couple",
        metavar="LABEL",
        click_type=LABEL,
        help="Label for this couple's history.",
        autocompletion=completion.couples,
    ),
    output_format: str = typer.Option(
        "text", "--format", "-f", metavar="FORMAT", help=f"One of: {choices('run')}."
    ),
    save: bool = typer.Option(
        True, "--save/--no-save", help="Save the session to your history, like an interactive one."
    ),
    rules: RulesOption = None,
    output: str | None = output_option(
        "Write the output here instead of standard output, only after a successful run."
    ),
    force: bool = FORCE_OPTION,
) -> None:
    """Run a whole session from answer files, with no questions asked (cron, CI, scripts).

    Each partner answers the private check in their own file (coach template --partner a).
    Prints the summary (text), the session as JSON, or the saved file (toml); a stop for today
    prints one line and saves nothing. Exit 1 lists every problem in the answers; nothing is
    saved then, and no -o file is written. Example:
    coach run --answers sam.toml --answers alex.toml --format json -o week.json
    """
    from coach.answers import answers_plan, session_from_answers
    from coach.app.sessions import answers_from_sources
    from coach.content import load_content
    from coach.domain.finish import finish_session
    from coach.domain.validity import clean_name
    from coach.rules import load_pack, resolve_pack_path
    from coach.store.output import output_target

    fmt = _check_run_options(answer_files, output_format, couple)
    target = output_target(output, force=force)  # refused before anything runs
    given = _checked_names(a, b)
    sources = _read_sources(answer_files or [])
    content = load_content()
    pack = load_pack(resolve_pack_path(rules), content)
    measures = _measures()
    answers = answers_from_sources(sources, content, given, measures)
    _print_support()  # on every run whose answers are good, first, whatever they hold
    if answers_plan(answers, measures) == "stop":
        width = _terminal_width() if target.to_stdout else PLAIN_WIDTH
        _write_output(_stop_text(fmt, width), target)
        return
    session = session_from_answers(
        answers,
        content,
        a=given["a"],
        b=given["b"],
        couple=clean_name(couple) or None,
        measures=measures,
    )
    inference = finish_session(session, content, pack)
    rendered = None
    if fmt is not Format.JSON:
        width = _terminal_width() if target.to_stdout else PLAIN_WIDTH
        rendered = _render_text(session, inference, content, fmt, width)
    saved = _save(session) if save else None
    _print_result(session, content, fmt, rendered, saved, target)


# --- options and files ---------------------------------------------------------------------


def _check_run_options(answer_files: list[str] | None, output_format: str, couple: str) -> Format:
    from coach.base.errors import UsageError
    from coach.domain.validity import option_names_problem

    fmt = parse_format("run", output_format)
    if not answer_files:
        raise UsageError(
            "coach run needs --answers FILE (- for standard input); "
            "make one with: coach template > answers.toml"
        )
    problem = option_names_problem(None, None, couple)
    if problem:
        raise UsageError(problem)
    return fmt


def _checked_names(a: str, b: str) -> dict[str, str | None]:
    """--a and --b, cleaned (coach.domain.validity.clean_name); None when not given."""
    from coach.base.errors import UsageError
    from coach.domain.validity import clean_name, option_names_problem

    problem = option_names_problem(a or None, b or None)
    if problem:
        raise UsageError(problem)
    return {"a": clean_name(a) or None, "b": clean_name(b) or None}


def _read_sources(answer_files: list[str]) -> list[tuple[str, bytes]]:
    """(name, bytes) for each --answers; an unreadable file is a usage error naming it."""
    from coach.answers import STDIN_NAME
    from coach.base.document import read_limited
    from coach.base.errors import UsageError

    sources: list[tuple[str, bytes]] = []
    seen: set[Path] = set()
    for name in answer_files:
        if name == "-":
            if any(n == STDIN_NAME for n, _ in sources):
                raise UsageError("--answers - (standard input) can be given only once")
            sources.append((STDIN_NAME, _read_stdin()))
            continue
        path = Path(name).expanduser()
        resolved = path.resolve()
        if resolved in seen:
            raise UsageError(f"--answers {name} is given twice")
        seen.add(resolved)
        sources.append((name, read_limited(path, "answer file", shown=name)))
    return sources


def _read_stdin() -> bytes:
    import sys

    from coach.base.document import MAX_FILE_BYTES
    from coach.base.errors import UsageError

    if sys.stdin is None:
        raise UsageError("--answers -: standard input is closed")
    from coach.base.document import read_limited_stream

    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream put in its place (tests do this)
        return sys.stdin.read(MAX_FILE_BYTES + 1).encode("utf-8")
    return read_limited_stream(buffer, "--answers - (standard input)")


# --- after the run -------------------------------------------------------------------------


def _measures() -> tuple[Measure, ...]:
    """The clinician measures in the data directory: each partner's check answers them too."""
    from coach.base import paths
    from coach.domain.measures import load_measures

    return load_measures(paths.data_dir())


def _print_support() -> None:
    """The same neutral line on standard error on every run, whatever was answered: nothing a
    run prints may depend on a disclosure, and a script cannot speak to one partner alone."""
    import sys
    import textwrap

    from coach.content.check_files import load_support

    print(textwrap.fill(load_support().scripted, _terminal_width()), file=sys.stderr)


def _stop_text(fmt: Format, width: int) -> str:
    """What a stop for today prints, whoever chose it and why: one line, in the format asked
    (as text, wrapped to the summary's width)."""
    import textwrap

    from coach.base.formats import JSON_SCHEMA_VERSION
    from coach.domain.pathway import plan_line
    from coach.render.json_out import to_json

    line = plan_line("stop", [])
    if fmt is Format.JSON:
        document = {
            "schema_version": JSON_SCHEMA_VERSION,
            "stopped": True,
            "message": line,
            "session": None,
            "saved_to": None,
        }
        return to_json(document)
    # As TOML, a comment: a document with no session in it, as nothing of it is saved.
    return f"# {line}\n" if fmt is Format.TOML else textwrap.fill(line, width) + "\n"


def _terminal_width() -> int:
    """The terminal's width (or $COLUMNS), kept within 40-200; 100 when there is none (cron)."""
    import shutil

    columns = shutil.get_terminal_size((PLAIN_WIDTH, 24)).columns
    return max(MIN_WIDTH, min(columns, MAX_WIDTH))


def _render_text(
    session: Session, inference: Inference, content: Content, fmt: Format, width: int
) -> str:
    from coach.render.summary import plain_summary
    from coach.store.format import session_to_text

    if fmt is Format.TOML:
        return session_to_text(session)
    return plain_summary(session, inference, content, width=width)


def _save(session: Session) -> Path:
    from coach.store.disk import ensure_data_dir
    from coach.store.files import save_session

    ensure_data_dir()
    return save_session(session)


def _print_result(
    session: Session,
    content: Content,
    fmt: Format,
    rendered: str | None,
    saved: Path | None,
    target: OutputTarget,
) -> None:
    import sys

    from coach.render.json_out import session_document, to_json

    if fmt is Format.JSON:
        text = to_json(session_document(session, content, saved_to=saved))
    elif fmt is Format.TEXT:
        ending = f"\nSaved: {shown_path(saved)}\n" if saved else "\nNot saved (--no-save).\n"
        text = (rendered or "") + ending
    else:
        text = rendered or ""
        if saved:
            # The TOML output is exactly the saved file; where it went is a note on stderr.
            print(f"Saved: {shown_path(saved)}", file=sys.stderr)
    _write_output(text, target)


def _write_output(text: str, target: OutputTarget) -> None:
    """Standard output, or the -o file: written last, when everything else has worked, so a
    failed run leaves no file behind."""
    import sys

    target.write(text)
    if target.path is not None:
        print(f"Wrote {shown_path(target.path)}", file=sys.stderr)
