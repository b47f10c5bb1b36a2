"""Logit-aware option scoring: the answer when no proof can be had, said to be a fallback.

The model sees the passage, the question and the options lettered A, B, C…, and the scorer reads
the probability it gives each letter right after "The correct option is" — one forward pass per
ordering of the options. A small model's letter preference outweighs its knowledge (Qwen 1.5B
says "B" to most LogiQA questions), so two debiasing steps that never look at a test item:

* ``cyclic``: the options are shown in every cyclic rotation and each option's log-probability is
  averaged over the positions it took, so a preference for a position or letter cancels out.
* ``rotate2``: the same with two orderings only — as given, and rotated by half — at half the
  cost; each option is seen once in each half of the list.
* ``content_free``: the letter prior the model shows for a content-free question ("N/A" passage,
  question and options) is divided out (contextual calibration, Zhao et al. 2021).
* ``pmi``: no letters at all. Each option's text is scored as the answer after the passage and
  question, and again after the question alone (a neutral baseline); the difference — how much
  the passage raises the option, pointwise mutual information (Holtzman et al. 2021) — cancels an
  option's own likelihood (length, common words). ``rotate2+pmi`` adds the two log-distributions
  (a product of the two experts). Option texts need a provider that scores continuations.

The debiased log-scores become a distribution by a softmax at a temperature fitted on a held-out
split (:func:`fit_temperature`), so the confidence an :class:`~neurologic.answer.Answer` reports
is calibrated; :func:`expected_calibration_error` measures that.

Providers with the ``score`` capability (llama.cpp) give exact letter log-probabilities; providers
with ``top_logprobs`` (OpenAI-compatible servers) give the first answer token's alternatives.

Modules: :mod:`.scorer` (scoring and debiasing), :mod:`.calibration` (temperatures),
:mod:`.augment` (what logic adds to the scored passage), :mod:`.answers` (the answers the scores
give a Reasoner: the fallback, a tie-break, a multiple-choice ranking).
"""

from ..config import DEBIAS_MODES
from .answers import ScoredAnswers
from .augment import augmentation, with_augmentation
from .calibration import (
    calibration_key, expected_calibration_error, fit_temperature, reliability_bins,
    shipped_temperature,
)
from .scorer import (
    ENTAILMENT_OPTIONS, LETTERS, FallbackError, OptionScorer, OptionScores, chat_text,
    debiased_scores, entailment_question, log_normalize, mode_scores, option_prompt,
    question_messages, rotations, softmax, uses_option_texts,
)

__all__ = [
    "DEBIAS_MODES", "ENTAILMENT_OPTIONS", "LETTERS", "FallbackError", "OptionScorer",
    "OptionScores", "ScoredAnswers", "augmentation", "calibration_key", "chat_text",
    "debiased_scores", "entailment_question", "expected_calibration_error", "fit_temperature",
    "log_normalize", "mode_scores", "option_prompt", "question_messages", "reliability_bins",
    "rotations", "shipped_temperature", "softmax", "uses_option_texts", "with_augmentation",
]
