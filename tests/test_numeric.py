"""Numbers and comparisons: decided by Z3 with numeric sorts, refused clearly where there is no
arithmetic. The problems are written for these tests (costs, ratings, years, deposits, heights)."""

from __future__ import annotations

import pytest

from solvers import SignatureError
from solvers import entails
from solvers import get_solver
from solvers import parse_formula
from solvers.fol import Cmp
from solvers.fol import Num
from solvers.prover9 import NEEDS_ARITHMETIC
from solvers.sorts import infer_sorts
from solvers.sorts import is_numeric

PROBLEMS = [
    # (name, premises, conclusion, expected: True/False/Uncertain/inconsistent)
    (
        "cost under budget",
        [
            "Cost(gre_exam) = 205",
            "∀x (Cost(x) < 300 → Affordable(x))",
        ],
        "Affordable(gre_exam)",
        "True",
    ),
    (
        "cost over budget",
        [
            "Cost(lsat_exam) = 330",
            "∀x (Affordable(x) → Cost(x) ≤ 300)",
        ],
        "Affordable(lsat_exam)",
        "False",
    ),
    (
        "rating above a threshold, free variables",
        [
            "Rating(x, y) ∧ y > 9 → Listed(x)",
            "Rating(inception, 9.3)",
        ],
        "Listed(inception)",
        "True",
    ),
    (
        "rating unknown",
        [
            "∀x ∀y (Rating(x, y) ∧ y > 9 → Listed(x))",
            "Rating(tenet, 7.4)",
        ],
        "Listed(tenet)",
        "Uncertain",
    ),
    (
        "year before another",
        [
            "Founded(acme) = 1995",
            "Founded(globex) = 2003",
        ],
        "Founded(acme) < Founded(globex)",
        "True",
    ),
    (
        "two different years are different",
        [
            "Year(concert) = 2019",
        ],
        "Year(concert) = 2020",
        "False",
    ),
    (
        "deposit at least a minimum",
        [
            "Deposit(ann) ≥ 500",
            "∀x (Deposit(x) >= 500 → Premium(x))",
            "∀x (Premium(x) → ¬Fee(x))",
        ],
        "Fee(ann)",
        "False",
    ),
    (
        "deposit bound not enough",
        [
            "Deposit(bob) > 100",
        ],
        "Deposit(bob) > 200",
        "Uncertain",
    ),
    (
        "heights ordered transitively",
        [
            "Height(tom) > Height(sue)",
            "Height(sue) > Height(raj)",
        ],
        "Height(tom) > Height(raj)",
        "True",
    ),
    (
        "height in centimetres between bounds",
        [
            "Height(ivy) = 172",
            "∀x (Height(x) ≥ 170 ∧ Height(x) <= 180 → Eligible(x))",
        ],
        "Eligible(ivy)",
        "True",
    ),
    (
        "contradictory costs",
        [
            "Cost(widget) > 50",
            "Cost(widget) < 20",
        ],
        "Affordable(widget)",
        "inconsistent",
    ),
    (
        "integers: strictly between 3 and 5 is 4",
        [
            "Count(box) > 3",
            "Count(box) < 5",
        ],
        "Count(box) = 4",
        "True",
    ),
    ("numbers are not equal to one another", [], "3 ≠ 4", "True"),
]


def _outcome(result) -> str:
    return "inconsistent" if result.status.value == "inconsistent" else result.verdict.value


@pytest.mark.parametrize("solver", ["z3", "portfolio"])
@pytest.mark.parametrize(
    "name, premises, conclusion, expected", PROBLEMS, ids=[p[0] for p in PROBLEMS]
)
def test_numeric_problems_are_decided(solver, name, premises, conclusion, expected):
    result = entails(premises, conclusion, solver=solver)
    assert result.status.value in ("ok", "inconsistent"), result.message
    assert _outcome(result) == expected
    if solver == "portfolio" and is_numeric([parse_formula(t) for t in [*premises, conclusion]]):
        assert "decided by z3 alone" in result.details["routed"]
        assert set(result.details["members"]) == {"z3"}


def test_a_proof_names_the_premises_it_needs():
    result = entails(
        ["Cost(gre_exam) = 205", "Tall(gre_exam)", "∀x (Cost(x) < 300 → Affordable(x))"],
        "Affordable(gre_exam)",
    )
    assert result.verdict.value == "True" and result.used_premises == (0, 2)


@pytest.mark.parametrize(
    "name, premises, conclusion, expected", PROBLEMS[:4], ids=[p[0] for p in PROBLEMS[:4]]
)
def test_prover9_alone_refuses_numbers_clearly(name, premises, conclusion, expected):
    result = entails(premises, conclusion, solver="prover9")
    assert result.status.value == "error" and result.verdict is None
    assert result.message == NEEDS_ARITHMETIC and "use z3" in result.message


