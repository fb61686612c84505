"""The guided session at a terminal: the flow of screens and questions for two partners.

Every answer is saved as a draft the moment it is given. Ctrl-C or Ctrl-D at any prompt ends
the run with the draft intact and a message saying how to continue (exit 130).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

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
from coach.session import Session, pending_prompts
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
        self._private_on_screen = False

    # --- the whole run ---------------------------------------------------------------------

    def run(self) -> Path:
        self.path = self.save(self.session)
        try:
            self._welcome()
            if self.want_checkin or self.session.checkin:
                self._checkin()
            for number in list(self.session.steps):
                self._run_step(self.content.step(number))
            if self.session.facilitated and not self.session.homework:
                self._homework()
        except (KeyboardInterrupt, EOFError):
            self._interrupted()
        inference = finish_session(self.session, self.content, self.pack)
        self.path = self.save(self.session)
        self._clear_if_private()
        print_summary(self.console, self.session, inference, self.content)
        self.console.print(f"\nSaved: {self.path}", style="dim")
        return self.path

    def _interrupted(self) -> None:
        self.path = self.save(self.session)
        done = len(self.session.answers)
        kept = " (a half-typed answer is kept as typed)" if self.session.unfinished else ""
        self.console.print()
        self.console.print(
            f"Paused. Your {done} answer{'s' if done != 1 else ''} so far are saved as a draft"
            f"{kept}:\n"
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
            text.append(f"{answered} answers are already saved; we continue where you left off.")
        else:
            text.append(f"Welcome, {neutralise(names['a'])} and {neutralise(names['b'])}. ")
            text.append(
                "We will go through the steps of a secure interaction together. Answer about the "
                "last week or a recent moment. Every answer is saved as you go; Ctrl-C pauses."
            )
        if self.session.mode == "private":
            text.append(
                "\nPrivate mode: each of you answers alone; answers stay hidden until the end."
            )
        self.console.print(Panel(text, title="coach", border_style="magenta"))

    def _clear_if_private(self) -> None:
        if self.session.mode == "private":
            self.console.clear()

    def _hide_private_answers(self) -> None:
        """Clear the screen when it shows something one partner answered alone."""
        if self._private_on_screen:
            self.console.clear()
            self._private_on_screen = False

    def _hand_off(self, partner: str, why: str = "") -> None:
        """Hide the previous partner's private answers and wait for the named partner."""
        self._hide_private_answers()
        self._private_on_screen = True  # what follows is for this partner's eyes
        name = neutralise(self.session.partners[partner])
        if why:
            self.console.print(why)
        prompts.pause(f"Pass the keyboard to {name}, then press Enter.")

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
            self._step_intro(step)  # in private mode each partner sees it after the hand-off
        if self.session.facilitated:
            self._facilitator_brief(step)
            if self.timer_seconds:
                from coach.timer import countdown

                countdown(self.console, self.timer_seconds, f"Conversation time: {step.title}")
        order = step.prompts_in_order()
        if private:
            for partner in dict.fromkeys(p.partner for p in pending):
                self._hand_off(partner)
                self._step_intro(step)
                for prompt in (p for p in pending if p.partner == partner):
                    self._ask(prompt, step, order)
            self._hide_private_answers()
        else:
            for prompt in pending:
                self._ask(prompt, step, order)
        if self.session.facilitated and step.number not in self.session.notes:
            self._facilitator_note(step)

    def _step_intro(self, step: Step) -> None:
        total = len(self.content.steps)
        text = Text()
        text.append(fill_names(step.lead_text, self.session.partners) + "\n\n", style="bold")
        text.append(step.about + "\n")
        text.append(f"Evidence: {step.evidence}. Source: {step.source}.", style="dim")
        title = f"Step {step.number} of {total}: {step.title}"
        self.console.print(Panel(text, title=title, border_style="cyan"))

    def _ask(self, prompt: Prompt, step: Step, order: Sequence[Prompt]) -> None:
        position = order.index(prompt) + 1
        name = neutralise(self.session.partners[prompt.partner])
        self.console.print(
            f"Step {step.number} of {len(self.content.steps)} · question {position} of "
            f"{len(order)} · for {name}",
            style="dim",
            highlight=False,
        )
        question = f"{name}: {prompt.render_text(self.session.partners)}"
        earlier = self.session.answer_map().get(prompt.id, "")
        try:
            value = ask_prompt(
                prompt, question, default=earlier if isinstance(earlier, str) else ""
            )
        except prompts.TextInterrupted as stop:
            if stop.typed.strip():
                self.session.record_unfinished(prompt, stop.typed)
                self.path = self.save(self.session)
            raise
        if value is None:
            self.session.skip(prompt)
        else:
            self.session.record(prompt, value)
        self.path = self.save(self.session)
        if (
            isinstance(value, str)
            and prompt.type == "text"
            and text_mentions_risk(self.content.safety, value)
        ):
            self._show_support(risk_message(self.content.safety))

    # --- safety ----------------------------------------------------------------------------

    def _safety_screen(self) -> bool:
        """Ask each partner the private screen; False when the conflict step is left out."""
        safety = self.content.safety
        disclosed = False
        for partner in ("a", "b"):
            self._hand_off(partner, safety.title)
            intro = fill_names(safety.intro, self.session.partners, partner)
            self.console.print(Panel(Text(intro), border_style="blue"))
            answers = {
                q.id: prompts.ask_yes_no(fill_names(q.text, self.session.partners, partner))
                for q in safety.screen
            }
            disclosed = disclosed or screen_discloses(safety, answers)
            del answers  # never stored, never shown
            self._hide_private_answers()
        if disclosed:
            self.session.leave_out_conflict_step()
            self.path = self.save(self.session)
            self._show_support(skip_message(safety))
            prompts.pause("Press Enter to continue.")
            return False
        return True

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
            instruction="(Enter to skip)",
        )
        if note.strip():
            self.session.notes[step.number] = note
            self.path = self.save(self.session)

    def _homework(self) -> None:
        from coach.render.summary import suggested_exercises
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
        checkin = self.content.checkin
        for partner in ("a", "b"):
            given = self.session.checkin.get(partner, {})
            missing = [item for item in checkin.items if item.id not in given]
            if not missing:
                continue
            self._hand_off(partner, f"{checkin.name}: four private questions before we start.")
            self.console.print(Text(f"Source: {checkin.citation}", style="dim"))
            for item in missing:
                choices = [(f"{score} {label}", score) for score, label in enumerate(item.answers)]
                given[item.id] = prompts.ask_select(item.text, choices)
                # Saved item by item like every other answer: a draft may hold part of a
                # check-in, and resume asks only the items still missing.
                self.session.checkin[partner] = given
                self.path = self.save(self.session)
            self._hide_private_answers()


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
        choices = []
        for value in range(prompt.min, prompt.max + 1):
            label = (
                prompt.low if value == prompt.min else prompt.high if value == prompt.max else ""
            )
            choices.append((f"{value} {label}".strip(), value))
        hint = f"({prompt.min} = {prompt.low}, {prompt.max} = {prompt.high}; type a number)"
        return prompts.ask_select(question, choices, hint)
    if prompt.type == "yesno":
        return prompts.ask_yes_no(question)
    if prompt.type == "choice":
        return prompts.ask_select(question, [(c.label, c.value) for c in prompt.choices])
    hint = "(press Enter to skip)" if not prompt.required else ""
    while True:
        answer = prompts.ask_text(question, validate=_text_limit, instruction=hint, default=default)
        default = ""
        if answer.strip():
            return answer
        if not prompt.required:
            return None
