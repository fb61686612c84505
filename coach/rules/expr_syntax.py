"""The condition language's words and grammar: values, tokens, the syntax tree and the parser.

A condition such as `a.s1.greeted_warmly >= 4 and b.s1.turned_toward == "toward"` is parsed by
hand into a small tree (coach.rules.expr_check checks it, coach.rules.expr_compile compiles it).
Nothing is ever handed to eval: a rule pack is data a therapist writes, and it must not be able
to run code. Limits keep every accepted condition cheap to parse and safe to evaluate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias, cast

from coach.content import AnswerValue


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


def negate_literals(node: Node) -> Node:
    """Fold `-4` into one constant so the range check sees the literal."""
    if isinstance(node, Unary) and node.op == "-":
        inner = negate_literals(node.operand)
        value = inner.value if isinstance(inner, Const) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Const(-value, node.column)
        return Unary("-", inner, node.column)
    if isinstance(node, Unary):
        return Unary(node.op, negate_literals(node.operand), node.column)
    if isinstance(node, Binary):
        return Binary(node.op, negate_literals(node.left), negate_literals(node.right), node.column)
    if isinstance(node, Call):
        return Call(node.function, tuple(negate_literals(a) for a in node.args), node.column)
    return node
