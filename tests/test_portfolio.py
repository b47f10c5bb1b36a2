"""The portfolio cross-checks its members and reports disagreement."""

from __future__ import annotations

from solvers import Status
from solvers import Verdict
from solvers import entails
from solvers import get_solver
from solvers import parse_formula
from solvers.portfolio import PortfolioSolver
from solvers.result import SolverResult


class FixedSolver:
    """A member that always answers the same (to exercise the combination rules)."""

    def __init__(self, name: str, verdict: Verdict | None, status: Status = Status.OK) -> None:
        self.name, self.verdict, self.status = name, verdict, status

    def entails(self, premises, goal, timeout_s=10.0) -> SolverResult:
        return SolverResult(verdict=self.verdict, status=self.status, solver=self.name)


P = [parse_formula("∀x (A(x) → B(x))"), parse_formula("A(c)")]
G = parse_formula("B(c)")


def test_real_members_agree():
    result = entails(["∀x (A(x) → B(x))", "A(c)", "D(e)"], "B(c)", solver="portfolio")
    assert result.verdict is Verdict.TRUE and result.used_premises == (0, 1)
    assert result.details["disagreement"] is False
    assert set(result.details["members"]) == {"z3", "prover9"}


def test_real_members_report_inconsistency():
    result = entails(["P(a)", "¬P(a)"], "Q(a)", solver="portfolio")
    assert result.status is Status.INCONSISTENT and result.verdict is None


def test_a_proof_beats_uncertain_and_the_disagreement_is_reported():
    portfolio = PortfolioSolver([FixedSolver("a", Verdict.UNCERTAIN), get_solver("z3")])
    result = portfolio.entails(P, G)
    assert result.verdict is Verdict.TRUE
    assert result.details["disagreement"] is True
    assert "a says Uncertain" in result.message and "z3 says True" in result.message


def test_contradicting_proofs_are_an_error():
    portfolio = PortfolioSolver([FixedSolver("a", Verdict.FALSE), get_solver("z3")])
    result = portfolio.entails(P, G)
    assert result.status is Status.ERROR and result.verdict is None
    assert "contradict" in result.message


def test_a_member_that_did_not_finish_is_outvoted_by_one_that_did():
    portfolio = PortfolioSolver([FixedSolver("slow", None, Status.TIMEOUT), get_solver("z3")])
    result = portfolio.entails(P, G)
    assert result.verdict is Verdict.TRUE and result.details["decided_by"] == "z3"
    nobody = PortfolioSolver(
        [FixedSolver("s1", None, Status.TIMEOUT), FixedSolver("s2", None, Status.ERROR)]
    )
    assert nobody.entails(P, G).status is Status.TIMEOUT
