"""The symbolic side of neurologic: one FOL language and theorem provers behind one interface.

Importable without any LLM::

    from solvers import entails
    result = entails(["∀x (Man(x) → Mortal(x))", "Man(socrates)"], "Mortal(socrates)")
    result.verdict, result.used_premises, result.proof
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import Solver
from .check import Signature, assert_signature, check_program, signature
from .errors import (
    FormulaError,
    NeurologicError,
    ParseError,
    SignatureError,
    SolverError,
    SolverUnavailable,
)
from .fol import Formula, to_nltk, to_text, to_unicode
from .parse import Parsed, parse, parse_formula
from .result import SolverResult, Status, Verdict

SOLVER_NAMES = ("z3", "prover9", "portfolio", "forward")

__all__ = [
    "SOLVER_NAMES", "Formula", "FormulaError", "NeurologicError", "ParseError", "Parsed",
    "Signature", "SignatureError", "Solver", "SolverError", "SolverResult", "SolverUnavailable",
    "Status", "Verdict", "assert_signature", "check_program", "entails", "get_solver", "parse",
    "parse_formula", "signature", "to_nltk", "to_text", "to_unicode",
]


def get_solver(name: str) -> Solver:
    """A solver by name: ``z3``, ``prover9``, ``portfolio`` (both, cross-checked) or ``forward``
    (forward chaining under the rule-base reading of ProofWriter, :mod:`solvers.forward`)."""
    if name == "z3":
        from .z3_solver import Z3Solver

        return Z3Solver()
    if name == "prover9":
        from .prover9 import Prover9Solver

        return Prover9Solver()
    if name == "portfolio":
        from .portfolio import PortfolioSolver

        return PortfolioSolver([get_solver("z3"), get_solver("prover9")])
    if name == "forward":
        from .forward import ForwardChainingSolver

        return ForwardChainingSolver()
    raise ValueError(f"unknown solver {name!r}; choose one of {', '.join(SOLVER_NAMES)}")


def entails(
    premises: Sequence[Formula | str],
    goal: Formula | str,
    *,
    solver: str | Solver = "z3",
    timeout_s: float = 10.0,
    check: bool = True,
) -> SolverResult:
    """Decide whether ``premises`` entail ``goal`` (True), its negation (False), or neither.

    Strings are parsed in any supported syntax (:class:`ParseError` if they do not parse). With
    ``check`` the program must pass the signature check first (:class:`SignatureError`).
    """
    premise_formulas = [parse_formula(p) if isinstance(p, str) else p for p in premises]
    goal_formula = parse_formula(goal) if isinstance(goal, str) else goal
    if check:
        labels = [f"premise {i + 1}" for i in range(len(premise_formulas))] + ["the conclusion"]
        assert_signature([*premise_formulas, goal_formula], labels)
    backend = get_solver(solver) if isinstance(solver, str) else solver
    return backend.entails(premise_formulas, goal_formula, timeout_s)
