"""Rule packs: loading a TOML pack, checked in one pass (coach.rules.pack_check) and planned for
evaluation (coach.rules.plan), and finding which pack to use.

The pack's model lives in coach.rules.pack_model and is re-exported here, so code imports it from
coach.rules.pack or coach.rules as before.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from coach.base.document import Problem, decode, read_limited
from coach.base.errors import DataError
from coach.content import Content
from coach.domain.wording import count
from coach.rules.pack_check import block_lines as block_lines
from coach.rules.pack_check import check_pack
from coach.rules.pack_check import ref_table as ref_table
from coach.rules.pack_model import DEFAULT_PACK_NAME as DEFAULT_PACK_NAME
from coach.rules.pack_model import DEFAULT_PACK_PATH as DEFAULT_PACK_PATH
from coach.rules.pack_model import EFFECT_PARTNERS as EFFECT_PARTNERS
from coach.rules.pack_model import STEPS as STEPS
from coach.rules.pack_model import Effect as Effect
from coach.rules.pack_model import PartnerScope as PartnerScope
from coach.rules.pack_model import Plan as Plan
from coach.rules.pack_model import Rule as Rule
from coach.rules.pack_model import RulePack as RulePack
from coach.rules.plan import build_pack

RULES_ENV: Final = "COACH_RULES"


def compile_pack_text(
    text: str, filename: str, content: Content
) -> tuple[RulePack | None, list[Problem]]:
    """Check a pack's text and, when it has no problems, build the pack ready to run."""
    checked, problems = check_pack(text, filename, content)
    if checked is None:
        return None, problems
    data, drafts = checked
    return build_pack(data, drafts, filename, content), []


def check_pack_text(text: str, filename: str, content: Content) -> list[Problem]:
    """Every problem in a pack, in file order; an empty list means the pack can run."""
    return compile_pack_text(text, filename, content)[1]


def pack_problems_error(source: str, problems: list[Problem]) -> DataError:
    problem_count = count(len(problems), "problem")
    return DataError(
        f"{source}: the rule pack has {problem_count}", details=[str(p) for p in problems]
    )


def read_pack_text(path: Path) -> str:
    """A pack's text, read within coach.base.document's limits."""
    return decode(read_limited(path, "rule pack"), str(path))


def pack_source(path: Path | None) -> tuple[Path, str]:
    """The file to read and the name messages use for it."""
    if path is None:
        return DEFAULT_PACK_PATH, DEFAULT_PACK_NAME
    return path, str(path)


_default: dict[str, tuple[Content, RulePack]] = {}


def load_pack(path: Path | None, content: Content) -> RulePack:
    """Load and check a pack; None means the default pack, parsed once per process.

    Raises DataError listing every problem (as details) when the pack does not check.
    """
    if path is None:
        cached = _default.get("pack")
        if cached is not None and cached[0] is content:
            return cached[1]
    file, source = pack_source(path)
    pack, problems = compile_pack_text(read_pack_text(file), source, content)
    if pack is None:
        raise pack_problems_error(source, problems)
    if path is None:
        _default["pack"] = (content, pack)
    return pack


def check_default_pack_uncached(content: Content) -> RulePack:
    """Read, check and compile the default pack without the cache (for benchmarks and tests)."""
    pack, problems = compile_pack_text(
        read_pack_text(DEFAULT_PACK_PATH), DEFAULT_PACK_NAME, content
    )
    if pack is None:
        raise pack_problems_error(DEFAULT_PACK_NAME, problems)
    return pack


def resolve_pack_path(option: Path | None) -> Path | None:
    """The pack to use: the --rules option, else $COACH_RULES, else None (the default pack)."""
    if option is not None:
        return option
    from_env = os.environ.get(RULES_ENV, "").strip()
    return Path(from_env).expanduser() if from_env else None
