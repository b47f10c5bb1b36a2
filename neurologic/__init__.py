"""neurologic: faithful logical reasoning — an LLM formalizes, a theorem prover decides.

The stages, in the order :class:`Reasoner` (``reasoner.py``, options in ``config.py``) runs them:

1. Controlled English (``cnl/``) translates the sentences its grammar covers, with no model call;
   ``language/`` holds the English both steps read (sentences, names, lexicon, quantifiers).
2. The translator (``translate/``) asks the model (``providers/``) for symbols, then a formula per
   sentence, each checked as written (with ``grounding``, against the words that license its
   symbols: ``language/licensing.py``); few-shot examples come from ``resources/``.
3. Deciding (``decide/``): each translation solved by ``solvers``; a failure refined with its
   exact error, an undecided conclusion read again; the samples voted.
4. When no proof answers, the model's option scores do (``fallback/``: scoring, debiasing,
   calibration, augmentation, and the answers they give).
5. Multiple choice (``decide/choice.py``) checks each option the same way; ``distributed/`` runs many
   problems on a Ray cluster. The :class:`Answer` (``answer.py``) says which path produced it.
"""

from solvers.errors import FormulaError
from solvers.errors import NeurologicError
from solvers.errors import ParseError
from solvers.errors import SignatureError
from solvers.errors import SolverError
from solvers.errors import SolverUnavailable

from .answer import Answer
from .answer import PremiseUse
from .answer import SampleResult
from .answer import SampleStatus
from .config import ConfigError
from .config import ReasonerConfig
from .reasoner import Reasoner

__all__ = [
    "Answer",
    "ConfigError",
    "FormulaError",
    "NeurologicError",
    "ParseError",
    "PremiseUse",
    "Reasoner",
    "ReasonerConfig",
    "SampleResult",
    "SampleStatus",
    "SignatureError",
    "SolverError",
    "SolverUnavailable",
]
__version__ = "0.1.0"
