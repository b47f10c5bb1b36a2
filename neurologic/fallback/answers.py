"""Answers from the model's option scores (debiased, calibrated letter probabilities): the
fallback when no translation could be solved, the tie-break of a tied vote, and the ranking of a
multiple-choice question's options that no proof settled. Each says so in its ``method`` and
trace; a proof is never overridden."""

from __future__ import annotations

import time
from collections.abc import Sequence

from ..answer import Answer
from ..config import ReasonerConfig
from ..decide.formalizations import premise_uses
from ..decide.vote import ballot
from ..providers.base import SCORE
from ..providers.base import TOP_LOGPROBS
from ..providers.base import Provider
from ..trace import AugmentEvent
from ..trace import FallbackEvent
from ..trace import TieBreakEvent
from ..trace import TraceEvent
from .augment import augmentation
from .augment import with_augmentation
from .calibration import shipped_temperature
from .scorer import ENTAILMENT_OPTIONS
from .scorer import FallbackError
from .scorer import OptionScorer
from .scorer import OptionScores
from .scorer import entailment_question

__all__ = ["ScoredAnswers"]


class ScoredAnswers:
    """The score-based answers of a Reasoner with ``provider`` and ``config``."""

    def __init__(self, config: ReasonerConfig, provider: Provider | None) -> None:
        self.config = config
        self.provider = provider
        self._scorer: OptionScorer | None = None

    @property
    def scorer(self) -> OptionScorer:
        """The option scorer (the provider's letter probabilities, debiased and calibrated)."""
        if self.provider is None:
            raise FallbackError("scoring options needs a provider; this Reasoner has none")
        if self._scorer is None:
            debias = self.config.debias
            temperature = shipped_temperature(self.provider, debias) or 1.0
            self._scorer = OptionScorer(self.provider, debias=debias, temperature=temperature)
        return self._scorer

    def can_fall_back(self) -> bool:
        """The fallback is on and the provider can score options."""
        if not self.config.fallback or self.provider is None:
            return False
        return bool({SCORE, TOP_LOGPROBS} & set(self.provider.capabilities))

    def scoring_context(self, context: str) -> tuple[str, str]:
        """The passage the scorer reads (with ``augment``, followed by what logic derives) and
        what augmentation added to it (empty when nothing)."""
        added = augmentation(context) if self.config.augment else ""
        return with_augmentation(context, added), added

    def entailment_scores(self, premises: Sequence[str], conclusion: str) -> OptionScores:
        """The scores of True/False/Uncertain for ``conclusion`` given ``premises``."""
        context, _ = self.scoring_context(" ".join(p.strip() for p in premises))
        return self.scorer.score(context, entailment_question(conclusion), ENTAILMENT_OPTIONS)

    def fall_back(self, answer: Answer, premises: Sequence[str], conclusion: str) -> Answer:
        """``answer`` (which has no label: no translation could be solved) answered by the
        scores, ``method="fallback"``."""
        start = time.perf_counter()
        scores = self.entailment_scores(premises, conclusion)
        choice = scores.choice
        answer.label = ENTAILMENT_OPTIONS[choice]  # type: ignore[assignment]
        answer.status = "ok"
        answer.method = "fallback"
        answer.confidence = scores.distribution[choice]
        answer.distribution = scores.distribution
        answer.trace = [
            *answer.trace,
            FallbackEvent(reason="no executable sample", **scores.to_dict()),
        ]
        answer.timings["fallback_s"] = time.perf_counter() - start
        return answer

    def break_tie(self, answer: Answer, premises: Sequence[str], conclusion: str) -> Answer:
        """``answer`` with its tied vote settled by the scores of the tied labels, explained by
        a sample that voted for the winner."""
        votes = ballot(answer.votes, self.config.vote)
        best = max(votes.values())
        tied = [label for label, count in votes.items() if count == best]
        scores = self.entailment_scores(premises, conclusion)
        winner = max(tied, key=lambda label: scores.distribution[ENTAILMENT_OPTIONS.index(label)])
        answer.tie_break = "fallback"
        answer.trace = [*answer.trace, TieBreakEvent(tied=tied, winner=winner, **scores.to_dict())]
        if winner != answer.label:
            support = next(s for s in answer.samples if s.executable and s.verdict == winner)
            answer.label = winner  # type: ignore[assignment]
            answer.premises_used = premise_uses(support, premises)
            answer.proof = support.proof
        return answer

    def rank(
        self,
        context: str,
        question: str,
        options: Sequence[str],
        ruled_out: set[int],
        trace: list[TraceEvent],
        start: float,
    ) -> Answer:
        """The multiple-choice answer by the scores, with the options a proof ruled out
        dropped (the rest renormalised)."""
        scored_context, added = self.scoring_context(context)
        if added:
            trace.append(AugmentEvent(added=added))
        scores = self.scorer.score(scored_context, question, options)
        distribution = _renormalize(scores.distribution, ruled_out)
        choice = max(range(len(options)), key=distribution.__getitem__)
        trace.append(FallbackEvent(ruled_out=sorted(ruled_out), **scores.to_dict()))
        return Answer(
            label=None,
            status="ok",
            method="fallback",
            confidence=distribution[choice],
            choice=choice,
            distribution=distribution,
            trace=trace,
            timings={"total_s": time.perf_counter() - start},
            usage={"scorer_calls": scores.calls},
        )


def _renormalize(distribution: Sequence[float], ruled_out: set[int]) -> list[float]:
    kept = [0.0 if i in ruled_out else p for i, p in enumerate(distribution)]
    total = sum(kept)
    return [p / total for p in kept] if total > 0 else list(distribution)
