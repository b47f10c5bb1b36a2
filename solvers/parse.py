"""One parser for the three FOL syntaxes people and LLMs write.

* FOLIO Unicode: ``∀x (P(x) → Q(x))``, ``∃``, ``¬``, ``∧``, ``∨``, ``→``, ``↔``, ``⊕``, ``=``, ``≠``
* NLTK: ``all x. (P(x) -> Q(x))``, ``exists x.``, ``-``, ``&``, ``|``, ``->``, ``<->``
* Prover9: ``all x (...)``, ``exists x``, ``-``, ``&``, ``|``, ``->``, ``<->``, ``!=``

Common variants are read as their plain forms: ``~ ∼ !`` for not, ``^`` for and, ``⇒ =>`` for
implies, ``⟷ ⇔ <=>`` for iff, ``forall`` for all. Several variables may share a quantifier:
``∀x,y``, ``all x y.``.

A name is a variable exactly where a quantifier binds it; every other name in term position is a
constant (so ``Likes(a, b)`` has two constants), whatever its case or first letter. Names may carry
inner ``-``, ``.``, ``'``/``’`` and trailing ``+`` (``Anti-abortion``, ``mr.smith``, ``c++``).

Precedence and scope are documented in :mod:`solvers.fol`. Errors are :class:`ParseError` with
line, column, the tokens that would have been accepted and a one-line hint; with
``repair=True`` a few unambiguous slips are fixed and the repair is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lark import Lark, Token, Transformer
from lark.exceptions import (
    LarkError,
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)

from .errors import ParseError
from .fol import (
    And,
    Const,
    Eq,
    Exists,
    Forall,
    Formula,
    Func,
    Iff,
    Implies,
    Not,
    Or,
    Pred,
    Term,
    Var,
    Xor,
    depth,
)

MAX_LENGTH = 20_000
"""Longest formula text accepted (characters)."""

MAX_DEPTH = 200
"""Deepest formula tree accepted; real formulas stay far below it."""

_GRAMMAR = r"""
?start: formula

?formula: iff
?iff: imp
    | iff IFF imp           -> iff
?imp: xor
    | xor IMP imp           -> implies
?xor: or_
    | xor XOR or_           -> xor
?or_: and_ (OR and_)*
?and_: unary (AND unary)*
?unary: NOT unary           -> neg
    | quantified
    | atom
    | "(" formula ")"

quantified: QUANT varlist formula
varlist: VARS_DOT
       | VAR ("," VAR)* "."?

?atom: NAME "(" terms ")"   -> predicate
     | NAME                 -> proposition
     | term EQ term         -> equal
     | term NEQ term        -> not_equal

terms: term ("," term)*
?term: NAME                 -> constant
     | NAME "(" terms ")"   -> function

