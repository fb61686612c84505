"""The condition language of rule packs: tokenizer, parser, static checker and compiler.

A condition such as `a.s1.greeted_warmly >= 4 and b.s1.turned_toward == "toward"` is parsed by
hand into a small tree, checked against the content (prompts, their types, known facts) and then
compiled into nested closures. Nothing is ever handed to eval: a rule pack is data a therapist
writes, and it must not be able to run code.

Unanswered prompts evaluate to MISSING. MISSING propagates through arithmetic and comparisons,
`and`/`or`/`not` use three-valued (Kleene) logic, and mean/min/max skip it. A condition fires only
when it is exactly true, so an unanswered prompt never counts as a low answer.
"""

from __future__ import annotations

import difflib
import operator
import re
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeAlias, cast

from coach.content import AnswerValue, Prompt
from coach.errors import did_you_mean


class Missing:
    """The value of an unanswered or skipped prompt (there is exactly one: MISSING)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = Missing()

Value: TypeAlias = int | float | str | bool | Missing
Answers: TypeAlias = Mapping[str, AnswerValue]
Evaluator: TypeAlias = Callable[[Answers, AbstractSet[str]], Value]

FUNCTIONS: Final = ("mean", "min", "max", "abs", "answered")
KEYWORDS: Final = ("and", "or", "not", "true", "false")
COMPARISONS: Final = ("==", "!=", "<", "<=", ">", ">=")
ARITHMETIC: Final = ("+", "-", "*", "/")
# Limits that keep every condition `rules check` accepts cheap to parse and safe to evaluate: the
# longest condition in the default pack is 41 characters and 9 parts.
MAX_CONDITION_LENGTH: Final = 1_000
MAX_TOKENS: Final = 200
MAX_NESTING: Final = 30
MAX_LITERAL: Final = 1_000_000


# --- tokens ----------------------------------------------------------------------------------


class ExprSyntaxError(Exception):
    """A condition that cannot be parsed; `column` is 1-based within the condition text."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"column {column}: {message}")
        self.message = message
        self.column = column


