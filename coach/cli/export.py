"""The export command: one session, or a couple's report, as md, html, svg, json or csv."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from coach.errors import UsageError, did_you_mean

if TYPE_CHECKING:
    from coach.render.export import CoupleReport

FORMATS = ("md", "html", "svg", "json", "csv")  # coach.render.export.FORMATS
TO_FILE_ONLY = ("html", "svg")
SUFFIXES = {"md": "md", "markdown": "md", "html": "html", "htm": "html", "svg": "svg"}
SUFFIXES |= {"json": "json", "csv": "csv"}


def register(app: typer.Typer) -> None:
    app.command()(export)


def export(
    session_id: str | None = typer.Argument(
        None, metavar="ID", help="Session id or unique prefix (or use --couple)."
    ),
    couple: str | None = typer.Option(
        None, "--couple", help="A report over this couple's finished sessions, with trend charts."
    ),
    output_format: str | None = typer.Option(
        None,
        "--format",
        "-f",
        help=f"One of: {', '.join(FORMATS)}. Default: from the -o file's suffix, else md.",
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help="Write here (atomically, readable by you only). Needed for html and svg; "
        "md, json and csv go to standard output without it.",
    ),
    anonymize: bool = typer.Option(
        False,
        "--anonymize",
        help='Names become "Partner A" and "Partner B" everywhere; free-text answers, '
        "facilitator notes and written homework are left out.",
    ),
    encrypt: bool = typer.Option(
        False,
        "--encrypt",
        help="Write an age file for this encrypted data directory's identity (needs -o FILE); "
        "without it an export is plain text.",
    ),
) -> None:
    """Export a session, or a couple's report, to hand over or keep.

    html and svg are the terminal summary recorded as a page or picture; a couple's html report
    adds line charts of the scores and CSI-4 totals. Every export stands alone (nothing is
    fetched from the network) and ends with the educational notice.

    Examples: coach export 20261125 -o session.html
              coach export --couple "Sam & Alex" -o report.html --anonymize
    """
    fmt = _choose_format(output_format, output)
    if encrypt and output is None:
        raise UsageError("--encrypt writes an age file: add -o FILE (for example -o report.age)")
    if (session_id is None) == (couple is None):
        raise UsageError("name one session ID or one --couple, not both or neither")
    if output is None and fmt in TO_FILE_ONLY:
        raise UsageError(f"{fmt} is written to a file: add -o FILE (for example -o report.{fmt})")
    from coach.content import load_content
    from coach.render import export as exports

    content = load_content()
    if session_id is not None:
        from coach.store import files

        session = files.load_session_by_ref(session_id)
        text = exports.export_session(session, content, fmt, anonymized=anonymize)
    else:
        assert couple is not None  # checked above: exactly one of the two
        text = exports.export_report(_report(couple), content, fmt, anonymized=anonymize)
    _deliver(text, output, encrypt)


def _choose_format(output_format: str | None, output: Path | None) -> str:
    if output_format is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        return SUFFIXES.get(suffix, "md")
    if output_format not in FORMATS:
        hint = did_you_mean(output_format, FORMATS)
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}{hint}")
    return output_format


def _report(couple: str) -> CoupleReport:
    from coach.errors import NotFoundError
    from coach.render.export import CoupleReport
    from coach.render.tables import warn_problems
    from coach.store import files, index

    warn_problems(index.refresh_index())
    rows = list(index.history(couple=couple, status="finished", refresh=False))
    if not rows:
        known = sorted({row.couple for row in index.history(status="finished", refresh=False)})
        raise NotFoundError(
            f'no finished sessions for the couple "{couple}"{did_you_mean(couple, known)}'
        )
    rows.reverse()  # oldest first, as a trend reads
    return CoupleReport(rows[-1].couple, tuple(rows), files.load_session(rows[-1].path))


def _deliver(text: str, output: Path | None, encrypt: bool = False) -> None:
    import sys

    from coach.render.json_out import write_utf8
    from coach.store import vault

    if output is None:
        write_utf8(text if text.endswith("\n") else text + "\n")  # end on a line for shells
        return
    from coach.store.files import atomic_write_bytes, atomic_write_text

    if encrypt:
        if not vault.is_encrypted():
            raise UsageError("--encrypt needs an encrypted data directory (see coach encrypt)")
        from coach.store import crypto

        atomic_write_bytes(output, crypto.encrypt(text.encode("utf-8"), vault.keys()))
        print(
            f"Exported to {output} (an age file: age -d -i recovery.txt opens it)", file=sys.stderr
        )
        return
    atomic_write_text(output, text)
    plain = " (plain text, not encrypted; --encrypt writes an age file)"
    print(f"Exported to {output}{plain if vault.is_encrypted() else ''}", file=sys.stderr)
