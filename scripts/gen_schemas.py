"""Write the targets and steps into the JSON schemas (coach/render/*.schema.json) from the content.

targets.toml is the one source of the targets and flow.toml of the steps; the schemas shipped for
programs reading coach's JSON list both, so this script fills them in (`--check` compares
instead, and a test runs it):

python scripts/gen_schemas.py          # rewrite the schemas
python scripts/gen_schemas.py --check  # exit 1 if a schema is out of date

What it rewrites: every list of target ids (an "enum" or a "required" list; a list is one when
most of its entries are targets), every "properties" table keyed by the targets (each new target
gets the first one's schema), and the "maximum" of every step number (a "step" or "steps" entry).
Everything else in a schema is written by hand.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "coach" / "render"


def _is_target_list(value: list[Any], known: frozenset[str]) -> bool:
    strings = [v for v in value if isinstance(v, str)]
    return len(strings) == len(value) >= 4 and sum(v in known for v in strings) * 2 > len(value)


def _fill(node: Any, targets: tuple[str, ...], last_step: int, key: str = "") -> Any:
    known = frozenset(targets)
    if isinstance(node, list):
        if _is_target_list(node, known):
            return list(targets)
        return [_fill(v, targets, last_step) for v in node]
    if not isinstance(node, dict):
        return node
    filled = {k: _fill(v, targets, last_step, k) for k, v in node.items()}
    if key == "properties" and sum(k in known for k in node) * 2 > len(node) >= 4:
        first = next(filled[k] for k in node if k in known)
        filled = {t: filled.get(t, first) for t in targets}
    if key == "step" and filled.get("minimum") == 1 and "maximum" in filled:
        filled["maximum"] = last_step
    if key == "steps" and isinstance(filled.get("items"), dict):
        items = filled["items"]
        if items.get("minimum") == 1 and "maximum" in items:
            items["maximum"] = last_step
    return filled


def generated(text: str) -> str:
    """A schema's text with the targets and steps of the shipped content (two-space JSON)."""
    sys.path.insert(0, str(ROOT))
    from coach.domain.steps import STEPS
    from coach.domain.targets import TARGETS

    return json.dumps(_fill(json.loads(text), TARGETS, STEPS[-1]), indent=2) + "\n"


def main(argv: list[str]) -> int:
    stale = []
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        text = path.read_text(encoding="utf-8")
        new = generated(text)
        if json.loads(new) == json.loads(text):
            continue  # current: a schema laid out by hand keeps its layout
        stale.append(path.relative_to(ROOT))
        if "--check" not in argv:
            path.write_text(new, encoding="utf-8")
    if stale and "--check" in argv:
        names = ", ".join(str(p) for p in stale)
        print(f"out of date: {names}; run python scripts/gen_schemas.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
