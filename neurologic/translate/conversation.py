"""The conversation a translation is held in: each sentence's turn, the program text it adds up
to, and the tokens it cost."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from solvers.formula_ref import FormulaRef

from ..providers.base import Generation, Message, Usage
from ..symbols import SymbolTable
from ..trace import LineCheckEvent, SymbolsEvent, TraceEvent

__all__ = ["Conversation", "Line", "LineCheck", "ProgramText"]

LineCheck = Callable[[Sequence[tuple[str, str]], "str | None"], "str | None"]
"""``check([(label, formula), ...], conclusion_formula_or_None)``: why the lines written so far
cannot be a translation (they do not parse, clash in their symbols, or the premises contradict
each other), or ``None``. See :func:`neurologic.decide.execute.formalization_problem`."""


@dataclass
class Line:
    """One sentence's turn: the question asked and the formula text answered."""

    label: str  # P1 … Pn, or C
    sentence: str
    formula: str
    logprob: float | None = None


@dataclass
class ProgramText:
    """One sampled program: a formula per premise and for the conclusion."""

    lines: list[Line]
    events: list[TraceEvent] = field(default_factory=list)
    """What happened while it was written: the conclusion's symbols turn, the line checks."""

    @property
    def premises(self) -> list[str]:
        return [line.formula for line in self.lines[:-1]]

    @property
    def conclusion(self) -> str:
        return self.lines[-1].formula

    @property
    def raw(self) -> str:
        return "\n".join(f"{line.label}: {line.formula}" for line in self.lines)

    @property
    def logprob(self) -> float | None:
        values = [line.logprob for line in self.lines]
        return None if any(v is None for v in values) else sum(values)  # type: ignore[misc]

    @property
    def missing(self) -> list[FormulaRef]:
        """The formulas the model wrote nothing for, in order."""
        n = len(self.lines)
        return [FormulaRef.of_line(i, n) for i, line in enumerate(self.lines)
                if not line.formula.strip()]

    @property
    def problem(self) -> str | None:
        empty = [ref.tag for ref in self.missing]
        return f"no formula written for {', '.join(empty)}" if empty else None


@dataclass
class Conversation:
    """The symbol-declaring conversation every sample continues, and what the calls cost."""

    messages: list[Message]
    table: SymbolTable
    symbol_notes: list[str] = field(default_factory=list)
    added_constants: list[str] = field(default_factory=list)
    """Names the text uses that the declared table left out, added to it (:func:`with_text_names`)."""
    usage: Usage = field(default_factory=Usage)
    calls: int = 0
    conclusion: str | None = None
    """With ``declare="premises"``: the conclusion, whose symbols are declared in their own turn."""
    conclusion_turn: tuple[Message, Message] | None = None
    """That turn (request and answer), once asked: it comes right before the conclusion's line."""
    conclusion_notes: list[str] = field(default_factory=list)
    conclusion_added_constants: list[str] = field(default_factory=list)
    line_checks: list[LineCheckEvent] = field(default_factory=list)
    """Lines that failed the check as written, with the alternatives drawn and the one kept."""

    def symbols_event(self) -> SymbolsEvent:
        """The symbol table as declared (the model's answer), with the notes on it."""
        return SymbolsEvent(step="symbols", output=self.messages[-1].content,
                            notes=self.symbol_notes, added_constants=self.added_constants)

    def conclusion_symbols_event(self) -> SymbolsEvent | None:
        """The conclusion's own symbols turn, once asked (``declare="premises"``)."""
        if self.conclusion_turn is None:
            return None
        return SymbolsEvent(step="conclusion_symbols", output=self.conclusion_turn[1].content,
                            notes=self.conclusion_notes,
                            added_constants=self.conclusion_added_constants)

    def charge(self, generations: Sequence[Generation]) -> None:
        self.calls += 1
        for generation in generations:
            self.usage = self.usage + generation.usage
