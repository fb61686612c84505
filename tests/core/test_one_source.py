"""Each fact has one source (issue 24 item 6): the steps come from flow.toml, the targets from
targets.toml, every JSON document's schema_version from one constant, and every plural from
coach.domain.wording. Read from the source, so a new copy of a fact in code fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from coach.domain.steps import STEPS
from coach.domain.targets import TARGETS

PACKAGE = Path(__file__).resolve().parents[2] / "coach"
SOURCES = sorted(PACKAGE.rglob("*.py"))


def constants(path: Path) -> list[tuple[int, object]]:
    """(line, value) of every literal tuple or list of constants and every string literal,
    docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    found: list[tuple[int, object]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List) and node.elts:
            if all(isinstance(e, ast.Constant) for e in node.elts):
                found.append((node.lineno, tuple(e.value for e in node.elts)))  # type: ignore[attr-defined]
        elif isinstance(node, ast.Constant) and id(node) not in docstrings:
            found.append((node.lineno, node.value))
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_lists_the_steps_or_names_a_target_itself(path: Path) -> None:
    wrong = [
        (line, value)
        for line, value in constants(path)
        if value == STEPS
        or value in TARGETS
        or (isinstance(value, tuple) and value[:2] == TARGETS[:2])
    ]
    assert not wrong, f"{path.name}: the steps come from flow.toml, the targets from targets.toml"


# "s" if n != 1, '' if n == 1 else 's', 'is' if n == 1 else 'are': coach.domain.wording says them.
HAND_PLURAL = re.compile(
    r"""["'](?:s|es|is|are)?["'] if [^"'\n]+ [!=]= 1\b|== 1 else ["'](?:s|es|are)["']"""
)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_plural_comes_from_the_wording_helper(path: Path) -> None:
    if path.name == "wording.py":
        return
    found = [m.group() for m in HAND_PLURAL.finditer(path.read_text(encoding="utf-8"))]
    assert not found, f"{path.name}: use coach.domain.wording.count or noun for {found}"


def test_the_pattern_finds_the_plurals_it_was_written_for() -> None:
    for written in (
        "f\"{n} session{'s' if n != 1 else ''}\"",
        "f\"{n} answer{'' if n == 1 else 's'}\"",
        "f\"{'is' if done == 1 else 'are'}\"",
    ):
        assert HAND_PLURAL.search(written), written


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_json_document_takes_its_schema_version_from_one_constant(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"""["']schema_version["']: \d""", text), path.name
    if path.name != "formats.py":
        assert not re.search(r"^\w*JSON\w*SCHEMA_VERSION\s*=", text, re.MULTILINE), path.name
        assert not re.search(r"^\w+_SCHEMA_VERSION\s*=", text, re.MULTILINE), path.name
