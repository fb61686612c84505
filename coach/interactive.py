"""The guided session at a terminal: the flow of screens and questions for two partners.

Every answer is saved as a draft the moment it is given. Ctrl-C or Ctrl-D at any prompt ends
the run with the draft intact and a message saying how to continue (exit 130).

Privacy at a shared terminal: what one partner answers alone (a turn in private mode, the
safety screen, the CSI-4 check-in, the private question after a free-text disclosure) is asked
in a private moment (coach.terminal.PrivateScreen), which leaves nothing on screen or in the
scrollback once it ends. The keyboard is handed over only when it changes hands, and keys typed
ahead are dropped before every hand-off and every private question.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from coach import prompts
from coach.content import CONFLICT_STEP, AnswerValue, Content, Prompt, Step, fill_names
from coach.errors import EXIT_INTERRUPTED
from coach.render.escape import neutralise
from coach.render.summary import print_summary
from coach.safety import SupportMessage, screen_discloses, skip_message, text_mentions_risk
from coach.safety import text_message as risk_message
from coach.session import Session, pending_prompts, prompts_for
from coach.terminal import PrivateScreen
from coach.workflow import finish_session

if TYPE_CHECKING:
    from coach.rules import RulePack


class Interrupted(Exception):
    """Raised after an interrupted run has saved its draft; carries the exit code."""

    exit_code = EXIT_INTERRUPTED


class GuidedSession:
    def __init__(
        self,
        session: Session,
        content: Content,
        pack: RulePack,
        console: Console,
        *,
        save: Callable[[Session], Path],
        timer_seconds: int | None = None,
        want_checkin: bool = False,
    ) -> None:
        self.session = session
        self.content = content
        self.pack = pack
        self.console = console
        self.save = save
        self.timer_seconds = timer_seconds
        self.want_checkin = want_checkin
        self.path: Path | None = None
        self.screen = PrivateScreen(cast(TextIO, console.file), console.is_terminal)
        # The partner holding the keyboard alone in a private moment, or None when shared.
        self._keyboard: str | None = None

    # --- the whole run ---------------------------------------------------------------------

    def run(self) -> Path:
        self.path = self.save(self.session)
        try:
            self._welcome()
            if self.want_checkin or self.session.checkin:
                self._checkin()
            for number in list(self.session.steps):
                if number in self.session.steps:  # a disclosure may have left a step out
                    self._run_step(self.content.step(number))
            self._shared()
            if self.session.facilitated and not self.session.homework:
                self._homework()
        except (KeyboardInterrupt, EOFError):
            self._shared()  # leave a private moment before saying anything
            self._interrupted()
        except BaseException:
            self._shared()  # a save that failed (a full disk, a lock given up): wipe it first
            raise
        self._shared()
        inference = finish_session(self.session, self.content, self.pack)
        self.path = self.save(self.session)
        from coach.render.pager import paged

        # Paged at a terminal, as after show and demo: the overview opens the first screen.
        with paged(self.console) as console:
            print_summary(console, self.session, inference, self.content)
            console.print(f"\nSaved: {self.path}", style="dim")
        return self.path

    def _interrupted(self) -> None:
        self.path = self.save(self.session)
        done = len(self.session.answers)
        kept = " (a half-typed answer is kept as typed)" if self.session.unfinished else ""
        self.console.print()
        self.console.print(
            f"Paused. {_count(done, 'answer')} so far {'is' if done == 1 else 'are'} saved as a "
            f"draft{kept}:\n"
            f"  {self.path}\n"
            f"Continue any time with:  coach resume {self.session.id}"
        )
        raise Interrupted()

    # --- screens ---------------------------------------------------------------------------

    def _welcome(self) -> None:
        names = self.session.partners
        answered = len(self.session.answers)
        text = Text()
        if answered:
            text.append(f"Welcome back, {neutralise(names['a'])} and {neutralise(names['b'])}. ")
            text.append(
                f"{_count(answered, 'answer')} {'is' if answered == 1 else 'are'} already saved;"
                " we continue where you left off."
            )
        else:
            text.append(f"Welcome, {neutralise(names['a'])} and {neutralise(names['b'])}. ")
            text.append(
                "We will go through the steps of a secure interaction together. Answer about the "
                "last week or a recent moment. Every answer is saved as you go; Ctrl-C pauses."
            )
        if self.session.mode == "private":
            text.append(
                "\nPrivate mode: each of you answers alone, and the screen is wiped, scrollback "
                "included, before the keyboard changes hands. Answers are shown together at the "
                "end."
            )
        self.console.print(Panel(text, title="coach", border_style="magenta"))

    def _turn(self, partner: str, why: str = "") -> None:
        """Give the keyboard to `partner` alone, with a hand-off only when it changes hands."""
        if self._keyboard == partner:
            return
        self._shared()
        name = neutralise(self.session.partners[partner])
        if why:
            self.console.print(Text(why, style="bold"))
        # Keys the previous partner pressed ahead must not pass the keyboard on for them.
        prompts.pause(f"Pass the keyboard to {name}, then press Enter.", fresh=True)
        self.screen.enter()
        self._keyboard = partner

    def _shared(self) -> None:
        """End any private moment: wipe what it showed, scrollback included."""
        if self._keyboard is not None or self.screen.active:
            self.screen.leave()
            self._keyboard = None

    def _show_support(self, message: SupportMessage) -> None:
        body = Text(message.body + "\n")
        for resource in message.resources:
            body.append(f"  • {resource}\n")
        self.console.print(Panel(body, title=message.title, border_style="blue"))

    # --- a step ----------------------------------------------------------------------------

    def _run_step(self, step: Step) -> None:
        pending = [p for p in pending_prompts(self.session, self.content) if p.step == step.number]
        if not pending:
            return
        if step.number == CONFLICT_STEP and not self._safety_screen():
            return
        private = self.session.mode == "private"
        if not private or self.session.facilitated:
            self._shared()
            self._step_intro(step)  # in private mode each partner sees it after the hand-off
        if self.session.facilitated:
            self._facilitator_brief(step)
            if self.timer_seconds:
                from coach.timer import countdown

                countdown(self.console, self.timer_seconds, f"Conversation time: {step.title}")
        if private:
            for partner in dict.fromkeys(p.partner for p in pending):
                self._turn(partner)
                self._step_intro(step)
                for prompt in (p for p in pending if p.partner == partner):
                    if step.number not in self.session.steps:
                        return
                    self._ask(prompt, step)
        else:
            for prompt in pending:
                if step.number not in self.session.steps:
                    return
                self._ask(prompt, step)
        if self.session.facilitated and step.number not in self.session.notes:
            self._shared()
            self._facilitator_note(step)

    def _step_position(self, step: Step) -> tuple[int, int]:
        """This step's place among the steps chosen for the session ("Step 2 of 3")."""
        chosen = self.session.steps
        place = chosen.index(step.number) + 1 if step.number in chosen else len(chosen)
        return place, len(chosen)

    def _step_intro(self, step: Step) -> None:
        place, total = self._step_position(step)
        text = Text()
        text.append(fill_names(step.lead_text, self.session.partners) + "\n\n", style="bold")
        text.append(step.about + "\n")
        text.append(f"Evidence: {step.evidence}. Source: {step.source}.", style="dim")
        title = f"Step {place} of {total}: {step.title}"
        self.console.print(Panel(text, title=title, border_style="cyan"))

    def _progress(self, step: Step, prompt: Prompt) -> str:
        place, total = self._step_position(step)
        every = list(prompts_for(self.content, self.session.steps))
        done = sum(1 for p in every if self.session.is_done(p.id) and p.id != prompt.id)
        name = neutralise(self.session.partners[prompt.partner])
        return f"Step {place} of {total} · question {done + 1} of {len(every)} · for {name}"

    def _ask(self, prompt: Prompt, step: Step) -> None:
        self.console.print(self._progress(step, prompt), style="dim", highlight=False)
        name = neutralise(self.session.partners[prompt.partner])
        question = f"{name}: {prompt.render_text(self.session.partners)}"
        earlier = self.session.answer_map().get(prompt.id, "")
        try:
            value = ask_prompt(
                prompt, question, default=earlier if isinstance(earlier, str) else ""
            )
        except prompts.TextInterrupted as stop:
            if stop.typed.strip() and not text_mentions_risk(self.content.safety, stop.typed):
                self.session.record_unfinished(prompt, stop.typed)
                self.path = self.save(self.session)
            raise
        if (
            isinstance(value, str)
            and prompt.type == "text"
            and text_mentions_risk(self.content.safety, value)
        ):
            self._text_disclosure(prompt, value)
            return
        if value is None:
            self.session.skip(prompt)
        else:
            self.session.record(prompt, value)
        self.path = self.save(self.session)

    # --- safety ----------------------------------------------------------------------------

    def _safety_screen(self) -> bool:
        """Ask each partner the private screen; False when the conflict step is left out."""
        safety = self.content.safety
        disclosed = False
        # Whoever holds the keyboard goes first, so a private turn needs no extra hand-off.
        order = ("b", "a") if self._keyboard == "b" else ("a", "b")
        for partner in order:
            self._turn(partner)
            self.console.print(Text(safety.title, style="bold"))
            intro = fill_names(safety.intro, self.session.partners, partner)
            self.console.print(Panel(Text(intro), border_style="blue"))
            answers = {
                q.id: prompts.ask_yes_no(
                    fill_names(q.text, self.session.partners, partner), fresh=True
                )
                for q in safety.screen
            }
            disclosed = disclosed or screen_discloses(safety, answers)
            del answers  # never stored, never shown
            if partner == order[0]:
                self._shared()  # the next partner must not see these answers
        if self.session.mode != "private" or disclosed:
            self._shared()
        if disclosed:
            self.session.leave_out_conflict_step()
            self.path = self.save(self.session)
            self._show_support(skip_message(safety))
            prompts.pause("Press Enter to continue.", fresh=True)
            return False
        return True

    def _text_disclosure(self, prompt: Prompt, value: str) -> None:
        """A free-text answer that mentions harm or fear: its writer decides, privately.

        The conflict step is left out first, exactly as after the safety screen, and saved
        before anything else: the disclosure itself is never written to disk until its writer
        chooses to keep it. Asked in a private moment, so the answer leaves the screen at once.
        """
        partner = prompt.partner
        shared_before = self._keyboard != partner
        self.session.leave_out_conflict_step()
        self.path = self.save(self.session)
        if shared_before:
            self._shared()
            self.screen.enter()  # the writer is at the keyboard already: no hand-off
            self._keyboard = partner
        name = neutralise(self.session.partners[partner])
        keep_out = prompts.ask_yes_no(
            f"{name}, a question just for you: keep your last answer out of the summary and "
            "the saved file?",
            fresh=True,
        )
        if keep_out or prompt.step == CONFLICT_STEP:
            self.session.skip(prompt)  # looks like any optional question left empty
        else:
            self.session.record(prompt, value)
        self.path = self.save(self.session)
        self._show_support(risk_message(self.content.safety))
        prompts.pause("Press Enter when you are ready to go on.", fresh=True)
        if shared_before:
            self._shared()

    # --- facilitator -----------------------------------------------------------------------

    def _facilitator_brief(self, step: Step) -> None:
        text = Text()
        text.append("Aim: ", style="bold")
        text.append(step.aim + "\n")
        text.append("Listen for: ", style="bold")
        text.append("; ".join(step.listen_for) + "\n")
        text.append("Talking points:\n", style="bold")
        for point in step.talking_points:
            text.append(f"  • {point}\n")
        text.append(f"Evidence: {step.evidence}. Source: {step.source}.", style="dim")
        self.console.print(
            Panel(text, title=f"Facilitator brief: step {step.number}", border_style="yellow")
        )

    def _facilitator_note(self, step: Step) -> None:
        note = prompts.ask_text(
            f"Facilitator's notes for step {step.number} (optional):",
            validate=_text_limit,
            instruction="Type your notes, then Enter; Enter alone skips them.",
        )
        if note.strip():
            self.session.notes[step.number] = note
            self.path = self.save(self.session)

    def _homework(self) -> None:
        from coach.app.exercises import suggested_exercises
        from coach.workflow import infer_session

        inference = infer_session(self.session, self.pack)
        options = suggested_exercises(inference, self.content, self.session.steps)
        choices: list[tuple[str, str | None]] = [(e.title, e.title) for e in options]
        choices += [("Write my own", ""), ("No homework this time", None)]
        picked = prompts.ask_select("Facilitator: choose homework for the couple", choices)
        if picked == "":
            picked = prompts.ask_text("Homework:", validate=_text_limit) or None
        if picked:
            self.session.homework.append(picked)
            self.path = self.save(self.session)

    # --- CSI-4 check-in --------------------------------------------------------------------

    def _checkin(self) -> None:
        """Each partner alone: who will see the totals, the four items, their own total (to
        them alone), and their private yes or no to showing it to both (coach.checkin_screen)."""
        from coach.checkin_screen import ask_checkin

        ask_checkin(self, self._turn)
        self._shared()


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _text_limit(value: str) -> str | None:
    from coach.content import MAX_TEXT_LENGTH

    if len(value) > MAX_TEXT_LENGTH:
        return f"Please keep this under {MAX_TEXT_LENGTH} characters (it has {len(value)})."
    return None


def ask_prompt(prompt: Prompt, question: str, default: str = "") -> AnswerValue | None:
    """Ask one content prompt; None means an optional prompt was skipped.

    `default` pre-fills a text prompt (a half-typed answer kept from a pause).
    """
    if prompt.type == "scale":
        hint = (
            f"Type a number from {prompt.min} ({prompt.low}) to {prompt.max} ({prompt.high}), "
            "then Enter."
        )
        return prompts.ask_choice(
            question, prompts.scale(prompt.min, prompt.max, prompt.low, prompt.high), hint
        )
    if prompt.type == "yesno":
        return prompts.ask_yes_no(question)
    if prompt.type == "choice":
        return prompts.ask_select(question, [(c.label, c.value) for c in prompt.choices])
    hint = "Type your answer, then Enter" + (
        "; Enter alone skips it." if not prompt.required else "."
    )
    while True:
        answer = prompts.ask_text(question, validate=_text_limit, instruction=hint, default=default)
        default = ""
        if answer.strip():
            return answer
        if not prompt.required:
            return None
