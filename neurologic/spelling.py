"""One spelling per individual: constants that differ only in underscores and case are one.

The controlled-English grammar names "Diamond Mine" ``diamond_mine``; the model, declaring its own
symbols for the sentences the grammar did not cover, writes ``diamondmine``. Read as written, the
two are different individuals and no premise about one reaches the other. No translation means
two individuals by such spellings, so they are read as one (the first spelling met), and the
merge is recorded as a repair.
"""

from __future__ import annotations

from collections.abc import Sequence

from solvers.fol import Const
from solvers.fol import Formula
from solvers.fol import Term
from solvers.fol import atoms_terms
from solvers.fol import map_terms


def spelling_key(name: str) -> str:
    """What two spellings of one name share: the name without underscores, in lower case."""
    return name.replace("_", "").lower()


def one_spelling_per_constant(formulas: Sequence[Formula]) -> tuple[list[Formula], list[str]]:
    """``formulas`` with every constant written as the first spelling of its name met (in
    order), and a note for each spelling replaced (none when every name has one spelling)."""
    first: dict[str, str] = {}
    renamed: dict[str, str] = {}
    for formula in formulas:
        for term in atoms_terms(formula):
            if isinstance(term, Const):
                kept = first.setdefault(spelling_key(term.name), term.name)
                if kept != term.name:
                    renamed[term.name] = kept
    if not renamed:
        return list(formulas), []

    def term(t: Term) -> Term:
        return Const(renamed.get(t.name, t.name)) if isinstance(t, Const) else t

    notes = [f"{old} and {new} read as one individual, {new}" for old, new in renamed.items()]
    return [map_terms(f, term) for f in formulas], notes
