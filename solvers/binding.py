"""Variables bound by name: the parser (and nltk interop) read a quantified name as a constant
until its quantifier is seen, then :func:`bind_variables` makes it a :class:`Var` in scope."""

from __future__ import annotations

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
from .fol import Or
from .fol import Pred
from .fol import Term
from .fol import Var
from .fol import Xor

__all__ = ["bind_variables"]


def bind_variables(formula: Formula) -> Formula:
    """Turn each name a quantifier binds into a :class:`Var` within that quantifier's scope."""

    def resolve(f: Formula, bound: frozenset[str]) -> Formula:
        if isinstance(f, Pred):
            return Pred(f.name, tuple(_bind_term(t, bound) for t in f.args))
        if isinstance(f, Eq):
            return Eq(_bind_term(f.left, bound), _bind_term(f.right, bound))
        if isinstance(f, Cmp):
            return Cmp(f.op, _bind_term(f.left, bound), _bind_term(f.right, bound))
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
