"""Session commands: start, resume and demo."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from coach.base.errors import EXIT_INTERRUPTED, UsageError
from coach.cli import completion
from coach.cli.options import LABEL, NAME, WORD, RulesOption

if TYPE_CHECKING:
    from coach.ask.safety_flow import Safety
    from coach.ask.terminal import EndingSignals
    from coach.domain.session import Session

NOT_A_TERMINAL = (
    "{command} asks questions and needs an interactive terminal, but standard input is not one. "
    "To run a session without a terminal: coach template > answers.toml, fill it in, then "
    "coach run --answers answers.toml"
)


def register(app: typer.Typer) -> None:
    from coach.cli.helptext import SESSIONS

    app.command(rich_help_panel=SESSIONS)(start)
    app.command(rich_help_panel=SESSIONS)(resume)
    app.command(rich_help_panel=SESSIONS)(demo)


def _require_terminal(command: str) -> None:
    from coach.base.stdio import stdin_is_terminal

    if not stdin_is_terminal():
        raise UsageError(NOT_A_TERMINAL.format(command=command))


def start(
    a: str = typer.Option(
        ...,
        "--a",
        metavar="NAME",
        click_type=NAME,
        help="Partner A's name (A opens the first step).",
    ),
    b: str = typer.Option(..., "--b", metavar="NAME", click_type=NAME, help="Partner B's name."),
    mode: str = typer.Option(
        "together",
        "--mode",
        metavar="MODE",
        help="together: both see every question. private: a hand-off screen between partners "
        "and answers stay hidden until the summary. apart: each partner on their own terminal "
        "(coach join; see docs/two-terminals.md).",
    ),
    room: Path | None = typer.Option(
        None,
        "--room",
        metavar="DIR",
        help="With --mode apart: the room folder both terminals reach (default: a new private "
        "folder on this machine, printed).",
    ),
    couple: str = typer.Option(
        "",
        "--couple",
        metavar="LABEL",
        click_type=LABEL,
        help='Label for this couple\'s history (default: "A & B").',
        autocompletion=completion.couples,
    ),
    facilitator: bool = typer.Option(
        False, "--facilitator", help="Facilitator briefs, notes per step and homework."
    ),
    steps: str = typer.Option(
        "1-5", "--steps", metavar="STEPS", help="Steps to cover, e.g. 1,3,4 or 2-5."
    ),
    timer: str = typer.Option(
        "",
        "--timer",
        metavar="DURATION",
        help="With --facilitator: time each step's conversation, e.g. 5m or 90s.",
    ),
    checkin: bool = typer.Option(
        False, "--checkin", help="Begin with the CSI-4 check-in, answered privately by each."
    ),
    rules: RulesOption = None,
) -> None:
    """Start a guided session for two partners at this terminal.

    Example: coach start --a Sam --b Alex --mode private
    """
    from coach.app.sessions import new_session
    from coach.cli.apart import apart_mode

    apart = apart_mode(mode, room, facilitator or bool(timer))
    # Options first: a wrong option is named even without a terminal (then the terminal check).
    modes = "private" if apart else mode
    session = new_session(
        a=a, b=b, mode=modes, couple=couple, steps=steps, facilitated=facilitator, checkin=checkin
    )
    if apart:
        from coach.cli.apart import start_apart

        start_apart(session, room, rules)
        return
    try:
        timer_seconds = _parse_timer(timer, facilitator)
    except ValueError as error:
        raise UsageError(str(error)) from None
    _run_guided("coach start", session, rules, timer_seconds=timer_seconds, want_checkin=checkin)


def _parse_timer(timer: str, facilitator: bool) -> int | None:
    from coach.ask.timer import parse_duration

    if not timer:
        return None
    if not facilitator:
        raise ValueError("--timer goes with --facilitator")
    return parse_duration(timer)


def resume(
    session_id: str = typer.Argument(
        None,
        metavar="[ID]",
        click_type=WORD,
        help="Draft id or unique prefix (default: the newest draft).",
        autocompletion=completion.draft_ids,
    ),
    rules: RulesOption = None,
) -> None:
    """Continue a paused session at its first unanswered question.

    Example: coach resume 20261125-1930
    """
    from coach.app.sessions import draft_to_resume

    session = draft_to_resume(session_id)
    _run_guided("coach resume", session, rules, timer_seconds=None, want_checkin=False)


def _run_guided(
    command: str,
    session: Session,
    rules: Path | None,
    *,
    timer_seconds: int | None,
    want_checkin: bool,
) -> None:
    from coach.ask.guided import GuidedSession, Interrupted
    from coach.ask.terminal import EndingSignals
    from coach.content import load_content
    from coach.domain.risk_text import classifier
    from coach.render.console import terminal_console
    from coach.rules import load_pack, resolve_pack_path
    from coach.store.disk import ensure_data_dir
    from coach.store.files import save_session

    # Everything that can fail is checked before the first question is asked, and every
    # option (the rule pack too) before the terminal, so that a wrong one is named as such.
    content = load_content()
    pack = load_pack(resolve_pack_path(rules), content)
    classifier()  # the free-text lexicon, a clinician's files with it: a broken one is named now
    safety = _safety()
    _require_terminal(command)
    ensure_data_dir()
    guided = GuidedSession(
        session,
        content,
        pack,
        terminal_console(),
        save=save_session,
        timer_seconds=timer_seconds,
        want_checkin=want_checkin,
        safety=safety,
        flag=_flag_for_facilitator,
    )
    with EndingSignals() as ending:
        try:
            guided.run()  # a stop for today and the quick exit end here too, with status 0
        except Interrupted as stop:
            raise typer.Exit(_exit_status(ending, stop.exit_code)) from None
        except (KeyboardInterrupt, OSError):
            # A signal outside the session's own pause (a save, the summary), or a terminal
            # that hung up under the pause's message: the draft is on disk; the screen is left
            # without anything private on it, and the exit status says what happened.
            if ending.received is None:
                raise
            guided.screen.leave()
            raise typer.Exit(_exit_status(ending, EXIT_INTERRUPTED)) from None
    if ending.received is not None:  # arrived as the last answer was given: all saved
        raise typer.Exit(_exit_status(ending, EXIT_INTERRUPTED))


def _exit_status(ending: EndingSignals, status: int) -> int:
    """130 after Ctrl-C; after SIGTERM or SIGHUP, 128 + its number, with one line saying so."""
    import sys

    from coach.ask.terminal import signal_exit_status, signal_name

    if ending.received is None:
        return status
    status = signal_exit_status(ending.received)
    line = (
        f"coach: ended by {signal_name(ending.received)} (exit {status}); "
        "every answer given so far is kept"
    )
    with contextlib.suppress(OSError, ValueError):  # a terminal that hung up takes nothing
        print(_fitted(line), file=sys.stderr)
    return status


def _safety() -> Safety:
    """The check, the support lines for this country and any clinician measures (checked now,
    before the terminal, like a rule pack)."""
    import os

    from coach.ask.safety_flow import Safety
    from coach.base import paths
    from coach.content.check_files import load_check, load_support
    from coach.domain.measures import load_measures
    from coach.domain.support import resolve_country
    from coach.store.settings import saved_country

    country = resolve_country(os.environ, saved_country())
    measures = load_measures(paths.data_dir())
    return Safety(load_check(), load_support(), country, measures)


def _flag_for_facilitator(couple: str) -> None:
    from coach.domain.session import now
    from coach.store.flags import add_flag

    add_flag(couple, now())


def _fitted(line: str) -> str:
    """At a terminal, `line` wrapped at word boundaries to its width (a narrow terminal would
    break it mid-word); to a pipe or a log, one line."""
    import shutil
    import sys
    import textwrap

    if not sys.stderr.isatty():
        return line
    width = max(20, shutil.get_terminal_size().columns - 1)
    return "\n".join(textwrap.wrap(line, width, subsequent_indent="  ", break_on_hyphens=False))


def demo(
    save: bool = typer.Option(False, "--save", help="Save the sample session to your history."),
    rules: RulesOption = None,
) -> None:
    """Run a full sample session with built-in answers: no input, no terminal needed.

    Example: coach demo
    """
    from coach.app.sessions import run_demo
    from coach.content import load_content
    from coach.render.transcript import print_demo
    from coach.rules import load_pack, resolve_pack_path

    content = load_content()
    pack = load_pack(resolve_pack_path(rules), content)
    session, inference, saved = run_demo(content, pack, save=save)
    print_demo(session, inference, content, saved)
