"""Usage errors from the command line parser (Typer's click), as one line like coach's own.

Typer would draw a five-line box: the usage, a hint and the message in a panel. coach says what
was wrong and how to put it right on one line: the nearest command for an unknown one, the valid
options for an unknown option, the usage line for a missing argument. Imported only when such
an error happens.
"""

from __future__ import annotations

import re
from typing import Any

from coach.base.errors import did_you_mean
from coach.domain.wording import noun


def usage_line(error: Exception) -> str:
    """The one line for a click usage error (without "coach: " when the command is named)."""
    context: Any = getattr(error, "ctx", None)
    where = context.command_path if context is not None else "coach"
    shown = getattr(error, "format_message", None)
    text = " ".join(str(shown() if callable(shown) else error).split())
    kind = type(error).__name__
    if kind == "NoSuchOption" and context is not None:
        return _unknown_option(error, context, where)
    unknown = re.match(r"No such command '(.*?)'", text)
    if unknown and context is not None:
        word = unknown.group(1)
        commands = [
            name
            for name in context.command.list_commands(context)
            if not getattr(context.command.get_command(context, name), "hidden", False)
        ]
        return (
            f'{where}: no command "{word}"{did_you_mean(word, commands)}; '
            f"the commands: {', '.join(commands)}"
        )
    extra = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", text)
    if extra:
        words = extra.group(1).split()
        text = f"unexpected {noun(len(words), 'argument')} {' '.join(words)}"
    elif kind in ("MissingParameter", "BadArgumentUsage") or text.startswith("Missing "):
        text = text.rstrip(".")
    text = text[:1].lower() + text[1:] if text[1:2].islower() else text
    if context is not None:
        usage = " ".join(context.get_usage().split()).removeprefix("Usage: ")
        return f"{where}: {text.rstrip('.')}; usage: {usage} (more: {where} --help)"
    return f"{where}: {text.rstrip('.')}; coach --help lists the commands and options"


def _unknown_option(error: Any, context: Any, where: str) -> str:
    names: list[str] = []
    for param in context.command.get_params(context):
        if getattr(param, "param_type_name", "") != "option" or getattr(param, "hidden", False):
            continue
        long = [o for o in [*param.opts, *param.secondary_opts] if o.startswith("--")]
        names.extend(long or param.opts)
    typed = str(error.option_name)
    return (
        f"{where}: no option {typed}{did_you_mean(typed, names)}; the options: {', '.join(names)}"
    )
