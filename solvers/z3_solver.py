"""In-process Z3: entailment, unsat cores as the premises used, models as countermodels.

Encoding: one uninterpreted sort ``U``; predicates are Bool-valued functions over ``U`` (0-ary
ones Bool constants), individual constants are constants of sort ``U``, functions map ``U^n`` to
``U``, quantifiers bind fresh constants. Names are used exactly as given.

Every call gets its own ``z3.Context`` (so calls are independent and thread-safe) and one
``z3.Solver``. Each premise is asserted as ``t_i → premise_i`` with a Boolean tracker ``t_i``, the
goal as ``g⁺ → goal`` and ``g⁻ → ¬goal``; the three questions (premises alone, with ¬goal, with
goal) are then ``check`` calls under different assumptions, and an unsat core maps back to
premise indices.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import z3

from solvers.fol import (
    And,
    Const,
    Eq,
    Exists,
    Forall,
    Formula,
    Func,
    Iff,
    Implies,
    Not,
    Or,
    Pred,
    Term,
    Var,
    Xor,
    to_unicode,
)
from solvers.result import SolverResult, Status, Verdict

__all__ = ["Z3Solver", "EncodingError"]

_TIMEOUT_REASONS = ("timeout", "canceled", "cancelled", "resource limit")


class EncodingError(Exception):
    """A formula cannot be encoded (free variable, a symbol used with two kinds or arities)."""


# --------------------------------------------------------------------------- encoding


class _Encoder:
    """Translates FOL trees to Z3 terms in one context, declaring symbols on first use."""

    def __init__(self, ctx: z3.Context, separator: str = "!") -> None:
        self.ctx = ctx
        self.sort = z3.DeclareSort("U", ctx)
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
            expr = self.constants[name] = z3.Const(name, self.sort)
        return expr

    def _function(self, name: str, arity: int) -> z3.FuncDeclRef:
        decl = self.functions.get(name)
        if decl is None or decl.arity() != arity:
            self._declare(name, "function", arity)
            decl = self.functions[name] = z3.Function(name, *[self.sort] * (arity + 1))
        return decl

    def _predicate(self, name: str, arity: int) -> z3.FuncDeclRef:
        decl = self.predicates.get(name)
        if decl is None or decl.arity() != arity:
            self._declare(name, "predicate", arity)
            decl = self.predicates[name] = z3.Function(
                name, *[self.sort] * arity, self.bool_sort
            )
        return decl

    def _proposition(self, name: str) -> z3.BoolRef:
        expr = self.propositions.get(name)
        if expr is None:
            self._declare(name, "predicate", 0)
            expr = self.propositions[name] = z3.Bool(name, self.ctx)
        return expr

    # -- translation

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
            return self._function(t.name, len(args))(*args)
        raise EncodingError(f"not a term: {t!r}")

    def formula(self, f: Formula, env: dict[str, z3.ExprRef] | None = None) -> z3.BoolRef:
        """The Z3 term for ``f``; ``env`` maps bound variable names to their constants."""
        env = {} if env is None else env
        if isinstance(f, Pred):
            if not f.args:
                return self._proposition(f.name)
            args = [self.term(a, env) for a in f.args]
            return self._predicate(f.name, len(args))(*args)
        if isinstance(f, Eq):
            return self.term(f.left, env) == self.term(f.right, env)
        if isinstance(f, Not):
            return z3.Not(self.formula(f.body, env))
        if isinstance(f, And):
            return z3.And([self.formula(p, env) for p in f.parts])
        if isinstance(f, Or):
            return z3.Or([self.formula(p, env) for p in f.parts])
        if isinstance(f, Xor):
            return z3.Xor(self.formula(f.left, env), self.formula(f.right, env))
        if isinstance(f, Implies):
            return z3.Implies(self.formula(f.left, env), self.formula(f.right, env))
        if isinstance(f, Iff):
            return self.formula(f.left, env) == self.formula(f.right, env)
        if isinstance(f, (Forall, Exists)):
            bound = z3.Const(self.fresh_name(f.var), self.sort)
            body = self.formula(f.body, {**env, f.var: bound})
            return (z3.ForAll if isinstance(f, Forall) else z3.Exists)([bound], body)
        raise EncodingError(f"not a formula: {f!r}")


@dataclass
class _Encoded:
    """A problem in one context: the encoder, premise/goal terms and their trackers."""

    encoder: _Encoder
    solver: z3.Solver
    trackers: list[z3.BoolRef]
    goal_pos: z3.BoolRef
    goal_neg: z3.BoolRef


def _encode(premises: Sequence[Formula], goal: Formula) -> _Encoded:
    """Encode everything in a fresh context, retrying if an internal name hits a user name."""
    for separator in ("!", "!!", "!#!", "!#$%!"):
        ctx = z3.Context()
        enc = _Encoder(ctx, separator)
        premise_terms = [enc.formula(p) for p in premises]
        goal_term = enc.formula(goal)
        trackers = [z3.Bool(enc.fresh_name("premise"), ctx) for _ in premises]
        goal_pos = z3.Bool(enc.fresh_name("goal"), ctx)
        goal_neg = z3.Bool(enc.fresh_name("not_goal"), ctx)
        if enc.collisions():
            continue
        solver = z3.Solver(ctx=ctx)
        for tracker, term in zip(trackers, premise_terms):
            solver.add(z3.Implies(tracker, term))
        solver.add(z3.Implies(goal_pos, goal_term), z3.Implies(goal_neg, z3.Not(goal_term)))
        return _Encoded(enc, solver, trackers, goal_pos, goal_neg)
    raise EncodingError("could not choose internal names distinct from the formula's symbols")


# --------------------------------------------------------------------------- checking


@dataclass
class _Check:
    """One ``check`` call: its answer, the premise indices in the core, and a model if sat."""

    answer: str  # "sat" | "unsat" | "unknown"
    core: tuple[int, ...] = ()
    reason: str = ""
    model: z3.ModelRef | None = None

    @property
    def timed_out(self) -> bool:
        return self.answer == "unknown" and any(r in self.reason for r in _TIMEOUT_REASONS)


@dataclass
class _Session:
    """Runs checks on one encoded problem under a shared deadline."""

    problem: _Encoded
    deadline: float
    minimize: bool
    max_core_to_minimize: int
    checks: list[str] = field(default_factory=list)

    def check(self, premises: Sequence[int], extra: z3.BoolRef | None, want_model: bool = False) -> _Check:
        """Check the premises with the given indices, plus ``extra`` (a goal tracker) if any."""
        remaining_ms = int((self.deadline - time.perf_counter()) * 1000)
        if remaining_ms <= 0:
            return _Check("unknown", reason="timeout")
        solver = self.problem.solver
        solver.set("timeout", remaining_ms)
        assumptions = [self.problem.trackers[i] for i in premises]
        if extra is not None:
            assumptions.append(extra)
        answer = solver.check(*assumptions)
        if answer == z3.unsat:
            return _Check("unsat", core=self._core_indices(solver.unsat_core()))
        if answer == z3.sat:
            return _Check("sat", model=solver.model() if want_model else None)
        return _Check("unknown", reason=solver.reason_unknown())

    def _core_indices(self, core: z3.AstVector) -> tuple[int, ...]:
        index = {t.get_id(): i for i, t in enumerate(self.problem.trackers)}
        return tuple(sorted(index[c.get_id()] for c in core if c.get_id() in index))

    def minimal_core(self, core: tuple[int, ...], extra: z3.BoolRef | None) -> tuple[int, ...]:
        """Deletion-based shrinking: drop each premise whose removal keeps the check unsat."""
        if not self.minimize or len(core) > self.max_core_to_minimize:
            return core
        kept = list(core)
        i = 0
        while i < len(kept):
            trial = kept[:i] + kept[i + 1 :]
            result = self.check(trial, extra)
            if result.answer == "unsat":
                kept = [j for j in trial if j in result.core]
                # the core of the trial may be smaller still; indices before i stay needed
            else:
                if result.timed_out:
                    break
                i += 1
        return tuple(kept)


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
                problem, start + timeout_s, self.minimize_cores, self.max_core_to_minimize
            )
            result = self._decide(session, premises, goal)
        except (z3.Z3Exception, EncodingError, RecursionError) as exc:
            result = SolverResult(None, Status.ERROR, self.name, message=_describe(exc))
        return _with_elapsed(result, time.perf_counter() - start)

    # -- decision

    def _decide(self, session: _Session, premises: list[Formula], goal: Formula) -> SolverResult:
        problem = session.problem
        everything = range(len(premises))
        base = session.check(everything, None)
        if base.answer == "unsat":
            core = session.minimal_core(base.core, None)
            return self._inconsistent(premises, core, {"premises": "unsat"})
        if base.timed_out:
            return self._unknown({"premises": base}, Status.TIMEOUT)
        negated = session.check(everything, problem.goal_neg, want_model=True)
        if negated.answer == "unsat" and base.answer == "sat":
            core = session.minimal_core(negated.core, problem.goal_neg)
            return self._proved(Verdict.TRUE, premises, goal, core, base, negated, None)
        if negated.timed_out:
            return self._unknown({"premises": base, "negated_goal": negated}, Status.TIMEOUT)
        positive = session.check(everything, problem.goal_pos)
        return self._combine(session, premises, goal, base, negated, positive)

    def _combine(
        self,
        session: _Session,
        premises: list[Formula],
        goal: Formula,
        base: _Check,
        negated: _Check,
        positive: _Check,
    ) -> SolverResult:
        """The verdict from all three checks (only reached when the first two did not settle it)."""
        problem = session.problem
        consistent = "sat" in (base.answer, negated.answer, positive.answer)
        answers = {"premises": base, "negated_goal": negated, "goal": positive}
        if negated.answer == "unsat" and positive.answer == "unsat":
            core = tuple(sorted(set(negated.core) | set(positive.core)))
            return self._inconsistent(premises, core, _summary(answers))
        if negated.answer == "unsat" and consistent:
            core = session.minimal_core(negated.core, problem.goal_neg)
            return self._proved(Verdict.TRUE, premises, goal, core, base, negated, positive)
        if positive.answer == "unsat" and consistent:
            core = session.minimal_core(positive.core, problem.goal_pos)
            return self._proved(Verdict.FALSE, premises, goal, core, base, negated, positive)
        if negated.answer == "sat" and positive.answer == "sat":
            proof = self._countermodel(problem.encoder, negated.model)
            return SolverResult(
                Verdict.UNCERTAIN, Status.OK, self.name, proof=proof, details=_summary(answers)
            )
        return self._unknown(answers, Status.TIMEOUT)

    # -- results

    def _inconsistent(
        self, premises: list[Formula], core: tuple[int, ...], checks: dict[str, str]
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
            details={"checks": checks},
        )

    def _proved(
        self,
        verdict: Verdict,
        premises: list[Formula],
        goal: Formula,
        core: tuple[int, ...],
        *checks: _Check | None,
    ) -> SolverResult:
        added = "¬goal" if verdict is Verdict.TRUE else "goal"
        conclusion = goal if verdict is Verdict.TRUE else Not(goal)
        lines = [f"premises ∧ {added} is unsatisfiable (z3); premises used:"]
        lines += [f"  [{i}] {to_unicode(premises[i])}" for i in core]
        if not core:
            lines.append("  (none: the goal is valid or unsatisfiable on its own)")
        lines.append(f"therefore: {to_unicode(conclusion)}")
        names = ("premises", "negated_goal", "goal")
        answers = {n: c for n, c in zip(names, checks) if c is not None}
        return SolverResult(
            verdict, Status.OK, self.name, used_premises=core, proof="\n".join(lines),
            details=_summary(answers),
        )

    def _unknown(self, answers: dict[str, _Check], status: Status) -> SolverResult:
        reasons = [f"{n}: {c.answer} ({c.reason})" for n, c in answers.items() if c.reason]
        message = "z3 could not decide: " + "; ".join(reasons)
        return SolverResult(None, status, self.name, message=message, details=_summary(answers))

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
        universe = model.get_universe(enc.sort) if enc.sort in model.sorts() else None
        self.universe: list[z3.ExprRef] = list(universe) if universe is not None else []
        self.labels = self._label_elements()

    def _label_elements(self) -> dict[int, str]:
        labels: dict[int, str] = {}
        for name, const in self.enc.constants.items():
            value = self.model.eval(const, model_completion=True)
            labels.setdefault(value.get_id(), name)
        for k, element in enumerate(self.universe):
            labels.setdefault(element.get_id(), f"#{k}")
        return labels

    def _label(self, value: z3.ExprRef) -> str:
        return self.labels.get(value.get_id(), str(value))

    def _tuples(self, arity: int) -> list[tuple[z3.ExprRef, ...]]:
        if len(self.universe) ** arity > 8 * self.limit:
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
        true_atoms, truncated = self._true_atoms()
        lines.append("  true: " + (", ".join(true_atoms) if true_atoms else "(none)"))
        values = self._function_values()
        if values:
            lines.append("  functions: " + ", ".join(values))
        if truncated:
            lines.append("  (listing truncated)")
        lines.append("  every other atom is false")
        return "\n".join(lines)

    def _aliases(self) -> list[str]:
        out = []
        for name, const in self.enc.constants.items():
            label = self._label(self.model.eval(const, model_completion=True))
            if label != name:
                out.append(f"{name} = {label}")
        return out

    def _true_atoms(self) -> tuple[list[str], bool]:
        atoms: list[str] = []
        for name, prop in self.enc.propositions.items():
            if z3.is_true(self.model.eval(prop, model_completion=True)):
                atoms.append(name)
        for name, decl in self.enc.predicates.items():
            for args in self._tuples(decl.arity()):
                if z3.is_true(self.model.eval(decl(*args), model_completion=True)):
                    atoms.append(f"{name}({', '.join(self._label(a) for a in args)})")
                if len(atoms) >= self.limit:
                    return atoms, True
        return atoms, False

    def _function_values(self) -> list[str]:
        out: list[str] = []
        for name, decl in self.enc.functions.items():
            for args in self._tuples(decl.arity()):
                value = self.model.eval(decl(*args), model_completion=True)
                labels = ", ".join(self._label(a) for a in args)
                out.append(f"{name}({labels}) = {self._label(value)}")
                if len(out) >= self.limit:
                    return out
        return out


# --------------------------------------------------------------------------- helpers


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
    return SolverResult(
        result.verdict,
        result.status,
        result.solver,
        used_premises=result.used_premises,
        proof=result.proof,
        message=result.message,
        elapsed_s=elapsed,
        details=result.details,
    )
