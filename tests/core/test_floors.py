"""The dependency floors in pyproject.toml can be installed together (scripts/test-floors runs
the suite on them in CI; these are the quick checks of the same file)."""

from __future__ import annotations

import sys
from importlib.metadata import distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import floors  # noqa: E402


def test_every_runtime_dependency_has_a_floor() -> None:
    pins = floors.runtime_floors()
    assert {"typer", "rich", "pyrage", "questionary", "prompt-toolkit"} <= set(pins)


def test_no_dependency_needs_more_of_another_than_its_floor() -> None:
    """typer asks rich for 13.8 or newer: a rich floor of 13.7 could never be installed."""
    pins = {name: Version(floor) for name, floor in floors.runtime_floors().items()}
    clashes = []
    for name in pins:
        for text in distribution(name).requires or []:
            needed = Requirement(text)
            other = floors.name(needed.name)
            if needed.marker is None and other in pins and pins[other] not in needed.specifier:
                clashes.append(f"{name} needs {needed}, the floor is {other} {pins[other]}")
    assert clashes == []


def test_floors_are_versions_that_were_published() -> None:
    # pip index versions pyrage: 1.2.1 is the first 1.2; "pyrage>=1.2" named 1.2.0.
    assert Version(floors.runtime_floors()["pyrage"]) >= Version("1.2.1")


def test_the_constraints_pin_each_floor_and_keep_the_test_tools(tmp_path: Path) -> None:
    floors.write(tmp_path / "floors.txt", tmp_path / "constraints.txt")
    pinned = (tmp_path / "constraints.txt").read_text().split()
    assert f"typer=={floors.runtime_floors()['typer']}" in pinned
    assert [line for line in pinned if line.startswith("pytest==")]
    assert not [line for line in pinned if line.startswith("rich==15")]  # dev's pin left out
