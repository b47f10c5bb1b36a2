"""Run one formalization: parse (repairing slips), check the signature, solve."""

from __future__ import annotations

import time
from collections.abc import Sequence

from solvers import ParseError, Solver, Status, check_program, parse
from solvers.check import signature
from solvers.fol import Formula

from .problem import SampleResult


def run_formalization(
    premises: Sequence[str], conclusion: str, solver: Solver, timeout_s: float
) -> SampleResult:
    """Decide one formalization; every failure is recorded in the result, never raised."""
    start = time.perf_counter()
    base = {"premises": list(premises), "conclusion": conclusion}
    labels = [f"premise {i + 1}" for i in range(len(premises))] + ["the conclusion"]
    formulas: list[Formula] = []
    repairs: list[str] = []
    for label, text in zip(labels, [*premises, conclusion]):
        try:
            parsed = parse(text, repair=True)
        except ParseError as error:
            return SampleResult(
                **base, status="parse_error", error=f"{label} ({text.strip()}): {error}",
                elapsed_s=time.perf_counter() - start,
            )
        formulas.append(parsed.formula)
        repairs.extend(f"{label}: {note}" for note in parsed.repairs)
    problems = check_program(formulas, labels)
    if problems:
        return SampleResult(
            **base, status="signature_error", error="; ".join(problems), repairs=repairs,
            elapsed_s=time.perf_counter() - start,
        )
    result = solver.entails(formulas[:-1], formulas[-1], timeout_s)
    linked = bool(
        set(signature(formulas[-1:]).predicates) & set(signature(formulas[:-1]).predicates)
    )
    return SampleResult(
        **base,
        linked=linked,
        verdict=result.verdict.value if result.verdict else None,
        status=result.status.value,
        error=None if result.status is Status.OK else (result.message or result.status.value),
        repairs=repairs,
        used_premises=list(result.used_premises),
        proof=result.proof,
        solver=result.solver,
        elapsed_s=time.perf_counter() - start,
    )
