"""The signature check names every inconsistency precisely."""

from __future__ import annotations

import pytest

from solvers import FormulaRef
from solvers import SignatureError
from solvers import assert_signature
from solvers import check_program
from solvers import parse_formula
from solvers import program_refs
from solvers import signature


def _check(*texts: str) -> list[str]:
    return [str(problem) for problem in check_program([parse_formula(t) for t in texts])]


def test_a_consistent_program_passes():
    assert _check("∀x (Dog(x) → Animal(x))", "Dog(rex)", "Likes(rex, bob)", "Animal(rex)") == []


def test_arity_drift_is_reported_with_both_places():
    (problem,) = _check("Likes(a, b)", "Likes(a)")
    assert "predicate 'Likes' takes 2 arguments in formula 1 but 1 argument in formula 2" in problem


def test_name_used_as_two_kinds_is_reported():
    problems = _check("Rough(erin)", "erin(Rough)")
    assert len(problems) == 2
    assert (
        "'erin' is used as a constant in formula 1 and as a predicate in formula 2" in problems[0]
    )
    assert (
        "'Rough' is used as a predicate in formula 1 and as a constant in formula 2" in problems[1]
    )
    (problem,) = _check("P(f(a))", "P(f)")
    assert "'f' is used as a function" in problem and "as a constant" in problem


def test_variable_outside_its_quantifier_is_reported():
    # Written without the outer parentheses the quantifier's scope would extend to Wedding(x).
    (problem,) = _check("(∃x (J(x) ∧ W(x))) → Wedding(x)")
    assert "variable 'x' is used outside the scope of its quantifier" in problem


@pytest.mark.parametrize("name", ["x", "y", "z1", "w'"])
def test_unquantified_variable_like_names_are_free_variables(name):
    (problem,) = _check(f"Tall({name})")
    assert f"'{name}' in formula 1" in problem and "free variable" in problem


@pytest.mark.parametrize("name", ["a", "bob", "y1984", "xavier", "c++"])
def test_ordinary_constants_are_not_free_variables(name):
    assert _check(f"Tall({name})") == []


def test_refs_name_the_formulas_and_errors_raise():
    formulas = [parse_formula("P(a)"), parse_formula("P(a, b)")]
    with pytest.raises(SignatureError) as info:
        assert_signature(formulas, program_refs(1))
    assert "premise 1" in str(info.value) and "the conclusion" in str(info.value)
    assert len(info.value.problems) == 1
    assert info.value.formula == FormulaRef.conclusion()


@pytest.mark.parametrize(
    "texts, about",
    [
        (["Likes(a, b)", "Likes(a)", "Dog(rex)"], FormulaRef.premise(1)),  # the later use
        (["Dog(rex)", "rex(Dog)", "Cat(tom)"], FormulaRef.premise(1)),
        (["Dog(rex)", "Tall(x)", "Cat(tom)"], FormulaRef.premise(1)),  # a free variable
        (["Dog(rex)", "Cat(tom)", "(∃x Dog(x)) → Cat(x)"], FormulaRef.conclusion()),
        (["Cost(gre) < 300", "Dog(rex)", "Cost(rex)"], FormulaRef.conclusion()),  # sorts
    ],
)
def test_each_problem_carries_the_formula_it_is_about(texts, about):
    problems = check_program([parse_formula(t) for t in texts], program_refs(len(texts) - 1))
    assert problems and problems[-1].formula == about
    assert SignatureError(problems).formula == about
    assert str(about) in str(problems[-1])


def test_signature_collects_symbols():
    sig = signature([parse_formula("∀x (P(x) → R(x, f(a)))"), parse_formula("Q")])
    assert sig.predicates == {"P": 1, "R": 2, "Q": 0}
    assert sig.functions == {"f": 1}
    assert sig.constants == {"a"}
