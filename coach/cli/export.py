"""The export command: one session, or a couple's report, as md, html, svg, json or csv."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from coach.base.formats import choices
from coach.cli import completion
from coach.cli.options import FORCE_OPTION, LABEL, output_option, session_or_couple_argument

if TYPE_CHECKING:
    from coach.store.output import OutputTarget


def register(app: typer.Typer) -> None:
    from coach.cli.helptext import HISTORY

    app.command(rich_help_panel=HISTORY)(export)


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
    from coach.app import exporting
    from coach.store.output import output_target

    target = output_target(output, force=force)  # -o - is standard output, as for most tools
    fmt = exporting.choose_format(output_format, target.path, encrypt)
    exporting.check_request(
        fmt, to_stdout=target.to_stdout, encrypt=encrypt, session_id=session_id, couple=couple
    )
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


def _deliver(text: str, target: OutputTarget, *, encrypt: bool = False) -> None:
    import sys

    from coach.app.exporting import file_bytes

    if target.path is None:
        target.write(text if text.endswith("\n") else text + "\n")  # end on a line for shells
        return
    from coach.base.escape import shown_path

    data, store_encrypted = file_bytes(text, encrypt=encrypt)
    if encrypt:
        note = " (an age file: age -d -i recovery.txt opens it)"
    elif store_encrypted:
        note = " (plain text, not encrypted; --encrypt writes an age file)"
    else:
        note = ""
    target.write(data)
    print(f"Exported to {shown_path(target.path)}{note}", file=sys.stderr)
