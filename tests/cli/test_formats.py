"""Every command that takes --format reads its choices from coach.base.formats and refuses any other
with the one message: the valid formats, and the closest one when a typo is near."""

from __future__ import annotations

import pytest
from coach_process import invoke

from coach.base.errors import UsageError
from coach.base.formats import COMMAND_FORMATS, Format, parse_format

# The command line of each command in the registry, before its --format.
COMMAND_LINES = {
    "show": ["show", "20261125"],
    "run": ["run", "--answers", "-"],
    "template": ["template"],
    "export": ["export", "20261125"],
    "trends": ["trends"],
    "list": ["list"],
    "history": ["history"],
    "rules": ["rules", "list"],
    "safety": ["safety", "check", "-"],
}


def test_every_command_in_the_registry_is_tested() -> None:
    assert set(COMMAND_LINES) == set(COMMAND_FORMATS)


@pytest.mark.parametrize("command", sorted(COMMAND_FORMATS))
def test_an_unknown_format_is_one_usage_error_with_the_valid_ones(command: str) -> None:
    offered = ", ".join(COMMAND_FORMATS[command])
    result = invoke(*COMMAND_LINES[command], "--format", "jsno")
    assert result.code == 2
    assert f'--format must be one of {offered} (did you mean "json"?)' in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("command", sorted(COMMAND_FORMATS))
def test_the_help_of_each_command_names_its_formats(command: str) -> None:
    result = invoke(*COMMAND_LINES[command][: 2 if command in ("rules", "safety") else 1], "--help")
    for fmt in COMMAND_FORMATS[command]:
        assert fmt in result.stdout


def test_parse_format_gives_the_enum_and_suggests_nothing_when_nothing_is_close() -> None:
    assert parse_format("trends", "csv") is Format.CSV
    with pytest.raises(UsageError, match=r"^--format must be one of text, json$"):
        parse_format("rules", "xlsx")
