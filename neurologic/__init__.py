"""neurologic: faithful logical reasoning — an LLM formalizes, a theorem prover decides."""

from solvers.errors import (
    FormulaError,
    NeurologicError,
    ParseError,
    SignatureError,
    SolverError,
    SolverUnavailable,
)

from .config import ConfigError, ReasonerConfig
from .reasoner import Reasoner
from .problem import Answer, PremiseUse, SampleResult

__all__ = [
    "Answer", "ConfigError", "FormulaError", "NeurologicError", "ParseError", "PremiseUse",
    "Reasoner", "ReasonerConfig", "SampleResult", "SignatureError", "SolverError", "SolverUnavailable",
]
__version__ = "0.1.0"
