"""The vocabulary of a translation, shared with the LLM in the hybrid parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["SymbolTable"]


@dataclass
class SymbolTable:
    """The vocabulary a translation uses: predicates with arities, constants, and for each
    symbol the surface words that produced it (so an LLM can reuse the same names)."""

    predicates: dict[str, int] = field(default_factory=dict)
    constants: list[str] = field(default_factory=list)
    words: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"predicates": dict(self.predicates), "constants": list(self.constants),
                "words": {k: list(v) for k, v in self.words.items()}}

    def describe(self) -> str:
        """A compact listing for a prompt: ``Eats/2 (eat, eats)``, ``Big/1 (big)``, constants."""
        preds = ", ".join(
            f"{name}/{arity}" + (f" ({', '.join(self.words[name])})" if self.words.get(name) else "")
            for name, arity in sorted(self.predicates.items())
        )
        return f"predicates: {preds}\nconstants: {', '.join(self.constants)}"
