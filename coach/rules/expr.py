"""The condition language of rule packs: tokenizer, parser, static checker and compiler.

Three modules, re-exported here as one: coach.rules.expr_syntax (values, tokens, the tree and
the parser), coach.rules.expr_check (checking against the content) and
coach.rules.expr_compile (closures, and running them).

A condition such as `a.s1.greeted_warmly >= 4 and b.s1.turned_toward == "toward"` is parsed by
hand into a small tree, checked against the content (prompts, their types, known facts) and then
compiled into nested closures. Nothing is ever handed to eval: a rule pack is data a therapist
writes, and it must not be able to run code.

Unanswered prompts evaluate to MISSING. MISSING propagates through arithmetic and comparisons,
`and`/`or`/`not` use three-valued (Kleene) logic, and mean/min/max skip it. A condition fires only
when it is exactly true, so an unanswered prompt never counts as a low answer.
"""

from __future__ import annotations

from coach.rules.expr_check import CheckResult as CheckResult
from coach.rules.expr_check import ExprProblem as ExprProblem
from coach.rules.expr_check import Kind as Kind
from coach.rules.expr_check import Shape as Shape
from coach.rules.expr_check import check as check
from coach.rules.expr_check import ref_name as ref_name
from coach.rules.expr_compile import compile_condition as compile_condition
from coach.rules.expr_compile import evaluate as evaluate
from coach.rules.expr_compile import present_answers as present_answers
from coach.rules.expr_syntax import ARITHMETIC as ARITHMETIC
from coach.rules.expr_syntax import COMPARISONS as COMPARISONS
from coach.rules.expr_syntax import FUNCTIONS as FUNCTIONS
from coach.rules.expr_syntax import KEYWORDS as KEYWORDS
from coach.rules.expr_syntax import MAX_CONDITION_LENGTH as MAX_CONDITION_LENGTH
from coach.rules.expr_syntax import MAX_LITERAL as MAX_LITERAL
from coach.rules.expr_syntax import MAX_NESTING as MAX_NESTING
from coach.rules.expr_syntax import MAX_TOKENS as MAX_TOKENS
from coach.rules.expr_syntax import MISSING as MISSING
from coach.rules.expr_syntax import Answers as Answers
from coach.rules.expr_syntax import Binary as Binary
from coach.rules.expr_syntax import Call as Call
from coach.rules.expr_syntax import Const as Const
from coach.rules.expr_syntax import Evaluator as Evaluator
from coach.rules.expr_syntax import ExprSyntaxError as ExprSyntaxError
from coach.rules.expr_syntax import Missing as Missing
from coach.rules.expr_syntax import Name as Name
from coach.rules.expr_syntax import Node as Node
from coach.rules.expr_syntax import Token as Token
from coach.rules.expr_syntax import TokenKind as TokenKind
from coach.rules.expr_syntax import Unary as Unary
from coach.rules.expr_syntax import Value as Value
from coach.rules.expr_syntax import negate_literals as negate_literals
from coach.rules.expr_syntax import parse as parse
from coach.rules.expr_syntax import tokenize as tokenize
