"""Choosing among sampled translations: cheap checks first, then a vote (by majority, or by the
samples that found a proof), then the model's own log-probabilities to break a tie."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

from ..answer import Label
from ..answer import SampleResult
from ..config import VOTE_RULES


@dataclass(frozen=True)
class Vote:
    """The outcome of a vote: the winning label, its share, the counts and how a tie was settled.

    The label is None when no sample ran; the tie-break is ``"logprob"``, ``"order"`` or None.
    It also counts the executable samples set aside as uninformative."""

    label: Label | None
    confidence: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    tie_break: str | None = None
    set_aside: int = 0


def check_rule(rule: str) -> None:
    """Raise ValueError naming the choices unless ``rule`` is one of :data:`VOTE_RULES`."""
    if rule not in VOTE_RULES:
        raise ValueError(f"unknown vote rule {rule!r}; choose one of {', '.join(VOTE_RULES)}")


def ballot(counts: Mapping[str, int], rule: str) -> dict[str, int]:
    """The votes that decide under ``rule``, from every voter's ``counts`` (in voting order):
    all of them, or with ``"proof"`` those for True and False while there are any."""
    check_rule(rule)
    if rule == "proof":
        proofs = {label: count for label, count in counts.items() if label != "Uncertain"}
        if proofs:
            return proofs
    return dict(counts)


def vote(samples: Sequence[SampleResult], rule: str = "majority") -> Vote:
    """A vote over the executable samples by ``rule`` (:data:`VOTE_RULES`, :func:`ballot`).

    A sample whose conclusion shares no predicate with its premises can only come out Uncertain
    and says nothing about the problem; while some sample links the two, those unlinked ones do
    not vote. With ``rule="proof"``, while some voter proves or refutes the conclusion, only
    those voters count (a weak translation leaves the conclusion undecided far more often than
    it proves something by accident); the confidence stays the winner's share of all voters.
    A tie goes to the label whose best translation the model found most probable (sum of token
    log-probabilities), or, without log-probabilities, to the label voted first (the first sample
    is the greedy one).
    """
    check_rule(rule)
    executable = [s for s in samples if s.executable and s.verdict is not None]
    if not executable:
        return Vote(None)
    voters = [s for s in executable if s.linked] or executable
    counts = Counter(s.verdict.value for s in voters if s.verdict is not None)
    counted = ballot(counts, rule)
    best = max(counted.values())
    tied = [label for label, count in counted.items() if count == best]
    winner, tie_break = tied[0], None
    if len(tied) > 1:
        best_logprob = {
            label: max(
                (s.logprob for s in voters if s.verdict == label and s.logprob is not None),
                default=None,
            )
            for label in tied
        }
        if all(v is not None for v in best_logprob.values()):
            winner = max(tied, key=lambda label: best_logprob[label])  # type: ignore[arg-type,return-value]
            tie_break = "logprob"
        else:
            tie_break = "order"
    return Vote(
        label=winner,
        confidence=counts[winner] / len(voters),
        counts=dict(counts),
        tie_break=tie_break,
        set_aside=len(executable) - len(voters),
    )
