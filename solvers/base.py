"""The interface every solver implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from typing import runtime_checkable

from .fol import Formula
from .result import SolverResult


@runtime_checkable
class Solver(Protocol):
    """Decides whether premises entail a goal, entail its negation, or neither."""

    name: str

    def entails(
        self, premises: Sequence[Formula], goal: Formula, timeout_s: float = 10.0
    ) -> SolverResult:
        """Return a :class:`SolverResult`; never raise for a well-formed problem."""
        ...
