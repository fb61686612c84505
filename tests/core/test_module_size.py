"""No module in coach/ grows past about 400 lines without saying why at its top.

A long module is usually several jobs in one file; split it along its seams, or say in its
docstring why it is one piece ("... over 400 lines ...").
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "coach"
LIMIT = 420  # "about 400"


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_long_module_says_why_at_its_top(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    name = path.relative_to(PACKAGE).as_posix()
    if lines <= LIMIT:
        return
    docstring = ast.get_docstring(ast.parse(text)) or ""
    assert "400 lines" in docstring, (
        f"coach/{name} has {lines} lines: split it along its seams, or say at its top why it "
        "is over 400 lines"
    )
