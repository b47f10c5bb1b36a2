"""The :class:`Reasoner`: formalizations in, a voted, explained :class:`Answer` out."""

from __future__ import annotations

import time
from collections.abc import Sequence

from solvers import Solver, get_solver

from .execute import run_formalization
from .problem import Answer, PremiseUse, SampleResult
from .vote import vote

Formalization = tuple[Sequence[str], str]
"""Premise formulas and the conclusion formula, as text in any supported syntax."""


class Reasoner:
    """Decides questions with a theorem prover.

    ``solver`` is ``"z3"``, ``"prover9"``, ``"portfolio"`` or a :class:`solvers.Solver`.
    """

    def __init__(self, solver: str | Solver = "z3", *, timeout_s: float = 10.0) -> None:
        self.solver = get_solver(solver) if isinstance(solver, str) else solver
        self.timeout_s = timeout_s

    def solve_fol(
        self,
        premises_fol: Sequence[str],
        conclusion_fol: str,
        *,
        premises: Sequence[str] | None = None,
    ) -> Answer:
        """Decide one formalization given as formula text. ``premises`` are the sentences the
        formulas stand for, used to report the premises a proof relies on in words."""
        return self.solve_formalizations([(premises_fol, conclusion_fol)], premises=premises)

    def solve_formalizations(
        self, formalizations: Sequence[Formalization], *, premises: Sequence[str] | None = None
    ) -> Answer:
        """Decide each formalization, then vote over those that ran."""
        start = time.perf_counter()
        samples = [
            run_formalization(list(p), c, self.solver, self.timeout_s) for p, c in formalizations
        ]
        return answer_from_samples(samples, premises, elapsed_s=time.perf_counter() - start)


def answer_from_samples(
    samples: list[SampleResult], premises: Sequence[str] | None, *, elapsed_s: float
) -> Answer:
    """Vote over ``samples`` and explain the winner with its first supporting sample."""
    label, confidence, votes = vote(samples)
    timings = {"total_s": elapsed_s, "solver_s": sum(s.elapsed_s for s in samples)}
    if label is None:
        return Answer(
            label=None, status="no_executable_sample", method="none", samples=samples,
            timings=timings,
        )
    support = next(s for s in samples if s.executable and s.verdict == label)
    return Answer(
        label=label,
        status="ok",
        method="symbolic",
        confidence=confidence,
        votes=votes,
        premises_used=_premise_uses(support, premises),
        proof=support.proof,
        samples=samples,
        timings=timings,
    )


def _premise_uses(sample: SampleResult, premises: Sequence[str] | None) -> list[PremiseUse]:
    aligned = premises is not None and len(premises) == len(sample.premises)
    return [
        PremiseUse(
            index=i,
            formula=sample.premises[i].strip(),
            sentence=premises[i].strip() if aligned and premises else None,
        )
        for i in sample.used_premises
    ]
