"""The types the pipeline returns: per-sample results and the final :class:`Answer`."""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel
from pydantic import Field

from solvers.formula_ref import FormulaRef
from solvers.result import Status
from solvers.result import Verdict

from .trace import FallbackEvent
from .trace import LineCheckEvent
from .trace import ReadingsEvent
from .trace import SymbolsEvent
from .trace import TraceEvent

Label = Literal["True", "False", "Uncertain"]
Method = Literal["symbolic", "fallback", "none"]


class SampleStatus(str, Enum):
    """How one formalization ended: the solvers' :class:`~solvers.result.Status`, or stopped
    before a solver ran (a formula that does not parse, symbols used inconsistently).

    Members equal their values, so ``status == "ok"`` holds, and print as them:

    >>> SampleStatus.from_solver(Status.TIMEOUT), str(SampleStatus.PARSE_ERROR)
    (<SampleStatus.TIMEOUT: 'timeout'>, 'parse_error')
    """

    OK = Status.OK.value
    TIMEOUT = Status.TIMEOUT.value
    ERROR = Status.ERROR.value
    INCONSISTENT = Status.INCONSISTENT.value
    PARSE_ERROR = "parse_error"
    SIGNATURE_ERROR = "signature_error"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def from_solver(cls, status: Status) -> SampleStatus:
        """The sample status a solver's run ended with."""
        return cls(status.value)


class PremiseUse(BaseModel):
    """A premise a proof relies on: its index, its sentence when known, and its formula.

    ``ungrounded`` lists the formula's symbols its sentence does not license
    (:mod:`neurologic.language.licensing`): empty when the formula says only what the sentence
    says, ``None`` when there is no sentence to check it against."""

    index: int
    formula: str
    sentence: str | None = None
    ungrounded: list[str] | None = None

    @property
    def grounded(self) -> bool | None:
        """Whether the sentence licenses every symbol of the formula (None: not checked)."""
        return None if self.ungrounded is None else not self.ungrounded


class SampleResult(BaseModel):
    """One formalization (premise formulas + conclusion formula) and what the solver made of it.

    Only ``status == "ok"`` samples vote; ``verdict`` is the solvers'
    :class:`~solvers.result.Verdict`. ``premises``/``conclusion`` are the formula texts as given
    (so a run can be re-solved); ``repairs`` lists any slip the parser fixed.
    ``failed_formula`` is the formula a failure is about, where there is one (refinement asks
    for that line again); it is left out of the sample's JSON, which the records hold.

    >>> SampleResult(premises=["P(a)"], conclusion="P(a)", verdict="True", status="ok").verdict
    <Verdict.TRUE: 'True'>
    """

    premises: list[str]
    conclusion: str
    verdict: Verdict | None = None
    status: SampleStatus
    error: str | None = None
    repairs: list[str] = Field(default_factory=list)
    used_premises: list[int] = Field(default_factory=list)
    proof: str = ""
    solver: str | None = None
    elapsed_s: float = 0.0
    logprob: float | None = None  # the model's log-probability of this translation, if known
    linked: bool = True  # the conclusion shares a predicate with the premises
    failed_formula: FormulaRef | None = Field(default=None, exclude=True)

    @property
    def executable(self) -> bool:
        return self.status is SampleStatus.OK


