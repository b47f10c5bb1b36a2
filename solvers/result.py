"""What every solver returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from enum import Enum

from .formula_ref import FormulaRef


class Verdict(str, Enum):
    """Whether the premises entail the goal, entail its negation, or neither."""

    TRUE = "True"
    FALSE = "False"
    UNCERTAIN = "Uncertain"

    def __str__(self) -> str:
        return self.value


class Status(str, Enum):
    """How the run ended. Only ``ok`` carries a verdict."""

    OK = "ok"
    TIMEOUT = "timeout"
    ERROR = "error"
    INCONSISTENT = "inconsistent"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class SolverResult:
    """The outcome of one entailment question.

    ``verdict`` is ``None`` unless ``status`` is ``ok``. ``used_premises`` are 0-based indices into
    the premise list: for True/False the premises the proof needs; for ``inconsistent`` a set of
    premises that contradict each other. ``proof`` is a proof or a countermodel in readable text.
    ``repairs`` lists each reading of real-world notation :func:`solvers.entails` applied.
    ``formula`` is the formula a failure is about, where there is one: the one ``message``
    names, or for ``inconsistent`` the last premise of the contradiction.
    """

    verdict: Verdict | None
    status: Status
    solver: str
    used_premises: tuple[int, ...] = ()
    proof: str = ""
    message: str = ""
    elapsed_s: float = 0.0
    details: dict = field(default_factory=dict)
    repairs: tuple[str, ...] = ()
    formula: FormulaRef | None = None

    @property
    def ok(self) -> bool:
        return self.status is Status.OK

    @classmethod
    def decided(
        cls,
        solver: str,
        verdict: Verdict,
        used: Sequence[int],
        proof_lines: Sequence[str],
        details: dict,
    ) -> SolverResult:
        """A proof of the goal (``TRUE``) or of its negation (``FALSE``) from the premises
        ``used``, its steps one per line."""
        return cls(
            verdict,
            Status.OK,
            solver,
            used_premises=tuple(used),
            proof="\n".join(proof_lines),
            details=details,
        )

    @classmethod
    def inconsistent(
        cls,
        solver: str,
        used: Sequence[int],
        proof: str,
        *,
        details: dict | None = None,
        elapsed_s: float = 0.0,
    ) -> SolverResult:
        """The premises ``used`` contradict each other (``proof`` shows how); the failure is
        about the last of them."""
        return cls(
            None,
            Status.INCONSISTENT,
            solver,
            used_premises=tuple(used),
            proof=proof,
            message="premises are inconsistent",
            elapsed_s=elapsed_s,
            details=details or {},
            formula=FormulaRef.premise(max(used)) if used else None,
        )
