"""Z3 solver: verdicts, premises used, inconsistency, countermodels, timeouts, odd names."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from solvers.fol import And
from solvers.fol import Const
from solvers.fol import Eq
from solvers.fol import Exists
from solvers.fol import Forall
from solvers.fol import Formula
from solvers.fol import Func
from solvers.fol import Iff
from solvers.fol import Implies
from solvers.fol import Not
from solvers.fol import Or
from solvers.fol import Pred
from solvers.fol import Var
from solvers.fol import Xor
from solvers.result import SolverResult
from solvers.result import Status
from solvers.result import Verdict
from solvers.z3_solver import Z3Solver
from tests.strategies import formulas

x, y, z = Var("x"), Var("y"), Var("z")


def P(name: str, *args) -> Pred:
    """``P("Man", "socrates")``: strings are constants, Var/Func objects are kept."""
    return Pred(name, tuple(Const(a) if isinstance(a, str) else a for a in args))


def all_(var: str, body: Formula) -> Forall:
    return Forall(var, body)


def some(var: str, body: Formula) -> Exists:
    return Exists(var, body)


@pytest.fixture(scope="module")
def solver() -> Z3Solver:
    return Z3Solver()


def assert_core_reproduces(
    solver: Z3Solver, premises: list[Formula], goal: Formula, result: SolverResult
) -> None:
    """Re-solving with only the premises used gives the same verdict."""
    used = [premises[i] for i in result.used_premises]
    again = solver.entails(used, goal)
    assert again.status is Status.OK and again.verdict is result.verdict
    assert again.used_premises == tuple(range(len(used)))


# --------------------------------------------------------------------------- verdicts

SOCRATES = [all_("x", Implies(P("Man", x), P("Mortal", x))), P("Man", "socrates")]


def test_true(solver: Z3Solver) -> None:
    r = solver.entails(SOCRATES, P("Mortal", "socrates"))
    assert (r.verdict, r.status, r.used_premises) == (Verdict.TRUE, Status.OK, (0, 1))
    assert r.ok and r.solver == "z3" and r.elapsed_s > 0
    assert "[0] ∀x (Man(x) → Mortal(x))" in r.proof and "[1] Man(socrates)" in r.proof
    assert "¬goal is unsatisfiable" in r.proof


def test_false(solver: Z3Solver) -> None:
    r = solver.entails(SOCRATES, Not(P("Mortal", "socrates")))
    assert (r.verdict, r.status, r.used_premises) == (Verdict.FALSE, Status.OK, (0, 1))
    assert "premises ∧ goal is unsatisfiable" in r.proof


def test_uncertain_has_countermodel(solver: Z3Solver) -> None:
    r = solver.entails(SOCRATES, P("Greek", "socrates"))
    assert (r.verdict, r.status, r.used_premises) == (Verdict.UNCERTAIN, Status.OK, ())
    assert r.proof.startswith("Countermodel")
    assert "Mortal(socrates)" in r.proof and "Greek(socrates)" not in r.proof
    assert len(r.proof.splitlines()) < 10


def test_goal_with_unknown_symbol_is_uncertain(solver: Z3Solver) -> None:
    r = solver.entails(SOCRATES, P("Philosopher", "plato"))
    assert (r.verdict, r.status) == (Verdict.UNCERTAIN, Status.OK)


def test_no_premises(solver: Z3Solver) -> None:
    a = P("A")
    assert solver.entails([], Or((a, Not(a)))).verdict is Verdict.TRUE
    assert solver.entails([], And((a, Not(a)))).verdict is Verdict.FALSE
    assert solver.entails([], a).verdict is Verdict.UNCERTAIN


# --------------------------------------------------------------------------- constructs


@pytest.mark.parametrize(
    ("premises", "goal", "verdict"),
    [
        # quantifiers
        ([some("x", And((P("Dog", x), P("Brown", x))))], some("y", P("Dog", y)), Verdict.TRUE),
        ([all_("x", some("y", P("Loves", x, y)))], some("y", P("Loves", "ann", y)), Verdict.TRUE),
        (
            [some("x", all_("y", P("Loves", x, y)))],
            all_("y", some("x", P("Loves", x, y))),
            Verdict.TRUE,
        ),
        (
            [all_("y", some("x", P("Loves", x, y)))],
            some("x", all_("y", P("Loves", x, y))),
            Verdict.UNCERTAIN,
        ),
        ([all_("x", P("P", x))], some("x", Not(P("P", x))), Verdict.FALSE),
        # shadowing: the inner x is a different variable
        (
            [all_("x", Implies(P("P", x), some("x", P("Q", x)))), P("P", "a")],
            some("z", P("Q", z)),
            Verdict.TRUE,
        ),
        # equality and ≠ (no unique-name assumption)
        ([Eq(Const("a"), Const("b")), P("P", "a")], P("P", "b"), Verdict.TRUE),
        ([P("P", "a"), Not(P("P", "b"))], Not(Eq(Const("a"), Const("b"))), Verdict.TRUE),
        ([P("P", "a")], Not(P("P", "b")), Verdict.UNCERTAIN),
        ([all_("x", Eq(x, Const("a")))], Eq(Const("b"), Const("c")), Verdict.TRUE),
        # exclusive or
        ([Xor(P("A"), P("B")), P("A")], Not(P("B")), Verdict.TRUE),
        ([Xor(P("A"), P("B")), Not(P("A"))], Not(P("B")), Verdict.FALSE),
        (
            [all_("x", Xor(P("Kind", x), P("Evil", x))), P("Evil", "harry")],
            P("Kind", "harry"),
            Verdict.FALSE,
        ),
        # functions
        (
            [all_("x", P("P", Func("f", (x,))))],
            P("P", Func("f", (Func("f", (Const("a"),)),))),
            Verdict.TRUE,
        ),
        (
            [Eq(Func("f", (Const("a"),)), Const("b")), P("Q", "b")],
            P("Q", Func("f", (Const("a"),))),
            Verdict.TRUE,
        ),
        (
            [all_("x", Not(Eq(Func("s", (x,)), x)))],
            Eq(Func("s", (Const("a"),)), Const("a")),
            Verdict.FALSE,
        ),
        # 0-ary propositions and ↔
        ([Implies(P("Rain"), P("Wet")), P("Rain")], P("Wet"), Verdict.TRUE),
        ([Iff(P("Rain"), P("Wet")), Not(P("Wet"))], P("Rain"), Verdict.FALSE),
        ([Implies(P("Rain"), P("Wet")), P("Wet")], P("Rain"), Verdict.UNCERTAIN),
    ],
)
def test_constructs(
    solver: Z3Solver, premises: list[Formula], goal: Formula, verdict: Verdict
) -> None:
    r = solver.entails(premises, goal)
    assert (r.status, r.verdict) == (Status.OK, verdict), r.message


# --------------------------------------------------------------------------- premises used

DISTRACTED = [
    P("Cat", "tom"),  # 0 irrelevant
    all_("x", Implies(P("Man", x), P("Mortal", x))),  # 1
    all_("x", Implies(P("Cat", x), P("Furry", x))),  # 2 irrelevant
    P("Man", "socrates"),  # 3
    all_("x", Implies(P("Mortal", x), Not(P("God", x)))),  # 4
    Or((P("Rain"), P("Snow"))),  # 5 irrelevant
    P("Man", "plato"),  # 6 irrelevant here
    all_("x", Implies(P("Man", x), P("Mortal", x))),  # 7 duplicate of 1
]


@pytest.mark.parametrize(
    ("goal", "verdict", "needed"),
    [
        (P("Mortal", "socrates"), Verdict.TRUE, {3}),
        (P("God", "socrates"), Verdict.FALSE, {3, 4}),
        (Not(P("God", "plato")), Verdict.TRUE, {4, 6}),
    ],
)
def test_used_premises_are_small_and_sufficient(
    solver: Z3Solver, goal: Formula, verdict: Verdict, needed: set[int]
) -> None:
    r = solver.entails(DISTRACTED, goal)
    assert r.verdict is verdict
    used = set(r.used_premises)
    assert needed <= used and not used & {0, 2, 5}
    assert len(used & {1, 7}) == 1  # exactly one of the two duplicates
    assert_core_reproduces(solver, DISTRACTED, goal, r)
    for i in r.used_premises:  # minimal: dropping any used premise loses the proof
        rest = [DISTRACTED[j] for j in r.used_premises if j != i]
        assert solver.entails(rest, goal).verdict is Verdict.UNCERTAIN


def test_core_without_minimization_is_still_sufficient() -> None:
    plain = Z3Solver(minimize_cores=False)
    r = plain.entails(DISTRACTED, P("God", "socrates"))
    assert r.verdict is Verdict.FALSE and {3, 4} <= set(r.used_premises)
    assert_core_reproduces(plain, DISTRACTED, P("God", "socrates"), r)


# --------------------------------------------------------------------------- inconsistency


def test_contradictory_premises_are_inconsistent_never_true(solver: Z3Solver) -> None:
    premises = [P("Cat", "tom"), all_("x", P("Dog", x)), Not(P("Dog", "rex")), P("Rain")]
    for goal in (P("Dog", "rex"), Not(P("Dog", "rex")), P("Unrelated", "q")):
        r = solver.entails(premises, goal)
        assert (r.status, r.verdict) == (Status.INCONSISTENT, None)
        assert r.used_premises == (1, 2)
        assert "[1] ∀x (Dog(x))" in r.proof and "[2] ¬Dog(rex)" in r.proof


def test_inconsistency_needs_quantifier_reasoning(solver: Z3Solver) -> None:
    premises = [
        all_("x", Implies(P("A", x), P("B", x))),
        all_("x", Implies(P("B", x), P("C", x))),
        some("x", And((P("A", x), Not(P("C", x))))),
    ]
    r = solver.entails(premises, P("C", "a"))
    assert (r.status, r.used_premises) == (Status.INCONSISTENT, (0, 1, 2))


# --------------------------------------------------------------------------- limits and errors

# Satisfiable only in infinite models: z3's model search never finishes.
INFINITE = [
    all_("x", some("y", P("R", x, y))),
    all_("x", all_("y", all_("z", Implies(And((P("R", x, y), P("R", y, z))), P("R", x, z))))),
    all_("x", Not(P("R", x, x))),
]


def test_timeout(solver: Z3Solver) -> None:
    r = solver.entails(INFINITE, P("Q", "a"), timeout_s=0.2)
    assert (r.status, r.verdict) == (Status.TIMEOUT, None)
    assert "timed out" in r.message
    assert r.elapsed_s < 2


def test_proof_from_premises_not_shown_consistent_is_no_verdict(solver: Z3Solver) -> None:
    # premises ∧ ¬goal is unsat, but the premises have only infinite models: ex falso is possible
    r = solver.entails(INFINITE + [P("R", "a", "b")], some("y", P("R", "a", y)), timeout_s=0.3)
    assert (r.status, r.verdict) == (Status.TIMEOUT, None)
    assert r.details["proved_if_consistent"] == "True" and "inconsistent" in r.message


def test_core_minimization_is_cut_short_on_hard_trials(solver: Z3Solver) -> None:
    # a 2-element domain makes a serial transitive R cyclic; without the domain axiom
    # premises ∧ ¬goal has only infinite models, so that deletion trial must give up quickly
    premises = INFINITE[:2] + [all_("x", Or((Eq(x, Const("a")), Eq(x, Const("b")))))]
    r = solver.entails(premises, some("x", P("R", x, x)), timeout_s=5)
    assert (r.verdict, r.used_premises) == (Verdict.TRUE, (0, 1, 2))
    assert r.elapsed_s < 1.5


def test_free_variable_is_an_error(solver: Z3Solver) -> None:
    r = solver.entails([P("P", x)], P("P", "a"))
    assert (r.status, r.verdict) == (Status.ERROR, None)
    assert "free variable 'x'" in r.message


def test_symbol_with_two_arities_is_an_error(solver: Z3Solver) -> None:
    r = solver.entails([P("P", "a")], P("P", "a", "b"))
    assert r.status is Status.ERROR and "'P'" in r.message


def test_deep_formula(solver: Z3Solver) -> None:
    goal: Formula = P("A")
    for _ in range(200):
        goal = Not(Not(goal))
    assert solver.entails([P("A")], goal).verdict is Verdict.TRUE


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "name", ["Anti-abortion", "mr.smith", "O’Neil", "c++", "x!0", "a|b", "back\\slash", "Ś ś"]
)
def test_odd_names(solver: Z3Solver, name: str) -> None:
    const = name.lower() + "’s"
    premises = [all_("x", Implies(P(name, x), P("Q", x))), P(name, const)]
    r = solver.entails(premises, P("Q", const))
    assert (r.verdict, r.used_premises) == (Verdict.TRUE, (0, 1))
    assert f"{name}({const})" in r.proof
    r = solver.entails([Not(P(name, const))], P("Q", const))
    assert r.verdict is Verdict.UNCERTAIN and f"Q({const})" not in r.proof
    assert solver.entails([Implies(P(name + "0"), P("B"))], P("B")).verdict is Verdict.UNCERTAIN


def test_constant_named_like_a_bound_variable_is_not_captured(solver: Z3Solver) -> None:
    # ∀x (P(x) ∨ Q(k)), ¬Q(k) ⊨ ∀x P(x); had k been captured by the binder it would not follow
    for k in ("x!0", "x!1", "x!!0"):
        premises = [all_("x", Or((P("P", x), P("Q", k)))), Not(P("Q", k))]
        assert solver.entails(premises, all_("x", P("P", x))).verdict is Verdict.TRUE


def test_propositions_named_like_internal_trackers(solver: Z3Solver) -> None:
    names = [f"{base}!{i}" for base in ("premise", "goal", "not_goal") for i in range(12)]
    premises = [Or((P(names[0]), P(names[1]))), Not(P(names[0]))]
    assert solver.entails(premises, P(names[1])).verdict is Verdict.TRUE
    assert solver.entails(premises, P(names[2])).verdict is Verdict.UNCERTAIN
    everything = premises + [P(n) for n in names[3:]]
    r = solver.entails(everything, P(names[1]))
    assert r.verdict is Verdict.TRUE and r.used_premises == (0, 1)


# --------------------------------------------------------------------------- reuse


def test_repeated_and_threaded_calls_agree(solver: Z3Solver) -> None:
    goals = [P("Mortal", "socrates"), P("God", "socrates"), P("Cat", "plato")]
    expected = [solver.entails(DISTRACTED, g).verdict for g in goals]
    outcomes: list[list[Verdict | None]] = []

    def work() -> None:
        outcomes.append([solver.entails(DISTRACTED, g).verdict for g in goals * 5])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == [expected * 5] * 4


# --------------------------------------------------------------------------- properties

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(formulas(max_depth=3), min_size=0, max_size=3), formulas(max_depth=3))
def test_negating_the_goal_swaps_true_and_false(premises: list[Formula], goal: Formula) -> None:
    solver = Z3Solver()
    r = solver.entails(premises, goal, timeout_s=1)
    s = solver.entails(premises, Not(goal), timeout_s=1)
    if Status.TIMEOUT in (r.status, s.status):
        return
    assert r.status is s.status
    swap = {
        Verdict.TRUE: Verdict.FALSE,
        Verdict.FALSE: Verdict.TRUE,
        Verdict.UNCERTAIN: Verdict.UNCERTAIN,
        None: None,
    }
    assert s.verdict is swap[r.verdict]
    if r.verdict in (Verdict.TRUE, Verdict.FALSE):
        assert_core_reproduces(solver, premises, goal, r)
    if r.status is Status.INCONSISTENT:
        core = [premises[i] for i in r.used_premises]
        assert solver.entails(core, goal, timeout_s=1).status in (
            Status.INCONSISTENT,
            Status.TIMEOUT,
        )


@SETTINGS
@given(formulas(max_depth=3))
def test_a_premise_entails_itself(f: Formula) -> None:
    r = Z3Solver().entails([f], f, timeout_s=1)
    assert (r.status, r.verdict, r.used_premises) in {
        (Status.OK, Verdict.TRUE, (0,)),
        (Status.OK, Verdict.TRUE, ()),  # f is valid
        (Status.INCONSISTENT, None, (0,)),
        (Status.TIMEOUT, None, ()),
    }