class Answer(BaseModel):
    """The answer to one question, and how it was reached.

    ``method`` is ``symbolic`` when a solver decided (``confidence`` = share of executable samples
    that voted for ``label``), ``fallback`` when a model's scores chose it, and ``none`` when
    nothing could answer (``label`` is then None and ``status`` says why).
    """

    label: Label | None
    status: Literal["ok", "no_executable_sample"]
    method: Method
    confidence: float = 0.0
    votes: dict[str, int] = Field(default_factory=dict)
    premises_used: list[PremiseUse] = Field(default_factory=list)
    proof: str = ""
    samples: list[SampleResult] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
    usage: dict[str, int] = Field(default_factory=dict)
    trace: list[TraceEvent] = Field(default_factory=list)
    # Multiple choice (``Reasoner.choose``): the chosen option's index and, per option, the
    # probability the answer gives it (calibrated when the scorer is calibrated).
    choice: int | None = None
    distribution: list[float] = Field(default_factory=list)
    tie_break: str | None = None  # how a tied vote was settled: logprob, order or fallback

    @property
    def executable(self) -> bool:
        return any(s.executable for s in self.samples)

    def explain(self) -> str:
        """A few lines a person can read: the verdict, how it was reached, the premises used."""
        if self.choice is not None:
            return self._explain_choice()
        if self.label is None:
            reasons = sorted({s.error or s.status for s in self.samples}) or ["no formalization"]
            return "No answer: no formalization could be solved.\n" + "\n".join(
                f"  - {r}" for r in reasons
            )
        how = {
            "symbolic": f"decided by a theorem prover ({self._agreement()})",
            "fallback": f"scored by a language model, not proved (confidence {self.confidence:.2f})",
            "none": "",
        }[self.method]
        lines = [f"{self.label} — {how}"]
        if self.premises_used:
            lines.append("Premises used:")
            width = max(len(use.sentence or "") for use in self.premises_used)
            for use in self.premises_used:
                if use.sentence:
                    sentence = use.sentence.ljust(width)
                    lines.append(f"  [{use.index + 1}] {sentence}   ⟶ {use.formula}")
                else:
                    lines.append(f"  [{use.index + 1}] {use.formula}")
            for use in self.premises_used:
                if use.ungrounded:
                    lines.append(
                        f"Premise {use.index + 1}'s formula says more than its sentence: "
                        f"{', '.join(use.ungrounded)} {'is' if len(use.ungrounded) == 1 else 'are'}"
                        " not in its words, so this proof may be right for the wrong reason."
                    )
        elif self.label == "Uncertain" and self.method == "symbolic":
            lines.append("Neither the conclusion nor its negation follows from the premises.")
            if self.proof:
                lines.append(self.proof.strip())
        elif self.method == "symbolic":
            truth = "true" if self.label == "True" else "false"
            lines.append(
                f"No premise was used: the conclusion's formula is {truth} on its own "
                "(a tautology or a contradiction), so check its translation."
            )
        lines.extend(self._redrawn_lines())
        reread = [e for e in self.trace if isinstance(e, ReadingsEvent) and e.kept]
        for e in reread:
            lines.append(
                f"The conclusion was read again: {e.kept} (the first reading, "
                f"{e.first}, was left undecided by the premises)"
            )
        added = [
            name
            for e in self.trace
            if isinstance(e, SymbolsEvent)
            for name in e.added_constants or []
        ]
        if added:
            lines.append(
                "Constants added from the text (the model's symbol table left them out): "
                + ", ".join(added)
            )
        repairs = sorted({r for s in self.samples for r in s.repairs})
        if repairs:
            lines.append("Repaired: " + "; ".join(repairs))
        return "\n".join(lines)

    def _redrawn_lines(self) -> list[str]:
        """The lines a check refused and redrew: in full for the translation the answer stands
        on, counted for the others (the trace holds every one)."""
        support = self._support_index()
        redrawn = dict.fromkeys(
            (e.sample, e.line, e.written, e.problem, e.kept)
            for e in self.trace
            if isinstance(e, LineCheckEvent) and e.kept is not None
        )
        lines, elsewhere = [], 0
        for sample, line, written, problem, kept in redrawn:  # in the order they happened
            if support is not None and sample != support:
                elsewhere += 1
                continue
            why = f" ({problem})" if problem else ""
            lines.append(
                f"Redrawn: {line} was first written {_elided(written)}, refused{why}, "
                f"and replaced by {kept}"
            )
        if elsewhere:
            lines.append(
                f"Redrawn in the other translations: {elsewhere} "
                f"line{'s' if elsewhere > 1 else ''} (each is in the answer's trace)"
            )
        return lines

    def _support_index(self) -> int | None:
        """The index of the sample whose proof the answer reports (its premises used), if any."""
        if not self.premises_used:
            return None
        for i, sample in enumerate(self.samples):
            if sample.verdict == self.label and all(
                use.index < len(sample.premises)
                and sample.premises[use.index].strip() == use.formula
                for use in self.premises_used
            ):
                return i
        return None

    def _explain_choice(self) -> str:
        letter = "ABCDEFGHIJ"[self.choice or 0]
        if self.method == "symbolic":
            return f"{letter} — proved by a theorem prover from the passage"
        ruled = [e for e in self.trace if isinstance(e, FallbackEvent) and e.ruled_out]
        lines = [
            f"{letter} — scored by a language model, not proved (confidence {self.confidence:.2f})"
        ]
        if ruled:
            out = ", ".join("ABCDEFGHIJ"[i] for i in ruled[0].ruled_out or [])
            lines.append(f"Ruled out by a theorem prover: {out}")
        return "\n".join(lines)

    def _agreement(self) -> str:
        total = sum(self.votes.values())
        text = f"{self.votes.get(self.label or '', 0)} of {total} formalizations agree"
        set_aside = sum(s.executable for s in self.samples) - total
        if set_aside > 0:
            text += (
                f"; {set_aside} more set aside: their conclusion shares no predicate with "
                "the premises"
            )
        return text


def _elided(formula: str, limit: int = 80) -> str:
    """``formula`` cut in the middle to at most ``limit`` characters (the trace has it whole)."""
    if len(formula) <= limit:
        return formula
    keep = (limit - 3) // 2
    return f"{formula[:keep]} … {formula[-keep:]}"