def test_the_forward_solver_refuses_numbers_as_outside_its_fragment():
    result = entails(
        ["Rating(inception, 9.3)", "∀x ∀y (Rating(x, y) → Listed(x))"],
        "Listed(inception)",
        solver="forward",
    )
    assert (
        result.status.value == "error" and "outside the forward-chaining fragment" in result.message
    )
    assert "a number, 9.3" in result.message
    comparison = entails(["Deposit(bob) > 100"], "Rich(bob)", solver="forward")
    assert "a numeric comparison (needs arithmetic: use z3)" in comparison.message


def test_the_rulebase_solver_falls_back_to_z3_on_numbers():
    result = entails(
        ["Cost(gre_exam) = 205", "∀x (Cost(x) < 300 → Affordable(x))"],
        "Affordable(gre_exam)",
        solver="rulebase",
    )
    assert result.verdict.value == "True" and result.solver == "z3"
    assert "outside the forward-chaining fragment" in result.details["outside_fragment"]
    plain = entails(["∀x (Cat(x) → Animal(x))", "Cat(tom)"], "Animal(tom)", solver="rulebase")
    assert plain.verdict.value == "True" and plain.solver == "forward"


def test_numbers_parse_as_numbers_and_names_with_digits_stay_names():
    formula = parse_formula(
        "Born(ada, 1815) ∧ Score(ada) >= 9.50 ∧ Library(l-2021) ∧ Born(ada, y1984)"
    )
    texts = []
    from solvers.fol import atoms_terms
    from solvers.fol import subformulas

    nums = [t for t in atoms_terms(formula) if isinstance(t, Num)]
    texts = sorted(n.text for n in nums)
    assert texts == ["1815", "9.5"]
    assert any(isinstance(n, Cmp) and n.op == "≥" for n in subformulas(formula))


def test_a_position_used_for_numbers_and_for_an_individual_is_a_clear_error():
    with pytest.raises(SignatureError) as raised:
        entails(["Rating(inception, 9)", "Rating(tenet, good)", "Word(good)"], "Listed(tenet)")
    message = str(raised.value)
    assert "argument 2 of 'Rating' holds numbers (premise 1: Rating(inception, 9))" in message
    assert "the individual 'good' in premise 2: Rating(tenet, good)" in message


def test_fixed_point_when_a_literal_has_a_decimal_point_integers_otherwise():
    assert infer_sorts([parse_formula("Count(box) > 3")]).integers
    sorts = infer_sorts([parse_formula("Score(ada) > 9.25")])
    assert not sorts.integers and sorts.scale == 10**5
    # with decimals there is room between 3 and 4; with integers there is none
    assert (
        entails(["Level(a) > 3.0", "Level(a) < 4.0"], "Level(a) = 3.5").verdict.value == "Uncertain"
    )
    assert entails(["Level(a) > 3.0", "Level(a) < 4.0"], "Level(a) = 5").verdict.value == "False"
    assert entails(["Level(a) > 3", "Level(a) < 4"], "Tall(a)").status.value == "inconsistent"


def test_a_quantified_rule_over_decimals_is_decided_quickly():
    result = entails(
        ["∀x ∀y (Rating(x, y) ∧ y > 9 → Listed(x))", "Rating(tenet, 7.4)"],
        "Listed(tenet)",
        timeout_s=5.0,
    )
    assert result.status.value == "ok" and result.verdict.value == "Uncertain"


def test_a_numeric_countermodel_is_printed():
    result = get_solver("z3").entails(
        [parse_formula("Deposit(bob) > 100")], parse_formula("Deposit(bob) > 200"), 10.0
    )
    assert result.verdict.value == "Uncertain"
    assert "Deposit(bob) = " in result.proof
    decimal = get_solver("z3").entails(
        [parse_formula("Score(ada) > 9.5")], parse_formula("Score(ada) > 9.75"), 10.0
    )
    assert decimal.verdict.value == "Uncertain"
    shown = decimal.proof.split("Score(ada) = ")[1].split()[0]
    assert 9.5 < float(shown.rstrip(",")) <= 9.75


def test_one_individual_spelled_two_ways_is_one_inside_a_comparison_too():
    from neurologic import Reasoner

    answer = Reasoner(solver="z3").solve_fol(
        ["Cost(gre_exam) < 300", "∀x (Cost(x) < 500 → Affordable(x))"], "Affordable(GREExam)"
    )
    assert answer.label == "True"
    assert any("read as one individual" in r for r in answer.samples[0].repairs)
