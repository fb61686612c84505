"""Two terminals: `coach start --mode apart` (via coach.cli.session), `coach join` and
`coach room-key`. Thin: the room is coach.app.rooms's, the asking coach.ask.apart_screens's."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from coach.base.errors import UsageError
from coach.cli.helptext import DATA, SESSIONS
from coach.cli.options import RulesOption

if TYPE_CHECKING:
    from coach.app.rooms import Apart
    from coach.ask.safety_flow import Safety
    from coach.content import Content
    from coach.domain.session import Session
    from coach.rules import RulePack


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=SESSIONS)(join)


def register_data(app: typer.Typer) -> None:
    app.command("room-key", rich_help_panel=DATA)(room_key)


def apart_mode(mode: str, room: Path | None, facilitated: bool) -> bool:
    """Whether `coach start` opens a room; UsageError for options that do not go with it."""
    if room is not None and mode != "apart":
        raise UsageError("--room goes with --mode apart")
    if mode == "apart" and facilitated:
        raise UsageError("--mode apart has no facilitator: leave out --facilitator and --timer")
    return mode == "apart"


def start_apart(session: Session, room: Path | None, rules: Path | None) -> None:
    """`coach start --mode apart`: open the room for partner a, then run this terminal."""
    from coach.app.rooms import Apart

    loaded = _loaded(rules)
    _checked_before_terminal()
    apart = Apart.start(room)
    apart.keep(session)
    _run(apart, loaded)


def join(
    room: Path = typer.Argument(
        ..., metavar="DIR", help="The room folder the other terminal printed."
    ),
    rules: RulesOption = None,
) -> None:
    """Join a two-terminal room, or continue your part of one.

    Example: coach join ~/Sync/coach-room
    """
    from coach.app.rooms import Apart

    loaded = _loaded(rules)
    _checked_before_terminal()
    _run(Apart.join(room.expanduser()), loaded)


def room_key(
    delete: bool = typer.Option(
        False, "--delete", help="Delete your room key (and your records of rooms)."
    ),
) -> None:
    """Show or delete your key for two-terminal rooms (made on first use).

    Example: coach room-key --delete
    """
    from coach.base.escape import shown_path
    from coach.store import room_files

    if delete:
        removed = room_files.delete_room_key()
        print(f"Deleted: {shown_path(removed)}" if removed else "There is no room key to delete.")
        return
    if not room_files.identity_path().exists():
        print("There is no room key yet; coach start --mode apart or coach join makes one.")
        return
    keys = room_files.room_keys(create=False)
    print(f"{shown_path(room_files.identity_path())}\npublic key: {keys.recipient}")


def _checked_before_terminal() -> None:
    from coach.base.stdio import stdin_is_terminal

    if not stdin_is_terminal():
        raise UsageError(
            "two-terminal rooms ask questions and need an interactive terminal, but standard "
            "input is not one"
        )


def _loaded(rules: Path | None) -> tuple[Content, RulePack, Safety]:
    """Everything that can fail, checked before the terminal and the room (as coach start)."""
    from coach.ask.apart_screens import safety_here
    from coach.content import load_content
    from coach.domain.risk_text import classifier
    from coach.rules import load_pack, resolve_pack_path

    content = load_content()
    pack = load_pack(resolve_pack_path(rules), content)
    classifier()
    return content, pack, safety_here()


def _run(apart: Apart, loaded: tuple[Content, RulePack, Safety]) -> None:
    from coach.ask.apart_screens import run_with_console
    from coach.ask.guided import Interrupted

    try:
        run_with_console(apart, *loaded)
    except Interrupted as stop:
        raise typer.Exit(stop.exit_code) from None
