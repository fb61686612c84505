"""The export command: one session, or a couple's report, as md, html, svg, json or csv."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from coach.base.errors import UsageError
from coach.base.formats import COMMAND_FORMATS, SUFFIXES, Format, choices, parse_format
from coach.cli import completion
from coach.cli.options import FORCE_OPTION, LABEL, output_option, session_or_couple_argument

if TYPE_CHECKING:
    from coach.store.output import OutputTarget

TO_FILE_ONLY = (Format.HTML, Format.SVG)


def register(app: typer.Typer) -> None:
    app.command()(export)


def export(
    session_id: str | None = session_or_couple_argument(),
    couple: str | None = typer.Option(
        None,
        "--couple",
        metavar="LABEL",
        click_type=LABEL,
        help="A report over this couple's finished sessions, with trend charts.",
        autocompletion=completion.couples,
    ),
    output_format: str | None = typer.Option(
        None,
        "--format",
        "-f",
        metavar="FORMAT",
        help=f"One of: {choices('export')}. Default: from the -o file's suffix, else md.",
    ),
    output: str | None = output_option(
        "Write here. Needed for html and svg; md, json and csv go to standard output without it."
    ),
    force: bool = FORCE_OPTION,
    anonymize: bool = typer.Option(
        False,
        "--anonymize",
        help='Names become "Partner A" and "Partner B" everywhere; free-text answers, '
        "facilitator notes and written homework are left out.",
    ),
    with_notes: bool = typer.Option(
        False,
        "--with-notes",
        help="Include the facilitator's notes (they are the facilitator's: left out by "
        "default; --anonymize leaves them out even so).",
    ),
    encrypt: bool = typer.Option(
        False,
        "--encrypt",
        help="Write an age file for this encrypted data directory's identity (needs -o FILE); "
        "without it an export is plain text.",
    ),
) -> None:
    """Export a session, or a couple's report, to hand over or keep.

    html is a document to read on a screen or a phone, or print on A4 or Letter: a couple's
    report has one chart per target (couple and each partner, rolling means), the CSI-4 chart,
    a table of the sessions and the newest session. svg is a picture: the terminal summary, or a
    couple's trend charts. Every export stands alone (nothing is fetched from the network) and
    carries the educational notice (csv: in a last column).

    Examples:
    coach export 20261125 -o session.html
    coach export --couple "Sam & Alex" -o report.html --anonymize
    """
    from coach.store.output import output_target

    target = output_target(output, force=force)  # -o - is standard output, as for most tools
    fmt = _choose_format(output_format, target.path, encrypt)
    if encrypt and target.to_stdout:
        raise UsageError("--encrypt writes an age file: add -o FILE (for example -o report.age)")
    if (session_id is None) == (couple is None):
        raise UsageError("name one session ID or one --couple, not both or neither")
    if target.to_stdout and fmt in TO_FILE_ONLY:
        raise UsageError(f"{fmt} is written to a file: add -o FILE (for example -o report.{fmt})")
    from coach.content import load_content
    from coach.render import export as exports

    content = load_content()
    if session_id is not None:
        from coach.store.lookup import load_session_by_ref

        session = load_session_by_ref(session_id)
        text = exports.export_session(
            session, content, fmt, anonymized=anonymize, with_notes=with_notes
        )
    else:
        from coach.app.reports import couple_report
        from coach.render.tables import warn_problems

        assert couple is not None  # checked above: exactly one of the two
        report = couple_report(couple, warn_problems)
        text = exports.export_report(
            report, content, fmt, anonymized=anonymize, with_notes=with_notes
        )
    _deliver(text, target, encrypt=encrypt)


def _choose_format(output_format: str | None, output: Path | None, encrypt: bool = False) -> Format:
    """The format: --format, else the -o file's suffix, else md. A suffix that names another
    format than --format, or that names none without --format (x.pdf), is a usage error rather
    than a file whose content does not match its name. With --encrypt the file may end in .age:
    the suffix before it (report.html.age) names the format."""
    fmt = None if output_format is None else parse_format("export", output_format)
    if output is not None and encrypt and output.suffix.lower() == ".age":
        output = output.with_suffix("")
    suffix = output.suffix.lower().lstrip(".") if output else ""
    implied = SUFFIXES.get(suffix)
    if fmt is None:
        if suffix and implied is None:
            raise UsageError(
                f"cannot tell the format from the suffix .{suffix}; use a file ending in "
                f"{', '.join('.' + f for f in COMMAND_FORMATS['export'])}, or give --format"
            )
        return implied or Format.MD
    if implied is not None and implied is not fmt:
        raise UsageError(
            f"--format {output_format} does not match the file's suffix .{suffix}; "
            f"change one of them"
        )
    return fmt


def _deliver(text: str, target: OutputTarget, *, encrypt: bool = False) -> None:
    import sys

    from coach.store import vault

    if target.path is None:
        target.write(text if text.endswith("\n") else text + "\n")  # end on a line for shells
        return
    from coach.base.escape import shown_path

    if encrypt:
        if not vault.is_encrypted():
            raise UsageError("--encrypt needs an encrypted data directory (see coach encrypt)")
        from coach.store import crypto

        data = crypto.encrypt(text.encode("utf-8"), vault.keys())
        note = " (an age file: age -d -i recovery.txt opens it)"
    else:
        data = text.encode("utf-8")
        plain = " (plain text, not encrypted; --encrypt writes an age file)"
        note = plain if vault.is_encrypted() else ""
    target.write(data)
    print(f"Exported to {shown_path(target.path)}{note}", file=sys.stderr)
