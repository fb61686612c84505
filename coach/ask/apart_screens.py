"""Two terminals (issue 22): one partner's terminal in a room, asking only their questions.

The same screens as the guided session (coach.ask.guided, safety_flow, checkin_screen) for one
partner: their private check first (its cover rules hold: the choice for today is sealed as a
choice, never why), their CSI-4 items, their questions of today's steps, their closing moment
(consent to share each free text), then the seal. Of the other partner this terminal shows
only "answering" or "done". The room work is coach.app.rooms's.
"""

from __future__ import annotations

import shlex
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from coach.app.rooms import Apart
from coach.ask import prompts
from coach.ask.guided import GuidedSession, Interrupted
from coach.ask.safety_flow import ask_check, closing_moment, written_by
from coach.base.errors import DataError, StorageError
from coach.base.escape import neutralise, shown_path
from coach.content import Content, Prompt, Step
from coach.domain.pathway import Choice, plan_line
from coach.domain.session import pending_prompts, prompts_for

if TYPE_CHECKING:
    from coach.ask.safety_flow import Safety
    from coach.rules import RulePack

POLL_SECONDS = 0.3
PAIRING_TRIES = 3


class Stopped(Exception):
    """Today's plan is a stop: nothing of this session is saved."""


class ApartSession(GuidedSession):
    """The guided session's screens for the one partner at this terminal."""

    def __init__(
        self, apart: Apart, content: Content, pack: RulePack, console: Console, safety: Safety
    ) -> None:
        session = apart.session()
        super().__init__(session, content, pack, console, save=apart.keep, safety=safety)
        self.apart = apart
        self.me = apart.me
        self.path = None

    # This terminal is one partner's: nothing is handed over, private moments still wipe.
    def _turn(self, partner: str, why: str = "") -> None:
        if not self.screen.active:
            self.screen.enter()
        self._keyboard = partner

    def _name(self, partner: str) -> str:
        return neutralise(self.session.partners[partner])

    def _progress(self, step: Step, prompt: Prompt) -> str:
        place, total = self._step_position(step)
        mine = [p for p in prompts_for(self.content, self.session.steps) if p.partner == self.me]
        done = sum(1 for p in mine if self.session.is_done(p.id) and p.id != prompt.id)
        them = self._name(self.apart.them)
        status = self.apart.status(self.apart.them)
        return f"Step {place} of {total} · question {done + 1} of {len(mine)} · {them}: {status}"

    def _run_step(self, step: Step) -> None:
        pending = [
            p
            for p in pending_prompts(self.session, self.content)
            if p.step == step.number and p.partner == self.me
        ]
        if not pending:
            return
        self._shared()
        self._keyboard = self.me
        self._step_intro(step)
        for prompt in pending:
            self._ask(prompt, step)

    # --- the sitting ---------------------------------------------------------------------

    def answer(self) -> None:
        """This partner's part: check, CSI-4, steps, closing moment. Raises Stopped."""
        self._hello()
        prompts.pause("Press Enter to begin with your private check.", fresh=True)
        self._turn(self.me)
        self.console.print(Text("A private check, before anything else.", style="bold"))
        outcome = ask_check(self.console, self.safety, self.session.partners, self.me)
        self._shared()
        choice: Choice = outcome.choice
        self.apart.decide(choice)
        plan = self.apart.plan() or choice
        if plan == "stop":
            raise Stopped()
        if plan == "short" and self.session.length != "short":
            self.session.make_short()
        self.path = self.save(self.session)
        if self.apart.plan() is not None or plan == "short":
            self.console.print(Text(plan_line(plan, self.session.steps), style="bold"))
        if self.session.checkin:
            self._checkin_mine()
        for number in list(self.session.steps):
            self._run_step(self.content.step(number))
        self._closing()

    def _hello(self) -> None:
        me, them = self._name(self.me), self._name(self.apart.them)
        text = Text(f"Welcome, {me}. ")
        if self.session.answers:
            text.append("Your answers so far are kept; we continue where you left off. ")
        text.append(
            f"You answer your questions here and {them} answers theirs on their own terminal. "
            "Neither of you sees the other's answers until both are sealed; then both terminals "
            "show the same reflection. Ctrl-C pauses; coach join continues."
        )
        self.console.print(Panel(text, title="coach: two terminals", border_style="magenta"))

    def _checkin_mine(self) -> None:
        from coach.ask.checkin_screen import ask_checkin

        ask_checkin(self, self._turn, partners=(self.me,))
        self._shared()
        shared = self.session.checkin_shared.get(self.me)
        if shared is not None and shared != self.apart.record.checkin_shared:
            self.apart.decide(self.apart.record.choice or "full", shared)  # type: ignore[arg-type]

    def _closing(self) -> None:
        self._turn(self.me)
        written = written_by(self.session, self.content, self._flagged, self.me)
        keep = closing_moment(self.console, self.safety, self.session.partners, self.me, written)
        for entry in written:
            prompt = self.content.prompts[entry.prompt_id]
            if keep.get(entry.prompt_id):
                self.session.record(prompt, entry.text)
            else:
                self.session.skip(prompt)
        self.path = self.save(self.session)
        self._shared()


