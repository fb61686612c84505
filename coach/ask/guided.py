"""The guided session at a terminal: the flow of screens and questions for two partners.

Every answer is saved as a draft the moment it is given. Ctrl-C or Ctrl-D at any prompt ends
the run with the draft intact and a message saying how to continue (exit 130).

The order of a session (docs/safety.md): each partner's private check, alone (and stop, if
either chose it) -> the CSI-4 -> (the follow-up of last time's homework: a later issue) ->
today's steps -> homework -> each partner's private closing moment -> the shared reflection.
The plan is decided before any step and never changes mid-session: a disclosure in the check
looks like a short session (or a stop) anyone may choose, and a flagged free-text answer
changes nothing on the shared screen. Ctrl-Q at any prompt is the quick exit.

Privacy at a shared terminal: what one partner answers alone (the check, a turn in private
mode, the CSI-4 check-in, the closing moment) is asked in a private moment
(coach.ask.terminal.PrivateScreen), which leaves nothing on screen or in the scrollback once it
ends. The keyboard is handed over only when it changes hands, and keys typed ahead are dropped
before every hand-off and every private question.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from coach.ask import prompts
from coach.ask.safety_flow import (
    Safety,
    Written,
    ask_check,
    closing_moment,
    crisis_reply,
    written_by,
)
from coach.ask.terminal import PrivateScreen
from coach.base.errors import EXIT_INTERRUPTED
from coach.base.escape import neutralise, shown_path
from coach.content import Content, Prompt, Step, fill_names
from coach.domain.finish import finish_session
from coach.domain.pathway import Choice, combined, plan_for, plan_line, text_risk
from coach.domain.session import Session, pending_prompts, prompts_for
from coach.domain.wording import count, noun
from coach.render.summary import print_summary

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
        safety: Safety | None = None,
        flag: Callable[[str], object] | None = None,
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
        self.safety = safety or default_safety()
        # Records a facilitator's "follow up individually" flag for the couple's label.
        self.flag = flag
        # Flagged free-text answers, held out of the draft until their writer decides.
        self._flagged: dict[str, Written] = {}

    # --- the whole run ---------------------------------------------------------------------

    def run(self) -> Path | None:
        """The whole session; None when it stopped for today or was left by the quick exit."""
        try:
            self._welcome()
            plan = self._private_checks()
            if plan == "stop":
                self._stop()
                return None
            self._begin(plan)
            if self.want_checkin or self.session.checkin:
                self._checkin()
            # The follow-up of last time's homework goes here (a later issue).
            for number in list(self.session.steps):
                self._run_step(self.content.step(number))
            if self.session.facilitated and not self.session.homework:
                self._shared()
                self._homework()
            self._closing_moments()
        except prompts.QuickExit:
            self._quick_exit()
            return None
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
            console.print(f"\nSaved: {shown_path(self.path)}", style="dim")
        return self.path

    def _interrupted(self) -> None:
        if self.path is None:  # a new session paused in the check: nothing to keep
            self.console.print("\nStopped before anything was saved. Start again with: coach start")
            raise Interrupted()
        self.path = self.save(self.session)
        done = len(self.session.answers)
        kept = " (a half-typed answer is kept as typed)" if self.session.unfinished else ""
        self.console.print()
        self.console.print(
            f"Paused. {count(done, 'answer')} so far {noun(done, 'is', 'are')} saved as a "
            f"draft{kept}:\n"
            f"  {shown_path(self.path)}\n"
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
                f"{count(answered, 'answer')} {noun(answered, 'is', 'are')} already saved;"
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

    # --- a step ----------------------------------------------------------------------------

    def _run_step(self, step: Step) -> None:
        pending = [p for p in pending_prompts(self.session, self.content) if p.step == step.number]
        if not pending:
            return
        private = self.session.mode == "private"
        if not private or self.session.facilitated:
            self._shared()
            self._step_intro(step)  # in private mode each partner sees it after the hand-off
        if self.session.facilitated:
            self._facilitator_brief(step)
            if self.timer_seconds:
                from coach.ask.timer import countdown

                countdown(self.console, self.timer_seconds, f"Conversation time: {step.title}")
        if private:
            for partner in dict.fromkeys(p.partner for p in pending):
                self._turn(partner)
                self._step_intro(step)
                for prompt in (p for p in pending if p.partner == partner):
                    self._ask(prompt, step)
        else:
            for prompt in pending:
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
            value = prompts.ask_prompt(
                prompt, question, default=earlier if isinstance(earlier, str) else ""
            )
        except prompts.TextInterrupted as stop:
            if stop.typed.strip() and not text_risk(self.content, stop.typed)[0]:
                self.session.record_unfinished(prompt, stop.typed)
                self.path = self.save(self.session)
            raise
        if isinstance(value, str) and prompt.type == "text":
            risk, kind = text_risk(self.content, value)
            if risk:
                self._flagged_text(prompt, value, kind == "self_harm")
                return
        if value is None:
            self.session.skip(prompt)
        else:
            self.session.record(prompt, value)
        self.path = self.save(self.session)

    # --- safety ----------------------------------------------------------------------------

    def _private_checks(self) -> Choice:
        """Each partner's private check, alone; today's plan is the shorter choice."""
        outcomes = []
        for partner in ("a", "b"):
            self._turn(partner, "A private check for each of you, before anything else.")
            outcomes.append(ask_check(self.console, self.safety, self.session.partners, partner))
            self._shared()
        if self.session.facilitated and self.flag and any(o.disclosed for o in outcomes):
            self.flag(self.session.couple)  # the facilitator's private record, never the answers
        choices = [o.choice for o in outcomes]
        if self.session.length == "short":  # a resumed short session stays short
            choices.append("short")
        return plan_for(self.session.steps, combined(choices))

    def _begin(self, plan: Choice) -> None:
        """Say today's plan on the shared screen, then save the first draft."""
        line = plan_line(plan, self.session.steps)
        if plan == "short":
            self.session.make_short()
        self.console.print(Text(line, style="bold"))
        self.path = self.save(self.session)

    def _stop(self) -> None:
        """Stop for today, whoever chose it and why: nothing of this sitting is saved (the
        session is first saved after the check; a resumed draft stays as it was)."""
        self._shared()
        self.console.print(Panel(Text(plan_line("stop", self.session.steps)), title="coach"))

    def _quick_exit(self) -> None:
        """Clear the screen, print nothing, keep the draft (never a check's answers, never a
        flagged text); the command then exits 0."""
        if self.path is not None:
            self.path = self.save(self.session)
        self.screen.wipe_all()

    def _flagged_text(self, prompt: Prompt, value: str, suicidal: bool) -> None:
        """A free-text answer that suggests fear or harm changes nothing on the shared screen:
        it counts as answered, stays out of the draft, and its writer decides about it in
        their closing moment. In a private turn a text that reads as suicidal gets its
        crisis-first reply at once, where only its writer sees it."""
        at_once = suicidal and self.session.mode == "private" and self._keyboard == prompt.partner
        if at_once:
            crisis_reply(self.console, self.safety)
            prompts.pause("Press Enter when you are ready to go on.", fresh=True)
        question = prompt.render_text(self.session.partners)
        self._flagged[prompt.id] = Written(prompt.id, question, value, True, at_once, suicidal)
        self.session.skip(prompt)  # looks like any optional question left empty
        self.path = self.save(self.session)

    def _closing_moments(self) -> None:
        """Every partner gets a private closing moment, whatever was written or flagged."""
        # Whoever holds the keyboard alone goes first: a private turn needs no extra hand-off.
        for partner in ("b", "a") if self._keyboard == "b" else ("a", "b"):
            self._turn(partner, "A private moment for each of you before the reflection.")
            written = written_by(self.session, self.content, self._flagged, partner)
            keep = closing_moment(
                self.console, self.safety, self.session.partners, partner, written
            )
            for entry in written:
                prompt = self.content.prompts[entry.prompt_id]
                if keep.get(entry.prompt_id):
                    self.session.record(prompt, entry.text)
                else:
                    self.session.skip(prompt)
            if self.session.facilitated and self.flag and any(e.flagged for e in written):
                self.flag(self.session.couple)
            self.path = self.save(self.session)
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
            validate=prompts.text_limit,
            instruction="Type your notes, then Enter; Enter alone skips them.",
        )
        if note.strip():
            self.session.notes[step.number] = note
            self.path = self.save(self.session)

    def _homework(self) -> None:
        from coach.app.exercises import suggested_exercises
        from coach.domain.finish import infer_session

        inference = infer_session(self.session, self.pack)
        options = suggested_exercises(inference, self.content, self.session.steps)
        choices: list[tuple[str, str | None]] = [(e.title, e.title) for e in options]
        choices += [("Write my own", ""), ("No homework this time", None)]
        picked = prompts.ask_select("Facilitator: choose homework for the couple", choices)
        if picked == "":
            picked = prompts.ask_text("Homework:", validate=prompts.text_limit) or None
        if picked:
            self.session.homework.append(picked)
            self.path = self.save(self.session)

    # --- CSI-4 check-in --------------------------------------------------------------------

    def _checkin(self) -> None:
        """Each partner alone: who will see the totals, the four items, their own total (to
        them alone), and their private yes or no to showing it to both
        (coach.ask.checkin_screen)."""
        from coach.ask.checkin_screen import ask_checkin

        ask_checkin(self, self._turn)
        self._shared()


def default_safety() -> Safety:
    """The shipped check and lines, every line shown (no country known)."""
    from coach.content.check_files import load_check, load_support

    return Safety(load_check(), load_support(), None)
