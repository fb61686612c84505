"""The one place that asks the user anything.

Every question goes through `ask_*` here. The real backend asks with questionary (prompt_toolkit)
and `unsafe_ask()`, so that Ctrl-C (KeyboardInterrupt) and Ctrl-D (EOFError) reach the session
runner, which saves the draft and explains how to continue. Tests can swap the backend for
scripted answers with `use_backend`; an unexpected question then fails the test instead of
hanging.

One keyboard rule throughout: every answer is typed, then Enter. A scale is answered by the
number printed beside it (the number typed is the value recorded), a list by its number, yes or
no by y or n. Nothing is preselected, so Enter alone, or keys pressed ahead of a question,
never answer for anyone.

Quick exit: Ctrl-Q at any prompt raises QuickExit (QUICK_EXIT_KEY), which the session runner
turns into a cleared screen, no output and exit status 0. prompt_toolkit's raw mode turns off
the terminal's XON/XOFF flow control, so Ctrl-Q reaches the prompt rather than the line discipline.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from rich.console import Console

    from coach.content import AnswerValue, Prompt

T = TypeVar("T")


class TextInterrupted(KeyboardInterrupt):
    """Ctrl-C in a text prompt, carrying what had been typed so that a pause loses nothing."""

    def __init__(self, typed: str) -> None:
        super().__init__()
        self.typed = typed


QUICK_EXIT_KEY = "c-q"
QUICK_EXIT_WORDS = "Ctrl-Q"


class QuickExit(Exception):
    """The quick-exit key at a prompt: leave at once, show nothing, keep the draft."""


@dataclass(frozen=True)
class Option(Generic[T]):
    """One answer to a choice: the key typed for it, its words, and the value recorded."""

    key: str
    words: str
    value: T
    # Other things a person may type for it ("yes" for "y").
    aliases: tuple[str, ...] = ()

    def matches(self, typed: str) -> bool:
        typed = typed.strip().casefold()
        return typed == self.key.casefold() or typed in (a.casefold() for a in self.aliases)


class Backend(Protocol):
    def choose(self, message: str, options: Sequence[Option[T]], hint: str) -> Option[T]: ...

    def text(
        self,
        message: str,
        validate: Callable[[str], str | None],
        instruction: str,
        default: str = "",
    ) -> str: ...

    def pause(self, message: str) -> None: ...


def _on_key(question: Any, key: str, exception: Callable[[Any], BaseException]) -> Any:
    """Make `key` end the question by raising exception(event) from unsafe_ask()."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    extra = KeyBindings()

    @extra.add(key, eager=True)
    def _end(event: Any) -> None:
        event.app.exit(exception=exception(event), style="class:aborting")

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings, extra])
    return question


