"""ProofWriter's reading first, classical logic where it does not apply.

:class:`RuleBaseSolver` decides a problem by forward chaining (:mod:`solvers.forward`, the reading
that defines ProofWriter's labels) and, for a problem outside that fragment, by Z3. The result's
``solver`` names the one that decided; ``details["outside_fragment"]`` says why forward chaining
did not apply.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence

from .base import Solver
from .fol import Formula
from .result import SolverResult
from .result import Status


class RuleBaseSolver:
    """Forward chaining, falling back to a classical solver outside the rule-base fragment."""

    name = "rulebase"

    def __init__(self, rules: Solver, classical: Solver) -> None:
        self.rules = rules
        self.classical = classical

    def entails(
        self, premises: Sequence[Formula], goal: Formula, timeout_s: float = 10.0
    ) -> SolverResult:
        start = time.perf_counter()
        result = self.rules.entails(premises, goal, timeout_s)
        if result.status is Status.ERROR and result.details.get("unsupported"):
            fallback = self.classical.entails(premises, goal, timeout_s)
            details = {**fallback.details, "outside_fragment": result.message}
            result = dataclasses.replace(fallback, details=details)
        return dataclasses.replace(result, elapsed_s=time.perf_counter() - start)
