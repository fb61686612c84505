"""The layers of docs/architecture.md hold: imports only point inwards.

Read from the source (every import statement, including those inside functions), so a lazy
import cannot hide a wrong direction.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "coach"
UI_LIBRARIES = ("typer", "rich", "questionary", "prompt_toolkit", "plotext")
# The terminal and its renderers; everything not listed here or under coach/cli is the core.
INTERFACE = ("coach.cli", "coach.render", "coach.interactive", "coach.prompts", "coach.timer")
ENTRY_POINTS = ("coach.__main__",)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def is_interface(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in INTERFACE)


CORE = sorted(
    path
    for path in PACKAGE.rglob("*.py")
    if not is_interface(module_name(path)) and module_name(path) not in ENTRY_POINTS
)


def test_the_core_is_most_of_the_package() -> None:
    names = {module_name(p) for p in CORE}
    assert {"coach.session", "coach.store.files", "coach.rules.infer", "coach.content"} <= names


@pytest.mark.parametrize("path", CORE, ids=lambda p: module_name(p))
def test_a_core_module_imports_no_terminal_library_and_no_interface_module(path: Path) -> None:
    wrong = sorted(
        name
        for name in imports_of(path)
        if name.split(".")[0] in UI_LIBRARIES or is_interface(name)
    )
    assert wrong == [], f"{module_name(path)} imports {wrong}: see docs/architecture.md"


def test_renderers_never_import_the_cli() -> None:
    for path in (PACKAGE / "render").rglob("*.py"):
        assert not [n for n in imports_of(path) if n.startswith("coach.cli")], path