def _clear_when_invalid(question: Any, check: Callable[[str], bool | str], wanted: str) -> Any:
    """Enter on something that is not an answer empties the line, so the next key starts afresh
    (a stray "y" at a scale would otherwise stay in front of the number typed next)."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
    from prompt_toolkit.validation import ValidationError

    extra = KeyBindings()

    @extra.add("enter", eager=True)
    def _enter(event: Any) -> None:
        buffer = event.app.current_buffer
        if check(buffer.text) is True:
            buffer.validate_and_handle()
        else:
            buffer.reset()
            buffer.validation_error = ValidationError(message=wanted)

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings, extra])
    return question


def keys_phrase(options: Sequence[Option[Any]]) -> str:
    """'0 to 6', '1 to 4' or 'y or n': what may be typed, in words."""
    keys = [o.key for o in options]
    if all(k.lstrip("-").isdigit() for k in keys) and len(keys) > 2:
        return f"{keys[0]} to {keys[-1]}"
    return " or ".join([", ".join(keys[:-1]), keys[-1]]) if len(keys) > 1 else keys[0]


class QuestionaryBackend:
    """The real terminal backend. questionary and Rich are imported only when asking.

    The question is part of prompt_toolkit's own message (wrapped by word here, as
    prompt_toolkit would break words), so that it only appears once the terminal is in the
    prompt's raw mode: a key pressed the moment the question shows, Ctrl-C included, reaches
    the prompt rather than the line discipline.
    """

    def __init__(self) -> None:
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(highlight=False)
        return self._console

    def choose(self, message: str, options: Sequence[Option[T]], hint: str) -> Option[T]:
        import questionary
        from rich.padding import Padding
        from rich.text import Text

        lines = [message]
        numbered = all(o.key.isdigit() for o in options)
        if (len(options) > 2 or numbered) and all(o.words for o in options):
            lines += [f"  {o.key:>2}  {o.words}" for o in options]
        wanted = f"Type {keys_phrase(options)}, then Enter."

        def check(typed: str) -> bool | str:
            return any(o.matches(typed) for o in options) or wanted

        lines.append(hint or wanted)
        question = questionary.text(
            wrapped(lines),
            qmark="",
            validate=check,
            # The question and its list give way to one answered line, printed below.
            erase_when_done=True,
        )
        question = _on_key(question, "c-d", lambda _: EOFError())
        question = _on_key(question, QUICK_EXIT_KEY, lambda _: QuickExit())
        typed: str = _asked(_clear_when_invalid(question, check, wanted), _signalled)
        chosen = next(o for o in options if o.matches(typed))
        answered = Text(message + "\n", style="bold")
        answered.append("› ", style="dim")
        answered.append(answer_words(chosen))
        self.console.print(Padding(answered, (0, 0, 0, 1)))
        return chosen

    def text(
        self,
        message: str,
        validate: Callable[[str], str | None],
        instruction: str,
        default: str = "",
    ) -> str:
        import questionary

        def check(value: str) -> bool | str:
            problem = validate(value)
            return True if problem is None else problem

        # The hint goes above the input line so that the answered line holds only the answer.
        lines = [message, instruction] if instruction else [message]
        question = questionary.text(wrapped(lines), qmark="", default=default, validate=check)
        # Ctrl-C keeps what was typed so far, for the draft; Ctrl-D pauses as in a choice.
        question = _on_key(question, "c-d", lambda _: EOFError())
        question = _on_key(question, QUICK_EXIT_KEY, lambda _: QuickExit())
        keep = _on_key(
            question, "c-c", lambda event: TextInterrupted(event.app.current_buffer.text)
        )
        # SIGINT sent from outside (`kill -INT`) reaches prompt_toolkit as this key: the same.
        keep = _on_key(
            keep, "<sigint>", lambda event: TextInterrupted(event.app.current_buffer.text)
        )
        # SIGTERM and SIGHUP keep it too (coach.ask.terminal.EndingSignals).
        answer: str = _asked(keep, lambda app, _: TextInterrupted(app.current_buffer.text))
        return answer

    def pause(self, message: str) -> None:
        import questionary

        question = questionary.text(wrapped([message]), qmark="")
        question = _on_key(question, QUICK_EXIT_KEY, lambda _: QuickExit())
        _asked(_on_key(question, "c-d", lambda _: EOFError()), _signalled)


def _signalled(_app: Any, signum: int) -> BaseException:
    from coach.ask.terminal import EndedBySignal

    return EndedBySignal(signum)


def _asked(question: Any, on_signal: Callable[[Any, int], BaseException]) -> Any:
    """question.unsafe_ask(), which SIGTERM and SIGHUP end as Ctrl-C does: from inside the
    prompt's event loop, with the exception on_signal(app, signum) makes (for a text prompt, one
    that carries what was typed). A signal that came before the question ends it at once."""
    from coach.ask import terminal

    terminal.raise_if_ended()
    app = question.application

    def end(signum: int) -> bool:
        loop = app.loop
        if loop is None:  # not started, or already over
            return False

        def _exit() -> None:
            if app.future is not None and not app.future.done():
                app.exit(exception=on_signal(app, signum), style="class:aborting")

        try:
            loop.call_soon_threadsafe(_exit)  # wakes the loop: safe from a signal handler
        except RuntimeError:  # the loop has closed
            return False
        return True

    with terminal.question_ended_by(end):
        try:
            return question.unsafe_ask()
        except (EOFError, OSError):
            # A terminal that hangs up as SIGHUP arrives ends the prompt with the end of its
            # input or a failed write (EIO) instead: that, too, keeps what was typed.
            signum = terminal.signal_received()
            if signum is None:
                raise
            raise on_signal(app, signum) from None


def wrapped(lines: Sequence[str]) -> str:
    """Lines wrapped by word to the terminal's width, then the input marker on its own line."""
    import shutil
    import textwrap

    width = max(20, shutil.get_terminal_size().columns - 2)  # the space, and one spare
    out: list[str] = []
    for line in lines:
        indent = " " * (len(line) - len(line.lstrip(" ")) + (4 if line.startswith("  ") else 0))
        out += textwrap.wrap(line, width, subsequent_indent=indent) or [""]
    # questionary puts one space before the message; the other lines get it too, to align.
    return "\n ".join([*out, "›"])


