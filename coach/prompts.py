"""The one place that asks the user anything.

Every question goes through `ask_*` here, which call questionary with `unsafe_ask()` so that
Ctrl-C (KeyboardInterrupt) and Ctrl-D (EOFError) reach the session runner, which saves the draft
and explains how to continue. Tests can swap the backend for scripted answers with
`use_backend`; an unexpected question then fails the test instead of hanging.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class TextInterrupted(KeyboardInterrupt):
    """Ctrl-C in a text prompt, carrying what had been typed so that a pause loses nothing."""

    def __init__(self, typed: str) -> None:
        super().__init__()
        self.typed = typed


class Backend(Protocol):
    def select(self, message: str, choices: Sequence[tuple[str, T]], instruction: str) -> T: ...

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


class QuestionaryBackend:
    """The real terminal backend. questionary is imported only when a question is asked."""

    def select(self, message: str, choices: Sequence[tuple[str, T]], instruction: str) -> T:
        import questionary

        items = [
            questionary.Choice(title=label, value=index) for index, (label, _) in enumerate(choices)
        ]
        question = questionary.select(
            message,
            choices=items,
            use_shortcuts=len(items) <= 9,
            use_arrow_keys=True,
            instruction=instruction,
            qmark="›",
        )
        # questionary binds Ctrl-C but not Ctrl-D in selects; a person pressing either expects
        # to stop, as Ctrl-D does in a text prompt.
        index: int = _on_key(question, "c-d", lambda _: EOFError()).unsafe_ask()
        return choices[index][1]

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

        question = questionary.text(
            message, default=default, validate=check, instruction=instruction, qmark="›"
        )
        # Ctrl-C keeps what was typed so far, for the draft.
        keep = _on_key(
            question, "c-c", lambda event: TextInterrupted(event.app.current_buffer.text)
        )
        answer: str = keep.unsafe_ask()
        return answer

    def pause(self, message: str) -> None:
        import questionary

        questionary.text(message, qmark="", instruction=" ").unsafe_ask()


_backend: Backend = QuestionaryBackend()


def use_backend(backend: Backend) -> Backend:
    """Replace the backend (tests); returns the previous one."""
    global _backend
    previous, _backend = _backend, backend
    return previous


def ask_select(message: str, choices: Sequence[tuple[str, T]], instruction: str = "") -> T:
    return _backend.select(message, choices, instruction)


def ask_yes_no(message: str, instruction: str = "") -> bool:
    """Yes or no as an explicit choice: no default, so Enter alone cannot answer for someone."""
    return _backend.select(message, [("Yes", True), ("No", False)], instruction)


def ask_text(
    message: str, validate: Callable[[str], str | None], instruction: str = "", default: str = ""
) -> str:
    """Free text, pre-filled with `default`; Ctrl-C raises TextInterrupted with what was typed."""
    return _backend.text(message, validate, instruction, default)


def pause(message: str) -> None:
    """Wait for Enter (hand-off screens, timers)."""
    _backend.pause(message)
