"""The exception hierarchy shared by the whole project (``neurologic`` re-exports it)."""

from __future__ import annotations

from dataclasses import dataclass

from .formula_ref import FormulaRef


class NeurologicError(Exception):
    """Root of every error this project raises on purpose."""


class FormulaError(NeurologicError):
    """A formula or program is not acceptable (does not parse, or fails the signature check)."""


class ParseError(FormulaError):
    """Text that is not a formula. Carries the position, what was expected and a hint, and
    ``formula``, the program formula it was parsed as (None when parsed on its own)."""

    def __init__(
        self,
        message: str,
        *,
        text: str = "",
        line: int | None = None,
        column: int | None = None,
        expected: tuple[str, ...] = (),
        hint: str = "",
        formula: FormulaRef | None = None,
    ) -> None:
        self.message = message
        self.text = text
        self.line = line
        self.column = column
        self.expected = expected
        self.hint = hint
        self.formula = formula
        super().__init__(self.describe())

    def describe(self) -> str:
        """One self-contained paragraph a person or an LLM can act on."""
        where = f"line {self.line}, column {self.column}: " if self.line is not None else ""
        parts = [f"{where}{self.message}"]
        if self.expected:
            parts.append("expected one of: " + ", ".join(self.expected))
        if self.hint:
            parts.append("hint: " + self.hint)
        return "; ".join(parts)


@dataclass(frozen=True)
class SignatureProblem:
    """One signature problem: the sentence that states it, and the formula it is about (where
    two uses clash, the later one: the earlier use set the symbol)."""

    text: str
    formula: FormulaRef

    def __str__(self) -> str:
        return self.text


class SignatureError(FormulaError):
    """A program uses a symbol inconsistently (arity, kind) or leaves a variable free."""

    def __init__(self, problems: list[SignatureProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(map(str, self.problems)))

    @property
    def formula(self) -> FormulaRef | None:
        """The formula of the last problem (the one its message names last)."""
        return self.problems[-1].formula if self.problems else None


class SolverError(NeurologicError):
    """A solver could not run or returned something we cannot interpret."""


class SolverUnavailable(SolverError):
    """A solver's binary or library is missing."""
