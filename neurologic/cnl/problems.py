"""Whole problems: translate every sentence the grammar covers, check them, list the symbols."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from solvers.check import check_program
from solvers.check import signature
from solvers.fol import Formula
from solvers.fol import to_unicode
from solvers.formula_ref import program_refs

from ..symbols import SymbolTable
from .parser import CNLParser

__all__ = ["CNLResult", "SentenceTranslation", "translate_problem"]


@dataclass
class SentenceTranslation:
    """One sentence: its formula when the grammar covers it (``source == "cnl"``), else ``None``
    with the reason it is outside the fragment."""

    text: str
    formula: Formula | None
    source: str | None
    reason: str | None = None

    @property
    def covered(self) -> bool:
        return self.formula is not None

    @property
    def fol(self) -> str | None:
        return to_unicode(self.formula) if self.formula is not None else None


@dataclass
class CNLResult:
    """A problem as far as the grammar covers it."""

    premises: list[SentenceTranslation]
    conclusion: SentenceTranslation
    symbols: SymbolTable
    problems: list[str] = field(default_factory=list)
    """Signature problems among the covered formulas (empty when they form a valid program)."""

    @property
    def sentences(self) -> list[SentenceTranslation]:
        return [*self.premises, self.conclusion]

    @property
    def covered(self) -> list[bool]:
        """Per sentence, premises then conclusion."""
        return [s.covered for s in self.sentences]

    @property
    def fully_covered(self) -> bool:
        return all(self.covered) and not self.problems

    @property
    def coverage(self) -> float:
        flags = self.covered
        return sum(flags) / len(flags)

    def formalization(self) -> tuple[list[str], str] | None:
        """``(premise formulas, conclusion formula)`` as text for
        :meth:`neurologic.Reasoner.solve_formalizations`, when every sentence is covered."""
        if not self.fully_covered:
            return None
        return [s.fol for s in self.premises], self.conclusion.fol  # type: ignore[misc]

    def to_dict(self) -> dict[str, Any]:
        return {
            "premises": [_sentence_dict(s) for s in self.premises],
            "conclusion": _sentence_dict(self.conclusion),
            "fully_covered": self.fully_covered,
            "coverage": self.coverage,
            "symbols": self.symbols.to_dict(),
            "problems": list(self.problems),
        }


def _sentence_dict(s: SentenceTranslation) -> dict[str, Any]:
    return {"text": s.text, "fol": s.fol, "source": s.source, "reason": s.reason}


def translate_problem(
    premises: Sequence[str], conclusion: str, *, parser: CNLParser | None = None
) -> CNLResult:
    """Translate every sentence the grammar covers; the rest are ``None`` for the LLM.

    The parser first reads the whole problem so word classes learned anywhere in it (which
    modifiers are adjectives) apply everywhere. The symbol table lists every predicate and
    constant of the covered formulas, with the words behind each predicate.
    """
    parser = parser or CNLParser()
    texts = [*premises, conclusion]
    parser.learn(texts)
    translations = []
    for text in texts:
        formula = parser.parse_sentence(text)
        translations.append(
            SentenceTranslation(
                text=text,
                formula=formula,
                source="cnl" if formula is not None else None,
                reason=parser.last_reason,
            )
        )
    formulas = [t.formula for t in translations if t.formula is not None]
    refs = [
        ref for ref, t in zip(program_refs(len(premises)), translations) if t.formula is not None
    ]
    problems = [str(p) for p in check_program(formulas, refs)] if formulas else []
    sig = signature(formulas)
    symbols = SymbolTable(
        predicates={
            name: (arity, ", ".join(sorted(parser.words.get(name, ()))))
            for name, arity in sorted(sig.predicates.items())
        },
        constants=dict.fromkeys(sorted(sig.constants), ""),
    )
    return CNLResult(
        premises=translations[:-1], conclusion=translations[-1], symbols=symbols, problems=problems
    )
