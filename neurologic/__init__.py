"""neurologic: faithful logical reasoning — an LLM formalizes, a theorem prover decides."""

from solvers.errors import (
    FormulaError,
    NeurologicError,
    ParseError,
    SignatureError,
    SolverError,
    SolverUnavailable,
)

from .pipeline import Reasoner
from .problem import Answer, PremiseUse, SampleResult

__all__ = [
    "Answer", "FormulaError", "NeurologicError", "ParseError", "PremiseUse", "Reasoner",
    "SampleResult", "SignatureError", "SolverError", "SolverUnavailable",
]
__version__ = "0.1.0"
