"""Commands on one saved session for the facilitator and the couple: show (the summary again,
as the couple may see it, or the facilitator's own view) and notes (the facilitator's notes,
added after the couple has left)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from coach.base.formats import Format, choices, parse_format
from coach.cli import completion
from coach.cli.options import WORD

if TYPE_CHECKING:
    from coach.domain.session import Session

ID_ARGUMENT = typer.Argument(
    ...,
    metavar="ID",
    click_type=WORD,
    help="Session id or unique prefix.",
    autocompletion=completion.session_ids,
)


def show(
    session_id: str = ID_ARGUMENT,
    output_format: str = typer.Option(
        "text", "--format", "-f", metavar="FORMAT", help=f"One of: {choices('show')}."
    ),
    facilitator: bool = typer.Option(
        False,
        "--facilitator",
        help="The facilitator's own view: with the facilitator's notes and both partners' "
        "CSI-4 totals, whatever the partners agreed to show to both. Not for the couple's eyes.",
    ),
) -> None:
    """Show a saved session's summary again, from its file.

    As the couple may see it: no facilitator's notes, and CSI-4 totals only when both partners
    said yes to showing them to both (--facilitator shows both). toml is the file as saved,
    with the same parts left out unless --facilitator.

    Example: coach show 20261125 --format json
    """
    from coach.content import load_content
    from coach.render.summary import print_saved_summary
    from coach.store.format import session_to_text
    from coach.store.lookup import load_session_by_ref

    fmt = parse_format("show", output_format)
    session = load_session_by_ref(session_id)
    content = load_content()
    if fmt is Format.TOML:
        print(session_to_text(session if facilitator else couple_view(session)), end="")
        return
    if fmt is Format.JSON:
        from coach.render.json_out import session_document, write_json

        document = session_document(
            session, content, saved_to=None, with_notes=facilitator, all_totals=facilitator
        )
        write_json(document)
        return
    print_saved_summary(session, content, with_notes=facilitator, all_totals=facilitator)


def couple_view(session: Session) -> Session:
    """The saved session without what the couple may not see together: the facilitator's notes,
    and the CSI-4 answers unless both partners said yes to showing them to both."""
    from dataclasses import replace

    if session.checkin_shown_to_both:
        return replace(session, notes={})
    # Neither the answers nor who said yes: that one partner declined is theirs alone.
    return replace(session, notes={}, checkin={}, checkin_shared={})


def notes(
    session_id: str = ID_ARGUMENT,
    step: int = typer.Option(
        ..., "--step", "-s", metavar="N", min=1, max=5, help="The step the note is about (1-5)."
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Replace the step's note (without it, the new text is added)."
    ),
) -> None:
    """Add the facilitator's note for one step to a saved session, after the couple has left.

    The note is read from standard input (pipe it in, or type it at the prompt), never from
    the command line: notes are private, and arguments show in process lists and shell
    history. Nothing is written to a temporary file, so an encrypted data directory stays
    encrypted. Notes are the facilitator's: coach show --facilitator and coach export
    --with-notes show them; the couple's views leave them out.

    Example: coach notes 20261125 --step 3 < note.txt
    """
    from coach.base.errors import UsageError
    from coach.base.escape import shown_path
    from coach.content import MAX_TEXT_LENGTH
    from coach.store.files import load_session, save_session, session_lock
    from coach.store.lookup import find_session_path

    path = find_session_path(session_id)
    text = _read_note(step).strip()
    if not text:
        raise UsageError("no note was given (standard input was empty); nothing changed")
    with session_lock(path.stem):  # load, add, save: no other save in between is lost
        session = load_session(path)
        if step not in session.steps:
            covered = ", ".join(map(str, session.steps)) or "none"
            raise UsageError(f"session {session.id} did not cover step {step} (covered: {covered})")
        earlier = session.notes.get(step, "")
        note = text if replace or not earlier else f"{earlier}\n\n{text}"
        if len(note) > MAX_TEXT_LENGTH:
            raise UsageError(
                f"the step {step} note would be {len(note):,} characters; the limit is "
                f"{MAX_TEXT_LENGTH:,} (nothing changed; --replace starts it again)"
            )
        session.notes[step] = note
        saved = save_session(session)
    verb = "Replaced" if replace and earlier else "Added"
    print(f"{verb} the facilitator's note for step {step}: {shown_path(saved)}")


def _piped_note(step: int, limit: int) -> str:
    """Standard input as text, read no further than the limit allows (a pipe that never ends,
    /dev/zero say, is refused, not read until memory runs out); bytes that are not UTF-8 are
    refused here with one line, before anything is loaded or saved."""
    import sys

    from coach.base.errors import UsageError

    most = 4 * limit  # a character is at most four bytes in UTF-8
    stream = getattr(sys.stdin, "buffer", None)
    raw = stream.read(most + 1) if stream is not None else sys.stdin.read(limit + 1).encode()
    if len(raw) > most:
        raise UsageError(
            f"the step {step} note is longer than {limit:,} characters; the limit is "
            f"{limit:,} (nothing changed)"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"the note is not UTF-8 text (byte {error.start + 1} is not); save it as UTF-8 "
            "(nothing changed)"
        ) from None


def _read_note(step: int) -> str:
    """The note: all of standard input when piped, else typed at a prompt (never argv)."""

    from coach.base.stdio import stdin_is_terminal
    from coach.content import MAX_TEXT_LENGTH

    if not stdin_is_terminal():
        return _piped_note(step, MAX_TEXT_LENGTH)
    from coach.ask import prompts

    def within_limit(value: str) -> str | None:
        too_long = len(value) > MAX_TEXT_LENGTH
        return f"Please keep this under {MAX_TEXT_LENGTH:,} characters." if too_long else None

    return prompts.ask_text(
        f"Facilitator's note for step {step}:",
        validate=within_limit,
        instruction="Type the note, then Enter (Ctrl-C leaves everything as it was).",
    )
