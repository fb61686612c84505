"""Every output format coach writes, declared once, and the formats each command offers.

A command that takes --format reads its choices from COMMAND_FORMATS (for its help text too)
and turns the option into a Format with `parse_format`, which is the one error for an unknown
format: it lists the valid ones and suggests the closest. A renderer keeps a table from Format
to the function that writes it (coach.render.export), so a format is never picked by an
if-chain that falls back to another. Pure and small: imported when the CLI starts.
"""

from __future__ import annotations

from enum import StrEnum

from coach.base.errors import UsageError, did_you_mean


class Format(StrEnum):
    TEXT = "text"  # for reading: a Rich summary or table at a terminal, plain text when piped
    JSON = "json"  # one document (docs/json-output.md)
    TOML = "toml"  # a session file or an answer file
    MD = "md"
    HTML = "html"
    SVG = "svg"
    CSV = "csv"
    CHART = "chart"  # line charts in the terminal
    TABLE = "table"


# The schema_version every JSON document coach prints carries (docs/json-output.md): the
# session, the report, the listings, the template, the safety check and the couples. One number,
# raised when any of their shapes changes in a way a reader must know about.
JSON_SCHEMA_VERSION = 1


# The command's name (as typed after `coach`) -> its formats, the default first.
COMMAND_FORMATS: dict[str, tuple[Format, ...]] = {
    "show": (Format.TEXT, Format.JSON, Format.TOML),
    "run": (Format.TEXT, Format.JSON, Format.TOML),
    "template": (Format.TOML, Format.JSON),
    "export": (Format.MD, Format.HTML, Format.SVG, Format.JSON, Format.CSV),
    "trends": (Format.CHART, Format.TABLE, Format.JSON, Format.CSV),
    "list": (Format.TEXT, Format.JSON),
    "history": (Format.TEXT, Format.JSON),
    "rules": (Format.TEXT, Format.JSON),  # every `coach rules` command
    "safety": (Format.TEXT, Format.JSON),  # coach safety check
}

# File suffixes (lower case, no dot) that name a format, for `export -o FILE`.
SUFFIXES: dict[str, Format] = {
    "md": Format.MD,
    "markdown": Format.MD,
    "html": Format.HTML,
    "htm": Format.HTML,
    "svg": Format.SVG,
    "json": Format.JSON,
    "csv": Format.CSV,
}


def choices(command: str) -> str:
    """The command's formats as help text reads them: "text, json, toml"."""
    return ", ".join(COMMAND_FORMATS[command])


def parse_format(command: str, value: str) -> Format:
    """The Format that --format names for `command`; a UsageError for any other value."""
    offered = COMMAND_FORMATS[command]
    if value not in offered:
        hint = did_you_mean(value, offered)
        raise UsageError(f"--format must be one of {choices(command)}{hint}")
    return Format(value)
