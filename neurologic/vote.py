"""Choosing among sampled translations: cheap checks first, then a majority vote, then the
model's own log-probabilities to break a tie."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .problem import Label, SampleResult


@dataclass(frozen=True)
class Vote:
    """The outcome: the winning label (None when no sample ran), its share of the voters, the
    counts, how a tie was settled (``"logprob"``, ``"order"`` or None when there was none), and
    how many executable samples were set aside as uninformative."""

    label: Label | None
    confidence: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    tie_break: str | None = None
    set_aside: int = 0


def vote(samples: Sequence[SampleResult]) -> Vote:
    """Majority over the executable samples.

    A sample whose conclusion shares no predicate with its premises can only come out Uncertain
    and says nothing about the problem; while some sample links the two, those unlinked ones do
    not vote. A tie goes to the label whose best translation the model found most probable (sum
    of token log-probabilities), or, without log-probabilities, to the label voted first (the
    first sample is the greedy one).
    """
    executable = [s for s in samples if s.executable and s.verdict is not None]
    if not executable:
        return Vote(None)
    voters = [s for s in executable if s.linked] or executable
    counts = Counter(s.verdict for s in voters)
    best = max(counts.values())
    tied = [label for label in dict.fromkeys(s.verdict for s in voters) if counts[label] == best]
    winner, tie_break = tied[0], None
    if len(tied) > 1:
        best_logprob = {
            label: max((s.logprob for s in voters if s.verdict == label and s.logprob is not None),
                       default=None)
            for label in tied
        }
        if all(v is not None for v in best_logprob.values()):
            winner = max(tied, key=lambda label: best_logprob[label])  # type: ignore[arg-type,return-value]
            tie_break = "logprob"
        else:
            tie_break = "order"
    return Vote(
        label=winner, confidence=best / len(voters), counts=dict(counts), tie_break=tie_break,
        set_aside=len(executable) - len(voters),
    )
