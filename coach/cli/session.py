"""Session commands: start, resume and demo."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from coach.cli import completion
from coach.cli.options import WORD, RulesOption
from coach.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from coach.content import Content
    from coach.session import Session

NOT_A_TERMINAL = (
    "{command} asks questions and needs an interactive terminal, but standard input is not one. "
    "To run a session without a terminal: coach template > answers.toml, fill it in, then "
    "coach run --answers answers.toml"
)


def register(app: typer.Typer) -> None:
    app.command()(start)
    app.command()(resume)
    app.command()(demo)


def _require_terminal(command: str) -> None:
    # A closed standard input (`coach start <&-`) is no terminal either.
    if sys.stdin is None or not sys.stdin.isatty():
        raise UsageError(NOT_A_TERMINAL.format(command=command))


def start(
    a: str = typer.Option(
        ..., "--a", metavar="NAME", help="Partner A's name (A opens the first step)."
    ),
    b: str = typer.Option(..., "--b", metavar="NAME", help="Partner B's name."),
    mode: str = typer.Option(
        "together",
        "--mode",
        metavar="MODE",
        help="together: both see every question. private: a hand-off screen between partners "
        "and answers stay hidden until the summary.",
    ),
    couple: str = typer.Option(
        "",
        "--couple",
        metavar="LABEL",
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
    from coach.session import MODES, new_session_id, now, parse_steps
    from coach.session import Session as SessionModel
    from coach.validity import default_couple_label, option_names_problem

    # Options first: a wrong option is named even without a terminal (then the terminal check).
    if mode not in MODES:
        raise UsageError(f'--mode must be "together" or "private", not "{mode}"')
    names_problem = option_names_problem(a, b, couple)
    if names_problem:
        raise UsageError(names_problem)
    try:
        chosen_steps = parse_steps(steps)
    except ValueError as error:
        raise UsageError(f"--steps: {error}") from None
    try:
        timer_seconds = _parse_timer(timer, facilitator)
    except ValueError as error:
        raise UsageError(str(error)) from None
    created = now()
    session = SessionModel(
        id=new_session_id(created),
        created=created,
        partners={"a": a.strip(), "b": b.strip()},
        mode="private" if mode == "private" else "together",
        couple=couple.strip() or default_couple_label(a, b),
        steps=chosen_steps,
        facilitated=facilitator,
        # Empty tables record that the check-in was asked for, so a pause before its first
        # item still asks it on resume.
        checkin={"a": {}, "b": {}} if checkin else {},
    )
    _run_guided("coach start", session, rules, timer_seconds=timer_seconds, want_checkin=checkin)


def _parse_timer(timer: str, facilitator: bool) -> int | None:
    from coach.timer import parse_duration

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
    from coach.errors import DataError
    from coach.store import files as store

    store.ensure_data_dir()
    path = store.find_session_path(session_id, drafts_only=session_id is None)
    session = store.load_session(path)
    if not session.is_draft:
        raise DataError(
            f"session {session.id} is already finished; see it with: coach show {session.id}"
        )
    _run_guided("coach resume", session, rules, timer_seconds=None, want_checkin=False)


def _run_guided(
    command: str,
    session: Session,
    rules: Path | None,
    *,
    timer_seconds: int | None,
    want_checkin: bool,
) -> None:
    from rich.console import Console

    from coach.content import load_content
    from coach.interactive import GuidedSession, Interrupted
    from coach.rules import load_pack, resolve_pack_path
    from coach.store import files as store

    # Everything that can fail is checked before the first question is asked, and every
    # option (the rule pack too) before the terminal, so that a wrong one is named as such.
    content = load_content()
    pack = load_pack(resolve_pack_path(rules), content)
    _require_terminal(command)
    store.ensure_data_dir()
    guided = GuidedSession(
        session,
        content,
        pack,
        Console(),
        save=store.save_session,
        timer_seconds=timer_seconds,
        want_checkin=want_checkin,
    )
    try:
        guided.run()
    except Interrupted as stop:
        raise typer.Exit(stop.exit_code) from None


def demo(
    save: bool = typer.Option(False, "--save", help="Save the sample session to your history."),
    rules: RulesOption = None,
) -> None:
    """Run a full sample session with built-in answers: no input, no terminal needed.

    Example: coach demo
    """
    from importlib import resources

    from rich.console import Console

    from coach.answers import parse_answer_text, session_from_answers
    from coach.content import load_content
    from coach.render.summary import print_summary
    from coach.rules import load_pack, resolve_pack_path
    from coach.workflow import finish_session

    content = load_content()
    pack = load_pack(resolve_pack_path(rules), content)
    text = resources.files("coach.content").joinpath("demo.toml").read_text(encoding="utf-8")
    answers = parse_answer_text(text, "demo.toml", content)
    session = session_from_answers(answers, content)
    from coach.render.pager import paged

    inference = finish_session(session, content, pack)
    saved = None
    if save:
        from coach.store import files as store

        store.ensure_data_dir()
        saved = store.save_session(session)
    with paged(Console()) as console:
        _print_transcript(console, session, content)
        print_summary(console, session, inference, content)
        if saved:
            console.print(f"\nSaved: {saved}", style="dim")
        else:
            console.print("\nThis demo was not saved (add --save to keep it).", style="dim")


def _print_transcript(console: Console, session: Session, content: Content) -> None:
    """Show the sample answers step by step, as a session would have asked them."""
    from rich.padding import Padding
    from rich.text import Text

    from coach.render.escape import neutralise

    answers = session.answer_map()
    console.print(
        Text(
            f"A sample session with {session.partners['a']} and {session.partners['b']}, "
            "answered from built-in answers.",
            style="bold magenta",
        )
    )
    for number in session.steps:
        step = content.step(number)
        console.print(Text(f"\nStep {number} of 5: {step.title}", style="bold cyan"))
        console.print(Text(step.shown, style="dim"))
        for prompt in step.prompts_in_order():
            if prompt.id not in answers:
                continue
            name = session.partners[prompt.partner]
            question = Text(f"{name}: {prompt.render_text(session.partners)}")
            answer = Text(f"→ {neutralise(prompt.describe(answers[prompt.id]))}", style="green")
            console.print(Padding(question, (0, 0, 0, 2)))
            console.print(Padding(answer, (0, 0, 0, 4)))
    console.print()
