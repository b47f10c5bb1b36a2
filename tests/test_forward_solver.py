"""The forward-chaining solver (solvers/forward.py): the rule-base reading of ProofWriter.

Every theory below was written for these tests; only the last test reads ProofWriter.
"""

from __future__ import annotations

import time

import pytest

from solvers import SOLVER_NAMES
from solvers import Solver
from solvers import Status
from solvers import Verdict
from solvers import entails
from solvers import get_solver
from solvers import parse_formula
from solvers.forward import ForwardChainingSolver
from solvers.forward import UnsupportedFormula
from solvers.forward import compile_program


def decide(premises: list[str], goal: str, solver: str = "forward", **options):
    return entails(premises, goal, solver=solver, **options)


# --------------------------------------------------------------------------- registration


def test_registered_as_a_solver():
    assert "forward" in SOLVER_NAMES
    solver = get_solver("forward")
    assert isinstance(solver, ForwardChainingSolver) and isinstance(solver, Solver)
    assert solver.name == "forward"


# --------------------------------------------------------------------------- verdicts

CHAIN = [
    "Furry(otto)",  # 0
    "∀x (Furry(x) → Warm(x))",  # 1
    "∀x (Warm(x) → Sleepy(x))",  # 2
    "∀x (Sleepy(x) → Slow(x))",  # 3
    "Quick(pip)",  # 4 (not needed)
]


def test_modus_ponens_chain_with_used_premises_and_proof():
    result = decide(CHAIN, "Slow(otto)")
    assert result.verdict is Verdict.TRUE and result.status is Status.OK
    assert result.used_premises == (0, 1, 2, 3)
    lines = result.proof.splitlines()
    assert "Furry(otto)" in lines[1] and "premise [0]" in lines[1]
    assert "with x = otto" in lines[-2] and "from (3)" in lines[-2]
    assert lines[-1] == "therefore: Slow(otto)"
    assert result.details["closure_size"] == 5


def test_open_world_uncertain():
    result = decide(CHAIN, "Slow(pip)")
    assert result.verdict is Verdict.UNCERTAIN and result.used_premises == ()
    assert "neither Slow(pip) nor its negation" in result.proof


def test_negated_fact_gives_false():
    result = decide(["¬Loud(mika)", "Small(mika)"], "Loud(mika)")
    assert result.verdict is Verdict.FALSE and result.used_premises == (0,)
    assert decide(["¬Loud(mika)"], "¬Loud(mika)").verdict is Verdict.TRUE


def test_rule_with_negated_condition_and_negated_head():
    premises = [
        "¬Tame(rex)",  # a negated fact is a fact of its own
        "∀x (¬Tame(x) → ¬Friendly(x))",  # negated condition, negated head
        "∀x (¬Friendly(x) ∧ Big(x) → Scary(x))",
        "Big(rex)",
    ]
    assert decide(premises, "Friendly(rex)").verdict is Verdict.FALSE
    result = decide(premises, "Scary(rex)")
    assert result.verdict is Verdict.TRUE and result.used_premises == (0, 1, 2, 3)
    # a negated condition is not negation as failure: nothing says ¬Tame(lulu)
    assert decide([*premises, "Big(lulu)"], "Friendly(lulu)").verdict is Verdict.UNCERTAIN


def test_contraposition_is_not_used_but_z3_uses_it():
    premises = ["∀x (Heavy(x) → Sinks(x))", "¬Sinks(cork)"]
    forward = decide(premises, "¬Heavy(cork)")
    classical = decide(premises, "¬Heavy(cork)", solver="z3")
    assert forward.verdict is Verdict.UNCERTAIN  # rules only fire forward
    assert classical.verdict is Verdict.TRUE  # modus tollens
    assert classical.used_premises == (0, 1)


def test_conjunctive_head_and_conjunctive_fact():
    premises = ["Round(pebble) ∧ Grey(pebble)", "∀x (Round(x) ∧ Grey(x) → Smooth(x) ∧ ¬Sharp(x))"]
    assert decide(premises, "Smooth(pebble)").verdict is Verdict.TRUE
    assert decide(premises, "Sharp(pebble)").verdict is Verdict.FALSE
    assert decide(premises, "Smooth(pebble) ∧ ¬Sharp(pebble)").verdict is Verdict.TRUE
    # a conjunctive conclusion is False as soon as one conjunct is refuted
    assert decide(premises, "Smooth(pebble) ∧ Sharp(pebble)").verdict is Verdict.FALSE
    assert decide(premises, "Smooth(pebble) ∧ Wet(pebble)").verdict is Verdict.UNCERTAIN


def test_binary_predicates():
    premises = [
        "Chases(cat, mouse)",  # the cat chases the mouse
        "∀x ∀y (Chases(x, y) → Fears(y, x))",
        "∀x (Fears(x, cat) → Hides(x))",
        "∀x (Chases(x, mouse) → ¬Sleeps(x))",
    ]
    assert decide(premises, "Fears(mouse, cat)").verdict is Verdict.TRUE
    assert decide(premises, "Hides(mouse)").verdict is Verdict.TRUE
    assert decide(premises, "Sleeps(cat)").verdict is Verdict.FALSE
    assert decide(premises, "Fears(cat, mouse)").verdict is Verdict.UNCERTAIN


