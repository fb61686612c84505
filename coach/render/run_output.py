"""What `coach run` prints: the support line, a stop's one line, and the result in the format
asked (the summary as text, the session as JSON, or the saved file as TOML)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coach.base.escape import shown_path
from coach.base.formats import Format

if TYPE_CHECKING:
    from coach.content import Content
    from coach.domain.session import Session
    from coach.rules import Inference

PLAIN_WIDTH = 100  # the summary's width in a file, or with no terminal and no $COLUMNS
MIN_WIDTH, MAX_WIDTH = 40, 200


def terminal_width() -> int:
    """The terminal's width (or $COLUMNS), kept within 40-200; 100 when there is none (cron)."""
    import shutil

    columns = shutil.get_terminal_size((PLAIN_WIDTH, 24)).columns
    return max(MIN_WIDTH, min(columns, MAX_WIDTH))


def summary_width(to_stdout: bool) -> int:
    """The terminal's width for standard output; PLAIN_WIDTH for a file."""
    return terminal_width() if to_stdout else PLAIN_WIDTH


def support_line() -> str:
    """The same neutral line on every run, whatever was answered (for standard error): nothing
    a run prints may depend on a disclosure, and a script cannot speak to one partner alone."""
    import textwrap

    from coach.content.check_files import load_support

    return textwrap.fill(load_support().scripted, terminal_width())


def stop_text(fmt: Format, width: int) -> str:
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


def summary_text(session: Session, inference: Inference, content: Content, width: int) -> str:
    from coach.render.summary import plain_summary

    return plain_summary(session, inference, content, width=width)


def result_text(
    session: Session, content: Content, fmt: Format, rendered: str | None, saved: Path | None
) -> tuple[str, str | None]:
    """The output, and a note for standard error (None: no note). `rendered` is the summary
    (text) or the saved file (toml), made before the session was saved."""
    from coach.render.json_out import session_document, to_json

    if fmt is Format.JSON:
        return to_json(session_document(session, content, saved_to=saved)), None
    if fmt is Format.TEXT:
        ending = f"\nSaved: {shown_path(saved)}\n" if saved else "\nNot saved (--no-save).\n"
        return (rendered or "") + ending, None
    # The TOML output is exactly the saved file; where it went is a note on stderr.
    return rendered or "", f"Saved: {shown_path(saved)}" if saved else None
