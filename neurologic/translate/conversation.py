"""The conversation a translation is held in: each sentence's turn, the program text it adds up
to, and the tokens it cost."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Literal

from solvers.errors import NeurologicError
from solvers.formula_ref import FormulaRef

from ..providers.base import Generation
from ..providers.base import Message
from ..providers.base import Usage
from ..symbols import SymbolTable
from ..trace import SymbolsEvent
from ..trace import TraceEvent

__all__ = ["Conversation", "Line", "LineCheck", "ProgramText", "SymbolsTurn"]

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
        return [
            FormulaRef.of_line(i, n)
            for i, line in enumerate(self.lines)
            if not line.formula.strip()
        ]

    @property
    def problem(self) -> str | None:
        empty = [ref.tag for ref in self.missing]
        return f"no formula written for {', '.join(empty)}" if empty else None


@dataclass(frozen=True)
class SymbolsTurn:
    """One turn that declares symbols: the request, the answer kept, its notes, and added names.

    The answer kept has the text's names it left out appended; those names join the table
    (:func:`~.symbol_scope.with_text_names`)."""

    request: Message
    answer: Message
    notes: tuple[str, ...] = ()
    added_constants: tuple[str, ...] = ()

    @property
    def messages(self) -> tuple[Message, Message]:
        return self.request, self.answer

    def event(self, step: Literal["symbols", "conclusion_symbols"]) -> SymbolsEvent:
        """The trace event: the answer as kept, with the notes on it."""
        return SymbolsEvent(
            step=step,
            output=self.answer.content,
            notes=list(self.notes),
            added_constants=list(self.added_constants),
        )


class Conversation:
    """The symbol-declaring conversation every sample continues, and what its calls cost.

    It changes only through its own methods: :meth:`declare_conclusion` (once, with
    ``declare="premises"``) and :meth:`charge` (after each call)."""

    def __init__(
        self,
        system: Message,
        symbols: SymbolsTurn,
        table: SymbolTable,
        conclusion: str | None = None,
    ) -> None:
        self._system = system
        self._symbols = symbols
        self._table = table
        self._conclusion = conclusion
        self._conclusion_symbols: SymbolsTurn | None = None
        self._usage = Usage()
        self._calls = 0

    @property
    def messages(self) -> list[Message]:
        """The system prompt and the symbols turn, which every later request starts with."""
        return [self._system, *self._symbols.messages]

    @property
    def table(self) -> SymbolTable:
        """The symbol table: as declared, and with the conclusion's own symbols once asked."""
        return self._table

    @property
    def conclusion(self) -> str | None:
        """With ``declare="premises"``: the conclusion, whose symbols are declared in their own
        turn."""
        return self._conclusion

    @property
    def awaits_conclusion_symbols(self) -> bool:
        """Whether the conclusion's symbols turn is still to be asked."""
        return self._conclusion is not None and self._conclusion_symbols is None

    @property
    def conclusion_turn(self) -> tuple[Message, Message] | None:
        """The conclusion's symbols turn (request and answer), once asked: it comes right
        before the conclusion's line."""
        turn = self._conclusion_symbols
        return None if turn is None else turn.messages

    @property
    def usage(self) -> Usage:
        return self._usage

    @property
    def calls(self) -> int:
        return self._calls

    def symbols_event(self) -> SymbolsEvent:
        """The symbol table as declared (the model's answer), with the notes on it."""
        return self._symbols.event("symbols")

    def declare_conclusion(self, turn: SymbolsTurn, table: SymbolTable) -> None:
        """The conclusion's symbols turn, and the table with its symbols added."""
        if not self.awaits_conclusion_symbols:
            raise NeurologicError(
                "the conclusion's symbols are declared once, and only with declare='premises'"
            )
        self._conclusion_symbols = turn
        self._table = table

    def charge(self, generations: Sequence[Generation]) -> None:
        """Count one call and the tokens of its ``generations``."""
        self._calls += 1
        for generation in generations:
            self._usage = self._usage + generation.usage
