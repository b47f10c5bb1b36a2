"""In-process Z3: entailment, unsat cores as the premises used, models as countermodels.

Encoding: one uninterpreted sort ``U``; predicates are Bool-valued functions over ``U`` (0-ary
ones Bool constants), individual constants are constants of sort ``U``, functions map ``U^n`` to
``U``, quantifiers bind fresh constants. Names are used exactly as given. Where the program uses
numbers or comparisons, the places that hold numbers (:mod:`solvers.sorts`) have Z3's integer
sort instead of ``U`` (fixed-point, scaled, where a literal has decimals), so ``3 ≠ 4`` and
``9.5 > 9`` hold; countermodels show numbers unscaled.

Every call gets its own ``z3.Context`` and ``z3.Solver``, so a result never depends on what was
solved before it (or in another thread). Premise
``i`` is asserted as ``t_i → premise_i`` with a Boolean tracker ``t_i``, the goal as
``g⁺ → goal`` and ``g⁻ → ¬goal``; premises ∧ ¬goal, premises ∧ goal and premises alone are then
``check`` calls under different assumptions, and an unsat core maps back to premise
indices. An ``unknown`` from z3 is never turned into a verdict.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import z3

from solvers.fol import (
    And,
    Cmp,
    Const,
    Eq,
    Exists,
    Forall,
    Formula,
    Func,
    Iff,
    Implies,
    Not,
    Num,
    Or,
    Pred,
    Term,
    Var,
    Xor,
    to_unicode,
)
from solvers.errors import FormulaError, SignatureError
from solvers.result import SolverResult, Status, Verdict
from solvers.sorts import Sorts, infer_sorts

__all__ = ["Z3Solver", "EncodingError"]

_TIMEOUT_REASONS = ("timeout", "canceled", "cancelled", "resource limit")
_MAX_TIMEOUT_MS = 2**32 - 1
_MIN_TRIAL_RLIMIT = 50_000  # z3 resource units: a trial's deterministic budget floor
_TRIAL_WALL_FACTOR = 50  # a trial's wall-clock cap, in multiples of the proving check's time
_MIN_TRIAL_S = 1.0


class EncodingError(FormulaError):
    """A formula cannot be encoded (free variable, a symbol used with two kinds or arities)."""


# --------------------------------------------------------------------------- encoding


class _Encoder:
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
            self.number_sort if self.sorts.numeric_arg(name, i) else self.sort
            for i in range(arity)
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
    "<": z3.Z3_mk_lt, ">": z3.Z3_mk_gt, "≤": z3.Z3_mk_le, "≥": z3.Z3_mk_ge,
}


@dataclass
class _Encoded:
    """A problem in one context: the encoder, premise/goal terms and their trackers."""

    encoder: _Encoder
    solver: z3.Solver
    trackers: list[z3.BoolRef]
    goal_pos: z3.BoolRef
    goal_neg: z3.BoolRef
    tracker_index: dict[int, int]  # z3 ast id of a premise tracker -> premise index


def _labels(n: int) -> list[str]:
    return [f"premise {i + 1}" for i in range(n)] + ["the conclusion"]


def _fresh_context() -> z3.Context:
    """A new Z3 context for one call. Sharing one across calls is ~2 ms faster, but Z3's
    choices (which unsat core it finds first) then depend on the terms earlier problems left
    in it, so the premises a proof reports would depend on what ran before."""
    return z3.Context()


def _encode(premises: Sequence[Formula], goal: Formula) -> _Encoded:
    """Encode everything with a new solver, retrying if an internal name hits a user name."""
    ctx = _fresh_context()
    sorts = infer_sorts([*premises, goal], _labels(len(premises)))
    for separator in ("!", "!!", "!#!", "!#$%!"):
        enc = _Encoder(ctx, separator, sorts)
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
        return _Encoded(enc, solver, trackers, goal_pos, goal_neg, index)
    raise EncodingError("could not choose internal names distinct from the formula's symbols")


# --------------------------------------------------------------------------- checking


@dataclass
class _Check:
    """One ``check`` call: its answer, the premise indices in the core, and a model if sat."""

    answer: str  # "sat" | "unsat" | "unknown"
    core: tuple[int, ...] = ()
    reason: str = ""
    model: z3.ModelRef | None = None
    elapsed_s: float = 0.0
    rlimit_used: int = 0  # z3's deterministic resource count for this check

    @property
    def timed_out(self) -> bool:
        return self.answer == "unknown" and any(r in self.reason for r in _TIMEOUT_REASONS)


@dataclass
class _Session:
    """Runs checks on one encoded problem under a shared deadline."""

    problem: _Encoded
    deadline: float
    timeout_s: float
    minimize: bool
    max_core_to_minimize: int

    def check(
        self,
        premises: Iterable[int],
        extra: z3.BoolRef | None,
        *,
        want_model: bool = False,
        limit_s: float | None = None,
        rlimit: int = 0,
    ) -> _Check:
        """Check the premises with the given indices, plus ``extra`` (a goal tracker) if any,
        within the deadline (or ``limit_s``) and, if given, ``rlimit`` z3 resource units."""
        now = time.perf_counter()
        remaining = self.deadline - now if limit_s is None else min(limit_s, self.deadline - now)
        if remaining <= 0:
            return _Check("unknown", reason="timeout")
        solver = self.problem.solver
        solver.set("timeout", min(max(1, int(remaining * 1000)), _MAX_TIMEOUT_MS))
        solver.set("rlimit", rlimit)
        assumptions = [self.problem.trackers[i] for i in premises]
        if extra is not None:
            assumptions.append(extra)
        before = _rlimit_count(solver)
        answer = solver.check(*assumptions)
        elapsed = time.perf_counter() - now
        used = _rlimit_count(solver) - before
        if answer == z3.unsat:
            core = self._core_indices(solver.unsat_core())
            return _Check("unsat", core, elapsed_s=elapsed, rlimit_used=used)
        if answer == z3.sat:
            model = solver.model() if want_model else None
            return _Check("sat", model=model, elapsed_s=elapsed, rlimit_used=used)
        return _Check("unknown", reason=solver.reason_unknown(), elapsed_s=elapsed, rlimit_used=used)

    def _core_indices(self, core: z3.AstVector) -> tuple[int, ...]:
        index = self.problem.tracker_index
        return tuple(sorted(index[c.get_id()] for c in core if c.get_id() in index))

    def minimal_core(self, proved: _Check, extra: z3.BoolRef | None) -> tuple[int, ...]:
        """Shrink the core of the unsat check ``proved`` (made with ``extra``) by deletion: drop
        each premise whose removal keeps the check unsat.

        Every set kept was itself shown unsat, so the result still proves what the core proved.
        A trial that is not unsat within its budget keeps its premise: without it the problem may
        be satisfiable only in an infinite model, where z3 would otherwise spin until the
        deadline. The budget is counted in z3's resource units (twice what the proving check
        used, at least 50,000), not in seconds, so the core does not depend on how busy the
        machine is; a generous wall-clock cap only guards against a stalled check.
        """
        if not self.minimize or len(proved.core) > self.max_core_to_minimize:
            return proved.core
        budget = max(_MIN_TRIAL_RLIMIT, 2 * proved.rlimit_used)
        wall = max(_MIN_TRIAL_S, _TRIAL_WALL_FACTOR * proved.elapsed_s)
        kept = list(proved.core)
        i = 0
        while i < len(kept) and time.perf_counter() < self.deadline:
            trial = kept[:i] + kept[i + 1 :]
            result = self.check(trial, extra, limit_s=wall, rlimit=budget)
            if result.answer == "unsat":
                # the trial's own core may be smaller still; premises before i stay necessary
                kept = [j for j in trial if j in result.core]
            else:
                i += 1
        return tuple(kept)


def _rlimit_count(solver: z3.Solver) -> int:
    """z3's cumulative resource count for ``solver`` (deterministic, unlike time)."""
    stats = solver.statistics()
    for key in stats.keys():
        if key == "rlimit count":
            return int(stats.get_key_value(key))
    return 0


