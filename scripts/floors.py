"""The dependency floors of pyproject.toml, for scripts/test-floors.

floors.py write FLOORS CONSTRAINTS   FLOORS: each runtime dependency pinned at its `>=` floor;
                                     CONSTRAINTS: those, and the test tools as
                                     scripts/constraints-dev.txt pins them
floors.py check FLOORS               exit 1 unless each is installed at exactly its floor
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def name(requirement: str) -> str:
    found = re.match(r"[A-Za-z0-9._-]+", requirement.strip())
    assert found, requirement
    return found.group(0).lower().replace("_", "-")


def runtime_floors() -> dict[str, str]:
    """Each runtime dependency and its floor; every one must have a `>=` floor."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    pins = {}
    for requirement in dependencies:
        floor = re.search(r">=\s*([0-9][^,;\s]*)", requirement)
        if floor is None:
            raise SystemExit(f"floors: {requirement!r} in pyproject.toml has no >= floor")
        pins[name(requirement)] = floor.group(1)
    return pins


def write(floors: Path, constraints: Path) -> None:
    pins = runtime_floors()
    dev = (ROOT / "scripts" / "constraints-dev.txt").read_text(encoding="utf-8").splitlines()
    tools = [line.split("#")[0].strip() for line in dev]
    lines = [f"{n}=={v}" for n, v in pins.items()]
    floors.write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines += [line for line in tools if line and name(line) not in pins]
    constraints.write_text("\n".join(lines) + "\n", encoding="utf-8")


def check(floors: Path) -> int:
    from packaging.version import Version  # pytest's dependency, so in the floors venv

    pins = [line.split("==") for line in floors.read_text(encoding="utf-8").split()]
    wrong = []
    for package, floor in pins:
        try:
            installed = version(package)
        except PackageNotFoundError:
            installed = "missing"
        if installed == "missing" or Version(installed) != Version(floor):
            wrong.append(f"{package} {installed} (floor {floor})")
    if wrong:
        print("floors: not at the floor: " + ", ".join(wrong), file=sys.stderr)
        return 1
    print("== at the floors: " + ", ".join(f"{n} {v}" for n, v in pins))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["write"] and len(sys.argv) == 4:
        write(Path(sys.argv[2]), Path(sys.argv[3]))
    elif sys.argv[1:2] == ["check"] and len(sys.argv) == 3:
        sys.exit(check(Path(sys.argv[2])))
    else:
        sys.exit(__doc__)