TokenKind: TypeAlias = Literal["number", "string", "name", "op", "(", ")", ",", "end"]


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str
    column: int


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)
  | (?P<string>"[^"]*"|'[^']*')
  | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|/)
  | (?P<paren>[(),])
    """,
    re.VERBOSE,
)

# Characters people bring from other languages, with what to write instead.
_HINTS: Final = {
    "=": "use == to compare",
    "&": "use and",
    "|": "use or",
    "!": "use not, or != to compare",
}


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_CONDITION_LENGTH:
        raise ExprSyntaxError(
            f"the condition is {len(text):,} characters long; the limit is "
            f"{MAX_CONDITION_LENGTH:,} (split it into rules that set facts)",
            1,
        )
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        column = position + 1
        if match is None:
            char = text[position]
            if char in "\"'":
                raise ExprSyntaxError(f"text starting with {char} is never closed", column)
            hint = _HINTS.get(char, "")
            raise ExprSyntaxError(f'unexpected "{char}"' + (f"; {hint}" if hint else ""), column)
        group = match.lastgroup
        if group != "space":
            kind = match.group() if group == "paren" else group
            tokens.append(Token(cast(TokenKind, kind), match.group(), column))
            if len(tokens) > MAX_TOKENS:
                raise ExprSyntaxError(
                    f"the condition has more than {MAX_TOKENS} parts; split it into rules "
                    "that set facts",
                    column,
                )
        position = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# --- syntax tree -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Const:
    value: int | float | str | bool
    column: int


@dataclass(frozen=True, slots=True)
class Name:
    """A dotted name: an answer ref (`a.s1.greeted_warmly`) or a fact (`fact.mutual_warmth`)."""

    text: str
    column: int


@dataclass(frozen=True, slots=True)
class Call:
    function: str
    args: tuple[Node, ...]
    column: int


@dataclass(frozen=True, slots=True)
class Unary:
    op: Literal["-", "not"]
    operand: Node
    column: int


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: Node
    right: Node
    column: int


Node: TypeAlias = Const | Name | Call | Unary | Binary


# --- parser ----------------------------------------------------------------------------------
#
#   condition  := or
#   or         := and ("or" and)*
#   and        := not ("and" not)*
#   not        := "not" not | comparison
#   comparison := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)?
#   sum        := product (("+" | "-") product)*
#   product    := unary (("*" | "/") unary)*
#   unary      := "-" unary | atom
#   atom       := number | string | "true" | "false" | name | name "(" args? ")" | "(" or ")"


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = 0  # how deep in parentheses, calls, not and minus the parser is

    def enter(self, column: int) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExprSyntaxError(
                f"the condition nests more than {MAX_NESTING} deep (parentheses, calls, not "
                "or minus)",
                column,
            )

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def kind(self) -> TokenKind:
        # A method rather than an attribute so type narrowing does not outlive advance().
        return self.tokens[self.index].kind

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at_word(self, word: str) -> bool:
        return self.kind() == "name" and self.token.text == word

    def expect(self, kind: TokenKind, what: str) -> Token:
        if self.kind() != kind:
            raise ExprSyntaxError(f"expected {what}, found {_shown(self.token)}", self.token.column)
        return self.advance()

    def parse(self) -> Node:
        if self.kind() == "end":
            raise ExprSyntaxError("the condition is empty", 1)
        node = self.parse_or()
        if self.kind() != "end":
            raise ExprSyntaxError(
                f"expected an operator or the end, found {_shown(self.token)}", self.token.column
            )
        return node

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.at_word("or"):
            column = self.advance().column
            node = Binary("or", node, self.parse_and(), column)
        return node

    def parse_and(self) -> Node:
        node = self.parse_not()
        while self.at_word("and"):
            column = self.advance().column
            node = Binary("and", node, self.parse_not(), column)
        return node

    def parse_not(self) -> Node:
        if self.at_word("not"):
            column = self.advance().column
            self.enter(column)
            node = Unary("not", self.parse_not(), column)
            self.depth -= 1
            return node
        return self.parse_comparison()

    def parse_comparison(self) -> Node:
        node = self.parse_sum()
        if self.kind() == "op" and self.token.text in COMPARISONS:
            op = self.advance()
            node = Binary(op.text, node, self.parse_sum(), op.column)
            if self.kind() == "op" and self.token.text in COMPARISONS:
                raise ExprSyntaxError(
                    "comparisons cannot be chained; join them with and", self.token.column
                )
        return node

    def parse_sum(self) -> Node:
        node = self.parse_product()
        while self.kind() == "op" and self.token.text in ("+", "-"):
            op = self.advance()
            node = Binary(op.text, node, self.parse_product(), op.column)
        return node

    def parse_product(self) -> Node:
        node = self.parse_unary()
        while self.kind() == "op" and self.token.text in ("*", "/"):
            op = self.advance()
            node = Binary(op.text, node, self.parse_unary(), op.column)
        return node

    def parse_unary(self) -> Node:
        if self.kind() == "op" and self.token.text == "-":
            column = self.advance().column
            self.enter(column)
            node = Unary("-", self.parse_unary(), column)
            self.depth -= 1
            return node
        return self.parse_atom()

    def parse_atom(self) -> Node:
        token = self.token
        if token.kind == "number":
            self.advance()
            return Const(_number(token), token.column)
        if token.kind == "string":
            self.advance()
            return Const(token.text[1:-1], token.column)
        if token.kind == "(":
            self.enter(self.advance().column)
            node = self.parse_or()
            self.expect(")", '")"')
            self.depth -= 1
            return node
        if token.kind == "name":
            return self.parse_name()
        raise ExprSyntaxError(f"expected a value, found {_shown(token)}", token.column)

    def parse_name(self) -> Node:
        token = self.advance()
        if token.text in ("true", "false"):
            return Const(token.text == "true", token.column)
        if token.text in ("and", "or", "not"):
            raise ExprSyntaxError(f'expected a value before "{token.text}"', token.column)
        if self.kind() != "(":
            return Name(token.text, token.column)
        self.enter(self.advance().column)
        args: list[Node] = []
        if self.kind() != ")":
            args.append(self.parse_or())
            while self.kind() == ",":
                self.advance()
                args.append(self.parse_or())
        self.expect(")", '"," or ")"')
        self.depth -= 1
        return Call(token.text, tuple(args), token.column)


def _number(token: Token) -> int | float:
    """A number literal, at most MAX_LITERAL, so that arithmetic on it stays finite."""
    whole = token.text.split(".")[0].lstrip("0")
    if len(whole) > len(str(MAX_LITERAL)) or len(token.text) > 20:
        number: int | float = MAX_LITERAL + 1
    else:
        number = float(token.text) if "." in token.text else int(token.text)
    if number > MAX_LITERAL:
        raise ExprSyntaxError(
            f"the number is too large; numbers in conditions are at most {MAX_LITERAL:,} "
            "with at most 20 characters",
            token.column,
        )
    return number


def _shown(token: Token) -> str:
    return "the end" if token.kind == "end" else f'"{token.text}"'


def parse(text: str) -> Node:
    """Parse a condition into a tree; raises ExprSyntaxError with a 1-based column."""
    return _Parser(text).parse()


# --- static checking -------------------------------------------------------------------------

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
    checker.check_condition(_negate_literals(node))
    return checker.result


def _negate_literals(node: Node) -> Node:
    """Fold `-4` into one constant so the range check sees the literal."""
    if isinstance(node, Unary) and node.op == "-":
        inner = _negate_literals(node.operand)
        value = inner.value if isinstance(inner, Const) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Const(-value, node.column)
        return Unary("-", inner, node.column)
    if isinstance(node, Unary):
        return Unary(node.op, _negate_literals(node.operand), node.column)
    if isinstance(node, Binary):
        return Binary(
            node.op, _negate_literals(node.left), _negate_literals(node.right), node.column
        )
    if isinstance(node, Call):
        return Call(node.function, tuple(_negate_literals(a) for a in node.args), node.column)
    return node


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
    return _compile(_negate_literals(node), refs)


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


def _all(items: tuple[Evaluator, ...]) -> Evaluator:
    # Kleene and: false wins, then missing, then true.
    def evaluate(answers: Answers, facts: AbstractSet[str]) -> Value:
        result: Value = True
        for item in items:
            value = item(answers, facts)
            if value is False:
                return False
            if value is not True:
                result = MISSING
        return result

    return evaluate


def _any(items: tuple[Evaluator, ...]) -> Evaluator:
    # Kleene or: true wins, then missing, then false.
    def evaluate(answers: Answers, facts: AbstractSet[str]) -> Value:
        result: Value = False
        for item in items:
            value = item(answers, facts)
            if value is True:
                return True
            if value is not False:
                result = MISSING
        return result

    return evaluate


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
