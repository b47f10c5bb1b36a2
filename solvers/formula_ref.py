"""Which formula of a program an error, a problem or a repair is about, and its name in words.

A program is premises followed by a conclusion. Errors carry a :class:`FormulaRef` so that code
finds the formula from the value, never from a message; messages name it with ``str(ref)``,
the one place those words are written (1-based, as people count):

>>> [str(ref) for ref in program_refs(2)]
['premise 1', 'premise 2', 'the conclusion']
>>> FormulaRef.premise(2).tag, FormulaRef.conclusion().tag, FormulaRef.from_tag("P3").index
('P3', 'C', 2)
>>> FormulaRef.conclusion().line(4), FormulaRef.of_line(1, 4)
(3, FormulaRef(role='premise', index=1))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["FormulaRef", "formula_refs", "program_refs"]

Role = Literal["premise", "conclusion", "formula"]

_CONCLUSION_TAG = "C"


@dataclass(frozen=True)
class FormulaRef:
    """A formula of a program: premise ``index`` (0-based), the conclusion (``index`` 0), or
    formula ``index`` of a list that has no conclusion (``role="formula"``)."""

    role: Role
    index: int = 0

    @classmethod
    def premise(cls, index: int) -> FormulaRef:
        return cls("premise", index)

    @classmethod
    def conclusion(cls) -> FormulaRef:
        return cls("conclusion")

    @classmethod
    def of_line(cls, line: int, n_lines: int) -> FormulaRef:
        """The formula on ``line`` (0-based) of a program of ``n_lines``, the conclusion last."""
        return cls.conclusion() if line == n_lines - 1 else cls.premise(line)

    @classmethod
    def from_tag(cls, tag: str) -> FormulaRef:
        """The formula a prompt's label names (``P3``, ``C``): the inverse of :attr:`tag`."""
        if tag == _CONCLUSION_TAG:
            return cls.conclusion()
        if tag[:1] == "P" and tag[1:].isdigit() and int(tag[1:]) >= 1:
            return cls.premise(int(tag[1:]) - 1)
        raise ValueError(f"not a formula label: {tag!r}")

    @property
    def is_conclusion(self) -> bool:
        return self.role == "conclusion"

    @property
    def tag(self) -> str:
        """The label prompts give the formula's line: ``P3`` for premise 3, ``C``."""
        if self.role == "formula":
            raise ValueError("a formula outside a program has no line label")
        return _CONCLUSION_TAG if self.is_conclusion else f"P{self.index + 1}"

    def line(self, n_lines: int) -> int:
        """The formula's line (0-based) in a program of ``n_lines``, the conclusion last."""
        return n_lines - 1 if self.is_conclusion else self.index

    def __str__(self) -> str:
        """The formula's name in a message: ``premise 3``, ``the conclusion``, ``formula 2``."""
        return "the conclusion" if self.is_conclusion else f"{self.role} {self.index + 1}"


def program_refs(n_premises: int) -> list[FormulaRef]:
    """The formulas of a program of ``n_premises`` premises and a conclusion, in order."""
    return [FormulaRef.premise(i) for i in range(n_premises)] + [FormulaRef.conclusion()]


def formula_refs(n: int) -> list[FormulaRef]:
    """``n`` formulas of a list with no conclusion (``formula 1`` …)."""
    return [FormulaRef("formula", i) for i in range(n)]
