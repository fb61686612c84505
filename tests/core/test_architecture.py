"""The layers of docs/architecture.md hold: imports only point inwards, and never in a circle.

Read from the source (every import statement, including those inside functions), so a lazy
import cannot hide a wrong direction or a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "coach"
UI_LIBRARIES = ("typer", "rich", "questionary", "prompt_toolkit", "plotext")
# The terminal and its renderers; everything not listed here or under coach/cli is the core.
INTERFACE = (
    "coach.cli",
    "coach.render",
    "coach.ask",
)
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


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def coach_imports_of(path: Path) -> set[str]:
    """The coach modules `path` imports, wherever the statement is: at the top, inside a
    function, or under `if TYPE_CHECKING:`. `from coach.store import files` imports the module
    coach.store.files; `from coach.store.files import save_session` imports coach.store.files."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in MODULES)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                if submodule in MODULES:
                    found.add(submodule)
                elif node.module in MODULES:
                    found.add(node.module)
    return found


def import_graph(prefix: str) -> dict[str, set[str]]:
    """Each module named `prefix` or below it, and the modules below `prefix` it imports."""

    def inside(name: str) -> bool:
        return name == prefix or name.startswith(prefix + ".")

    return {
        name: {imported for imported in coach_imports_of(path) if inside(imported)} - {name}
        for name, path in sorted(MODULES.items())
        if inside(name)
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, as the modules along it with the first repeated at the end."""
    done: set[str] = set()
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        if name in path:
            return [*path[path.index(name) :], name]
        if name in done:
            return None
        path.append(name)
        for imported in sorted(graph.get(name, ())):
            if cycle := visit(imported):
                return cycle
        path.pop()
        done.add(name)
        return None

    for name in sorted(graph):
        if cycle := visit(name):
            return cycle
    return None


def test_a_cycle_is_found_and_named() -> None:
    """The check itself: a graph with a cycle (lazy or not, it is just an edge) is caught."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_the_store_import_graph_reads_lazy_and_type_checking_imports() -> None:
    graph = import_graph("coach.store")
    assert "coach.store.files" in graph["coach.store.lookup"]  # at the top
    assert "coach.store.files" in graph["coach.store.index_refresh"]  # inside a function
    assert "coach.store.index_summary" in graph["coach.store.index_refresh"]  # under TYPE_CHECKING


@pytest.mark.parametrize("package", ["coach.store", "coach"])
def test_imports_have_no_cycle(package: str) -> None:
    """No module imports itself round a circle, even lazily: files and index once imported each
    other inside functions, which hid that neither could be understood without the other."""
    cycle = find_cycle(import_graph(package))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def runtime_imports_of(path: Path) -> set[str]:
    """The modules imported when the code runs: those under `if TYPE_CHECKING:` are left out."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
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
    assert {
        "coach.domain.session",
        "coach.store.files",
        "coach.rules.infer",
        "coach.content",
    } <= names
    assert {"coach.app", "coach.app.sessions", "coach.app.history", "coach.base.formats"} <= names


@pytest.mark.parametrize("path", CORE, ids=lambda p: module_name(p))
def test_a_core_module_imports_no_terminal_library_and_no_interface_module(path: Path) -> None:
    wrong = sorted(
        name
        for name in imports_of(path)
        if name.split(".")[0] in UI_LIBRARIES or is_interface(name)
    )
    assert wrong == [], f"{module_name(path)} imports {wrong}: see docs/architecture.md"


# coach/answers, one job a module: what each may import of the others (never the package itself,
# which re-exports them all). A new module there gets a line here.
ANSWER_MODULES_MAY_IMPORT: dict[str, set[str]] = {
    "coach.answers.answer_model": set(),
    "coach.answers.check_keys": set(),
    "coach.answers.reading": {"coach.answers.answer_model", "coach.answers.check_keys"},
    "coach.answers.merging": {"coach.answers.answer_model"},
    "coach.answers.checking": {
        "coach.answers.answer_model",
        "coach.answers.reading",
        "coach.answers.check_keys",
    },
    "coach.answers.building": {"coach.answers.answer_model", "coach.answers.check_keys"},
}


@pytest.mark.parametrize(
    "path",
    sorted(p for p in (PACKAGE / "answers").glob("*.py") if p.name != "__init__.py"),
    ids=lambda p: p.stem,
)
def test_the_answer_file_modules_import_each_other_one_way(path: Path) -> None:
    name = module_name(path)
    assert name in ANSWER_MODULES_MAY_IMPORT, f"{name}: say what it may import, above"
    used = {n for n in imports_of(path) if n == "coach.answers" or n.startswith("coach.answers.")}
    extra = used - ANSWER_MODULES_MAY_IMPORT[name]
    assert not extra, f"{name} imports {sorted(extra)}: see coach/answers/__init__.py"


def test_renderers_never_import_the_cli() -> None:
    for path in (PACKAGE / "render").rglob("*.py"):
        assert not [n for n in imports_of(path) if n.startswith("coach.cli")], path


def test_only_the_interface_uses_the_use_cases() -> None:
    """coach/app sits on the rest of the core: content, rules, session and store never call up."""
    for path in CORE:
        if module_name(path).startswith("coach.app"):
            continue
        wrong = [n for n in imports_of(path) if n == "coach.app" or n.startswith("coach.app.")]
        assert wrong == [], f"{module_name(path)} imports {wrong}: see docs/architecture.md"


def test_the_cli_never_queries_the_index_itself() -> None:
    """Listings, trends, reports and rebuilds go through coach.app; types may still be named."""
    for path in (PACKAGE / "cli").rglob("*.py"):
        wrong = [n for n in runtime_imports_of(path) if n.startswith("coach.store.index")]
        assert wrong == [], f"{module_name(path)} imports {wrong}: use coach.app"


def test_renderers_take_data_and_never_read_the_store() -> None:
    for path in (PACKAGE / "render").rglob("*.py"):
        wrong = [n for n in runtime_imports_of(path) if n.startswith("coach.store")]
        assert wrong == [], f"{module_name(path)} imports {wrong} when it runs"


def test_runtime_imports_leave_out_type_checking_blocks() -> None:
    source = PACKAGE / "render" / "tables.py"
    assert "coach.store.index" in imports_of(source)
    assert "coach.store.index" not in runtime_imports_of(source)
    assert "coach.store.index" in runtime_imports_of(PACKAGE / "app" / "history.py")


# The exceptions, pinned: typer 0.26-0.28 vendor click only as typer._click, and pyproject
# and scripts/constraints-dev.txt hold typer below 0.29 (see coach/cli/options.py); shell
# completion finds the parameter a command line ends in as click does (coach/cli/shells.py);
# the entry point catches click's usage errors, which typer 0.27 does not export.
ALLOWED_PRIVATE = {"typer._click.types", "typer._click.shell_completion", "typer._click.exceptions"}


def test_no_module_imports_a_private_module_of_another_package() -> None:
    """Private modules (rich._export_format, say) change without notice between releases."""
    for path in PACKAGE.rglob("*.py"):
        private = [
            name
            for name in imports_of(path)
            if not name.startswith("coach")
            and name not in ALLOWED_PRIVATE
            and any(part.startswith("_") and part != "__future__" for part in name.split("."))
        ]
        assert private == [], f"{module_name(path)} imports {private}"


def test_module_names_are_unique_outside_the_cli() -> None:
    # Three session.py and three model.py made every search and traceback ambiguous; the CLI's
    # modules are named for their command groups and may share a name with the use case.
    seen: dict[str, list[str]] = {}
    for path in (PACKAGE).rglob("*.py"):
        if (
            path.name in {"__init__.py", "__main__.py"}
            or "cli" in path.relative_to(PACKAGE.parent).parts
        ):
            continue
        seen.setdefault(path.name, []).append(str(path.relative_to(PACKAGE.parent)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}


def test_the_package_root_holds_only_packages() -> None:
    loose = sorted(
        p.name for p in (PACKAGE).glob("*.py") if p.name not in {"__init__.py", "__main__.py"}
    )
    assert loose == []


CLI_MODULES = sorted((PACKAGE / "cli").rglob("*.py"))
CLI_MAX_LINES = 300


@pytest.mark.parametrize("path", CLI_MODULES, ids=lambda p: module_name(p))
def test_the_cli_never_imports_rich(path: Path) -> None:
    """The CLI wires: what it shows is drawn by coach/render, so no Rich here, not even inside a
    function or under TYPE_CHECKING (imports_of reads every import statement)."""
    rich = sorted(name for name in imports_of(path) if name.split(".")[0] == "rich")
    assert rich == [], f"{module_name(path)} imports {rich}: give coach/render a function for it"


def test_the_rich_check_reads_imports_inside_functions(tmp_path: Path) -> None:
    source = tmp_path / "lazy.py"
    source.write_text(
        "def show() -> None:\n    from rich.console import Console\n    import rich.table\n",
        encoding="utf-8",
    )
    assert {"rich.console", "rich.table"} <= imports_of(source)


@pytest.mark.parametrize("path", CLI_MODULES, ids=lambda p: module_name(p))
def test_a_cli_module_is_at_most_300_lines(path: Path) -> None:
    """One module per command group, options and wiring only: the work is in coach/app, the
    output in coach/render (a longer module is doing one of their jobs)."""
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= CLI_MAX_LINES, (
        f"{module_name(path)} has {lines} lines (at most {CLI_MAX_LINES}): move its use cases "
        "to coach/app and its renderers to coach/render"
    )
