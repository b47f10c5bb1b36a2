"""Formulas to and from nltk.sem.logic expressions (the ``nltk`` extra)."""

from __future__ import annotations

import doctest
import importlib

import pytest
from hypothesis import given
from hypothesis import settings

import solvers
import solvers.nltk_interop
import solvers.normalize
import solvers.sorts
from solvers import FormulaError
from solvers import ParseError
from solvers import entails
from solvers import parse
from solvers import parse_formula
from solvers import to_nltk_expression
from tests.strategies import formulas

logic = pytest.importorskip("nltk.sem.logic")


def test_an_nltk_expression_is_read_through_its_tree():
    expression = logic.Expression.fromstring("all x.(Man(x) -> exists y.(Parent(y, x) & -(y = x)))")
    assert parse(expression).formula == parse_formula("∀x (Man(x) → ∃y (Parent(y, x) ∧ y ≠ x))")


def test_nltk_expressions_go_straight_into_entails():
    result = entails(
        [
            logic.Expression.fromstring("all x.(Man(x) -> Mortal(x))"),
            logic.Expression.fromstring("Man(socrates)"),
        ],
        logic.Expression.fromstring("Mortal(socrates)"),
    )
    assert result.verdict.value == "True" and result.used_premises == (0, 1)


def test_an_unbound_nltk_variable_is_a_free_variable_and_is_closed():
    result = entails(
        [logic.Expression.fromstring("Man(x) -> Mortal(x)"), "Man(ann)"], "Mortal(ann)"
    )
    assert result.verdict.value == "True"
    assert any("free variable x" in r for r in result.repairs)


def test_a_lambda_term_has_no_first_order_reading():
    with pytest.raises(ParseError, match="LambdaExpression"):
        parse(logic.Expression.fromstring(r"\x.Man(x)"))


def test_numbers_have_no_nltk_counterpart():
    with pytest.raises(FormulaError, match="no numeric comparison"):
        to_nltk_expression(parse_formula("Cost(a) < 3"))


@settings(max_examples=150, deadline=None)
@given(formulas())
def test_a_formula_survives_the_round_trip_through_nltk(formula):
    back = parse(to_nltk_expression(formula)).formula
    expected = solvers.fol.expand_xor(formula)  # nltk has no ⊕: it is written ¬(A ↔ B)
    assert _flat(back) == _flat(expected)


def _flat(formula):
    """The tree with nested ∧ (and nested ∨) merged: nltk's are binary."""
    from solvers.fol import And
    from solvers.fol import Or
    from solvers.fol import map_formula

    def merge(f):
        if isinstance(f, (And, Or)):
            parts = []
            for part in f.parts:
                parts.extend(part.parts if type(part) is type(f) else (part,))
            return type(f)(tuple(parts))
        return f

    return map_formula(formula, merge)


@pytest.mark.parametrize(
    "module",
    [
        solvers,
        importlib.import_module("solvers.parse"),
        solvers.sorts,
        solvers.normalize,
        solvers.nltk_interop,
        importlib.import_module("neurologic.reasoner"),
        importlib.import_module("neurologic.config"),
        importlib.import_module("neurologic.flags"),
        importlib.import_module("neurologic.trace"),
        importlib.import_module("neurologic.answer"),
        importlib.import_module("neurologic.language.sentences"),
        importlib.import_module("neurologic.language.licensing"),
    ],
    ids=lambda m: m.__name__,
)
def test_doctests(module):
    failures, tried = doctest.testmod(module, raise_on_error=False, verbose=False)[:2]
    assert tried > 0 and failures == 0
