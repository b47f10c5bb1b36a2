"""What a sentence's quantifier words rule out in its formula.

Three shapes a small model writes often and a correct translation almost never has:

* **A universal sentence without a universal.** A sentence that opens with "all", "every",
  "each", "no", "any", "everyone", "nobody", "people", "if someone", "if something", … speaks of
  every member of a kind, so its formula has a ``∀`` (or a ``¬∃``). Writing the kind as a
  constant (``Champion(champion) → Player(champion)``) or an ``∃`` loses that. In FOLIO
  *train*'s gold FOL, 560 of the 561 distinct sentences that open so have one (the exception:
  "People died in the December 1999 earthquake", an existential).
* **An existential over an implication**, ``∃x (A(x) → B(x))``: it holds as soon as anything is
  not A, so it says almost nothing. "Some A is B" is ``∃x (A(x) ∧ B(x))``, "every A is B"
  ``∀x (A(x) → B(x))``. 29 of FOLIO train's 1,652 distinct gold formulas (1.8%) have one.
* **A quantifier over nothing**, ``∃x (Funny(ben))`` or ``∀x ∀x (…)``: it binds a variable its
  body never uses, so the model lost track of what it quantifies. 3 of FOLIO train's 1,649
  distinct parsed gold premise formulas (0.2%, all annotation slips such as ``∀x ∀x ∀z (…y…)``)
  have one.

Both are read from the words and the parsed formula alone, no solver; they are part of the line
check's words check (a line so ruled out is replaced by a sampled alternative that passes, when
one does) and set readings of an undecided conclusion aside.
"""

from __future__ import annotations

import re

from solvers.fol import Exists, Forall, Formula, Implies, Not, free_variables, subformulas

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
        return (f"the sentence says '{opening}' of a whole kind, but the formula has no ∀ (nor ¬∃): "
                "write ∀x (Kind(x) → …)")
    if has_vacuous_existential(formula):
        return ("∃x (A(x) → B(x)) holds as soon as anything is not A: 'some A is B' is "
                "∃x (A(x) ∧ B(x)), 'every A is B' is ∀x (A(x) → B(x))")
    unused = unused_quantifier(formula)
    if unused is not None:
        return (f"a quantifier binds {unused} but nothing inside it uses {unused}: quantify "
                "only a variable the formula uses")
    return None
