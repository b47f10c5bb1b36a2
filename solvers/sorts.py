"""Which terms are numbers: sort inference for numeric literals and comparisons.

Terms may be compared (``Cost(gre) < 300``) and numbers used (``1995``, ``9.5``); every other
term denotes an individual. Which positions, function results, constants and variables hold
numbers is inferred by unification: a term shares the sort of the position it fills, and both
sides of ``=``, ``≠`` or a comparison share one; numbers and comparison operands are numeric.

A named constant is an individual unless it is itself an operand of a comparison or ``=``. A
position holding a number and such a name (``Rating(m, 9)``, ``Rating(n, good)``) is a
:class:`~solvers.errors.SignatureError` naming both uses.

All numbers share one sort: integers, or with any decimal literal fixed-point numbers scaled by
``10 ** decimals`` (:attr:`Sorts.decimals`, three places finer than the finest literal). Z3
decides quantified problems over the integers better than over the reals.

>>> from solvers.parse import parse_formula
>>> sorts = infer_sorts([parse_formula("Cost(gre) < 300")])
>>> sorts.numeric_result("Cost"), sorts.numeric_arg("Cost", 0), sorts.integers
(True, False, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

from .errors import SignatureError
from .errors import SignatureProblem
from .fol import Cmp
from .fol import Const
from .fol import Eq
from .fol import Exists
from .fol import Forall
from .fol import Formula
from .fol import Num
from .fol import Pred
from .fol import Term
from .fol import Var
from .fol import atoms_terms
from .fol import children
from .fol import subformulas
from .fol import to_unicode
from .formula_ref import FormulaRef
from .formula_ref import formula_refs

__all__ = ["Sorts", "infer_sorts", "is_numeric"]

_NUMERIC = ("number",)

Slot = tuple
"""A place that has a sort: ``("arg", name, i)``, ``("result", name)``, ``("const", name)``,
``("var", binder_id)`` or :data:`_NUMERIC`."""


def is_numeric(formulas: Sequence[Formula]) -> bool:
    """Whether any formula uses a number or a comparison (and so needs arithmetic)."""
    return any(
        any(isinstance(node, Cmp) for node in subformulas(formula))
        or any(isinstance(term, Num) for term in atoms_terms(formula))
        for formula in formulas
    )


@dataclass
class Sorts:
    """The inferred numeric places of a program. ``variables`` holds the ``id`` of each
    quantifier node (in the formulas given) whose variable is a number."""

    args: set[tuple[str, int]] = field(default_factory=set)
    results: set[str] = field(default_factory=set)
    constants: set[str] = field(default_factory=set)
    variables: set[int] = field(default_factory=set)
    decimals: int = 0  # fixed-point places when some literal has a decimal point (see module doc)

    @property
    def integers(self) -> bool:
        """Whether every literal is an integer (numbers are then unscaled integers)."""
        return self.decimals == 0

    @property
    def scale(self) -> int:
        """What each number is multiplied by to become the integer a solver sees."""
        return 10**self.decimals

    def numeric_arg(self, name: str, index: int) -> bool:
        return (name, index) in self.args

    def numeric_result(self, name: str) -> bool:
        return name in self.results


class _Unifier:
    def __init__(self) -> None:
        self.parent: dict[Slot, Slot] = {}

    def find(self, slot: Slot) -> Slot:
        self.parent.setdefault(slot, slot)
        root = slot
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[slot] != root:
            self.parent[slot], slot = root, self.parent[slot]
        return root

    def union(self, a: Slot, b: Slot) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb == _NUMERIC:
                ra, rb = rb, ra
            self.parent[rb] = ra

    def numeric(self, slot: Slot) -> bool:
        return self.find(slot) == self.find(_NUMERIC)


class _Inference:
    def __init__(self) -> None:
        self.unifier = _Unifier()
        self.literals: list[Num] = []
        self.named_numbers: set[str] = set()  # constants compared or equated directly
        # constant -> (position, formula, where in words)
        self.individual_uses: dict[str, tuple[Slot, FormulaRef, str]] = {}
        self.numeric_uses: dict[Slot, str] = {}  # position -> first numeric use, in words

    def formula(self, f: Formula, env: dict[str, Slot], ref: FormulaRef) -> None:
        if isinstance(f, Pred):
            for i, arg in enumerate(f.args):
                self.fill(("arg", f.name, i), arg, env, ref, f)
        elif isinstance(f, (Eq, Cmp)):
            left, right = self.term(f.left, env, ref, f), self.term(f.right, env, ref, f)
            self.unifier.union(left, right)
            self.named_numbers.update(s.name for s in (f.left, f.right) if isinstance(s, Const))
            if isinstance(f, Cmp) or isinstance(f.left, Num) or isinstance(f.right, Num):
                self.mark_numeric(left, f"{ref}: {to_unicode(f)}")
        elif isinstance(f, (Forall, Exists)):
            self.formula(f.body, {**env, f.var: ("var", id(f))}, ref)
        else:
            for child in children(f):
                self.formula(child, env, ref)

    def fill(self, position: Slot, arg: Term, env: dict[str, Slot], ref: FormulaRef, atom) -> None:
        slot = self.term(arg, env, ref, atom)
        self.unifier.union(position, slot)
        if isinstance(arg, Const):
            where = f"{ref}: {to_unicode(atom)}"
            self.individual_uses.setdefault(arg.name, (position, ref, where))
        if isinstance(arg, Num):
            self.numeric_uses.setdefault(position, f"{ref}: {to_unicode(atom)}")

    def term(self, t: Term, env: dict[str, Slot], ref: FormulaRef, atom) -> Slot:
        if isinstance(t, Num):
            self.literals.append(t)
            return _NUMERIC
        if isinstance(t, Var):
            return env.get(t.name, ("free", t.name))
        if isinstance(t, Const):
            return ("const", t.name)
        for i, arg in enumerate(t.args):
            self.fill(("arg", t.name, i), arg, env, ref, atom)
        return ("result", t.name)

    def mark_numeric(self, slot: Slot, where: str) -> None:
        self.unifier.union(_NUMERIC, slot)
        self.numeric_uses.setdefault(slot, where)


def infer_sorts(formulas: Sequence[Formula], refs: Sequence[FormulaRef] | None = None) -> Sorts:
    """The numeric places of ``formulas`` (see the module doc); :class:`SignatureError` when a
    position holds a number in one use and a named individual in another. ``refs`` say which
    formula of the program each is (default ``formula 1``, ``formula 2``...)."""
    refs = list(refs) if refs is not None else formula_refs(len(formulas))
    inference = _Inference()
    for formula, ref in zip(formulas, refs):
        inference.formula(formula, {}, ref)
    unifier = inference.unifier
    places = [len(n.text.partition(".")[2]) for n in inference.literals if not n.integral]
    sorts = Sorts(decimals=max(places) + 3 if places else 0)
    problems = []
    for name, (position, ref, where) in inference.individual_uses.items():
        if name in inference.named_numbers or not unifier.numeric(position):
            continue
        problems.append(
            SignatureProblem(
                f"{_describe_slot(position)} holds numbers ({_first_numeric_use(inference, position)}) "
                f"but the individual '{name}' in {where}; use a number there, or another "
                "predicate for the individual",
                ref,
            )
        )
    if problems:
        raise SignatureError(problems)
    for slot in list(unifier.parent):
        if not unifier.numeric(slot):
            continue
        kind = slot[0]
        if kind == "arg":
            sorts.args.add((slot[1], slot[2]))
        elif kind == "result":
            sorts.results.add(slot[1])
        elif kind == "const":
            sorts.constants.add(slot[1])
        elif kind == "var":
            sorts.variables.add(slot[1])
    return sorts


def _describe_slot(slot: Slot) -> str:
    if slot[0] == "arg":
        return f"argument {slot[2] + 1} of '{slot[1]}'"
    if slot[0] == "result":
        return f"the value of '{slot[1]}'"
    return f"'{slot[1]}'"


def _first_numeric_use(inference: _Inference, position: Slot) -> str:
    unifier = inference.unifier
    root = unifier.find(position)
    direct = inference.numeric_uses.get(position)
    if direct is not None:
        return direct
    for slot, where in inference.numeric_uses.items():
        if unifier.find(slot) == root:
            return where
    return "a comparison"
