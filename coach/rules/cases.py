"""Cases: example answer sets with expected results, kept beside a pack and run as its tests.

A cases file holds `[[case]]` tables with a `name`, an `answers` table (prompt id -> value), an
optional `steps` list and an `expect` table of "scope.target" -> "positive" | "negative" |
"neutral". A pack passes when every case meets its expectations and every rule fires in at least
one case (a rule that never fires is untested).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, TypeAlias

from coach.base import document
from coach.base.errors import DataError, UsageError, did_you_mean
from coach.content import TARGETS, AnswerValue, Content
from coach.domain.wording import count
from coach.rules.infer import infer
from coach.rules.pack_check import block_lines
from coach.rules.pack_model import DEFAULT_PACK_PATH, STEPS, RulePack
from coach.rules.results import LABEL_THRESHOLD, SCOPES

Expectation: TypeAlias = Literal["positive", "negative", "neutral"]
EXPECTATIONS: Final[tuple[Expectation, ...]] = ("positive", "negative", "neutral")
CASE_KEYS: Final = ("name", "answers", "steps", "expect")


@dataclass(frozen=True)
class Case:
    name: str
    answers: dict[str, AnswerValue]
    steps: tuple[int, ...]
    expect: tuple[tuple[str, str, Expectation], ...]  # (scope, target, expectation)
    line: int | None = None


@dataclass(frozen=True)
class CaseResult:
    name: str
    passed: bool
    messages: tuple[str, ...]  # one per unmet expectation


@dataclass(frozen=True)
class CaseReport:
    pack_id: str
    cases: tuple[CaseResult, ...]
    never_fired: tuple[str, ...]  # rule ids that fired in no case

    @property
    def passed(self) -> bool:
        return not self.never_fired and all(c.passed for c in self.cases)

    @property
    def failed(self) -> tuple[CaseResult, ...]:
        return tuple(c for c in self.cases if not c.passed)


def cases_path_for(pack_path: Path | None) -> Path:
    """The cases file beside a pack: `<stem>_cases.toml` (the default pack's for None)."""
    path = DEFAULT_PACK_PATH if pack_path is None else pack_path
    return path.with_name(f"{path.stem}_cases.toml")


def classify(score: float) -> Expectation:
    """Positive and negative mean the result's label is the target's positive/negative one."""
    if score >= LABEL_THRESHOLD:
        return "positive"
    if score <= -LABEL_THRESHOLD:
        return "negative"
    return "neutral"


def run_cases(pack: RulePack, cases_path: Path) -> CaseReport:
    """Run every case in the file against the pack. Raises DataError if the file is invalid."""
    cases = load_cases(cases_path, pack.content)
    fired: set[str] = set()
    results = []
    for case in cases:
        inference = infer(pack, case.answers, case.steps)
        fired.update(inference.fired)
        messages = []
        for scope, target, expected in case.expect:
            score = inference.scope(scope)[target].score
            got = classify(score)
            if got != expected:
                messages.append(
                    f"{scope}.{target}: expected {expected}, got {got} (score {score:+.3f})"
                )
        results.append(CaseResult(case.name, not messages, tuple(messages)))
    never = tuple(r.id for r in pack.rules if r.id not in fired)
    return CaseReport(pack.id, tuple(results), never)


# --- loading ---------------------------------------------------------------------------------


def load_cases(path: Path, content: Content) -> list[Case]:
    """Read and validate a cases file, reporting every problem at once."""
    if not path.exists() and not path.is_symlink():
        raise UsageError(f"cases file not found: {path}; pass --cases FILE")
    text = document.decode(document.read_limited(path, "cases file"), str(path))
    return parse_cases(text, str(path), content)


def parse_cases(text: str, filename: str, content: Content) -> list[Case]:
    data = document.parse(text, filename)
    reader = _CasesReader(filename, text, content)
    cases = reader.read(data)
    if reader.problems:
        raise DataError(
            f"{filename}: the cases file has {count(len(reader.problems), 'problem')}",
            details=reader.problems,
        )
    return cases


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Turn dotted keys written without quotes (s1.a.greeted_warmly = 5) back into one key."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


class _CasesReader:
    def __init__(self, filename: str, text: str, content: Content) -> None:
        self.filename = filename
        self.content = content
        self.problems: list[str] = []
        self.lines = block_lines(text, "case")[1]

    def report(self, index: int | None, name: str, message: str, key: str = "") -> None:
        block = self.lines[index] if index is not None and index < len(self.lines) else {}
        line = block.get(key) or block.get("name") or block.get("")
        key_name = f"case {name}" if name else ""
        self.problems.append(str(document.Problem(self.filename, line, key_name, message)))

    def read(self, data: dict[str, Any]) -> list[Case]:
        for key in data:
            if key != "case":
                self.report(None, "", f'unknown key "{key}"{did_you_mean(key, ["case"])}')
        tables = data.get("case")
        if (
            not isinstance(tables, list)
            or not tables
            or not all(isinstance(t, dict) for t in tables)
        ):
            self.report(None, "", "a cases file needs one or more [[case]] tables")
            return []
        cases = [self.case(i, raw) for i, raw in enumerate(tables)]
        names = [c.name for c in cases]
        for i, name in enumerate(names):
            if name in names[:i]:
                self.report(i, name, "duplicate case name", "name")
        return cases

    def case(self, index: int, raw: dict[str, Any]) -> Case:
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            self.report(index, f"#{index + 1}", "a case needs a name")
            name = f"#{index + 1}"
        for key in raw:
            if key not in CASE_KEYS:
                self.report(index, name, f'unknown key "{key}"{did_you_mean(key, CASE_KEYS)}', key)
        return Case(
            name=name,
            answers=self.answers(index, name, raw.get("answers", {})),
            steps=self.steps(index, name, raw.get("steps", list(STEPS))),
            expect=self.expect(index, name, raw.get("expect", {})),
            line=self.lines[index].get("") if index < len(self.lines) else None,
        )

    def answers(self, index: int, name: str, raw: object) -> dict[str, AnswerValue]:
        if not isinstance(raw, Mapping):
            self.report(index, name, "answers must be a table of prompt id = answer", "answers")
            return {}
        prompts = self.content.prompts
        answers: dict[str, AnswerValue] = {}
        for prompt_id, value in _flatten(raw).items():
            prompt = prompts.get(prompt_id)
            if prompt is None:
                hint = did_you_mean(prompt_id, prompts)
                self.report(index, name, f'unknown prompt "{prompt_id}"{hint}', "answers")
                continue
            problem = prompt.check_value(value)
            if problem is not None:
                self.report(index, name, f"{prompt_id}: {problem}", "answers")
                continue
            answers[prompt_id] = value
        return answers

    def steps(self, index: int, name: str, raw: object) -> tuple[int, ...]:
        if (
            not isinstance(raw, list)
            or not all(isinstance(s, int) and not isinstance(s, bool) for s in raw)
            or not set(raw) <= set(STEPS)
        ):
            self.report(index, name, "steps must be a list of step numbers from 1 to 5", "steps")
            return STEPS
        return tuple(raw)

    def expect(
        self, index: int, name: str, raw: object
    ) -> tuple[tuple[str, str, Expectation], ...]:
        if not isinstance(raw, Mapping):
            self.report(index, name, 'expect must be a table like "couple.oxytocin" = "positive"')
            return ()
        found: list[tuple[str, str, Expectation]] = []
        for key, value in _flatten(raw).items():
            scope, _, target = key.partition(".")
            if scope not in SCOPES:
                hint = did_you_mean(scope, SCOPES)
                self.report(index, name, f'"{key}": unknown scope "{scope}"{hint}', "expect")
            elif target not in TARGETS:
                hint = did_you_mean(target, TARGETS)
                self.report(index, name, f'"{key}": unknown target "{target}"{hint}', "expect")
            elif value not in EXPECTATIONS:
                hint = did_you_mean(str(value), EXPECTATIONS)
                self.report(
                    index,
                    name,
                    f'"{key}": expected positive, negative or neutral, not {value!r}{hint}',
                    "expect",
                )
            else:
                found.append((scope, target, value))
        return tuple(found)
