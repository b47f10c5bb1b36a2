"""The steps an answer went through, as typed events (:data:`TraceEvent`, keyed by ``step``).

Each event serialises to the JSON object a trace holds: the fields it was given, in
the order declared here, an event's own before those it shares (a field never given is left out,
so an option check that failed has no ``verdict``). Events read back from a run's
``samples.jsonl`` with :func:`read_trace` keep every field the record holds, declared or not.

>>> event = FormulasEvent(
...     step="formulas", sample=0, round=0, output="P1: Man(socrates)\\nC: Mortal(socrates)",
...     logprob=None, status="ok", verdict="True", error=None,
... )
>>> event.model_dump()["step"], event.program()
('formulas', (['Man(socrates)'], 'Mortal(socrates)'))
>>> read_trace([{"step": "augment", "added": "Pip is a bird."}])[0].added
'Pip is a bird.'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated
from typing import Any
from typing import Literal

from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field
from pydantic import TypeAdapter
from pydantic import model_serializer

__all__ = [
    "AugmentEvent",
    "CnlEvent",
    "FallbackEvent",
    "FormulasEvent",
    "LineCheckEvent",
    "NormalizedEvent",
    "OptionCheckEvent",
    "ReadingsEvent",
    "SymbolsEvent",
    "TieBreakEvent",
    "TraceEvent",
    "read_trace",
]


class _Event(BaseModel):
    """An event serialised as written: the fields given (and any undeclared field read back)."""

    model_config = ConfigDict(extra="allow")

    @model_serializer(mode="wrap")
    def _as_written(self, handler: Any) -> dict[str, Any]:
        data = handler(self)
        given = self.model_fields_set | set(self.model_extra or {}) | {"step"}
        own = [key for key in vars(type(self)).get("__annotations__", {}) if key in data]
        order = own + [key for key in data if key not in own]  # an event's own fields first
        return {key: data[key] for key in order if key in given}


class CnlEvent(_Event):
    """What the controlled-English grammar covered, sentence by sentence."""

    step: Literal["cnl"] = "cnl"
    covered: list[bool]
    formulas: list[str | None]
    uncovered: dict[int, str | None]
    problems: list[Any]


class SymbolsEvent(_Event):
    """The symbol table the model declared (for the premises, or the conclusion's own turn)."""

    step: Literal["symbols", "conclusion_symbols"]
    output: str
    notes: list[str]
    added_constants: list[str] | None = None  # absent in records written without it


class LineCheckEvent(_Event):
    """A line that failed its check as written, the alternatives drawn, and the one kept."""

    step: Literal["line_check"] = "line_check"
    sample: int
    line: str
    written: str
    problem: str | None
    found_by: str | None = None  # absent in records written without it
    alternatives: list[dict[str, Any]]
    kept: str | None


class FormulasEvent(_Event):
    """One translation as written (``formulas``) or after a refinement round (``refine``)."""

    step: Literal["formulas", "refine"]
    sample: int
    round: int
    output: str
    logprob: float | None
    status: str
    verdict: str | None
    error: str | None

    def program(self) -> tuple[list[str], str]:
        """The premise formulas and the conclusion formula (``output`` is ``P1: …`` … ``C: …``)."""
        formulas = []
        for line in self.output.split("\n"):
            label, sep, formula = line.partition(": ")
            if not sep or not (label == "C" or (label[:1] == "P" and label[1:].isdigit())):
                raise ValueError(f"a trace line is not 'P<n>: formula' or 'C: formula': {line!r}")
            formulas.append(formula.strip())
        if len(formulas) < 2:
            raise ValueError("a traced program needs premises and a conclusion")
        return formulas[:-1], formulas[-1]


class NormalizedEvent(_Event):
    """A translation solved under normalisation after refinement left a signature error."""

    step: Literal["normalized"] = "normalized"
    sample: int
    repairs: list[str]
    status: str
    verdict: str | None


class ReadingsEvent(_Event):
    """Other readings drawn for an undecided conclusion, and the one kept (if any)."""

    step: Literal["readings"] = "readings"
    sample: int
    first: str
    readings: list[dict[str, Any]]
    kept: str | None


class _Scores(_Event):
    """The option scorer's measurements (:meth:`neurologic.fallback.OptionScores.to_dict`),
    written after the fields of the event that carries them."""

    orders: Any = None
    letter_logprobs: Any = None
    prior: Any = None
    scores: Any = None
    distribution: Any = None
    debias: Any = None
    temperature: Any = None
    option_logprobs: Any = None
    option_baseline: Any = None


class FallbackEvent(_Scores):
    """The model's option scores answered (``reason``), or ranked what no proof settled
    (``ruled_out``: the options a proof ruled out)."""

    step: Literal["fallback"] = "fallback"
    reason: str | None = None
    ruled_out: list[int] | None = None


class TieBreakEvent(_Scores):
    """A tied vote settled by the scores of the tied labels."""

    step: Literal["tie_break"] = "tie_break"
    tied: list[str]
    winner: str


class AugmentEvent(_Event):
    """What logic added to the passage the scorer read."""

    step: Literal["augment"] = "augment"
    added: str


class OptionCheckEvent(_Event):
    """A multiple-choice option checked against the passage by proof."""

    step: Literal["option_check"] = "option_check"
    option: int
    error: str | None = None
    verdict: str | None = None
    usage: dict[str, Any] | None = None


TraceEvent = Annotated[
    CnlEvent
    | SymbolsEvent
    | LineCheckEvent
    | FormulasEvent
    | NormalizedEvent
    | ReadingsEvent
    | FallbackEvent
    | TieBreakEvent
    | AugmentEvent
    | OptionCheckEvent,
    Field(discriminator="step"),
]
"""Any step of a trace."""

_EVENTS: TypeAdapter[list[TraceEvent]] = TypeAdapter(list[TraceEvent])


def read_trace(entries: Iterable[dict[str, Any]] | None) -> list[TraceEvent]:
    """A trace as saved (JSON objects keyed by ``step``) as typed events."""
    return _EVENTS.validate_python(list(entries or []))
