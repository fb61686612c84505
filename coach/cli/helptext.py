"""Help text as written in docstrings, made ready for Typer and Rich to wrap.

Docstrings are wrapped at 100 columns for the source; shown as they are, they break raggedly in
a terminal of another width. Here each paragraph becomes one line, which Rich wraps to the
terminal, except that an example command keeps a line of its own.
"""

from __future__ import annotations

import inspect

import typer

EXAMPLE_STARTS = ("coach ", "Example", "$ coach ")

# `coach --help` lists the commands in these panels (Typer's rich_help_panel), by use.
SESSIONS = "Sessions"
HISTORY = "History and reports"
DATA = "Your data"
RULES = "Rules and the model"
THERAPIST = "For therapists and facilitators"


def unwrap(text: str) -> str:
    """Join the lines of each paragraph; a line that starts an example stays on its own line."""
    paragraphs = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        lines: list[str] = []
        for raw in paragraph.splitlines():
            line = raw.strip()
            if lines and not line.startswith(EXAMPLE_STARTS):
                lines[-1] += " " + line
            else:
                lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def unwrap_commands(app: typer.Typer) -> None:
    """Unwrap the help of every command of `app` and of its sub-apps, in place."""
    for info in app.registered_commands:
        text = info.help or (inspect.getdoc(info.callback) if info.callback else None)
        if text:
            info.help = unwrap(text)
    for group in app.registered_groups:
        sub = group.typer_instance
        if sub is None:
            continue
        if group.help:
            group.help = unwrap(group.help)
        callback = sub.registered_callback  # a group's own help (coach couples) lives here
        if callback is not None:
            text = callback.help or (
                inspect.getdoc(callback.callback) if callback.callback else None
            )
            if text:
                callback.help = unwrap(text)
        unwrap_commands(sub)
