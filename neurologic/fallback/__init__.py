"""Logit-aware option scoring: the answer when no proof can be had, said to be a fallback.

The scorer reads the probability the model gives each option letter after "The correct option
is", one forward pass per ordering of the options. A small model's letter preference outweighs
its knowledge, so the scores are debiased without looking at a test item:

* ``cyclic``: every cyclic rotation of the options, each option's log-probability averaged.
* ``rotate2``: two orderings only (as given, rotated by half), at half the cost.
* ``content_free``: the letter prior on an "N/A" question is divided out (Zhao et al. 2021).
* ``pmi``: each option's text scored after the passage minus after the question alone
  (Holtzman et al. 2021); needs a provider that scores continuations. ``rotate2+pmi`` adds both.

A softmax at a temperature fitted on a held-out split (:func:`fit_temperature`) turns the scores
into a calibrated confidence. Providers with ``score`` (llama.cpp) give exact letter
log-probabilities; those with ``top_logprobs`` give the first answer token's alternatives.

Modules: :mod:`.scorer` (scoring and debiasing), :mod:`.calibration` (temperatures),
:mod:`.augment` (what logic adds to the scored passage), :mod:`.answers` (the answers the scores
give a Reasoner: the fallback, a tie-break, a multiple-choice ranking).
"""

from ..config import DEBIAS_MODES
from .answers import ScoredAnswers
from .augment import augmentation
from .augment import with_augmentation
from .calibration import calibration_key
from .calibration import expected_calibration_error
from .calibration import fit_temperature
from .calibration import reliability_bins
from .calibration import shipped_temperature
from .scorer import ENTAILMENT_OPTIONS
from .scorer import LETTERS
from .scorer import FallbackError
from .scorer import OptionScorer
from .scorer import OptionScores
from .scorer import chat_text
from .scorer import check_options
from .scorer import debiased_scores
from .scorer import entailment_question
from .scorer import log_normalize
from .scorer import mode_scores
from .scorer import option_prompt
from .scorer import question_messages
from .scorer import rotations
from .scorer import softmax
from .scorer import uses_option_texts

__all__ = [
    "DEBIAS_MODES",
    "ENTAILMENT_OPTIONS",
    "LETTERS",
    "FallbackError",
    "OptionScorer",
    "OptionScores",
    "ScoredAnswers",
    "augmentation",
    "calibration_key",
    "chat_text",
    "check_options",
    "debiased_scores",
    "entailment_question",
    "expected_calibration_error",
    "fit_temperature",
    "log_normalize",
    "mode_scores",
    "option_prompt",
    "question_messages",
    "reliability_bins",
    "rotations",
    "shipped_temperature",
    "softmax",
    "uses_option_texts",
    "with_augmentation",
]
