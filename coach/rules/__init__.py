"""The declarative rule engine: rule packs as data, checked once, run over a session's answers.

Every result can be traced to the rules that fired and the answers they read. See docs/rules.md.
No Typer, Rich or questionary here: the CLI (coach/cli/rules.py) is a thin layer over this.
"""

from coach.base.document import Problem
from coach.rules.cases import Case, CaseReport, CaseResult, cases_path_for, load_cases, run_cases
from coach.rules.expr import MISSING, ExprSyntaxError, Missing
from coach.rules.infer import (
    EVIDENCE_ORDER,
    NEUTRAL_LABEL,
    FiredRule,
    Inference,
    TargetResult,
    infer,
    leading_reason,
    pulls,
    step_strengths,
    weakest_evidence,
)
from coach.rules.pack import (
    DEFAULT_PACK_PATH,
    Effect,
    Rule,
    RulePack,
    check_default_pack_uncached,
    check_pack_text,
    load_pack,
    resolve_pack_path,
)

__all__ = [
    "DEFAULT_PACK_PATH",
    "EVIDENCE_ORDER",
    "MISSING",
    "NEUTRAL_LABEL",
    "Case",
    "CaseReport",
    "CaseResult",
    "Effect",
    "ExprSyntaxError",
    "FiredRule",
    "Inference",
    "Missing",
    "Problem",
    "Rule",
    "RulePack",
    "TargetResult",
    "cases_path_for",
    "check_default_pack_uncached",
    "check_pack_text",
    "infer",
    "leading_reason",
    "load_cases",
    "load_pack",
    "pulls",
    "resolve_pack_path",
    "run_cases",
    "step_strengths",
    "weakest_evidence",
]