# --------------------------------------------------------------------------- the solver


class Z3Solver:
    """Decides whether premises entail a goal, its negation, or neither, with Z3."""

    name = "z3"

    def __init__(
        self,
        *,
        minimize_cores: bool = True,
        max_core_to_minimize: int = 24,
        max_model_atoms: int = 40,
    ) -> None:
        self.minimize_cores = minimize_cores
        self.max_core_to_minimize = max_core_to_minimize
        self.max_model_atoms = max_model_atoms

    def entails(
        self, premises: Sequence[Formula], goal: Formula, timeout_s: float = 10.0
    ) -> SolverResult:
        """True if premises ⊨ goal, False if premises ⊨ ¬goal, else Uncertain (see module doc)."""
        start = time.perf_counter()
        premises = list(premises)
        try:
            problem = _encode(premises, goal)
            session = _Session(
                problem,
                deadline=start + timeout_s,
                timeout_s=timeout_s,
                minimize=self.minimize_cores,
                max_core_to_minimize=self.max_core_to_minimize,
            )
            result = self._decide(session, premises, goal)
        except (z3.Z3Exception, EncodingError, SignatureError, RecursionError) as exc:
            result = SolverResult(None, Status.ERROR, self.name, message=_describe(exc))
        return _with_elapsed(result, time.perf_counter() - start)

    # -- decision

    def _decide(self, session: _Session, premises: list[Formula], goal: Formula) -> SolverResult:
        """Check premises ∧ ¬goal and premises ∧ goal; check premises alone only when needed.

        Either check being sat shows the premises consistent, so the premises-alone check runs
        only when both are unsat (to get the contradiction's core) or one is unsat and the other
        undecided (a proof from premises that might be inconsistent is not a verdict).
        """
        problem = session.problem
        everything = range(len(premises))
        checks: dict[str, _Check] = {}
        negated = checks["negated_goal"] = session.check(
            everything, problem.goal_neg, want_model=True
        )
        if negated.timed_out:
            return self._unknown(checks, session.timeout_s)
        positive = checks["goal"] = session.check(everything, problem.goal_pos)
        consistent = "sat" in (negated.answer, positive.answer)
        if "unsat" in (negated.answer, positive.answer) and not consistent:
            base = checks["premises"] = session.check(everything, None)
            if base.answer == "unsat":
                core = session.minimal_core(base, None)
                return self._inconsistent(premises, core, _summary(checks))
            if negated.answer == positive.answer == "unsat":
                core = tuple(sorted(set(negated.core) | set(positive.core)))
                return self._inconsistent(premises, core, _summary(checks))
            consistent = base.answer == "sat"
        if negated.answer == "unsat" and consistent:
            core = session.minimal_core(negated, problem.goal_neg)
            return self._proved(Verdict.TRUE, premises, goal, core, checks)
        if positive.answer == "unsat" and consistent:
            core = session.minimal_core(positive, problem.goal_pos)
            return self._proved(Verdict.FALSE, premises, goal, core, checks)
        if negated.answer == "sat" and positive.answer == "sat":
            proof = self._countermodel(problem.encoder, negated.model)
            return SolverResult(
                Verdict.UNCERTAIN, Status.OK, self.name, proof=proof, details=_summary(checks)
            )
        return self._unknown(checks, session.timeout_s)

    # -- results

    def _inconsistent(
        self, premises: list[Formula], core: tuple[int, ...], details: dict
    ) -> SolverResult:
        lines = ["The premises are jointly unsatisfiable (z3); these contradict each other:"]
        lines += [f"  [{i}] {to_unicode(premises[i])}" for i in core]
        return SolverResult(
            None,
            Status.INCONSISTENT,
            self.name,
            used_premises=core,
            proof="\n".join(lines),
            message="premises are inconsistent",
            details=details,
        )

    def _proved(
        self,
        verdict: Verdict,
        premises: list[Formula],
        goal: Formula,
        core: tuple[int, ...],
        checks: dict[str, _Check],
    ) -> SolverResult:
        added = "¬goal" if verdict is Verdict.TRUE else "goal"
        conclusion = goal if verdict is Verdict.TRUE else Not(goal)
        lines = [f"premises ∧ {added} is unsatisfiable (z3); premises used:"]
        lines += [f"  [{i}] {to_unicode(premises[i])}" for i in core]
        if not core:
            alone = "valid" if verdict is Verdict.TRUE else "unsatisfiable"
            lines.append(f"  (none: the goal is {alone} on its own)")
        lines.append(f"therefore: {to_unicode(conclusion)}")
        return SolverResult(
            verdict, Status.OK, self.name, used_premises=core, proof="\n".join(lines),
            details=_summary(checks),
        )

    def _unknown(self, answers: dict[str, _Check], timeout_s: float) -> SolverResult:
        """Status timeout whether z3 ran out of time or gave up: ``unknown`` is never a verdict."""
        reasons = "; ".join(f"{n}: {c.reason}" for n, c in answers.items() if c.reason)
        if any(c.timed_out for c in answers.values()):
            message = f"z3 timed out (limit {timeout_s:g} s): {reasons}"
        else:
            message = f"z3 returned unknown: {reasons}"
        details = _summary(answers)
        for key, verdict in (("negated_goal", Verdict.TRUE), ("goal", Verdict.FALSE)):
            if key in answers and answers[key].answer == "unsat":
                # a proof, but from premises z3 could not show consistent: not a verdict
                message += f"; {verdict.value} follows, but the premises may be inconsistent"
                details["proved_if_consistent"] = verdict.value
        return SolverResult(None, Status.TIMEOUT, self.name, message=message, details=details)

    def _countermodel(self, enc: _Encoder, model: z3.ModelRef | None) -> str:
        if model is None:
            return ""
        return _ModelPrinter(enc, model, self.max_model_atoms).render()