# --- the whole run at this terminal --------------------------------------------------------------


def safety_here() -> Safety:
    """The check, the support lines for this country and any clinician measures, as coach
    start loads them (checked before the terminal, like a rule pack)."""
    import os

    from coach.ask.safety_flow import Safety
    from coach.base import paths
    from coach.content.check_files import load_check, load_support
    from coach.domain.measures import load_measures
    from coach.domain.support import resolve_country
    from coach.store.settings import saved_country

    country = resolve_country(os.environ, saved_country())
    return Safety(load_check(), load_support(), country, load_measures(paths.data_dir()))


def join_line(path: Path) -> str:
    return f"coach join {shlex.quote(str(path))}"


def run_with_console(apart: Apart, content: Content, pack: RulePack, safety: Safety) -> None:
    run_room(apart, content, pack, safety, Console())


def run_room(
    apart: Apart, content: Content, pack: RulePack, safety: Safety, console: Console
) -> None:
    """Pair, answer, seal, wait, reveal. Raises Interrupted (a pause) with the draft kept."""
    try:
        _run(apart, content, pack, safety, console)
    except Stopped:
        console.print(Panel(Text(plan_line("stop", [1])), title="coach"))
        apart.forget()
    except prompts.QuickExit:
        from coach.ask.terminal import PrivateScreen

        PrivateScreen(cast(TextIO, console.file), console.is_terminal).wipe_all()
    except (KeyboardInterrupt, EOFError):
        console.print(
            f"\nPaused. Everything you answered is kept in your own data directory. "
            f"Continue any time with:\n  {join_line(apart.path)}"
        )
        raise Interrupted() from None
    except StorageError as error:
        raise StorageError(
            f"{error.message}; everything you answered is kept in your own data directory: "
            f"{join_line(apart.path)} continues once the room folder is back"
        ) from None


def _run(apart: Apart, content: Content, pack: RulePack, safety: Safety, console: Console) -> None:
    from coach.store.files import session_path

    if apart.setup is None:
        apart.open_setup()
    if apart.setup is not None and session_path(apart.setup.session_id).exists():
        finished = apart.setup.session_id
        console.print(f"This session is finished and saved in your history: coach show {finished}")
        return
    if not apart.record.paired:
        _pair(apart, pack, console)
    apart.same_pack(pack)  # before any question: both terminals reflect with one pack
    if not apart.sealed():
        guided = ApartSession(apart, content, pack, console, safety)
        guided.answer()
        session = guided.session
        _wait(apart, console, "to answer their private check", apart.ready_to_seal)
        plan = apart.plan()
        if plan == "stop":
            raise Stopped()
        if plan == "short" and session.length != "short":
            console.print(Text(plan_line("short", apart.setup.steps if apart.setup else [1])))
        apart.seal(session, content)
        console.print(Text("Your answers are sealed; they can no longer be changed.", style="bold"))
    elif apart.plan() == "stop":
        raise Stopped()
    _wait(
        apart,
        console,
        "to finish answering",
        lambda: apart.status(apart.them) == "done",
        joined=False,
    )
    _reveal(apart, content, pack, console)


