"""Run several solvers on the same problem, cross-check them and report any disagreement."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence

from .base import Solver
from .fol import Formula
from .result import SolverResult
from .result import Status
from .result import Verdict
from .sorts import is_numeric

ARITHMETIC_MEMBERS = ("z3",)
"""Members that decide numbers and comparisons; on such a problem only these run."""


class PortfolioSolver:
    """Runs every member solver and combines their results.

    * All members that finished agree: that result (the first member's proof and premises).
    * One member proves True/False and another says Uncertain: the proof wins (a proof is a
      certificate; "Uncertain" may come from an incomplete search); disagreement is recorded.
    * True against False: status ``error`` (the members contradict each other).
    * Any member finds the premises inconsistent: ``inconsistent``.
    * No member finished: the first member's status (``timeout`` or ``error``).
    * The problem uses numbers or comparisons: only the members that have arithmetic (Z3) run,
      and ``details["routed"]`` says so (Prover9 would only report that it needs arithmetic).

    ``details["members"]`` holds each member's verdict and status; ``details["disagreement"]``
    is True when finished members gave different verdicts.
    """

    name = "portfolio"

    def __init__(self, members: Sequence[Solver]) -> None:
        if not members:
            raise ValueError("a portfolio needs at least one solver")
        self.members = list(members)

    def entails(
        self, premises: Sequence[Formula], goal: Formula, timeout_s: float = 10.0
    ) -> SolverResult:
        start = time.perf_counter()
        members, routed = self.members, ""
        if is_numeric([*premises, goal]):
            arithmetic = [m for m in self.members if m.name in ARITHMETIC_MEMBERS]
            if arithmetic:
                members = arithmetic
                routed = (
                    "numbers and comparisons: decided by "
                    + ", ".join(m.name for m in arithmetic)
                    + " alone (the others have no arithmetic)"
                )
        results = [member.entails(premises, goal, timeout_s) for member in members]
        chosen, disagreement, message = _combine(results)
        members_run = {
            r.solver: {
                "verdict": r.verdict.value if r.verdict else None,
                "status": r.status.value,
                "elapsed_s": round(r.elapsed_s, 6),
            }
            for r in results
        }
        return SolverResult(
            verdict=chosen.verdict if chosen.status is Status.OK else None,
            status=chosen.status,
            solver=self.name,
            used_premises=chosen.used_premises,
            proof=chosen.proof,
            message="; ".join(m for m in (routed, message or chosen.message) if m),
            elapsed_s=time.perf_counter() - start,
            formula=chosen.formula,
            details={
                "members": members_run,
                "disagreement": disagreement,
                "decided_by": chosen.solver,
                **({"routed": routed} if routed else {}),
            },
        )


def _combine(results: list[SolverResult]) -> tuple[SolverResult, bool, str]:
    inconsistent = [r for r in results if r.status is Status.INCONSISTENT]
    finished = [r for r in results if r.status is Status.OK]
    verdicts = {r.verdict for r in finished}
    disagreement = len(verdicts) > 1
    if inconsistent:
        return inconsistent[0], disagreement, ""
    if not finished:
        # every member's message is quoted: the formula the last of them names is the one
        named = [r.formula for r in results if r.message and r.formula is not None]
        first = dataclasses.replace(results[0], formula=named[-1] if named else None)
        return first, False, "; ".join(f"{r.solver}: {r.message}" for r in results if r.message)
    proofs = [r for r in finished if r.verdict in (Verdict.TRUE, Verdict.FALSE)]
    proved = {r.verdict for r in proofs}
    if len(proved) > 1:
        error = SolverResult(
            verdict=None,
            status=Status.ERROR,
            solver=proofs[0].solver,
            message="solvers contradict each other: "
            + ", ".join(f"{r.solver} says {r.verdict.value}" for r in proofs),
        )
        return error, True, error.message
    chosen = proofs[0] if proofs else finished[0]
    message = (
        "solvers disagree: " + ", ".join(f"{r.solver} says {r.verdict.value}" for r in finished)
        if disagreement
        else ""
    )
    return chosen, disagreement, message