def test_equivalent_rule_shapes():
    premises = [
        "∀x (Bird(x) → (Healthy(x) → Flies(x)))",  # curried
        "∀x ((∃y Feeds(x, y)) → Kind(x))",  # ∃ in a condition
        "∀x (Red(x) ∨ Blue(x) → Coloured(x))",  # ∨ in a condition
        "∀x Mortal(x)",  # a universal fact
        "∀x (Tall(x) → ∀y Sees(y, x))",  # head variable over the constants
        "Bird(tweety)",
        "Healthy(tweety)",
        "Feeds(ann, tweety)",
        "Blue(ann)",
        "Tall(tweety)",
    ]
    for goal in ("Flies(tweety)", "Kind(ann)", "Coloured(ann)", "Mortal(ann)", "Sees(ann, tweety)"):
        assert decide(premises, goal).verdict is Verdict.TRUE, goal
    assert decide(premises, "¬¬Mortal(tweety)").verdict is Verdict.TRUE


def test_ground_rules_and_propositions():
    premises = ["Rains", "Rains → Wet(street)", "Wet(street) → ¬Dry"]
    assert decide(premises, "Dry").verdict is Verdict.FALSE


def test_inconsistent_base():
    premises = ["Owl(hoo)", "∀x (Owl(x) → Nocturnal(x))", "¬Nocturnal(hoo)", "Cute(hoo)"]
    result = decide(premises, "Cute(hoo)")
    assert result.status is Status.INCONSISTENT and result.verdict is None
    assert result.used_premises == (0, 1, 2)
    assert "Nocturnal(hoo) and ¬Nocturnal(hoo)" in result.proof


# --------------------------------------------------------------------------- outside the fragment


@pytest.mark.parametrize(
    "premise,why",
    [
        ("∃x Ghost(x)", "existential"),
        ("∀x (Coin(x) → Heads(x) ∨ Tails(x))", "disjunction"),
        ("Heads(c) ⊕ Tails(c)", "exclusive or"),
        ("∀x (Coin(x) ↔ Round(x))", "biconditional"),
        ("¬(Heads(c) ∧ Tails(c))", "negated compound"),
        ("∀x ((∀y Likes(x, y)) → Happy(x))", "universal quantifier inside a condition"),
    ],
)
def test_unsupported_premise_is_an_error_naming_it(premise, why):
    result = decide(["Coin(c)", premise], "Heads(c)")
    assert result.status is Status.ERROR and result.verdict is None
    assert result.message.startswith("premise 2 (") and why in result.message
    with pytest.raises(UnsupportedFormula, match="premise 2"):
        compile_program([parse_formula("Coin(c)"), parse_formula(premise)])


@pytest.mark.parametrize("goal", ["∃x Heads(x)", "∀x Heads(x)", "Heads(c) ∨ Tails(c)"])
def test_unsupported_conclusion(goal):
    result = decide(["Coin(c)"], goal)
    assert result.status is Status.ERROR and "the conclusion" in result.message


def test_limits_give_timeout_status():
    premises = ["P(a)", "∀x ∀y (P(x) → R(x, y))"]
    limited = ForwardChainingSolver(max_literals=1)
    result = limited.entails([parse_formula(p) for p in premises], parse_formula("R(a, a)"))
    assert result.status is Status.TIMEOUT and "exceeds 1 literals" in result.message
    result = ForwardChainingSolver().entails(
        [parse_formula(p) for p in premises], parse_formula("R(a, a)"), timeout_s=0.0
    )
    assert result.status is Status.TIMEOUT


def test_through_the_reasoner():
    from neurologic import Reasoner

    answer = Reasoner(solver="forward").solve_fol(
        CHAIN,
        "Slow(otto)",
        premises=[
            "Otto is furry.",
            "Furry things are warm.",
            "Warm things are sleepy.",
            "Sleepy things are slow.",
            "Pip is quick.",
        ],
    )
    assert answer.label == "True"
    assert [u.index for u in answer.premises_used] == [0, 1, 2, 3]
    unsupported = Reasoner(solver="forward").solve_fol(["∃x Ghost(x)"], "Ghost(a)")
    assert unsupported.label is None and "existential" in unsupported.samples[0].error


# --------------------------------------------------------------------------- ProofWriter


def test_agrees_with_proofwriter_labels_on_first_50():
    """It is the data's own semantics: every label of the first 50 Logic-LM items is reproduced."""
    from benchmarks.datasets import load
    from neurologic.cnl import translate_problem

    start = time.perf_counter()
    solver = ForwardChainingSolver()
    wrong = []
    for item in load("proofwriter", "logiclm600")[:50]:
        cnl = translate_problem(item.premises, item.conclusion)
        assert cnl.fully_covered, item.id
        result = solver.entails([s.formula for s in cnl.premises], cnl.conclusion.formula)
        if result.verdict is None or result.verdict.value != item.label:
            wrong.append((item.id, item.label, result.verdict, result.message))
    assert not wrong
    assert time.perf_counter() - start < 20
