"""Write docs/cli.md, the CLI reference, from the app itself (`--check` compares instead).

python scripts/gen_cli_docs.py          # regenerate docs/cli.md
python scripts/gen_cli_docs.py --check  # exit 1 if docs/cli.md is out of date
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "cli.md"
HEADER = """# CLI reference

Generated from the app by `scripts/gen_cli_docs.py`; a test checks that it is current.
Run `coach COMMAND --help` for the same text in your terminal.
"""


def command_paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command path in the app; groups are recognised by having sub-commands."""
    yield path
    commands = getattr(command, "commands", None)
    if isinstance(commands, dict):
        for name in sorted(commands):
            sub = commands[name]
            if not getattr(sub, "hidden", False):
                yield from command_paths(sub, (*path, name))


def render() -> str:
    from coach.cli.main import app

    os.environ["COLUMNS"] = "100"
    os.environ["TERM"] = "dumb"
    os.environ.pop("NO_COLOR", None)
    runner = CliRunner()
    parts = [HEADER]
    for path in command_paths(typer.main.get_command(app)):
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100", "TERM": "dumb"})
        title = " ".join(("coach", *path))
        body = "\n".join(line.rstrip() for line in result.output.strip().splitlines())
        parts.append(f"## `{title}`\n\n```\n{body}\n```\n")
    return "\n".join(parts)


# Rich draws the help panels with box characters and pads them to the width; a Rich or Typer
# release may change either without any change of ours. The check compares the words.
_BOX_DRAWING = re.compile(r"[\u2500-\u257f]")


def words(text: str) -> list[str]:
    """The text as a list of words, without box drawing or spacing."""
    return _BOX_DRAWING.sub(" ", text).split()


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if words(current) != words(text):
            print("docs/cli.md is out of date: run python scripts/gen_cli_docs.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
