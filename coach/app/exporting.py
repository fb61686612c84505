"""What `coach export` checks and how its file is sealed: the format (asked for, or implied by
the file's suffix, which must agree), the formats that only go to a file, one session or one
couple, and an age file for an encrypted data directory's identity."""

from __future__ import annotations

from pathlib import Path

from coach.base.errors import UsageError
from coach.base.formats import COMMAND_FORMATS, SUFFIXES, Format, parse_format

TO_FILE_ONLY = (Format.HTML, Format.SVG)


def choose_format(output_format: str | None, output: Path | None, encrypt: bool = False) -> Format:
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


def check_request(
    fmt: Format, *, to_stdout: bool, encrypt: bool, session_id: str | None, couple: str | None
) -> None:
    """An export is of one session or one couple; an age file, html and svg go to a file."""
    if encrypt and to_stdout:
        raise UsageError("--encrypt writes an age file: add -o FILE (for example -o report.age)")
    if (session_id is None) == (couple is None):
        raise UsageError("name one session ID or one --couple, not both or neither")
    if to_stdout and fmt in TO_FILE_ONLY:
        raise UsageError(f"{fmt} is written to a file: add -o FILE (for example -o report.{fmt})")


def file_bytes(text: str, *, encrypt: bool) -> tuple[bytes, bool]:
    """The export file's bytes (an age file for the store's identity when `encrypt`), and
    whether the data directory is encrypted (a plain export beside it is worth a note)."""
    from coach.store import vault

    encrypted = vault.is_encrypted()
    if not encrypt:
        return text.encode("utf-8"), encrypted
    if not encrypted:
        raise UsageError("--encrypt needs an encrypted data directory (see coach vault encrypt)")
    from coach.store import crypto

    return crypto.encrypt(text.encode("utf-8"), vault.keys()), encrypted
