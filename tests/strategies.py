"""Hypothesis strategies for well-formed formulas (shared by the parser and solver tests)."""

from __future__ import annotations

from hypothesis import strategies as st

from solvers.fol import And
from solvers.fol import Const
from solvers.fol import Eq
from solvers.fol import Exists
from solvers.fol import Forall
from solvers.fol import Func
from solvers.fol import Iff
from solvers.fol import Implies
from solvers.fol import Not
from solvers.fol import Or
from solvers.fol import Pred
from solvers.fol import Var
from solvers.fol import Xor

PREDICATES = {"P": 1, "Q": 1, "Likes": 2, "Anti-abortion": 1, "GreaterThan95": 1, "R3": 3}
PROPOSITIONS = ["A", "Rains"]
CONSTANTS = ["a", "b", "bonnie", "mr.smith", "c++", "l-2021", "Ś"]
FUNCTIONS = {"f": 1, "g": 2}
VARIABLES = ["x", "y", "z", "w1"]


@st.composite
def terms(draw, bound: frozenset, depth: int = 0):
    choices = ["const"] + (["var"] if bound else []) + (["func"] if depth < 2 else [])
    kind = draw(st.sampled_from(choices))
    if kind == "const":
        return Const(draw(st.sampled_from(CONSTANTS)))
    if kind == "var":
        return Var(draw(st.sampled_from(sorted(bound))))
    name = draw(st.sampled_from(sorted(FUNCTIONS)))
    return Func(name, tuple(draw(terms(bound, depth + 1)) for _ in range(FUNCTIONS[name])))


@st.composite
def formulas(draw, bound: frozenset = frozenset(), depth: int = 0, max_depth: int = 4):
    leaf_kinds = ["pred", "prop", "eq"]
    kinds = (
        leaf_kinds
        if depth >= max_depth
        else leaf_kinds
        + [
            "not",
            "and",
            "or",
            "xor",
            "implies",
            "iff",
            "forall",
            "exists",
        ]
    )
    kind = draw(st.sampled_from(kinds))
    sub = lambda b=bound: formulas(b, depth + 1, max_depth)  # noqa: E731
    if kind == "pred":
        name = draw(st.sampled_from(sorted(PREDICATES)))
        return Pred(name, tuple(draw(terms(bound)) for _ in range(PREDICATES[name])))
    if kind == "prop":
        return Pred(draw(st.sampled_from(PROPOSITIONS)))
    if kind == "eq":
        return Eq(draw(terms(bound)), draw(terms(bound)))
    if kind == "not":
        return Not(draw(sub()))
    if kind in ("and", "or"):
        parts = tuple(draw(st.lists(sub(), min_size=2, max_size=3)))
        return And(parts) if kind == "and" else Or(parts)
    if kind in ("xor", "implies", "iff"):
        cls = {"xor": Xor, "implies": Implies, "iff": Iff}[kind]
        return cls(draw(sub()), draw(sub()))
    var = draw(st.sampled_from(VARIABLES))
    cls = Forall if kind == "forall" else Exists
    return cls(var, draw(sub(bound | {var})))
