"""The forward-chaining fragment: premises compiled into facts and rules, and derivations.

Facts are ground literals (negated ones explicit); a rule's condition is a conjunction of
literals, with alternatives. The closure records how each literal was derived.
:mod:`solvers.forward` chains over it."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

from .errors import SolverError
from .fol import And
from .fol import Cmp
from .fol import Const
from .fol import Eq
from .fol import Exists
from .fol import Forall
from .fol import Formula
from .fol import Iff
from .fol import Implies
from .fol import Not
from .fol import Num
from .fol import Or
from .fol import Pred
from .fol import Term
from .fol import Var
from .fol import Xor
from .fol import term_to_text
from .fol import to_unicode
from .formula_ref import FormulaRef

__all__ = [
    "Arg",
    "Closure",
    "Literal",
    "Program",
    "Rule",
    "Step",
    "UnsupportedFormula",
    "compile_goal",
    "compile_program",
]

Arg = str | Var
"""A literal's argument: a constant's name, or a variable in a rule."""

_MAX_BODY_ALTERNATIVES = 64


class UnsupportedFormula(SolverError):
    """A premise or conclusion outside the forward-chaining fragment (see the module doc);
    ``formula`` says which."""

    def __init__(self, message: str, formula: FormulaRef) -> None:
        super().__init__(message)
        self.formula = formula


# --------------------------------------------------------------------------- representation


@dataclass(frozen=True, slots=True)
class Literal:
    """``P(args)`` or, with ``negated``, ``¬P(args)``; ground when no argument is a variable."""

    name: str
    args: tuple[Arg, ...] = ()
    negated: bool = False

    def complement(self) -> Literal:
        return Literal(self.name, self.args, not self.negated)

    def variables(self) -> set[Var]:
        return {a for a in self.args if isinstance(a, Var)}

    def substitute(self, binding: dict[Var, str]) -> Literal:
        args = tuple(binding.get(a, a) if isinstance(a, Var) else a for a in self.args)
        return Literal(self.name, args, self.negated)

    def to_formula(self) -> Formula:
        atom = Pred(self.name, tuple(a if isinstance(a, Var) else Const(a) for a in self.args))
        return Not(atom) if self.negated else atom

    def __str__(self) -> str:
        return to_unicode(self.to_formula())


@dataclass(frozen=True, slots=True)
class Rule:
    """``body → head`` from premise ``premise``; an empty body is a (possibly universal) fact."""

    body: tuple[Literal, ...]
    head: Literal
    premise: int

    def free_head_variables(self) -> list[Var]:
        """Head variables the body does not bind (they range over the constants)."""
        bound = set().union(*(lit.variables() for lit in self.body)) if self.body else set()
        return sorted(self.head.variables() - bound, key=lambda v: v.name)


@dataclass
class Program:
    """Premises compiled to rules, the goal's literals, and the constants they all mention."""

    rules: list[Rule]
    constants: tuple[str, ...]
    premises: list[Formula]
    goals: list[Literal] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Step:
    """How a literal entered the closure: premise ``premise`` with ``binding``, from ``parents``."""

    literal: Literal
    premise: int
    binding: tuple[tuple[str, str], ...] = ()
    parents: tuple[Literal, ...] = ()
    round: int = 0


@dataclass
class Closure:
    """Every literal derived, each with its first derivation, in order of derivation."""

    steps: dict[Literal, Step] = field(default_factory=dict)
    rounds: int = 0

    def __contains__(self, literal: Literal) -> bool:
        return literal in self.steps

    def __len__(self) -> int:
        return len(self.steps)

    def support(self, literals: Iterable[Literal]) -> list[Step]:
        """The steps that derive ``literals``, each once, in derivation order."""
        seen: set[Literal] = set()
        stack = list(literals)
        while stack:
            lit = stack.pop()
            if lit not in seen:
                seen.add(lit)
                stack.extend(self.steps[lit].parents)
        order = {lit: i for i, lit in enumerate(self.steps)}
        return [self.steps[lit] for lit in sorted(seen, key=order.__getitem__)]

    def conflicts(self) -> Iterator[Literal]:
        """Positive literals whose complement is in the closure too."""
        return (lit for lit in self.steps if not lit.negated and lit.complement() in self.steps)


# --------------------------------------------------------------------------- compilation


