"""Other readings of a conclusion the premises leave undecided.

A small model's likeliest conclusion formula often misses the premises' vocabulary slightly,
so it comes out Uncertain although the premises decide it. Then a few more readings are drawn
from the same request and solved against the same premises. A reading counts only when decided
by a proof using a premise. The sample's verdict is the label most deciding readings get (a tie
to the likeliest reading), else Uncertain with the first reading.

This is :mod:`neurologic.decide.vote`'s proof rule inside one sample: Uncertain means no proof
under any likely reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from solvers.result import Verdict

from ..answer import SampleResult
from .vote import vote

DECIDED = (Verdict.TRUE, Verdict.FALSE)


@dataclass(frozen=True)
class ReadingOutcome:
    """The sample to keep, and whether a reading other than the first replaced it."""

    result: SampleResult
    replaced: bool


def decides(result: SampleResult) -> bool:
    """The premises prove or refute this reading, by a proof that uses at least one of them."""
    return result.executable and result.verdict in DECIDED and bool(result.used_premises)


def wants_readings(result: SampleResult) -> bool:
    """Whether other readings could change this sample: it ran and left the conclusion open."""
    return result.executable and result.verdict is Verdict.UNCERTAIN


def choose_reading(first: SampleResult, readings: Sequence[SampleResult]) -> ReadingOutcome:
    """``first``, or the voted label and its likeliest reading when some readings decide.

    The decided readings (:func:`decides`) vote by :func:`neurologic.decide.vote.vote`: a tie
    goes to the likeliest reading, or without log-probabilities to the label voted first."""
    deciding = [r for r in readings if decides(r)]
    if not deciding:
        return ReadingOutcome(first, replaced=False)
    label = vote(deciding).label
    chosen = max(
        (r for r in deciding if r.verdict == label),
        key=lambda r: r.logprob if r.logprob is not None else float("-inf"),
    )
    return ReadingOutcome(chosen, replaced=True)
