"""Compiling a checked condition into nested closures, and running them.

Unanswered prompts evaluate to MISSING. MISSING propagates through arithmetic and comparisons,
`and`/`or`/`not` use three-valued (Kleene) logic, and mean/min/max skip it. A condition fires only
when it is exactly true, so an unanswered prompt never counts as a low answer.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, Final

from coach.content import AnswerValue, Prompt
from coach.rules.expr_syntax import (
    MISSING,
    Answers,
    Binary,
    Call,
    Const,
    Evaluator,
    Name,
    Node,
    Unary,
    Value,
    negate_literals,
)

# --- compiling -------------------------------------------------------------------------------
#
# Each node becomes a closure (answers, facts) -> value. Answers passed in hold answered prompts
# only (see present_answers), so a lookup that finds nothing is MISSING.

_COMPARE: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_ARITH: Final[dict[str, Callable[[Any, Any], Any]]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


def compile_condition(node: Node, refs: Mapping[str, Prompt]) -> Evaluator:
    """Compile a checked condition; `refs` maps ref names to prompts."""
    return _compile(negate_literals(node), refs)


def _compile(node: Node, refs: Mapping[str, Prompt]) -> Evaluator:
    if isinstance(node, Const):
        return _constant(node.value)
    if isinstance(node, Name):
        return _compile_name(node.text, refs)
    if isinstance(node, Call):
        return _compile_call(node, refs)
    if isinstance(node, Unary):
        operand = _compile(node.operand, refs)
        return _not(operand) if node.op == "not" else _negative(operand)
    if node.op in ("and", "or"):
        items = tuple(_compile(n, refs) for n in _flatten(node, node.op))
        return _all(items) if node.op == "and" else _any(items)
    left = _compile(node.left, refs)
    if node.op in _COMPARE:
        if isinstance(node.right, Const):
            if isinstance(node.left, Name) and not node.left.text.startswith("fact."):
                prompt_id = refs[node.left.text].id
                return _compare_answer(_COMPARE[node.op], prompt_id, node.right.value)
            return _compare_constant(_COMPARE[node.op], left, node.right.value)
        return _binary(_COMPARE[node.op], left, _compile(node.right, refs))
    return _binary(_ARITH[node.op], left, _compile(node.right, refs))


def _flatten(node: Node, op: str) -> list[Node]:
    if isinstance(node, Binary) and node.op == op:
        return _flatten(node.left, op) + _flatten(node.right, op)
    return [node]


def _constant(value: Value) -> Evaluator:
    def evaluate(answers: Answers, facts: AbstractSet[str]) -> Value:
        return value

    return evaluate


def _compile_name(text: str, refs: Mapping[str, Prompt]) -> Evaluator:
    if text.startswith("fact."):
        fact = text[5:]

        def evaluate_fact(answers: Answers, facts: AbstractSet[str]) -> Value:
            return fact in facts

        return evaluate_fact
    prompt_id = refs[text].id

    def evaluate_ref(answers: Answers, facts: AbstractSet[str]) -> Value:
        return answers.get(prompt_id, MISSING)

    return evaluate_ref


def _not(operand: Evaluator) -> Evaluator:
    def evaluate(answers: Answers, facts: AbstractSet[str]) -> Value:
        value = operand(answers, facts)
        if value is True:
            return False
        return True if value is False else MISSING

    return evaluate


def _negative(operand: Evaluator) -> Evaluator:
    def evaluate(answers: Answers, facts: AbstractSet[str]) -> Value:
        value = operand(answers, facts)
        if isinstance(value, int | float):
            return -value
        return MISSING

    return evaluate


def _kleene(items: tuple[Evaluator, ...], decisive: bool) -> Evaluator:
    """Kleene logic over `items`: the decisive value wins (False for and, True for or), then
    missing, then the other value. An unanswered question can neither pass nor fail a rule
    that another part already decides."""
    other = not decisive

    def evaluate(answers: Answers, facts: AbstractSet[str]) -> Value:
        result: Value = other
        for item in items:
            value = item(answers, facts)
            if value is decisive:
                return decisive
            if value is not other:
                result = MISSING
        return result

    return evaluate


def _all(items: tuple[Evaluator, ...]) -> Evaluator:
    return _kleene(items, decisive=False)


def _any(items: tuple[Evaluator, ...]) -> Evaluator:
    return _kleene(items, decisive=True)


def _compare_constant(
    op: Callable[[Any, Any], bool], left: Evaluator, constant: Value
) -> Evaluator:
    def evaluate(answers: Answers, facts: AbstractSet[str]) -> Value:
        value = left(answers, facts)
        if value is MISSING:
            return MISSING
        try:
            return op(value, constant)
        except TypeError:  # an answer of the wrong type: treat as no evidence
            return MISSING

    return evaluate


def _compare_answer(op: Callable[[Any, Any], bool], prompt_id: str, constant: Value) -> Evaluator:
    # The most common condition of all, `a.s1.greeted_warmly >= 4`, in a single closure.
    def evaluate(answers: Answers, facts: AbstractSet[str]) -> Value:
        value = answers.get(prompt_id, MISSING)
        if value is MISSING:
            return MISSING
        try:
            return op(value, constant)
        except TypeError:  # an answer of the wrong type: treat as no evidence
            return MISSING

    return evaluate


def _binary(op: Callable[[object, object], object], left: Evaluator, right: Evaluator) -> Evaluator:
    def evaluate(answers: Answers, facts: AbstractSet[str]) -> Value:
        a = left(answers, facts)
        if a is MISSING:
            return MISSING
        b = right(answers, facts)
        if b is MISSING:
            return MISSING
        try:
            result = op(a, b)
        except (TypeError, ZeroDivisionError, OverflowError, ValueError):
            # Not a number, or too large for a float: no evidence either way.
            return MISSING
        return result if isinstance(result, int | float | str) else MISSING

    return evaluate


def _compile_call(node: Call, refs: Mapping[str, Prompt]) -> Evaluator:
    if node.function == "answered":
        arg = node.args[0]
        assert isinstance(arg, Name)  # guaranteed by the checker
        prompt_id = refs[arg.text].id

        def evaluate_answered(answers: Answers, facts: AbstractSet[str]) -> Value:
            return prompt_id in answers

        return evaluate_answered
    args = tuple(_compile(a, refs) for a in node.args)
    reduce = _REDUCERS[node.function]

    def evaluate(answers: Answers, facts: AbstractSet[str]) -> Value:
        values = []
        for arg_evaluator in args:
            value = arg_evaluator(answers, facts)
            if isinstance(value, int | float):  # bools are ints: yes/no counts as 1 or 0
                values.append(value)
        try:
            return reduce(values) if values else MISSING
        except (OverflowError, ValueError):  # a mean too large for a float
            return MISSING

    return evaluate


def _mean(values: list[int | float]) -> Value:
    return sum(values) / len(values)


def _min(values: list[int | float]) -> Value:
    return +min(values)  # unary plus turns a yes/no True into the number 1


def _max(values: list[int | float]) -> Value:
    return +max(values)


def _abs(values: list[int | float]) -> Value:
    return abs(values[0])


_REDUCERS: Final[dict[str, Callable[[list[int | float]], Value]]] = {
    "mean": _mean,
    "min": _min,
    "max": _max,
    "abs": _abs,
}


def present_answers(answers: Mapping[str, AnswerValue | None]) -> dict[str, AnswerValue]:
    """Drop skipped prompts (None) and blank text so that a lookup that fails means MISSING."""
    return {k: v for k, v in answers.items() if v is not None and v != ""}


def evaluate(
    evaluator: Evaluator,
    answers: Mapping[str, AnswerValue | None],
    facts: AbstractSet[str] = frozenset(),
) -> Value:
    """Evaluate a compiled condition once (for tests and tools; infer() calls closures directly)."""
    return evaluator(present_answers(answers), facts)
