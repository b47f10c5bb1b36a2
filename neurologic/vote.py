"""Majority vote over the samples that ran."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .problem import Label, SampleResult


def vote(samples: Sequence[SampleResult]) -> tuple[Label | None, float, dict[str, int]]:
    """The winning label, its share of the executable samples, and the vote counts.

    Ties go to the label whose first vote came earliest (the first sample is the greedy one when
    a provider samples). With no executable sample the label is None.
    """
    verdicts = [s.verdict for s in samples if s.executable and s.verdict is not None]
    if not verdicts:
        return None, 0.0, {}
    counts = Counter(verdicts)
    best = max(counts.values())
    winner = next(v for v in verdicts if counts[v] == best)
    return winner, best / len(verdicts), dict(counts)