QUANT.4: /[∀∃]|(?:all|forall|exists)(?![\w’'.+-])/
VARS_DOT.3: /[^\W\d]\w*(?:(?:\s*,\s*|\s+)[^\W\d]\w*)*\s*\./
VAR.2: /[^\W\d]\w*/
NAME: /\w[\w’']*(?:[-.][\w’']+)*\+*/

NOT: "¬" | "-" | "~" | "∼" | "!"
AND: "∧" | "&" | "&&" | "^"
OR: "∨" | "|" | "||"
XOR: "⊕" | "⊻"
IMP: "→" | "->" | "⇒" | "=>" | "⟶"
IFF: "↔" | "<->" | "⟷" | "⇔" | "<=>"
EQ: "="
NEQ: "≠" | "!="

%import common.WS
%ignore WS
"""

_TERMINAL_NAMES = {
    "QUANT": "a quantifier (∀ ∃ all exists)",
    "VARS_DOT": "a variable",
    "VAR": "a variable",
    "NAME": "a name",
    "NOT": "¬",
    "AND": "∧",
    "OR": "∨",
    "XOR": "⊕",
    "IMP": "→",
    "IFF": "↔",
    "EQ": "=",
    "NEQ": "≠",
    "LPAR": "'('",
    "RPAR": "')'",
    "COMMA": "','",
    "DOT": "'.'",
    "$END": "end of formula",
}


class _Build(Transformer):
    """Turns each grammar reduction straight into syntax-tree nodes (used inline by LALR)."""

    def neg(self, items):
        return Not(items[1])

    def and_(self, items):
        return And(tuple(item for item in items if not isinstance(item, Token)))

    def or_(self, items):
        return Or(tuple(item for item in items if not isinstance(item, Token)))

    def xor(self, items):
        return Xor(items[0], items[2])

    def implies(self, items):
        return Implies(items[0], items[2])

    def iff(self, items):
        return Iff(items[0], items[2])

    def quantified(self, items):
        quant, names, body = items
        cls = Forall if str(quant) in ("∀", "all", "forall") else Exists
        for name in reversed(names):
            body = cls(name, body)
        return body

    def varlist(self, items):
        if len(items) == 1 and items[0].type == "VARS_DOT":
            return [n for n in re.split(r"[\s,]+", str(items[0]).rstrip(".").strip()) if n]
        return [str(t) for t in items if isinstance(t, Token) and t.type == "VAR"]

    def predicate(self, items):
        return Pred(str(items[0]), tuple(items[1]))

    def proposition(self, items):
        return Pred(str(items[0]), ())

    def equal(self, items):
        return Eq(items[0], items[2])

    def not_equal(self, items):
        return Not(Eq(items[0], items[2]))

    def terms(self, items):
        return list(items)

    def constant(self, items):
        return Const(str(items[0]))

    def function(self, items):
        return Func(str(items[0]), tuple(items[1]))


_PARSER = Lark(
    _GRAMMAR, parser="lalr", lexer="contextual", transformer=_Build(), maybe_placeholders=False
)


@dataclass(frozen=True)
class Parsed:
    """A parsed formula with the text it came from and any repairs applied to that text."""

    formula: Formula
    text: str
    repairs: tuple[str, ...] = ()

    @property
    def repaired(self) -> bool:
        return bool(self.repairs)


def parse_formula(text: str) -> Formula:
    """Parse one formula in any supported syntax; raise :class:`ParseError` if it is not one."""
    return _parse_exact(text)


def parse(text: str, *, repair: bool = False) -> Parsed:
    """Parse one formula; with ``repair=True`` fix unambiguous slips and say which.

    Repairs: a trailing period, unbalanced parentheses at the end, a ``,`` between two formulas
    where ``∧`` is meant. Anything else raises the original :class:`ParseError`.
    """
    try:
        return Parsed(_parse_exact(text), text)
    except ParseError as first_error:
        if not repair or len(text) > MAX_LENGTH:
            raise
        fixed, repairs = text, []
        for _ in range(8):
            step = _repair_once(fixed)
            if step is None:
                break
            fixed, note = step
            repairs.append(note)
            try:
                return Parsed(_parse_exact(fixed), text, tuple(repairs))
            except ParseError:
                continue
        raise first_error from None


def _parse_exact(text: str) -> Formula:
    if not isinstance(text, str):
        raise ParseError(f"expected a formula as text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(
            f"formula is {len(text):,} characters long; the limit is {MAX_LENGTH:,}",
            hint="split it into several premises",
        )
    if not text.strip():
        raise ParseError("empty formula", text=text, line=1, column=1, hint="write a formula")
    try:
        tree = _PARSER.parse(text)
    except UnexpectedInput as error:
        raise _describe(error, text) from None
    except (LarkError, RecursionError) as error:  # defensive: never leak lark's own types
        raise ParseError(f"cannot parse formula: {error}", text=text) from None
    formula = tree if not hasattr(tree, "data") else None
    if formula is None:  # pragma: no cover - the grammar always builds a node
        raise ParseError("cannot parse formula", text=text)
    if depth(formula) > MAX_DEPTH:
        raise ParseError(
            f"formula is nested more than {MAX_DEPTH} levels deep",
            text=text,
            hint="flatten the formula or split it into several premises",
        )
    return _bind_variables(formula)


def _bind_variables(formula: Formula) -> Formula:
    """Turn each name a quantifier binds into a :class:`Var` within that quantifier's scope."""

    def resolve(f: Formula, bound: frozenset[str]) -> Formula:
        if isinstance(f, Pred):
            return Pred(f.name, tuple(_bind_term(t, bound) for t in f.args))
        if isinstance(f, Eq):
            return Eq(_bind_term(f.left, bound), _bind_term(f.right, bound))
        if isinstance(f, Not):
            return Not(resolve(f.body, bound))
        if isinstance(f, (And, Or)):
            return type(f)(tuple(resolve(p, bound) for p in f.parts))
        if isinstance(f, (Xor, Implies, Iff)):
            return type(f)(resolve(f.left, bound), resolve(f.right, bound))
        if isinstance(f, (Forall, Exists)):
            return type(f)(f.var, resolve(f.body, bound | {f.var}))
        raise TypeError(f"not a formula: {f!r}")  # pragma: no cover

    return resolve(formula, frozenset())


def _bind_term(term: Term, bound: frozenset[str]) -> Term:
    if isinstance(term, Const):
        return Var(term.name) if term.name in bound else term
    if isinstance(term, Func):
        return Func(term.name, tuple(_bind_term(a, bound) for a in term.args))
    return term


# --------------------------------------------------------------------------- errors


def _describe(error: UnexpectedInput, text: str) -> ParseError:
    line = getattr(error, "line", None)
    column = getattr(error, "column", None)
    if line is None or line < 0:
        line, column = _end_position(text)
    if isinstance(error, UnexpectedCharacters):
        char = text[error.pos_in_stream] if 0 <= error.pos_in_stream < len(text) else "?"
        expected = _expected_names(error.allowed or ())
        return ParseError(
            f"unexpected character {char!r}",
            text=text, line=line, column=column, expected=expected,
            hint=_character_hint(char, expected),
        )
    if isinstance(error, UnexpectedEOF) or (
        isinstance(error, UnexpectedToken) and error.token.type == "$END"
    ):
        expected = _expected_names(getattr(error, "expected", ()) or ())
        line, column = _end_position(text)
        return ParseError(
            "the formula ends too early",
            text=text, line=line, column=column, expected=expected,
            hint=_eof_hint(text, expected),
        )
    assert isinstance(error, UnexpectedToken)
    token = error.token
    expected = _expected_names(error.expected or ())
    return ParseError(
        f"unexpected {str(token)!r}",
        text=text, line=line, column=column, expected=expected,
        hint=_token_hint(token, expected, text),
    )


def _expected_names(terminals) -> tuple[str, ...]:
    names = {_TERMINAL_NAMES.get(t, t) for t in terminals if not t.startswith("__")}
    return tuple(sorted(names))


def _end_position(text: str) -> tuple[int, int]:
    lines = text.split("\n")
    return len(lines), len(lines[-1]) + 1


def _character_hint(char: str, expected: tuple[str, ...]) -> str:
    if char == ")":
        return "there is a ')' without a matching '('; remove it"
    if char in ".;:":
        return f"remove the {char!r}; a formula is not a sentence and needs no punctuation"
    return (
        f"{char!r} is not part of the formula language; use ¬ ∧ ∨ ⊕ → ↔ ∀ ∃ = ≠ "
        "(or - & | -> <-> all exists != ) and names made of letters, digits and _"
    )


def _eof_hint(text: str, expected: tuple[str, ...]) -> str:
    missing = text.count("(") - text.count(")")
    if missing > 0:
        return f"{missing} '(' not closed; add {missing} ')' at the right place"
    return "an operator or quantifier is missing its formula on the right"


def _token_hint(token: Token, expected: tuple[str, ...], text: str) -> str:
    if token.type == "RPAR":
        return "there is a ')' without a matching '('; remove it"
    if str(token) in (".", ";", ":"):
        return _character_hint(str(token), expected)
    if token.type == "COMMA":
        return "',' only separates arguments inside P(a, b); join formulas with ∧"
    if token.type == "LPAR" and "a variable" in expected:
        return "a quantifier needs a variable: write ∀x (...) or all x.(...)"
    if token.type in ("NAME", "VAR", "VARS_DOT", "QUANT", "NOT", "LPAR"):
        return "two formulas stand side by side; join them with ∧, ∨ or →"
    if token.type in ("EQ", "NEQ"):
        return "= and ≠ compare terms (names), not formulas"
    return "an operator is missing an operand; check the formula around this point"


# --------------------------------------------------------------------------- repairs


def _repair_once(text: str) -> tuple[str, str] | None:
    """One repair step for a text that does not parse, or ``None`` if none applies."""
    stripped = text.rstrip()
    if stripped.endswith(".") and not stripped.endswith(".."):
        return stripped[:-1], "removed a trailing '.'"
    balance = _paren_balance(text)
    if balance < 0:
        trimmed = _drop_unmatched_closers(stripped)
        if trimmed is not None:
            return trimmed, f"removed {-balance} unmatched ')' at the end"
    if balance > 0:
        return stripped + ")" * balance, f"added {balance} missing ')' at the end"
    comma = _comma_between_formulas(text)
    if comma is not None:
        return text[:comma] + " ∧ " + text[comma + 1 :], "read ',' between two formulas as '∧'"
    return None


def _paren_balance(text: str) -> int:
    return text.count("(") - text.count(")")


def _drop_unmatched_closers(text: str) -> str | None:
    """Remove the ')' that close nothing, if they are all at the end of the text."""
    level, unmatched = 0, []
    for i, ch in enumerate(text):
        if ch == "(":
            level += 1
        elif ch == ")":
            if level == 0:
                unmatched.append(i)
            else:
                level -= 1
    if not unmatched:
        # Count is off but every ')' matches: the extra ')' are the last ones overall.
        extra = -_paren_balance(text)
        if text.endswith(")" * extra):
            return text[: len(text) - extra]
        return None
    tail = text[unmatched[0] :]
    if set(tail.replace(" ", "")) <= {")"}:
        return text[: unmatched[0]].rstrip() + text[unmatched[-1] + 1 :]
    return None


def _comma_between_formulas(text: str) -> int | None:
    """Position of the first ',' the parser rejected as joining two formulas."""
    try:
        _PARSER.parse(text)
    except UnexpectedToken as error:
        if error.token.type == "COMMA":
            return error.token.start_pos
    except (LarkError, RecursionError):
        return None
    return None
