"""Formulas to and from ``nltk.sem.logic`` expressions (the ``nltk`` extra, imported lazily).

Conversion walks the syntax trees, never text, so a name means the same on both sides: an nltk
individual variable that no quantifier binds becomes a name like any other (the signature check
then reports it as a free variable, and :func:`solvers.normalize_program` closes it).

>>> from nltk.sem.logic import Expression
>>> from solvers import parse, to_unicode
>>> to_unicode(parse(Expression.fromstring("all x.(Man(x) -> Mortal(x))")).formula)
'∀x (Man(x) → Mortal(x))'
>>> print(to_nltk_expression(parse("∃y (Likes(ann, y) ∧ ¬(y = bob))").formula))
exists y.(Likes(ann,y) & -(y = bob))
"""

from __future__ import annotations

import importlib
from functools import reduce

from .binding import bind_variables
from .errors import FormulaError
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
from .fol import Term
from .fol import Var
from .fol import Xor

__all__ = ["from_nltk_expression", "to_nltk_expression"]


def _logic():
    try:
        return importlib.import_module("nltk.sem.logic")
    except ImportError as error:  # pragma: no cover - the extra is installed in the tests
        raise FormulaError(
            "nltk is not installed; install it with: pip install 'neurologic[nltk]'"
        ) from error


def from_nltk_expression(expression) -> Formula:
    """The formula an ``nltk.sem.logic.Expression`` stands for; :class:`ParseError` for
    expressions with no first-order reading (lambda terms, for instance)."""
    return bind_variables(_formula(_logic(), expression))


def _formula(logic, e) -> Formula:
    if isinstance(e, logic.AllExpression):
        return Forall(e.variable.name, _formula(logic, e.term))
    if isinstance(e, logic.ExistsExpression):
        return Exists(e.variable.name, _formula(logic, e.term))
    if isinstance(e, logic.NegatedExpression):
        return Not(_formula(logic, e.term))
    if isinstance(e, logic.AndExpression):
        return And(_flatten(logic, e, logic.AndExpression))
    if isinstance(e, logic.OrExpression):
        return Or(_flatten(logic, e, logic.OrExpression))
    if isinstance(e, logic.ImpExpression):
        return Implies(_formula(logic, e.first), _formula(logic, e.second))
    if isinstance(e, logic.IffExpression):
        return Iff(_formula(logic, e.first), _formula(logic, e.second))
    if isinstance(e, logic.EqualityExpression):
        return Eq(_term(logic, e.first), _term(logic, e.second))
    if isinstance(e, logic.ApplicationExpression):
        function, args = e.uncurry()
        if not isinstance(function, logic.AbstractVariableExpression):
            raise _unreadable(e, "a predicate that is not a name")
        return Pred(function.variable.name, tuple(_term(logic, a) for a in args))
    if isinstance(e, logic.AbstractVariableExpression):
        return Pred(e.variable.name, ())
    raise _unreadable(e, type(e).__name__)


def _flatten(logic, e, kind) -> tuple[Formula, ...]:
    parts: list[Formula] = []
    for side in (e.first, e.second):
        if isinstance(side, kind):
            parts.extend(_flatten(logic, side, kind))
        else:
            parts.append(_formula(logic, side))
    return tuple(parts)


def _term(logic, e) -> Term:
    if isinstance(e, logic.ApplicationExpression):
        function, args = e.uncurry()
        if not isinstance(function, logic.AbstractVariableExpression):
            raise _unreadable(e, "a function that is not a name")
        return Func(function.variable.name, tuple(_term(logic, a) for a in args))
    if isinstance(e, logic.AbstractVariableExpression):
        return Const(e.variable.name)
    raise _unreadable(e, f"{type(e).__name__} as a term")


def _unreadable(e, what: str) -> ParseError:
    return ParseError(
        f"the nltk expression {e} has no first-order reading here ({what})",
        text=str(e),
        hint="give a first-order formula: quantifiers, connectives, atoms and =",
    )


def to_nltk_expression(formula: Formula):
    """``formula`` as an ``nltk.sem.logic.Expression`` built node by node. Numbers and
    comparisons have no nltk counterpart (:class:`FormulaError`)."""
    logic = _logic()
    return _to(logic, formula)


def _to(logic, f: Formula):
    Variable = logic.Variable
    if isinstance(f, Forall):
        return logic.AllExpression(Variable(f.var), _to(logic, f.body))
    if isinstance(f, Exists):
        return logic.ExistsExpression(Variable(f.var), _to(logic, f.body))
    if isinstance(f, Not):
        return logic.NegatedExpression(_to(logic, f.body))
    if isinstance(f, And):
        return reduce(logic.AndExpression, [_to(logic, p) for p in f.parts])
    if isinstance(f, Or):
        return reduce(logic.OrExpression, [_to(logic, p) for p in f.parts])
    if isinstance(f, Implies):
        return logic.ImpExpression(_to(logic, f.left), _to(logic, f.right))
    if isinstance(f, Iff):
        return logic.IffExpression(_to(logic, f.left), _to(logic, f.right))
    if isinstance(f, Xor):
        return logic.NegatedExpression(logic.IffExpression(_to(logic, f.left), _to(logic, f.right)))
    if isinstance(f, Eq):
        return logic.EqualityExpression(_to_term(logic, f.left), _to_term(logic, f.right))
    if isinstance(f, Pred):
        head = logic.ConstantExpression(Variable(f.name))
        return reduce(logic.ApplicationExpression, [_to_term(logic, a) for a in f.args], head)
    if isinstance(f, Cmp):
        raise FormulaError(f"nltk logic has no numeric comparison ({f.op})")
    raise FormulaError(f"not a formula: {f!r}")  # pragma: no cover


def _to_term(logic, t: Term):
    Variable = logic.Variable
    if isinstance(t, Var):
        return logic.IndividualVariableExpression(Variable(t.name))
    if isinstance(t, Const):
        return logic.ConstantExpression(Variable(t.name))
    if isinstance(t, Func):
        head = logic.ConstantExpression(Variable(t.name))
        return reduce(logic.ApplicationExpression, [_to_term(logic, a) for a in t.args], head)
    if isinstance(t, Num):
        raise FormulaError(f"nltk logic has no numbers ({t.text})")
    raise FormulaError(f"not a term: {t!r}")  # pragma: no cover