# --------------------------------------------------------------------------- countermodels


class _ModelPrinter:
    """A short readable rendering of a model of premises ∧ ¬goal."""

    def __init__(self, enc: _Encoder, model: z3.ModelRef, limit: int) -> None:
        self.enc = enc
        self.model = model
        self.limit = limit
        self.truncated = False
        self.universe = self._universe()
        self.labels = self._label_elements()

    def _universe(self) -> list[z3.ExprRef]:
        """The domain; where z3 left the sort out of the model, the constants' values."""
        if self.enc.sort in self.model.sorts():
            return list(self.model.get_universe(self.enc.sort))
        values = [
            self.model.eval(c, model_completion=True)
            for c in self.enc.constants.values() if c.sort() == self.enc.sort
        ]
        return list({v.get_id(): v for v in values}.values())

    def _label_elements(self) -> dict[int, str]:
        labels: dict[int, str] = {}
        for name, const in self.enc.constants.items():
            value = self.model.eval(const, model_completion=True)
            labels.setdefault(value.get_id(), name)
        for k, element in enumerate(self.universe):
            labels.setdefault(element.get_id(), f"#{k}")
        return labels

    def _label(self, value: z3.ExprRef) -> str:
        label = self.labels.get(value.get_id())
        if label is not None:
            return label
        if z3.is_int_value(value) and self.enc.sorts.scale != 1:
            return _unscaled(value.as_long(), self.enc.sorts.scale)
        return str(value)

    def _over_individuals(self, decl: z3.FuncDeclRef) -> bool:
        """Whether every argument is an individual (tuples of numbers are not listed)."""
        return all(decl.domain(i) == self.enc.sort for i in range(decl.arity()))

    def _tuples(self, arity: int) -> list[tuple[z3.ExprRef, ...]]:
        if len(self.universe) ** arity > 8 * self.limit:
            self.truncated = True
            return []
        return list(itertools.product(self.universe, repeat=arity))

    def render(self) -> str:
        lines = ["Countermodel (all premises true, goal false):"]
        size = len(self.universe)
        if size:
            names = sorted({self._label(e) for e in self.universe})
            lines.append(f"  domain: {size} element{'s' if size != 1 else ''}: {', '.join(names)}")
        aliases = self._aliases()
        if aliases:
            lines.append("  equal: " + ", ".join(aliases))
        true_atoms = self._true_atoms()
        lines.append("  true: " + (", ".join(true_atoms) if true_atoms else "(none)"))
        values = self._function_values()
        if values:
            lines.append("  functions: " + ", ".join(values))
        if self.truncated:
            lines.append("  (listing truncated)")
        else:
            lines.append("  every other atom is false")
        return "\n".join(lines)

    def _aliases(self) -> list[str]:
        out = []
        for name, const in self.enc.constants.items():
            label = self._label(self.model.eval(const, model_completion=True))
            if label != name:
                out.append(f"{name} = {label}")
        return out

    def _true_atoms(self) -> list[str]:
        atoms: list[str] = []
        for name, prop in self.enc.propositions.items():
            if z3.is_true(self.model.eval(prop, model_completion=True)):
                atoms.append(name)
        for name, decl in self.enc.predicates.items():
            if not self._over_individuals(decl):
                continue
            for args in self._tuples(decl.arity()):
                if z3.is_true(self.model.eval(decl(*args), model_completion=True)):
                    atoms.append(f"{name}({', '.join(self._label(a) for a in args)})")
                if len(atoms) >= self.limit:
                    self.truncated = True
                    return atoms
        return atoms

    def _function_values(self) -> list[str]:
        out: list[str] = []
        for name, decl in self.enc.functions.items():
            if not self._over_individuals(decl):
                continue
            for args in self._tuples(decl.arity()):
                value = self.model.eval(decl(*args), model_completion=True)
                labels = ", ".join(self._label(a) for a in args)
                out.append(f"{name}({labels}) = {self._label(value)}")
                if len(out) >= self.limit:
                    self.truncated = True
                    return out
        return out


# --------------------------------------------------------------------------- helpers


def _unscaled(value: int, scale: int) -> str:
    text = format(Decimal(value) / Decimal(scale), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _summary(answers: dict[str, _Check]) -> dict:
    return {"checks": {name: check.answer for name, check in answers.items()}}


def _describe(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "formula too deeply nested to encode"
    text = getattr(exc, "value", None) or str(exc)
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    return f"{type(exc).__name__}: {text}"


def _with_elapsed(result: SolverResult, elapsed: float) -> SolverResult:
    return dataclasses.replace(result, elapsed_s=elapsed)
