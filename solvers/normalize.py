"""Read a program the way Prover9 and NLTK read it, where the signature check would refuse it.

Large models often write formulas right in meaning that break the signature check
(:mod:`solvers.check`). Two readings are applied here, each one recorded:

* **Free variables are universally closed**, in the order first written, the first outermost.
  A free variable is spelled like one (``x``, ``y1``) or bound elsewhere in the same formula.
* **One spelling, two symbols.** A name used as a predicate and a constant, or at two arities,
  is two symbols: the first use keeps the name, the other gets a new one (``Likes_2``).

>>> from solvers.parse import parse_formula
>>> program = normalize_program([parse_formula("Perform(x) → Attend(x)")])
>>> [str(r) for r in program.repairs]
['formula 1: read the free variable x as ∀x (closed over the whole formula)']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .check import free_variable_names
from .check import symbol_uses
from .fol import Const
from .fol import Forall
from .fol import Formula
from .fol import Func
from .fol import Term
from .fol import Var
from .fol import map_terms
from .formula_ref import FormulaRef
from .formula_ref import formula_refs

__all__ = ["Normalized", "normalize_program"]


@dataclass(frozen=True)
class Normalized:
    """The formulas as read, and each reading applied to them (empty when none was needed)."""

    formulas: list[Formula]
    repairs: tuple[str, ...] = ()


def normalize_program(
    formulas: Sequence[Formula], refs: Sequence[FormulaRef] | None = None
) -> Normalized:
    """Close free variables and tell apart symbols that share a spelling (see the module doc);
    each repair names its formula by ``refs`` (default ``formula 1``, ``formula 2``...)."""
    refs = list(refs) if refs is not None else formula_refs(len(formulas))
    repairs: list[str] = []
    closed = []
    for formula, ref in zip(formulas, refs):
        names = free_variable_names(formula)
        if names:
            formula = close(formula, names)
            binders = " ".join(f"∀{n}" for n in names)
            plural = "s" if len(names) > 1 else ""
            repairs.append(
                f"{ref}: read the free variable{plural} {', '.join(names)} as {binders} "
                "(closed over the whole formula)"
            )
        closed.append(formula)
    renamed, notes = _rename_apart(closed, refs)
    repairs.extend(notes)
    return Normalized(renamed, tuple(repairs))


def close(formula: Formula, names: Sequence[str]) -> Formula:
    """``∀n1 ∀n2 … formula`` with every constant spelled ``n_i`` read as that variable."""
    wanted = set(names)

    def term(t: Term) -> Term:
        return Var(t.name) if isinstance(t, Const) and t.name in wanted else t

    body = map_terms(formula, term)
    for name in reversed(list(names)):
        body = Forall(name, body)
    return body


def _rename_apart(
    formulas: list[Formula], refs: Sequence[FormulaRef]
) -> tuple[list[Formula], list[str]]:
    """Give each (kind, arity) of a shared spelling after the first its own name."""
    first: dict[str, tuple[str, int]] = {}
    # (name, kind, arity) -> the formula it is first seen in
    others: dict[tuple[str, str, int], FormulaRef] = {}
    for use in symbol_uses(formulas, refs):
        signature = (use.kind, use.arity)
        seen = first.setdefault(use.name, signature)
        if seen != signature and (use.name, *signature) not in others:
            others[(use.name, *signature)] = use.where
    if not others:
        return formulas, []
    taken = {name for name in first}
    new_names: dict[tuple[str, str, int], str] = {}
    notes = []
    for (name, kind, arity), where in others.items():
        first_kind, first_arity = first[name]
        suffix = kind if kind != first_kind else str(arity)
        candidate, k = f"{name}_{suffix}", 2
        while candidate in taken:
            candidate, k = f"{name}_{suffix}{k}", k + 1
        taken.add(candidate)
        new_names[(name, kind, arity)] = candidate
        notes.append(
            f"{where}: '{name}' is also used as a {_describe(first_kind, first_arity)}; "
            f"its use as a {_describe(kind, arity)} is read as another symbol, {candidate}"
        )

    def term(t: Term) -> Term:
        if isinstance(t, Const):
            return Const(new_names.get((t.name, "constant", 0), t.name))
        if isinstance(t, Func):
            return Func(new_names.get((t.name, "function", len(t.args)), t.name), t.args)
        return t

    def predicate(name: str, arity: int) -> str:
        return new_names.get((name, "predicate", arity), name)

    return [map_terms(f, term, predicate) for f in formulas], notes


def _describe(kind: str, arity: int) -> str:
    if kind == "constant":
        return "constant"
    return f"{kind} of {arity} argument{'s' if arity != 1 else ''}"
