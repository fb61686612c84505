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


class Backend(Protocol):
    def select(self, message: str, choices: Sequence[tuple[str, T]], instruction: str) -> T: ...

    def text(
        self, message: str, validate: Callable[[str], str | None], instruction: str
    ) -> str: ...

    def pause(self, message: str) -> None: ...


def _with_ctrl_d(question: Any) -> Any:
    """Make Ctrl-D end a select the way it ends a text prompt: with EOFError.

    questionary binds Ctrl-C but not Ctrl-D in selects; a person pressing either expects to stop.
    """
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    extra = KeyBindings()

    @extra.add("c-d", eager=True)
    def _end(event: Any) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

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
        index: int = _with_ctrl_d(question).unsafe_ask()
        return choices[index][1]

    def text(self, message: str, validate: Callable[[str], str | None], instruction: str) -> str:
        import questionary

        def check(value: str) -> bool | str:
            problem = validate(value)
            return True if problem is None else problem

        answer: str = questionary.text(
            message, validate=check, instruction=instruction, qmark="›"
        ).unsafe_ask()
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


def ask_text(message: str, validate: Callable[[str], str | None], instruction: str = "") -> str:
    return _backend.text(message, validate, instruction)


def pause(message: str) -> None:
    """Wait for Enter (hand-off screens, timers)."""
    _backend.pause(message)