def answer_words(option: Option[Any]) -> str:
    """The answered line: the key once, and its words where it has them."""
    if not option.words or option.words.casefold() == option.key.casefold():
        return option.key
    if option.key.isalpha():  # y / n: the word says it all
        return option.words
    return f"{option.key} · {option.words}"


_backend: Backend = QuestionaryBackend()


def use_backend(backend: Backend) -> Backend:
    """Replace the backend (tests); returns the previous one."""
    global _backend
    previous, _backend = _backend, backend
    return previous


def discard_typeahead() -> None:
    """Drop keys pressed before a question appeared, so they cannot answer it.

    Two places hold such keys: the terminal's input queue (flushed with termios) and
    prompt_toolkit's own type-ahead buffer, where keys read along with the previous answer's
    Enter wait for the next prompt. Outside a terminal there is nothing to drop.
    """
    try:
        from coach.base.stdio import stdin_is_terminal

        if not stdin_is_terminal():
            return
        import termios

        termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
    except (OSError, ValueError, ImportError):
        return
    from prompt_toolkit.input import create_input
    from prompt_toolkit.input.typeahead import clear_typeahead

    clear_typeahead(create_input(sys.stdin))


def ask_choice(
    message: str, options: Sequence[Option[T]], hint: str = "", *, fresh: bool = False
) -> T:
    """One of `options`, by its key. `fresh` first drops keys typed ahead of the question."""
    if fresh:
        discard_typeahead()
    return _backend.choose(message, options, hint).value


def numbered(labels: Sequence[tuple[str, T]], first: int = 1) -> list[Option[T]]:
    """Options keyed 1, 2, 3 ... (or from `first`) in the order given."""
    return [Option(str(first + i), words, value) for i, (words, value) in enumerate(labels)]


def scale(low: int, high: int, low_words: str, high_words: str) -> list[Option[int]]:
    """A scale answered by the very number recorded; only its ends carry words."""
    return [
        Option(str(v), low_words if v == low else high_words if v == high else "", v)
        for v in range(low, high + 1)
    ]


YES_NO: tuple[Option[bool], Option[bool]] = (
    Option("y", "Yes", True, ("yes",)),
    Option("n", "No", False, ("no",)),
)


def ask_yes_no(message: str, hint: str = "", *, fresh: bool = False) -> bool:
    """Yes or no, typed as y or n: no default, so Enter alone cannot answer for someone."""
    return ask_choice(message, YES_NO, hint or "Type y or n, then Enter.", fresh=fresh)


def ask_select(message: str, choices: Sequence[tuple[str, T]], hint: str = "") -> T:
    """One of a short list of answers in words, typed by its number."""
    return ask_choice(message, numbered(choices), hint)


def ask_text(
    message: str, validate: Callable[[str], str | None], instruction: str = "", default: str = ""
) -> str:
    """Free text, pre-filled with `default`; Ctrl-C raises TextInterrupted with what was typed."""
    return _backend.text(message, validate, instruction, default)


def pause(message: str, *, fresh: bool = False) -> None:
    """Wait for Enter (hand-off screens, support messages, timers)."""
    if fresh:
        discard_typeahead()
    _backend.pause(message)


def text_limit(value: str) -> str | None:
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
        return ask_choice(question, scale(prompt.min, prompt.max, prompt.low, prompt.high), hint)
    if prompt.type == "yesno":
        return ask_yes_no(question)
    if prompt.type == "choice":
        return ask_select(question, [(c.label, c.value) for c in prompt.choices])
    hint = "Type your answer, then Enter" + (
        "; Enter alone skips it." if not prompt.required else "."
    )
    while True:
        answer = ask_text(question, validate=text_limit, instruction=hint, default=default)
        default = ""
        if answer.strip():
            return answer
        if not prompt.required:
            return None