def _pair(apart: Apart, pack: RulePack, console: Console) -> None:
    names = None
    if apart.me == "a":
        if not apart.both_keys():
            console.print(f"Room: {shown_path(apart.path)}")
            console.print("On the other terminal (its own data directory), type:")
            console.print(f"  {join_line(apart.path)}", style="bold", highlight=False)
            _wait(apart, console, "to join", apart.both_keys, joined=False)
        if apart.setup is None:
            apart.write_setup(apart.session(), pack)
        code, reply = apart.codes()
        names = apart.setup.names if apart.setup else {}
        other = neutralise(names.get("b", "the other partner"))
        console.print(
            Panel(
                Text(f"Pairing code: {code}\nRead it to {other}, who types it at coach join."),
                border_style="green",
            )
        )
        _ask_code(f"Type the code {other}'s terminal shows back:", reply)
    else:
        _wait(
            apart, console, "to open the room", lambda: apart.open_setup() is not None, joined=False
        )
        code, reply = apart.codes()
        names = apart.setup.names if apart.setup else {}
        other = neutralise(names.get("a", "the other partner"))
        _ask_code(f"Type the pairing code {other}'s terminal shows:", code)
        console.print(
            Panel(
                Text(f"Paired. Tell {other} this code, to type on their terminal: {reply}"),
                border_style="green",
            )
        )
        prompts.pause(f"Press Enter once {other} has typed it.")
    apart.mark_paired()


def _ask_code(question: str, expected: str) -> None:
    from coach.domain.room_docs import codes_match

    for _ in range(PAIRING_TRIES):
        typed = prompts.ask_text(question, validate=lambda _: None, instruction="e.g. ABCD-EFGH")
        if codes_match(typed, expected):
            return
        prompts.pause("That code does not match. Check it with the other terminal, then Enter.")
    raise DataError(
        "the pairing codes do not match: the room folder may hold a key that is not your "
        "partner's; nothing of yours was sealed. Start a new room."
    )


def _wait(apart: Apart, console: Console, what: str, done: object, *, joined: bool = True) -> None:
    """Poll the room until done() (Ctrl-C pauses; the room folder gone is one line, exit 3)."""
    assert callable(done)
    if done():
        return
    names = apart.setup.names if apart.setup else None
    if names is None and apart.record.session_text:
        names = apart.session().partners
    them = neutralise(names[apart.them]) if names else "your partner"
    status = f" ({apart.status(apart.them)})" if joined else ""
    console.print(
        f"Waiting for {them} {what}{status}. You may quit (Ctrl-C) and come back with: "
        f"{join_line(apart.path)}",
        style="dim",
        highlight=False,
    )
    while not done():
        if not apart.path.is_dir():
            raise StorageError(f"the room folder {apart.path} is not there")
        time.sleep(POLL_SECONDS)


def _reveal(apart: Apart, content: Content, pack: RulePack, console: Console) -> None:
    from coach.render.pager import paged
    from coach.render.summary import print_summary
    from coach.store.files import save_session, session_path

    session, inference = apart.reveal(content, pack)
    path = session_path(session.id)
    if not path.exists():
        path = save_session(session)
    console.print(
        Text(f"Both of you are done. The reflection ({apart.setup.pack if apart.setup else ''}):")
    )
    with paged(console) as shown:
        print_summary(shown, session, inference, content)
        shown.print(f"\nSaved: {shown_path(path)}", style="dim")
