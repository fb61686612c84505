"""Checking a parsed condition against the content before it can run: prompts and facts that
exist, values of the right kind for each operator, literals a prompt can take. Every problem
says where (the column) and, where one helps, what was meant.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Final, Literal, TypeAlias

from coach.base.errors import did_you_mean
from coach.content import Prompt
from coach.rules.expr_syntax import (
    ARITHMETIC,
    FUNCTIONS,
    KEYWORDS,
    Binary,
    Call,
    Const,
    Name,
    Node,
    Unary,
    negate_literals,
)

Kind: TypeAlias = Literal["number", "bool", "text", "choice", "unknown"]


@dataclass(frozen=True, slots=True)
class Shape:
    """What an expression yields, as far as the checker can tell before any answers exist."""

    kind: Kind
    prompt: Prompt | None = None  # set when the expression is one bare answer ref
    literal: int | float | str | bool | None = None  # set when it is a constant


_UNKNOWN: Final = Shape("unknown")
_NUMBER: Final = Shape("number")
_BOOL: Final = Shape("bool")

_PROMPT_KINDS: Final[dict[str, Kind]] = {
    "scale": "number",
    "yesno": "bool",
    "choice": "choice",
    "text": "text",
}


def ref_name(prompt: Prompt) -> str:
    """How a condition names a prompt: `s1.a.greeted_warmly` is `a.s1.greeted_warmly`."""
    step, partner, name = prompt.id.split(".", 2)
    return f"{partner}.{step}.{name}"


@dataclass(frozen=True, slots=True)
class ExprProblem:
    message: str
    column: int


@dataclass
class CheckResult:
    """Problems found in one condition, and what it reads: prompts and facts with polarity."""

    problems: list[ExprProblem] = field(default_factory=list)
    reads: list[str] = field(default_factory=list)
    # fact name -> True when every use is positive (under an even number of `not`, outside
    # comparisons and arithmetic). Facts used negatively must not sit on a cycle.
    facts: dict[str, bool] = field(default_factory=dict)


class _Checker:
    def __init__(self, refs: Mapping[str, Prompt], facts: AbstractSet[str]) -> None:
        self.refs = refs
        self.known_facts = facts
        self.result = CheckResult()

    def fail(self, message: str, column: int) -> Shape:
        self.result.problems.append(ExprProblem(message, column))
        return _UNKNOWN

    def check_condition(self, node: Node) -> None:
        shape = self.check(node, positive=True)
        if shape.kind not in ("bool", "unknown"):
            example = f"{ref_name(shape.prompt)} >= 4" if shape.prompt else "x >= 4"
            self.fail(
                f"the condition must be true or false, but it is {_describe(shape)}"
                f" (compare it, e.g. {example})",
                _column(node),
            )

    def check(self, node: Node, positive: bool) -> Shape:
        if isinstance(node, Const):
            kind: Kind = (
                "bool"
                if isinstance(node.value, bool)
                else "text"
                if isinstance(node.value, str)
                else "number"
            )
            return Shape(kind, literal=node.value)
        if isinstance(node, Name):
            return self.check_name(node, positive)
        if isinstance(node, Call):
            return self.check_call(node)
        if isinstance(node, Unary):
            if node.op == "not":
                return self.need_bool(node.operand, '"not"', not positive)
            return self.need_number(node.operand, '"-"')
        if node.op in ("and", "or"):
            self.need_bool(node.left, f'"{node.op}"', positive)
            self.need_bool(node.right, f'"{node.op}"', positive)
            return _BOOL
        if node.op in ARITHMETIC:
            self.need_number(node.left, f'"{node.op}"')
            self.need_number(node.right, f'"{node.op}"')
            return _NUMBER
        return self.check_comparison(node)

    def need_bool(self, node: Node, user: str, positive: bool) -> Shape:
        shape = self.check(node, positive)
        if shape.kind in ("bool", "unknown"):
            return _BOOL
        return self.fail(f"{user} needs true or false, but got {_describe(shape)}", _column(node))

    def need_number(self, node: Node, user: str) -> Shape:
        shape = self.check(node, positive=False)
        if shape.kind in ("number", "bool", "unknown"):  # yes/no counts as 1 or 0
            return _NUMBER
        return self.fail(f"{user} needs numbers, but got {_describe(shape)}", _column(node))

    def check_name(self, node: Name, positive: bool) -> Shape:
        text = node.text
        parts = text.split(".")
        if parts[0] == "fact":
            return self.check_fact(node, parts, positive)
        if len(parts) == 1:
            return self.unknown_word(node)
        prompt = self.refs.get(text)
        if prompt is None:
            hint = did_you_mean(text, self.refs)
            if len(parts) == 3 and parts[0] not in ("a", "b"):
                return self.fail(
                    f'unknown partner "{parts[0]}" in "{text}"; answer refs start with a or b'
                    + hint,
                    node.column,
                )
            return self.fail(f'unknown prompt "{text}"{hint}', node.column)
        if prompt.type == "text":
            return self.fail(
                f'"{text}" is a free-text answer; use it only as answered({text})', node.column
            )
        self.read(prompt)
        return Shape(_PROMPT_KINDS[prompt.type], prompt=prompt)

    def check_fact(self, node: Name, parts: list[str], positive: bool) -> Shape:
        if len(parts) != 2 or not parts[1]:
            return self.fail(f'"{node.text}" is not a fact; write fact.name', node.column)
        name = parts[1]
        if name not in self.known_facts:
            close = difflib.get_close_matches(name, list(self.known_facts), n=1, cutoff=0.6)
            hint = f' (did you mean "fact.{close[0]}"?)' if close else ""
            return self.fail(f'fact "{name}" is used but no rule sets it{hint}', node.column)
        self.result.facts[name] = self.result.facts.get(name, True) and positive
        return _BOOL

    def unknown_word(self, node: Name) -> Shape:
        if node.text in FUNCTIONS:
            return self.fail(
                f'"{node.text}" is a function; call it like {node.text}(a.s1.greeted_warmly)',
                node.column,
            )
        choices = [*FUNCTIONS, *KEYWORDS, *self.refs]
        return self.fail(
            f'unknown name "{node.text}"{did_you_mean(node.text, choices)}; answer refs look like'
            " a.s1.greeted_warmly and facts like fact.name",
            node.column,
        )

    def read(self, prompt: Prompt) -> None:
        if prompt.id not in self.result.reads:
            self.result.reads.append(prompt.id)

    def check_call(self, node: Call) -> Shape:
        if node.function not in FUNCTIONS:
            for arg in node.args:
                self.check(arg, positive=False)
            hint = did_you_mean(node.function, FUNCTIONS)
            return self.fail(
                f'unknown function "{node.function}"{hint}; functions are {", ".join(FUNCTIONS)}',
                node.column,
            )
        if node.function == "answered":
            return self.check_answered(node)
        if not node.args:
            return self.fail(f"{node.function}() needs at least one argument", node.column)
        if node.function == "abs" and len(node.args) != 1:
            return self.fail("abs() takes exactly one argument", node.column)
        for arg in node.args:
            self.need_number(arg, f"{node.function}()")
        return _NUMBER

    def check_answered(self, node: Call) -> Shape:
        arg = node.args[0] if len(node.args) == 1 else None
        prompt = self.refs.get(arg.text) if isinstance(arg, Name) else None
        if prompt is None:
            if isinstance(arg, Name) and "." in arg.text and arg.text.split(".")[0] != "fact":
                return self.check_name(arg, positive=False)  # reports the unknown prompt
            return self.fail(
                "answered() takes one answer ref, like answered(a.s1.greeted_warmly)", node.column
            )
        self.read(prompt)
        return _BOOL

    def check_comparison(self, node: Binary) -> Shape:
        left = self.check(node.left, positive=False)
        right = self.check(node.right, positive=False)
        if "unknown" in (left.kind, right.kind):
            return _BOOL
        problem = (
            _equality_problem(left, right)
            if node.op in ("==", "!=")
            else _ordering_problem(node.op, left, right)
        )
        if problem is None:
            problem = _range_problem(left, right) or _range_problem(right, left)
        if problem is not None:
            self.fail(problem, node.column)
        return _BOOL


def _describe(shape: Shape) -> str:
    if shape.prompt is not None:
        kind = {"scale": "scale", "yesno": "yes/no", "choice": "choice"}[shape.prompt.type]
        return f'{kind} prompt "{ref_name(shape.prompt)}"'
    if shape.literal is not None and shape.kind == "text":
        return f'the text "{shape.literal}"'
    if shape.literal is not None and shape.kind == "number":
        return f"the number {shape.literal}"
    return {"number": "a number", "bool": "true/false", "text": "text"}.get(shape.kind, "a value")


def _equality_problem(left: Shape, right: Shape) -> str | None:
    for one, other in ((left, right), (right, left)):
        if one.kind == "choice" and one.prompt is not None:
            if other.kind == "choice":
                return None
            if other.kind != "text" or not isinstance(other.literal, str):
                return f"compares {_describe(one)} with {_describe(other)}; use one of its choices"
            values = one.prompt.choice_values()
            if other.literal not in values:
                return (
                    f'"{other.literal}" is not a choice of {_describe(one)}'
                    f"{did_you_mean(other.literal, values)}; choices are {', '.join(values)}"
                )
            return None
    if left.kind == right.kind:
        return None
    for one, other in ((left, right), (right, left)):
        if one.kind == "bool" and one.prompt is not None and other.kind == "number":
            return f"compares {_describe(one)} with {_describe(other)}; use true or false"
    return f"cannot compare {_describe(left)} with {_describe(right)}"


def _ordering_problem(op: str, left: Shape, right: Shape) -> str | None:
    for one, other in ((left, right), (right, left)):
        if one.kind == "bool" and one.prompt is not None:
            return f"compares {_describe(one)} with {_describe(other)}; use == true or == false"
        if one.kind in ("choice", "text"):
            return f'{_describe(one)} cannot be ordered with "{op}"; use == or !='
        if one.kind == "bool":
            return f'true/false cannot be ordered with "{op}"'
    return None


def _range_problem(ref: Shape, literal: Shape) -> str | None:
    prompt = ref.prompt
    value = literal.literal
    if prompt is None or prompt.type != "scale" or isinstance(value, bool | str) or value is None:
        return None
    if prompt.min <= value <= prompt.max:
        return None
    return f"{value} is outside the scale of {_describe(ref)} ({prompt.min} to {prompt.max})"


def _column(node: Node) -> int:
    if isinstance(node, Binary):
        return _column(node.left)
    return node.column


def check(node: Node, refs: Mapping[str, Prompt], facts: AbstractSet[str]) -> CheckResult:
    """Check a parsed condition against the prompts (keyed by ref name) and the known facts."""
    checker = _Checker(refs, facts)
    checker.check_condition(negate_literals(node))
    return checker.result
