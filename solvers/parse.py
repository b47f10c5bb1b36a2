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
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from lark import Lark
from lark import Token
from lark import Transformer
from lark.exceptions import LarkError
from lark.exceptions import UnexpectedInput

from .binding import bind_variables
from .errors import ParseError
from .fol import And
from .fol import Cmp
from .fol import Const
from .fol import Eq
from .fol import Exists
from .fol import Forall
from .fol import Formula
from .fol import Func
from .fol import Iff
from .fol import Implies
from .fol import Not
from .fol import Num
from .fol import Or
from .fol import Pred
from .fol import Xor
from .fol import depth
from .formula_ref import FormulaRef
from .nltk_interop import from_nltk_expression
from .parse_errors import describe_error
from .parse_errors import repair_once
from .parse_errors import unreadable_construct

MAX_LENGTH = 20_000
"""Longest formula text accepted (characters)."""

MAX_DEPTH = 200
"""Deepest formula tree accepted; real formulas stay far below it."""

PARSED_KEPT = 8192
"""How many parsed texts are kept for reuse (:func:`parse`)."""

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
       | VAR ("," VAR)* COLON

?atom: NAME "(" terms ")"   -> predicate
     | NAME                 -> proposition
     | term EQ term         -> equal
     | term NEQ term        -> not_equal
     | term CMP term        -> compare

terms: arg ("," arg)*
?arg: term
    | NAME NAME+            -> words
?term: NAME                 -> constant
     | NAME "(" terms ")"   -> function
     | NUMBER               -> number
     | QUOTED               -> quoted

QUANT.4: /[∀∃]|(?i:all|forall|exists)(?![\w’'.+-])/
VARS_DOT.3: /(?!(?i:all|forall|exists)\b)[^\W\d]\w*(?:(?:\s*,\s*|\s+)(?!(?i:all|forall|exists)\b)[^\W\d]\w*)*\s*\./
VAR.2: /[^\W\d]\w*/
NUMBER.3: /\d+(?:\.\d+)?(?![\w’'+]|[-.][\w’'])/
NAME: /\w[\w’']*(?:[-.][\w’']+)*\+*/
QUOTED: /"[^"\n]*"|'[^'\n]*'|“[^”\n]*”|‘[^’\n]*’/
COLON: ":"

NOT: "¬" | "-" | "~" | "∼" | "!"
AND: "∧" | "&" | "&&" | "^"
OR: "∨" | "|" | "||"
XOR: "⊕" | "⊻"
IMP: "→" | "->" | "⇒" | "=>" | "⟶"
IFF: "↔" | "<->" | "⟷" | "⇔" | "<=>"
EQ: "="
NEQ: "≠" | "!="
CMP: /<=|>=|[<>≤≥⩽⩾]/