class _Compiler:
    """Turns one premise into rules, or raises :class:`UnsupportedFormula` naming it."""

    def __init__(self, formula: Formula, ref: FormulaRef) -> None:
        self.formula = formula
        self.ref = ref
        self.used: set[str] = set()

    def fail(self, why: str) -> UnsupportedFormula:
        return UnsupportedFormula(
            f"{self.ref} ({to_unicode(self.formula)}) is outside the forward-chaining "
            f"fragment: {why}",
            self.ref,
        )

    def fresh(self, name: str) -> Var:
        """A variable named like ``name``, distinct from the others of this premise."""
        candidate = name
        for k in itertools.count(1):
            if candidate not in self.used:
                break
            candidate = f"{name}{k}"
        self.used.add(candidate)
        return Var(candidate)

    def rules(self) -> list[Rule]:
        clauses = self.clauses(self.formula, {}, ())
        return [Rule(body, head, self.ref.index) for body, head in clauses]

    def clauses(
        self, f: Formula, env: dict[str, Var], body: tuple[Literal, ...]
    ) -> Iterator[tuple[tuple[Literal, ...], Literal]]:
        """``(body, head)`` pairs for ``body → f`` with ``env`` binding ``f``'s variables."""
        if isinstance(f, Forall):
            yield from self.clauses(f.body, {**env, f.var: self.fresh(f.var)}, body)
        elif isinstance(f, And):
            for part in f.parts:
                yield from self.clauses(part, env, body)
        elif isinstance(f, Implies):
            for alternative in self.condition(f.left, env):
                yield from self.clauses(f.right, env, body + alternative)
        else:
            yield body, self.literal(f, env, "a fact or a rule's conclusion")

    def condition(self, f: Formula, env: dict[str, Var]) -> list[tuple[Literal, ...]]:
        """A rule's condition as alternatives (disjuncts), each a conjunction of literals."""
        if isinstance(f, Exists):
            return self.condition(f.body, {**env, f.var: self.fresh(f.var)})
        if isinstance(f, Or):
            return [alt for part in f.parts for alt in self.condition(part, env)]
        if isinstance(f, And):
            combos = [()]
            for part in f.parts:
                combos = [a + b for a in combos for b in self.condition(part, env)]
                if len(combos) > _MAX_BODY_ALTERNATIVES:
                    raise self.fail("a condition with too many disjunctive cases")
            return combos
        return [(self.literal(f, env, "a rule's condition"),)]

    def literal(self, f: Formula, env: dict[str, Var], where: str) -> Literal:
        negated = False
        while isinstance(f, Not):
            negated, f = not negated, f.body
        if isinstance(f, Pred):
            return Literal(f.name, tuple(self.arg(t, env) for t in f.args), negated)
        raise self.fail(f"{_describe(f, negated)} in {where}")

    def arg(self, t: Term, env: dict[str, Var]) -> Arg:
        if isinstance(t, Const):
            return t.name
        if isinstance(t, Var):
            if t.name not in env:
                raise self.fail(f"free variable {t.name}")
            return env[t.name]
        if isinstance(t, Num):
            raise self.fail(f"a number, {t.text} (needs arithmetic: use z3)")
        raise self.fail(f"a function term {term_to_text(t)}")


def _describe(f: Formula, negated: bool) -> str:
    """Why a subformula is not a literal, in words."""
    if negated:
        return "a negated compound formula (not a literal)"
    reasons = {
        Exists: "an existential quantifier (it would need a new individual)",
        Forall: "a universal quantifier inside a condition",
        Or: "a disjunction (not a Horn rule)",
        Xor: "an exclusive or (not a Horn rule)",
        Iff: "a biconditional",
        Eq: "an equality",
        Cmp: "a numeric comparison (needs arithmetic: use z3)",
        Implies: "an implication inside a condition",
    }
    return reasons.get(type(f), f"{type(f).__name__}")


def compile_program(premises: Sequence[Formula], goal: Formula | None = None) -> Program:
    """Compile premises (and the goal) to rules; :class:`UnsupportedFormula` outside the fragment."""
    rules = [
        rule
        for i, premise in enumerate(premises)
        for rule in _Compiler(premise, FormulaRef.premise(i)).rules()
    ]
    goals = compile_goal(goal) if goal is not None else []
    literals = [lit for rule in rules for lit in (*rule.body, rule.head)] + goals
    constants = sorted({a for lit in literals for a in lit.args if isinstance(a, str)})
    return Program(rules, tuple(constants), list(premises), goals)


def compile_goal(goal: Formula) -> list[Literal]:
    """The conclusion's ground literals (a literal or a conjunction of them)."""
    compiler = _Compiler(goal, FormulaRef.conclusion())
    parts = goal.parts if isinstance(goal, And) else (goal,)
    literals = [compiler.literal(part, {}, str(compiler.ref)) for part in parts]
    if any(lit.variables() for lit in literals):
        raise compiler.fail("the conclusion must be ground")
    return literals
