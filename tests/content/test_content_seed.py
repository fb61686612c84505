"""Every region, chemical and flow step of the source model appears in the shipped content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coach.content import load_content

HERE = Path(__file__).resolve()
SHARED_SEED = HERE.parents[3] / "shared" / "seed" / "neurochemistry-of-secure-couples.md"
COPY = HERE.parents[1] / "data" / "neurochemistry-of-secure-couples.md"


def seed_text() -> str:
    # CI has ../shared beside the clone; a bare clone uses the copy kept with the tests.
    return (SHARED_SEED if SHARED_SEED.exists() else COPY).read_text(encoding="utf-8")


def table_rows(text: str, heading: str) -> list[list[str]]:
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def flow_sentences(text: str) -> list[str]:
    section = text.split("## 3. Interaction flow", 1)[1]
    return [m.group(1).strip() for m in re.finditer(r"^\d\. (.+)$", section, re.MULTILINE)]


def test_copy_matches_shared_seed() -> None:
    if not SHARED_SEED.exists():
        pytest.skip("../shared is not beside this clone")
    assert COPY.read_text(encoding="utf-8") == SHARED_SEED.read_text(encoding="utf-8")


def test_every_seed_region_with_its_wording() -> None:
    content = load_content()
    rows = table_rows(seed_text(), "## 1. Key brain regions")
    assert len(rows) == 5
    by_name = {t.name: t for t in content.targets if t.kind == "region"}
    for name, role, effect in rows:
        assert name in by_name, name
        assert by_name[name].role == role
        assert by_name[name].effect == effect


def test_every_seed_chemical_with_its_wording() -> None:
    content = load_content()
    rows = table_rows(seed_text(), "## 2. Key neurochemicals")
    assert len(rows) == 5
    by_name = {t.name: t for t in content.targets if t.kind == "chemical"}
    for name, role, effect in rows:
        assert by_name[name].role == role
        assert by_name[name].effect == effect


def test_every_seed_flow_step_in_order() -> None:
    content = load_content()
    sentences = flow_sentences(seed_text())
    assert len(sentences) == 5
    assert [s.seed for s in content.steps] == sentences
    assert [s.id for s in content.steps] == [
        "warm_engagement",
        "reciprocation",
        "conflict",
        "co_regulation",
        "repetition",
    ]


def test_each_step_has_three_prompts_per_partner_with_stable_ids() -> None:
    content = load_content()
    for step in content.steps:
        for partner in ("a", "b"):
            mine = [p for p in step.prompts if p.partner == partner]
            assert len(mine) >= 3
            for prompt in mine:
                assert prompt.id.startswith(f"s{step.number}.{partner}.")
                if prompt.type == "scale":
                    assert prompt.min < prompt.max and prompt.low and prompt.high
                if prompt.type != "text":
                    assert prompt.secure is not None
