"""First-order logic syntax tree (frozen dataclasses) and printers to each supported syntax.

Terms are variables, constants and function applications. Formulas are atoms (predicate
applications, including 0-ary propositions), equality, the connectives and the two quantifiers.
``And`` and ``Or`` are n-ary (two or more parts) so long chains stay shallow.

Operator precedence, tightest first: ``¬`` (and the quantifiers, see below) > ``∧`` > ``∨`` >
``⊕`` > ``→`` > ``↔``. ``→`` associates to the right, the others to the left. A quantifier's
scope extends as far to the right as possible (``∀x P(x) → Q(x)`` is ``∀x (P(x) → Q(x))``),
which is NLTK's convention and what people mean when they write it without parentheses.

The printers always emit enough parentheses that parsing the output gives back the same tree.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

# --------------------------------------------------------------------------- terms


@dataclass(frozen=True, slots=True)
class Var:
    """A variable; only ever produced where a quantifier binds it."""

    name: str


@dataclass(frozen=True, slots=True)
class Const:
    """An individual constant (a name such as ``bonnie``)."""

    name: str


@dataclass(frozen=True, slots=True)
class Func:
    """A function application ``f(t1, ..., tn)`` with n >= 1."""

    name: str
    args: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class Num:
    """A numeric literal (``1995``, ``9.5``), kept as its canonical decimal text."""

    text: str

    @property
    def integral(self) -> bool:
        return "." not in self.text


Term = Var | Const | Func | Num

# --------------------------------------------------------------------------- formulas


@dataclass(frozen=True, slots=True)
class Pred:
    """A predicate application; ``args == ()`` is a propositional atom."""

    name: str
    args: tuple[Term, ...] = ()


@dataclass(frozen=True, slots=True)
class Eq:
    """Equality between two terms."""

    left: Term
    right: Term


@dataclass(frozen=True, slots=True)
class Cmp:
    """A numeric comparison ``left op right``; ``op`` is one of ``<``, ``>``, ``≤``, ``≥``."""

    op: str
    left: Term
    right: Term


@dataclass(frozen=True, slots=True)
class Not:
    body: Formula


@dataclass(frozen=True, slots=True)
class And:
    parts: tuple[Formula, ...]


@dataclass(frozen=True, slots=True)
class Or:
    parts: tuple[Formula, ...]


@dataclass(frozen=True, slots=True)
class Xor:
    left: Formula
    right: Formula


@dataclass(frozen=True, slots=True)
class Implies:
    left: Formula
    right: Formula


@dataclass(frozen=True, slots=True)
class Iff:
    left: Formula
    right: Formula


@dataclass(frozen=True, slots=True)
class Forall:
    var: str
    body: Formula


@dataclass(frozen=True, slots=True)
class Exists:
    var: str
    body: Formula


Formula = Pred | Eq | Cmp | Not | And | Or | Xor | Implies | Iff | Forall | Exists
Quantifier = (Forall, Exists)
Binary = (Xor, Implies, Iff)

# --------------------------------------------------------------------------- traversal


def children(formula: Formula) -> tuple[Formula, ...]:
    """The immediate subformulas of ``formula``."""
    if isinstance(formula, (Pred, Eq, Cmp)):
        return ()
    if isinstance(formula, Not):
        return (formula.body,)
    if isinstance(formula, (And, Or)):
        return formula.parts
    if isinstance(formula, (Xor, Implies, Iff)):
        return (formula.left, formula.right)
    if isinstance(formula, (Forall, Exists)):
        return (formula.body,)
    raise TypeError(f"not a formula: {formula!r}")


def subformulas(formula: Formula) -> Iterator[Formula]:
    """Every subformula, ``formula`` first (iterative, so deep trees are safe)."""
    stack = [formula]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


def atoms_terms(formula: Formula) -> Iterator[Term]:
    """Every term occurring in the formula, including nested function arguments."""
    stack: list[Term] = []
    for node in subformulas(formula):
        if isinstance(node, Pred):
            stack.extend(node.args)
        elif isinstance(node, (Eq, Cmp)):
            stack.extend((node.left, node.right))
        while stack:
            term = stack.pop()
            yield term
            if isinstance(term, Func):
                stack.extend(term.args)


def free_variables(formula: Formula) -> set[str]:
    """Names of variables that occur free (a ``Var`` outside its binder's scope)."""
    free: set[str] = set()
    stack: list[tuple[Formula, frozenset[str]]] = [(formula, frozenset())]
    while stack:
        node, bound = stack.pop()
        if isinstance(node, (Forall, Exists)):
            stack.append((node.body, bound | {node.var}))
            continue
        if isinstance(node, (Pred, Eq, Cmp)):
            for term in _terms_of_atom(node):
                for var in _vars_in_term(term):
                    if var not in bound:
                        free.add(var)
            continue
        stack.extend((child, bound) for child in children(node))
    return free


def _terms_of_atom(node: Pred | Eq | Cmp) -> tuple[Term, ...]:
    return node.args if isinstance(node, Pred) else (node.left, node.right)


def _vars_in_term(term: Term) -> Iterator[str]:
    stack = [term]
    while stack:
        t = stack.pop()
        if isinstance(t, Var):
            yield t.name
        elif isinstance(t, Func):
            stack.extend(t.args)


def depth(formula: Formula) -> int:
    """Nesting depth of the formula tree (an atom has depth 1)."""
    best = 0
    stack = [(formula, 1)]
    while stack:
        node, d = stack.pop()
        best = max(best, d)
        stack.extend((child, d + 1) for child in children(node))
    return best


def expand_xor(formula: Formula) -> Formula:
    """Rewrite every ``A ⊕ B`` as ``¬(A ↔ B)`` (for syntaxes without exclusive or)."""
    return map_formula(formula, lambda f: Not(Iff(f.left, f.right)) if isinstance(f, Xor) else f)


def map_formula(formula: Formula, fn: Callable[[Formula], Formula]) -> Formula:
    """Rebuild ``formula`` bottom-up, applying ``fn`` to every node after its children."""
    if isinstance(formula, (Pred, Eq, Cmp)):
        return fn(formula)
    if isinstance(formula, Not):
        return fn(Not(map_formula(formula.body, fn)))
    if isinstance(formula, And):
        return fn(And(tuple(map_formula(p, fn) for p in formula.parts)))
    if isinstance(formula, Or):
        return fn(Or(tuple(map_formula(p, fn) for p in formula.parts)))
    if isinstance(formula, (Xor, Implies, Iff)):
        return fn(type(formula)(map_formula(formula.left, fn), map_formula(formula.right, fn)))
    if isinstance(formula, (Forall, Exists)):
        return fn(type(formula)(formula.var, map_formula(formula.body, fn)))
    raise TypeError(f"not a formula: {formula!r}")


def map_terms(
    formula: Formula,
    term_fn: Callable[[Term], Term],
    predicate_fn: Callable[[str, int], str] | None = None,
) -> Formula:
    """``formula`` with ``term_fn`` applied to every term and ``predicate_fn`` to every predicate.

    A function's arguments are mapped before the function term; ``predicate_fn`` takes the name
    and arity. This is the one traversal for renaming symbols."""

    def term(t: Term) -> Term:
        if isinstance(t, Func):
            t = Func(t.name, tuple(term(a) for a in t.args))
        return term_fn(t)

    def node(f: Formula) -> Formula:
        if isinstance(f, Pred):
            args = tuple(term(a) for a in f.args)
            return Pred(predicate_fn(f.name, len(args)) if predicate_fn else f.name, args)
        if isinstance(f, Eq):
            return Eq(term(f.left), term(f.right))
        if isinstance(f, Cmp):
            return Cmp(f.op, term(f.left), term(f.right))
        return f

    return map_formula(formula, node)


# --------------------------------------------------------------------------- printing

Syntax = Literal["unicode", "nltk", "prover9"]

_PRECEDENCE: dict[type, int] = {Iff: 1, Implies: 2, Xor: 3, Or: 4, And: 5}
_ATOMIC_PRECEDENCE = 6

_ASCII_OPERATORS: dict[str, str] = {
    "not": "-",
    "and": " & ",
    "or": " | ",
    "xor": None,
    "implies": " -> ",
    "iff": " <-> ",
    "eq": " = ",
    "neq": " != ",
    "<": " < ",
    ">": " > ",
    "≤": " <= ",
    "≥": " >= ",
}
"""NLTK's and Prover9's operators: the two differ only in how a quantifier binds its variable."""

_OPERATORS: dict[str, dict[str, str]] = {
    "unicode": {
        "not": "¬",
        "and": " ∧ ",
        "or": " ∨ ",
        "xor": " ⊕ ",
        "implies": " → ",
        "iff": " ↔ ",
        "eq": " = ",
        "neq": " ≠ ",
        "forall": "∀{v} ",
        "exists": "∃{v} ",
        "<": " < ",
        ">": " > ",
        "≤": " ≤ ",
        "≥": " ≥ ",
    },
    "nltk": {**_ASCII_OPERATORS, "forall": "all {v}.", "exists": "exists {v}."},
    "prover9": {**_ASCII_OPERATORS, "forall": "all {v} ", "exists": "exists {v} "},
}

NameMap = Callable[[str, str], str]
"""``(name, kind) -> printed name`` where kind is one of predicate/function/constant/variable."""


def _identity(name: str, kind: str) -> str:
    return name


def to_text(formula: Formula, syntax: Syntax = "unicode", names: NameMap = _identity) -> str:
    """Print ``formula`` in the given syntax; ``names`` may rename symbols (e.g. for Prover9).

    NLTK and Prover9 have no exclusive or, so ``A ⊕ B`` is printed there as ``-(A <-> B)``.
    """
    ops = _OPERATORS[syntax]
    if ops["xor"] is None:
        formula = expand_xor(formula)
    return _Printer(ops, names, full_parens=syntax == "prover9").print(formula)


def to_unicode(formula: Formula) -> str:
    return to_text(formula, "unicode")


def to_nltk(formula: Formula) -> str:
    return to_text(formula, "nltk")


def term_to_text(term: Term, names: NameMap = _identity) -> str:
    if isinstance(term, Var):
        return names(term.name, "variable")
    if isinstance(term, Const):
        return names(term.name, "constant")
    if isinstance(term, Num):
        return term.text
    args = ", ".join(term_to_text(a, names) for a in term.args)
    return f"{names(term.name, 'function')}({args})"


class _Printer:
    def __init__(self, ops: dict[str, str], names: NameMap, full_parens: bool) -> None:
        self.ops = ops
        self.names = names
        self.full_parens = full_parens

    def print(self, formula: Formula) -> str:
        return self._formula(formula)

    def _formula(self, f: Formula) -> str:
        ops = self.ops
        if isinstance(f, Pred):
            name = self.names(f.name, "predicate")
            if not f.args:
                return name
            return f"{name}({', '.join(term_to_text(a, self.names) for a in f.args)})"
        if isinstance(f, Eq):
            return (
                f"{term_to_text(f.left, self.names)}{ops['eq']}{term_to_text(f.right, self.names)}"
            )
        if isinstance(f, Cmp):
            return (
                f"{term_to_text(f.left, self.names)}{ops[f.op]}{term_to_text(f.right, self.names)}"
            )
        if isinstance(f, Not):
            body = f.body
            if isinstance(body, Eq) and not self.full_parens:
                return f"{term_to_text(body.left, self.names)}{ops['neq']}{term_to_text(body.right, self.names)}"
            return ops["not"] + self._operand(body, _ATOMIC_PRECEDENCE)
        if isinstance(f, (Forall, Exists)):
            key = "forall" if isinstance(f, Forall) else "exists"
            binder = ops[key].format(v=self.names(f.var, "variable"))
            if isinstance(f.body, (Forall, Exists)):
                return binder + self._formula(f.body)
            return f"{binder}({self._formula(f.body)})"
        if isinstance(f, (And, Or)):
            sep = ops["and" if isinstance(f, And) else "or"]
            prec = _PRECEDENCE[type(f)]
            return sep.join(self._operand(p, prec) for p in f.parts)
        if isinstance(f, (Xor, Implies, Iff)):
            sep = ops[{Xor: "xor", Implies: "implies", Iff: "iff"}[type(f)]]
            prec = _PRECEDENCE[type(f)]
            return self._operand(f.left, prec) + sep + self._operand(f.right, prec)
        raise TypeError(f"not a formula: {f!r}")

    def _operand(self, f: Formula, parent_precedence: int) -> str:
        """Print a subformula, parenthesised unless it binds strictly tighter than its parent."""
        text = self._formula(f)
        if isinstance(f, (Pred,)):
            return text
        if isinstance(f, Not) and not self.full_parens:
            return text if not isinstance(f.body, Eq) else f"({text})"
        if isinstance(f, Not):
            return f"({text})" if parent_precedence < _ATOMIC_PRECEDENCE else text
        if isinstance(f, (Forall, Exists, Eq, Cmp)):
            return f"({text})"
        if self.full_parens or _PRECEDENCE[type(f)] <= parent_precedence:
            return f"({text})"
        return text
