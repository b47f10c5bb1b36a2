"""The exception hierarchy shared by the whole project (``neurologic`` re-exports it)."""

from __future__ import annotations


class NeurologicError(Exception):
    """Root of every error this project raises on purpose."""


class FormulaError(NeurologicError):
    """A formula or program is not acceptable (does not parse, or fails the signature check)."""


class ParseError(FormulaError):
    """Text that is not a formula. Carries the position, what was expected and a hint."""

    def __init__(
        self,
        message: str,
        *,
        text: str = "",
        line: int | None = None,
        column: int | None = None,
        expected: tuple[str, ...] = (),
        hint: str = "",
    ) -> None:
        self.message = message
        self.text = text
        self.line = line
        self.column = column
        self.expected = expected
        self.hint = hint
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


class SignatureError(FormulaError):
    """A program uses a symbol inconsistently (arity, kind) or leaves a variable free."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class SolverError(NeurologicError):
    """A solver could not run or returned something we cannot interpret."""


class SolverUnavailable(SolverError):
    """A solver's binary or library is missing."""
