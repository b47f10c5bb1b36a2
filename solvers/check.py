"""Signature check over a whole program (premises and conclusion together).

A program passes when every symbol has one kind (predicate, function or constant) and one arity,
and no variable is free. A free variable shows up in two ways, both reported:

* a name a quantifier binds, used outside its scope in the same formula
  (``∃x (J(x) ∧ W(x)) → Wedding(x)``);
* a constant spelled like a variable: ``u``–``z`` with at most one digit or primes (``y1``, not
  ``y1984``).

On LLM output the check is a quality filter: translations that break it are mostly wrong.
"""

from __future__ import annotations

import re
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
from .fol import Func
from .fol import Num
from .fol import Pred
from .fol import Term
from .fol import Var
from .fol import children
from .fol import subformulas
from .fol import to_unicode
from .formula_ref import FormulaRef
from .formula_ref import formula_refs
from .sorts import infer_sorts

_VARIABLE_LIKE = re.compile(r"^[u-z][0-9]?'*$")


@dataclass
class Signature:
    """The symbols a program uses: name -> arity for predicates and functions; constant names."""

    predicates: dict[str, int] = field(default_factory=dict)
    functions: dict[str, int] = field(default_factory=dict)
    constants: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Use:
    name: str
    kind: str  # predicate | function | constant
    arity: int
    where: FormulaRef


def signature(formulas: Sequence[Formula]) -> Signature:
    """The symbols of ``formulas``, first use winning where uses disagree."""
    sig = Signature()
    for use in _uses(formulas, formula_refs(len(formulas))):
        if use.kind == "predicate":
            sig.predicates.setdefault(use.name, use.arity)
        elif use.kind == "function":
            sig.functions.setdefault(use.name, use.arity)
        else:
            sig.constants.add(use.name)
    return sig


def check_program(
    formulas: Sequence[Formula], refs: Sequence[FormulaRef] | None = None
) -> list[SignatureProblem]:
    """Every signature problem in the program, each a precise, actionable sentence with the
    formula it is about.

    ``refs`` say which formula of the program each is (default ``formula 1``, ``formula 2``...).
    """
    refs = list(refs) if refs is not None else formula_refs(len(formulas))
    if len(refs) != len(formulas):
        raise ValueError("refs and formulas differ in length")
    problems = _symbol_clashes(list(_uses(formulas, refs)))
    for formula, ref in zip(formulas, refs):
        problems.extend(_free_variable_problems(formula, ref))
    if not problems:
        try:
            infer_sorts(formulas, refs)
        except SignatureError as error:
            problems.extend(error.problems)
    return problems


def assert_signature(formulas: Sequence[Formula], refs: Sequence[FormulaRef] | None = None) -> None:
    """Raise :class:`SignatureError` listing every problem, if there are any."""
    problems = check_program(formulas, refs)
    if problems:
        raise SignatureError(problems)


def symbol_uses(formulas: Sequence[Formula], refs: Sequence[FormulaRef]):
    """Every use of a symbol: its name, kind (predicate, function, constant), arity and the
    formula it is in (``where``), in order."""
    return _uses(formulas, refs)


def _uses(formulas: Sequence[Formula], refs: Sequence[FormulaRef]):
    for formula, ref in zip(formulas, refs):
        for node in subformulas(formula):
            if isinstance(node, Pred):
                yield _Use(node.name, "predicate", len(node.args), ref)
                terms: list[Term] = list(node.args)
            elif isinstance(node, (Eq, Cmp)):
                terms = [node.left, node.right]
            else:
                continue
            while terms:
                term = terms.pop()
                if isinstance(term, Const):
                    yield _Use(term.name, "constant", 0, ref)
                elif isinstance(term, Func):
                    yield _Use(term.name, "function", len(term.args), ref)
                    terms.extend(term.args)


def _symbol_clashes(uses: list[_Use]) -> list[SignatureProblem]:
    first_kind: dict[str, _Use] = {}
    first_arity: dict[tuple[str, str], _Use] = {}
    problems: list[SignatureProblem] = []
    reported: set[tuple[str, ...]] = set()
    for use in uses:
        seen = first_kind.setdefault(use.name, use)
        if seen.kind != use.kind:
            key = ("kind", use.name)
            if key not in reported:
                reported.add(key)
                problems.append(
                    SignatureProblem(
                        f"'{use.name}' is used as a {seen.kind} in {seen.where} and as a {use.kind} "
                        f"in {use.where}; a name must be one kind of symbol — rename one of them",
                        use.where,
                    )
                )
            continue
        seen_arity = first_arity.setdefault((use.name, use.kind), use)
        if use.kind != "constant" and seen_arity.arity != use.arity:
            key = ("arity", use.name, str(use.arity))
            if key not in reported:
                reported.add(key)
                problems.append(
                    SignatureProblem(
                        f"{use.kind} '{use.name}' takes {_args(seen_arity.arity)} in "
                        f"{seen_arity.where} but {_args(use.arity)} in {use.where}; use one arity "
                        "everywhere, or a different name for the other relation",
                        use.where,
                    )
                )
    return problems


def _args(n: int) -> str:
    return f"{n} argument" + ("" if n == 1 else "s")


def _free_variable_problems(formula: Formula, ref: FormulaRef) -> list[SignatureProblem]:
    bound_somewhere = {
        node.var for node in subformulas(formula) if isinstance(node, (Forall, Exists))
    }
    problems: list[SignatureProblem] = []
    reported: set[str] = set()
    for name in _constants_in(formula):
        if name in reported:
            continue
        if name in bound_somewhere:
            reported.add(name)
            problems.append(
                SignatureProblem(
                    f"variable '{name}' is used outside the scope of its quantifier in {ref} "
                    f"({to_unicode(formula)}); widen the quantifier's parentheses to cover every use",
                    ref,
                )
            )
        elif _VARIABLE_LIKE.match(name):
            reported.add(name)
            problems.append(
                SignatureProblem(
                    f"'{name}' in {ref} ({to_unicode(formula)}) is a free variable: no quantifier "
                    f"binds it; add ∀{name} or ∃{name}, or use a constant's real name",
                    ref,
                )
            )
    return problems


def free_variable_names(formula: Formula) -> list[str]:
    """The names :func:`check_program` reports as free variables in ``formula``, in the order
    they are first written."""
    bound_somewhere = {
        node.var for node in subformulas(formula) if isinstance(node, (Forall, Exists))
    }
    names: list[str] = []
    for name in reversed(_constants_in(formula)):
        if name not in names and (name in bound_somewhere or _VARIABLE_LIKE.match(name)):
            names.append(name)
    return names


def _constants_in(formula: Formula) -> list[str]:
    names: list[str] = []
    stack: list[Formula | Term] = [formula]
    while stack:
        node = stack.pop()
        if isinstance(node, Const):
            names.append(node.name)
        elif isinstance(node, Func):
            stack.extend(node.args)
        elif isinstance(node, Pred):
            stack.extend(node.args)
        elif isinstance(node, (Eq, Cmp)):
            stack.extend((node.left, node.right))
        elif isinstance(node, (Var, Num)):
            continue
        else:
            stack.extend(children(node))
    return names
