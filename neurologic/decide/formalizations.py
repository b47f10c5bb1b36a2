"""Deciding formalizations: solve each, vote, and explain the winner — and what a failed one's
error says to the model (the line it points at, in words it can act on)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from solvers import FormulaRef
from solvers import Solver

from ..answer import Answer
from ..answer import PremiseUse
from ..answer import SampleResult
from ..answer import SampleStatus
from ..language.licensing import ungrounded_premise
from ..trace import FormulasEvent
from .execute import run_formalization
from .readings import DECIDED
from .vote import vote

__all__ = [
    "Formalization",
    "answer_from_samples",
    "culprit_line",
    "decide_formalizations",
    "has_enough",
    "premise_uses",
    "refinement_message",
    "trace_entry",
]

Formalization = tuple[Sequence[str], str] | tuple[Sequence[str], str, float | None]
"""Premise formulas and the conclusion formula, as text in any supported syntax, and optionally
the model's log-probability of that translation (a saved run's, so that a re-solve breaks a tied
vote as the run did)."""


def has_enough(samples: Sequence[SampleResult], sample_more: str) -> bool:
    """Whether no more samples are drawn: with ``sample_more="undecided"``, once the first
    proves or refutes the conclusion."""
    return bool(samples) and sample_more == "undecided" and samples[0].verdict in DECIDED


def decide_formalizations(
    formalizations: Sequence[Formalization],
    *,
    solver: Solver,
    timeout_s: float,
    rule: str,
    sample_more: str,
    premises: Sequence[str] | None = None,
) -> Answer:
    """Decide each formalization, then vote over those that ran by ``rule``.

    With ``sample_more="undecided"``, those after the first count only when the first leaves
    the conclusion undecided, as a run with that setting would have drawn them."""
    start = time.perf_counter()
    samples: list[SampleResult] = []
    for formalization in formalizations:
        if has_enough(samples, sample_more):
            break
        premises_fol, conclusion_fol = formalization[0], formalization[1]
        sample = run_formalization(list(premises_fol), conclusion_fol, solver, timeout_s)
        if len(formalization) > 2:
            sample.logprob = formalization[2]  # type: ignore[misc]
        samples.append(sample)
    return answer_from_samples(samples, premises, elapsed_s=time.perf_counter() - start, rule=rule)


def culprit_line(sample: SampleResult, n_lines: int) -> int:
    """The line a failed sample's error points at (0-based; the conclusion is the last).

    That is its ``failed_formula`` (the formula unwritten or unparsed, the later use in a clash,
    or the last premise of a contradiction), otherwise the conclusion."""
    if sample.failed_formula is None:
        return n_lines - 1
    return sample.failed_formula.line(n_lines)


def refinement_message(sample: SampleResult) -> str:
    """The exact error of a failed sample, in words the model can act on."""
    if sample.status is SampleStatus.INCONSISTENT:
        lines = ", ".join(FormulaRef.premise(i).tag for i in sample.used_premises)
        lines = lines or "some premises"
        return (
            f"the premises {lines} contradict each other, so nothing can be concluded; "
            "a sentence was translated wrongly (check negations and ⊕)"
        )
    if sample.status is SampleStatus.TIMEOUT:
        return "the prover ran out of time; write simpler formulas with fewer nested quantifiers"
    return sample.error or str(sample.status)


def trace_entry(sample: int, round_: int, program, result: SampleResult) -> FormulasEvent:
    """The trace event of one translation as it stood after ``round_`` rounds of refinement."""
    return FormulasEvent(
        step="formulas" if round_ == 0 else "refine",
        sample=sample,
        round=round_,
        output=program.raw,
        logprob=program.logprob,
        status=result.status,
        verdict=result.verdict,
        error=result.error,
    )


def answer_from_samples(
    samples: list[SampleResult],
    premises: Sequence[str] | None,
    *,
    elapsed_s: float,
    rule: str = "majority",
) -> Answer:
    """Vote over ``samples`` by ``rule`` and explain the winner with its most probable
    supporting sample."""
    outcome = vote(samples, rule)
    label, confidence, votes = outcome.label, outcome.confidence, outcome.counts
    timings = {"total_s": elapsed_s, "solver_s": sum(s.elapsed_s for s in samples)}
    if label is None:
        return Answer(
            label=None,
            status="no_executable_sample",
            method="none",
            samples=samples,
            timings=timings,
        )
    support = max(
        (
            s
            for s in samples
            if s.executable and s.verdict == label and (s.linked or not outcome.set_aside)
        ),
        key=lambda s: s.logprob if s.logprob is not None else 0.0,
    )
    return Answer(
        label=label,
        tie_break=outcome.tie_break,
        status="ok",
        method="symbolic",
        confidence=confidence,
        votes=votes,
        premises_used=premise_uses(support, premises),
        proof=support.proof,
        samples=samples,
        timings=timings,
    )


def premise_uses(sample: SampleResult, premises: Sequence[str] | None) -> list[PremiseUse]:
    """The premises ``sample``'s proof used: index, formula and (when aligned) sentence, with
    the formula's symbols that sentence does not license."""
    if premises is None or len(premises) != len(sample.premises):
        return [
            PremiseUse(index=i, formula=sample.premises[i].strip()) for i in sample.used_premises
        ]
    return [
        PremiseUse(
            index=i,
            formula=sample.premises[i].strip(),
            sentence=premises[i].strip(),
            ungrounded=ungrounded_premise(premises, sample.premises, i),
        )
        for i in sample.used_premises
    ]