%import common.WS
%ignore WS
"""

_STANDARD_QUANTIFIERS = frozenset({"∀", "∃", "all", "exists", "forall"})
_CANONICAL_COMPARISON = {"<=": "≤", ">=": "≥", "⩽": "≤", "⩾": "≥"}

_notes: ContextVar[list[str] | None] = ContextVar("neurologic_parse_notes", default=None)
"""The notation readings of the parse in progress (each parse sets its own list)."""


def _note(text: str) -> None:
    notes = _notes.get()
    if notes is not None and text not in notes:
        notes.append(text)


def name_from_words(words: str) -> str:
    """The one constant a quoted or multi-word name stands for: its words, stripped of
    punctuation, joined by ``_`` (``"People's Republic of China"`` → ``Peoples_Republic_of_China``).
    The same text always gives the same constant. Raises :class:`ParseError` if no word is left."""
    parts = [re.sub(r"[^\w]", "", word) for word in words.split()]
    name = "_".join(part for part in parts if part)
    if not name:
        raise ParseError(f"the name {words!r} has no letters or digits", hint="write a name")
    return name


def canonical_number(text: str) -> str:
    """``007`` → ``7``, ``9.50`` → ``9.5``, ``3.0`` → ``3.0`` (a decimal point marks a real)."""
    whole, _, fraction = text.partition(".")
    whole = whole.lstrip("0") or "0"
    if not _:
        return whole
    return f"{whole}.{fraction.rstrip('0') or '0'}"


class _Build(Transformer):
    """Turns each grammar reduction straight into syntax-tree nodes (used inline by LALR); every
    notation read beyond the plain syntaxes is noted (:func:`_note`)."""

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
        spelled = str(quant)
        universal = spelled in ("∀", "all", "forall") or spelled.lower() in ("all", "forall")
        if spelled not in _STANDARD_QUANTIFIERS:
            _note(f"read the quantifier keyword '{spelled}' as {'∀' if universal else '∃'}")
        cls = Forall if universal else Exists
        for name in reversed(names):
            body = cls(name, body)
        return body

    def varlist(self, items):
        if len(items) == 1 and items[0].type == "VARS_DOT":
            return [n for n in re.split(r"[\s,]+", str(items[0]).rstrip(".").strip()) if n]
        if any(isinstance(t, Token) and t.type == "COLON" for t in items):
            _note("read ':' after a quantifier's variable as '.'")
        return [str(t) for t in items if isinstance(t, Token) and t.type == "VAR"]

    def predicate(self, items):
        return Pred(str(items[0]), tuple(items[1]))

    def proposition(self, items):
        return Pred(str(items[0]), ())

    def equal(self, items):
        return Eq(items[0], items[2])

    def not_equal(self, items):
        return Not(Eq(items[0], items[2]))

    def compare(self, items):
        op = str(items[1])
        return Cmp(_CANONICAL_COMPARISON.get(op, op), items[0], items[2])

    def terms(self, items):
        return list(items)

    def constant(self, items):
        return Const(str(items[0]))

    def function(self, items):
        return Func(str(items[0]), tuple(items[1]))

    def number(self, items):
        return Num(canonical_number(str(items[0])))

    def quoted(self, items):
        text = str(items[0])[1:-1]
        name = name_from_words(text)
        _note(f"read the quoted name {str(items[0])} as the constant {name}")
        return Const(name)

    def words(self, items):
        text = " ".join(str(t) for t in items)
        name = name_from_words(text)
        _note(f"read the words '{text}' as the one constant {name}")
        return Const(name)


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


def parse_formula(text: str, *, formula: FormulaRef | None = None) -> Formula:
    """Parse one formula in any supported syntax; raise :class:`ParseError` if it is not one
    (naming ``formula``, the program formula ``text`` is, when given).

    Real-world notation is read as :func:`parse` reads it; use :func:`parse` to see how."""
    with _about(formula):
        if not isinstance(text, str):
            raise _not_text(text)
        return _parse_text(text, False).formula


def parse(text, *, repair: bool = False, formula: FormulaRef | None = None) -> Parsed:
    """Parse one formula (text or an ``nltk.sem.logic.Expression``), listing what was read.

    Other notations are always read and listed in ``repairs``: quantifier keyword spellings,
    quoted names, a name of several words as an argument, numbers and comparisons. With
    ``repair=True``, slips are fixed too: a trailing period, unbalanced closing parentheses, a
    ``,`` meaning ``∧``. Constructs with no first-order reading (lists, sets, ``∈``) get an error
    naming them. A :class:`ParseError` names ``formula``, when given.

    >>> from solvers.fol import to_unicode
    >>> parsed = parse('ForAll x. (Watched(x, "Stranger Things") -> Fan(x))')
    >>> to_unicode(parsed.formula)
    '∀x (Watched(x, Stranger_Things) → Fan(x))'
    >>> for note in parsed.repairs: print(note)
    read the quoted name "Stranger Things" as the constant Stranger_Things
    read the quantifier keyword 'ForAll' as ∀
    >>> parse("Likes(ann, bob).", repair=True).repairs
    ("removed a trailing '.'",)
    >>> parse("Likes(ann, [bob, cy])")
    Traceback (most recent call last):
    ...
    solvers.errors.ParseError: line 1, column 12: a list '[…]' has no first-order reading; hint: write each element as its own constant and state what holds of each with ∧
    """
    with _about(formula):
        return _parse_any(text, repair)


@contextmanager
def _about(formula: FormulaRef | None) -> Iterator[None]:
    """Mark a :class:`ParseError` raised inside as being about ``formula`` of a program."""
    try:
        yield
    except ParseError as error:
        if formula is not None:
            error.formula = formula
        raise


def _parse_any(text, repair: bool) -> Parsed:
    """:func:`parse`'s work: a text (kept once parsed), or an nltk expression."""
    if isinstance(text, str):
        return _parse_text(text, repair)
    if is_nltk_expression(text):
        return Parsed(from_nltk_expression(text), str(text))
    raise _not_text(text)


@lru_cache(maxsize=PARSED_KEPT)
def _parse_text(text: str, repair: bool) -> Parsed:
    """:func:`parse` of a text, kept: a formula is read by the solver, the grounding check and
    the fidelity re-proof, and a story's premises recur in each of its questions. The tree is
    immutable, so every reader shares it; a text that does not parse is read again each time."""
    try:
        formula, notes = _parse_noted(text)
        return Parsed(formula, text, tuple(notes))
    except ParseError as first_error:
        if not repair or len(text) > MAX_LENGTH:
            raise
        fixed, repairs = text, []
        for _ in range(8):
            step = repair_once(fixed, _PARSER)
            if step is None:
                break
            fixed, note = step
            repairs.append(note)
            try:
                formula, notes = _parse_noted(fixed)
                return Parsed(formula, text, tuple(notes + repairs))
            except ParseError:
                continue
        raise first_error from None


def is_nltk_expression(value: object) -> bool:
    """Whether ``value`` is an ``nltk.sem.logic.Expression`` (checked without importing nltk)."""
    return any(
        cls.__module__ == "nltk.sem.logic" and cls.__name__ == "Expression"
        for cls in type(value).__mro__
    )


def _parse_noted(text: str) -> tuple[Formula, list[str]]:
    """The formula and the notation readings made on the way."""
    notes: list[str] = []
    token = _notes.set(notes)
    try:
        formula = _parse_exact(text)
    finally:
        _notes.reset(token)
    return formula, notes


def _not_text(value: object) -> ParseError:
    return ParseError(f"expected a formula as text, got {type(value).__name__}")


def _parse_exact(text: str) -> Formula:
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
        raise (unreadable_construct(text) or describe_error(error, text)) from None
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
    return bind_variables(formula)
