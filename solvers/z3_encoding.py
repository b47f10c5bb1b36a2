"""Formulas as Z3 terms, one ``z3.Context`` per problem: one uninterpreted sort ``U``;
predicates are Bool-valued functions over ``U`` (0-ary ones Bool constants), individual constants
are constants of sort ``U``, functions map ``U^n`` to ``U``, quantifiers bind fresh constants.
Names are used exactly as given. Where the program uses numbers or comparisons, the places that
hold numbers (:mod:`solvers.sorts`) have Z3's integer sort instead of ``U`` (fixed-point,
scaled, where a literal has decimals)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import z3

from solvers.errors import FormulaError
from solvers.fol import And
from solvers.fol import Cmp
from solvers.fol import Const
from solvers.fol import Eq
from solvers.fol import Exists
from solvers.fol import Forall
from solvers.fol import Formula
from solvers.fol import Func
from solvers.fol import Iff
from solvers.fol import Implies
from solvers.fol import Not
from solvers.fol import Num
from solvers.fol import Or
from solvers.fol import Pred
from solvers.fol import Term
from solvers.fol import Var
from solvers.fol import Xor
from solvers.formula_ref import program_refs
from solvers.sorts import Sorts
from solvers.sorts import infer_sorts

__all__ = ["EncodingError", "encode", "unscaled"]


class EncodingError(FormulaError):
    """A formula cannot be encoded (free variable, a symbol used with two kinds or arities)."""


class Encoder:
    """Translates FOL trees to Z3 terms in one context, declaring symbols on first use."""

    def __init__(self, ctx: z3.Context, separator: str = "!", sorts: Sorts | None = None) -> None:
        self.ctx = ctx
        self.ref = ctx.ref()
        self.sort = z3.DeclareSort("U", ctx)
        self.sorts = sorts if sorts is not None else Sorts()
        self.number_sort = z3.IntSort(ctx)  # fixed-point where a literal has decimals
        self.bool_sort = z3.BoolSort(ctx)
        self.separator = separator
        self.signature: dict[str, tuple[str, int]] = {}  # name -> (kind, arity)
        self.constants: dict[str, z3.ExprRef] = {}
        self.propositions: dict[str, z3.BoolRef] = {}
        self.predicates: dict[str, z3.FuncDeclRef] = {}
        self.functions: dict[str, z3.FuncDeclRef] = {}
        self.generated: set[str] = set()
        self._counter = itertools.count()

    # -- symbols

    def fresh_name(self, base: str) -> str:
        """A name for an internal symbol; ``collisions`` reports clashes with user names."""
        name = f"{base}{self.separator}{next(self._counter)}"
        self.generated.add(name)
        return name

    def collisions(self) -> set[str]:
        return self.generated & self.signature.keys()

    def _declare(self, name: str, kind: str, arity: int) -> None:
        known = self.signature.setdefault(name, (kind, arity))
        if known != (kind, arity):
            raise EncodingError(
                f"symbol {name!r} is used as {known[0]}/{known[1]} and as {kind}/{arity}"
            )

    def _constant(self, name: str) -> z3.ExprRef:
        expr = self.constants.get(name)
        if expr is None:
            self._declare(name, "constant", 0)
            sort = self.number_sort if name in self.sorts.constants else self.sort
            expr = self.constants[name] = z3.Const(name, sort)
        return expr

    def _domain(self, name: str, arity: int) -> list[z3.SortRef]:
        return [
            self.number_sort if self.sorts.numeric_arg(name, i) else self.sort for i in range(arity)
        ]

    def _function(self, name: str, arity: int) -> z3.FuncDeclRef:
        decl = self.functions.get(name)
        if decl is None or decl.arity() != arity:
            self._declare(name, "function", arity)
            result = self.number_sort if self.sorts.numeric_result(name) else self.sort
            decl = self.functions[name] = z3.Function(name, *self._domain(name, arity), result)
        return decl

    def _predicate(self, name: str, arity: int) -> z3.FuncDeclRef:
        decl = self.predicates.get(name)
        if decl is None or decl.arity() != arity:
            self._declare(name, "predicate", arity)
            decl = self.predicates[name] = z3.Function(
                name, *self._domain(name, arity), self.bool_sort
            )
        return decl

    def _proposition(self, name: str) -> z3.BoolRef:
        expr = self.propositions.get(name)
        if expr is None:
            self._declare(name, "predicate", 0)
            expr = self.propositions[name] = z3.Bool(name, self.ctx)
        return expr

    # -- translation (through Z3's C API: the Python layer's checks cost more than solving)

    def _bool(self, ast: z3.Ast) -> z3.BoolRef:
        return z3.BoolRef(ast, self.ctx)

    def _apply(self, decl: z3.FuncDeclRef, args: list[z3.ExprRef]) -> z3.Ast:
        array = (z3.Ast * len(args))(*[a.as_ast() for a in args])
        return z3.Z3_mk_app(self.ref, decl.as_func_decl(), len(args), array)

    def _nary(self, make: Callable, parts: list[z3.BoolRef]) -> z3.BoolRef:
        array = (z3.Ast * len(parts))(*[p.as_ast() for p in parts])
        return self._bool(make(self.ref, len(parts), array))

    def _binary(self, make: Callable, left: z3.ExprRef, right: z3.ExprRef) -> z3.BoolRef:
        return self._bool(make(self.ref, left.as_ast(), right.as_ast()))

    def implies(self, left: z3.BoolRef, right: z3.BoolRef) -> z3.BoolRef:
        return self._binary(z3.Z3_mk_implies, left, right)

    def negate(self, body: z3.BoolRef) -> z3.BoolRef:
        return self._bool(z3.Z3_mk_not(self.ref, body.as_ast()))

    def conjoin(self, parts: list[z3.BoolRef]) -> z3.BoolRef:
        return self._nary(z3.Z3_mk_and, parts)

    def term(self, t: Term, env: dict[str, z3.ExprRef]) -> z3.ExprRef:
        if isinstance(t, Var):
            bound = env.get(t.name)
            if bound is None:
                raise EncodingError(f"free variable {t.name!r}")
            return bound
        if isinstance(t, Const):
            return self._constant(t.name)
        if isinstance(t, Func):
            args = [self.term(a, env) for a in t.args]
            return z3.ExprRef(self._apply(self._function(t.name, len(args)), args), self.ctx)
        if isinstance(t, Num):
            return z3.IntVal(str(int(Decimal(t.text) * self.sorts.scale)), self.ctx)
        raise EncodingError(f"not a term: {t!r}")

    def formula(self, f: Formula, env: dict[str, z3.ExprRef] | None = None) -> z3.BoolRef:
        """The Z3 term for ``f``; ``env`` maps bound variable names to their constants."""
        env = {} if env is None else env
        if isinstance(f, Pred):
            if not f.args:
                return self._proposition(f.name)
            args = [self.term(a, env) for a in f.args]
            return self._bool(self._apply(self._predicate(f.name, len(args)), args))
        if isinstance(f, Eq):
            return self._binary(z3.Z3_mk_eq, self.term(f.left, env), self.term(f.right, env))
        if isinstance(f, Cmp):
            make = _COMPARISON[f.op]
            return self._binary(make, self.term(f.left, env), self.term(f.right, env))
        if isinstance(f, Not):
            return self.negate(self.formula(f.body, env))
        if isinstance(f, (And, Or)):
            make = z3.Z3_mk_and if isinstance(f, And) else z3.Z3_mk_or
            return self._nary(make, [self.formula(p, env) for p in f.parts])
        if isinstance(f, (Xor, Implies, Iff)):
            make = _BINARY[type(f)]
            return self._binary(make, self.formula(f.left, env), self.formula(f.right, env))
        if isinstance(f, (Forall, Exists)):
            sort = self.number_sort if id(f) in self.sorts.variables else self.sort
            bound = z3.Const(self.fresh_name(f.var), sort)
            body = self.formula(f.body, {**env, f.var: bound})
            make = z3.Z3_mk_forall_const if isinstance(f, Forall) else z3.Z3_mk_exists_const
            variables = (z3.Ast * 1)(bound.as_ast())
            return self._bool(make(self.ref, 0, 1, variables, 0, None, body.as_ast()))
        raise EncodingError(f"not a formula: {f!r}")


_BINARY: dict[type, Callable] = {Xor: z3.Z3_mk_xor, Implies: z3.Z3_mk_implies, Iff: z3.Z3_mk_iff}
_COMPARISON: dict[str, Callable] = {
    "<": z3.Z3_mk_lt,
    ">": z3.Z3_mk_gt,
    "≤": z3.Z3_mk_le,
    "≥": z3.Z3_mk_ge,
}


@dataclass
class Encoded:
    """A problem in one context: the encoder, premise/goal terms and their trackers."""

    encoder: Encoder
    solver: z3.Solver
    trackers: list[z3.BoolRef]
    goal_pos: z3.BoolRef
    goal_neg: z3.BoolRef
    tracker_index: dict[int, int]  # z3 ast id of a premise tracker -> premise index


def fresh_context() -> z3.Context:
    """A new Z3 context for one call. Sharing one across calls is ~2 ms faster, but Z3's
    choices (which unsat core it finds first) then depend on the terms earlier problems left
    in it, so the premises a proof reports would depend on what ran before."""
    return z3.Context()


def encode(premises: Sequence[Formula], goal: Formula) -> Encoded:
    """Encode everything with a new solver, retrying if an internal name hits a user name."""
    ctx = fresh_context()
    sorts = infer_sorts([*premises, goal], program_refs(len(premises)))
    for separator in ("!", "!!", "!#!", "!#$%!"):
        enc = Encoder(ctx, separator, sorts)
        premise_terms = [enc.formula(p) for p in premises]
        goal_term = enc.formula(goal)
        trackers = [z3.Bool(enc.fresh_name("premise"), ctx) for _ in premises]
        goal_pos = z3.Bool(enc.fresh_name("goal"), ctx)
        goal_neg = z3.Bool(enc.fresh_name("not_goal"), ctx)
        if enc.collisions():
            continue
        implications = [enc.implies(t, p) for t, p in zip(trackers, premise_terms)]
        implications.append(enc.implies(goal_pos, goal_term))
        implications.append(enc.implies(goal_neg, enc.negate(goal_term)))
        solver = z3.Solver(ctx=ctx)
        # one assertion: Z3_solver_assert has a fixed cost larger than building the conjunction
        z3.Z3_solver_assert(ctx.ref(), solver.solver, enc.conjoin(implications).as_ast())
        index = {t.get_id(): i for i, t in enumerate(trackers)}
        return Encoded(enc, solver, trackers, goal_pos, goal_neg, index)
    raise EncodingError("could not choose internal names distinct from the formula's symbols")


def unscaled(value: int, scale: int) -> str:
    text = format(Decimal(value) / Decimal(scale), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
