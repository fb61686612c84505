"""History commands: list, show and delete saved sessions."""

from __future__ import annotations

import typer

from coach.errors import UsageError

SHOW_FORMATS = ("text", "json", "toml")


def register(app: typer.Typer) -> None:
    app.command("list")(list_sessions)
    app.command()(show)
    app.command()(delete)


def list_sessions(
    couple: str = typer.Option(None, "--couple", help="Only this couple's sessions."),
    status: str = typer.Option(None, "--status", help="finished or draft."),
) -> None:
    """List saved sessions, newest first: id, date, couple, partners, status and a headline.

    Example: coach list --status draft
    """
    from coach.render.tables import print_history

    if status not in (None, "finished", "draft"):
        raise UsageError('--status must be "finished" or "draft"')
    print_history(couple=couple, status=status, since=None, until=None)


def show(
    session_id: str = typer.Argument(..., metavar="ID", help="Session id or unique prefix."),
    output_format: str = typer.Option(
        "text", "--format", "-f", help=f"One of: {', '.join(SHOW_FORMATS)}."
    ),
) -> None:
    """Show a saved session's summary again, from its file.

    Example: coach show 20261125 --format json
    """
    from rich.console import Console

    from coach.content import load_content
    from coach.render.summary import print_summary
    from coach.store import files as store
    from coach.workflow import stored_inference

    if output_format not in SHOW_FORMATS:
        raise UsageError(f"--format must be one of {', '.join(SHOW_FORMATS)}")
    session = store.load_session_by_ref(session_id)
    content = load_content()
    if output_format == "toml":
        print(store.session_to_text(session), end="")
        return
    if output_format == "json":
        from coach.render.json_out import session_document, write_json

        write_json(session_document(session, content, saved_to=None))
        return
    console = Console()
    if session.is_draft:
        console.print(
            f"Session {session.id} is a draft with {len(session.answers)} answers; "
            f"continue it with: coach resume {session.id}"
        )
        return
    print_summary(console, session, stored_inference(session), content)


def delete(
    session_id: str = typer.Argument(..., metavar="ID", help="Session id or unique prefix."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete a saved session and its index entry.

    Example: coach delete 20261125-193000 --yes
    """
    import sys

    from coach.store import files as store

    path = store.find_session_path(session_id)
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(
                "coach delete asks for confirmation; pass --yes to delete without a terminal"
            )
        from coach import prompts

        if not prompts.ask_yes_no(f"Delete {path.name} for good?"):
            print("Nothing deleted.")
            return
    removed = store.delete_session(path.stem)
    print(f"Deleted {removed}")
