"""What a sentence's quantifier words rule out in its formula.

Three shapes a small model writes often and a correct translation almost never has:

* **A universal sentence without a universal.** A sentence opening with "all", "every", "no",
  "everyone", "if someone", … needs a ``∀`` (or a ``¬∃``). In FOLIO train's gold FOL, 560 of the
  561 distinct sentences that open so have one.
* **An existential over an implication**, ``∃x (A(x) → B(x))``. It holds as soon as anything is
  not A, so it says almost nothing (1.8% of FOLIO train's distinct gold formulas).
* **A quantifier over nothing**, ``∃x (Funny(ben))`` or ``∀x ∀x (…)``. Its variable is unused
  (0.2% of FOLIO train's gold premises, all annotation slips).

All are read from the words and the parsed formula, with no solver. The line check's words
check uses them, and they set readings of an undecided conclusion aside.
"""

from __future__ import annotations

import re

from solvers.fol import Exists
from solvers.fol import Forall
from solvers.fol import Formula
from solvers.fol import Implies
from solvers.fol import Not
from solvers.fol import free_variables
from solvers.fol import subformulas

_UNIVERSAL_OPENING = re.compile(
    r"^\W*(all|every|each|no|any|everyone|everybody|everything|anyone|anybody|nobody|nothing|none"
    r"|people|if (someone|somebody|something|anyone|anybody|anything|everyone|everybody|people|you))\b",
    re.IGNORECASE,
)


def universal_opening(sentence: str) -> str | None:
    """The words ``sentence`` opens with that speak of every member of a kind ("all", "if
    someone"), lower-cased, or ``None``."""
    found = _UNIVERSAL_OPENING.match(sentence)
    return found.group(1).lower() if found else None


def opens_universally(sentence: str) -> bool:
    """Whether ``sentence`` opens with a word that speaks of every member of a kind."""
    return universal_opening(sentence) is not None


def has_universal(formula: Formula) -> bool:
    """Whether ``formula`` has a ``∀`` or a ``¬∃`` anywhere."""
    return any(
        isinstance(part, Forall) or (isinstance(part, Not) and isinstance(part.body, Exists))
        for part in subformulas(formula)
    )


def has_vacuous_existential(formula: Formula) -> bool:
    """Whether ``formula`` has ``∃x … (A → B)``: existentials directly over an implication."""
    for part in subformulas(formula):
        if isinstance(part, Exists):
            body = part.body
            while isinstance(body, Exists):
                body = body.body
            if isinstance(body, Implies):
                return True
    return False


def unused_quantifier(formula: Formula) -> str | None:
    """The variable of the first quantifier in ``formula`` whose body never uses it, or ``None``."""
    for part in subformulas(formula):
        if isinstance(part, (Forall, Exists)) and part.var not in free_variables(part.body):
            return part.var
    return None


def quantifier_problem(sentence: str, formula: Formula) -> str | None:
    """Why ``formula`` cannot be ``sentence``'s translation by its quantifiers, or ``None``."""
    opening = universal_opening(sentence)
    if opening is not None and not has_universal(formula):
        return (
            f"the sentence says '{opening}' of a whole kind, but the formula has no ∀ (nor ¬∃): "
            "write ∀x (Kind(x) → …)"
        )
    if has_vacuous_existential(formula):
        return (
            "∃x (A(x) → B(x)) holds as soon as anything is not A: 'some A is B' is "
            "∃x (A(x) ∧ B(x)), 'every A is B' is ∀x (A(x) → B(x))"
        )
    unused = unused_quantifier(formula)
    if unused is not None:
        return (
            f"a quantifier binds {unused} but nothing inside it uses {unused}: quantify "
            "only a variable the formula uses"
        )
    return None
