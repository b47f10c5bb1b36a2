"""The symbol table: the predicates (with arity and a gloss) and constants of one problem.

It is declared before any sentence is translated, so every sentence is translated into one shared
vocabulary, and the formula grammar can admit exactly these symbols at exactly these arities.

Text form (what the model writes and reads)::

    Dog(x): x is a dog
    Likes(x, y): x likes y
    constants: rex, bonnie

"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import ValidationError

from solvers.check import Signature

PREDICATE_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
CONSTANT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
VARIABLES = ("x", "y", "z", "w")
MAX_ARITY = 3
_NEGATIVE_PREFIX = re.compile(r"^(Not|Non|Un)(?=[A-Z])")
_LINE = re.compile(
    r"^\s*(?P<name>[A-Za-z][A-Za-z0-9_]*)\s*\((?P<args>[^)]*)\)\s*(?::\s*(?P<gloss>.*))?$"
)


@dataclass
class SymbolTable:
    """Predicates ``name -> (arity, gloss)`` and constants ``name -> gloss``."""

    predicates: dict[str, tuple[int, str]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)

    def arity(self, name: str) -> int | None:
        entry = self.predicates.get(name)
        return entry[0] if entry else None

    def render(self, *, unary_glosses: bool = True) -> str:
        """The text form above (properties bare, ``Dog(x)``, with ``unary_glosses=False``)."""
        lines = []
        for name, (arity, gloss) in self.predicates.items():
            args = ", ".join(VARIABLES[:arity])
            head = f"{name}({args})" if arity else name
            show = gloss and (unary_glosses or arity > 1)
            lines.append(f"{head}: {gloss}" if show else head)
        lines.append("constants: " + (", ".join(self.constants) if self.constants else "none"))
        return "\n".join(lines)

    def merge(self, other: SymbolTable) -> SymbolTable:
        """A table with this table's symbols, plus those of ``other`` that do not clash."""
        merged = SymbolTable(dict(self.predicates), dict(self.constants))
        for name, entry in other.predicates.items():
            if name not in merged.constants:
                merged.predicates.setdefault(name, entry)
        for name, gloss in other.constants.items():
            if name not in merged.predicates:
                merged.constants.setdefault(name, gloss)
        return merged

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: predicates ``name -> [arity, gloss]``, constants ``name -> gloss``."""
        return {
            "predicates": {n: [a, g] for n, (a, g) in self.predicates.items()},
            "constants": dict(self.constants),
        }

    @classmethod
    def from_signature(cls, signature: Signature) -> SymbolTable:
        """A table for formulas that already exist (glosses made from the names)."""
        return cls(
            predicates={n: (a, gloss_from_name(n, a)) for n, a in signature.predicates.items()},
            constants={c: "" for c in sorted(signature.constants)},
        )


def parse_symbol_table(text: str) -> tuple[SymbolTable, list[str]]:
    """Read the text form leniently; return the table and a message per line it rejected.

    Rejected: names that are not CamelCase predicates / lower-case constants, arities above
    :data:`MAX_ARITY`, a predicate declared twice with different arities, predicate names that
    hide a negation (``NotEmpty``: write ``¬Empty(x)``). Whether a name clashing between a
    predicate and a constant is an entity or a property needs the problem's text:
    :func:`neurologic.translate.relevant_symbols` decides that.
    """
    table = SymbolTable()
    problems: list[str] = []
    constant_lines: list[str] = []
    for raw in text.splitlines():
        line = raw.strip().lstrip("-*• ").strip()
        if not line:
            continue
        lower = line.lower()
        if lower.startswith("constants:") or lower.startswith("constant:"):
            constant_lines.append(line.split(":", 1)[1])
            continue
        if lower.startswith("predicates:") and not line.split(":", 1)[1].strip():
            continue
        match = _LINE.match(line)
        if not match:
            problems.append(f"cannot read symbol line {line!r}; write Name(x, y): gloss")
            continue
        _add_predicate(table, match, problems)
    for chunk in constant_lines:
        for name in (c.strip() for c in chunk.split(",")):
            if not name or name.lower() == "none":
                continue
            if not CONSTANT_NAME.match(name):
                problems.append(f"constant {name!r} must be lower case letters, digits and _")
                continue
            if name in VARIABLES:
                problems.append(f"constant {name!r} looks like a variable; use the entity's name")
                continue
            table.constants.setdefault(name, "")
    return table, problems


def _add_predicate(table: SymbolTable, match: re.Match, problems: list[str]) -> None:
    name = match["name"]
    args = [a.strip() for a in match["args"].split(",") if a.strip()]
    gloss = (match["gloss"] or "").strip()
    if not PREDICATE_NAME.match(name):
        problems.append(f"predicate {name!r} must be CamelCase letters and digits")
        return
    if _NEGATIVE_PREFIX.match(name):
        problems.append(
            f"predicate {name} hides a negation; declare the positive property and write ¬"
        )
        return
    if not 1 <= len(args) <= MAX_ARITY:
        problems.append(f"predicate {name} must take 1 to {MAX_ARITY} arguments")
        return
    known = table.predicates.get(name)
    if known and known[0] != len(args):
        problems.append(f"predicate {name} declared with {known[0]} and {len(args)} arguments")
        return
    table.predicates.setdefault(name, (len(args), gloss))


def gloss_from_name(name: str, arity: int) -> str:
    """``DrinkRegularly``/1 -> "x drink regularly"; ``Likes``/2 -> "x likes y"."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()
    args = VARIABLES[:arity]
    if arity == 0:
        return words
    if arity == 1:
        return f"{args[0]} {words}"
    return f"{args[0]} {words} {' '.join(args[1:])}"


# --------------------------------------------------------------------------- structured outputs


class PredicateDeclaration(BaseModel):
    """One predicate, as a provider with structured outputs returns it."""

    model_config = ConfigDict(extra="forbid")
    name: str
    arity: int
    gloss: str


class SymbolDeclaration(BaseModel):
    """The symbol table as JSON: where a provider offers structured outputs but no grammar
    (OpenAI), the shape is constrained by this model's schema; the names are still checked by
    :func:`parse_symbol_table`."""

    model_config = ConfigDict(extra="forbid")
    predicates: list[PredicateDeclaration]
    constants: list[str]


def symbol_table_schema() -> dict:
    """The JSON schema (strict: every field required, nothing else allowed) for a request."""
    return {"name": "symbol_table", "schema": SymbolDeclaration.model_json_schema(), "strict": True}


def symbol_text_from_json(text: str) -> str:
    """A structured-output answer in the text form :func:`parse_symbol_table` reads; text that
    is not such JSON is returned unchanged (and read as text)."""
    try:
        declared = SymbolDeclaration.model_validate(json.loads(text))
    except (json.JSONDecodeError, ValidationError, TypeError):
        return text
    lines = []
    for p in declared.predicates:
        names = VARIABLES if p.arity <= len(VARIABLES) else [f"x{i}" for i in range(p.arity)]
        head = f"{p.name}({', '.join(names[: max(p.arity, 0)])})"  # bad arities are refused later
        lines.append(f"{head}: {p.gloss}" if p.gloss.strip() else head)
    lines.append("constants: " + (", ".join(declared.constants) if declared.constants else "none"))
    return "\n".join(lines)
