"""In-process Z3: entailment, unsat cores as the premises used, models as countermodels.

Encoding (:mod:`solvers.z3_encoding`): one uninterpreted sort ``U``, Bool-valued predicates,
and Z3's integers where the program uses numbers (so ``3 ≠ 4`` and ``9.5 > 9`` hold);
countermodels (:mod:`solvers.z3_models`) show numbers unscaled.

Every call gets its own ``z3.Context``, so no result depends on another. Premise ``i`` is
asserted as ``t_i → premise_i`` with a tracker ``t_i``, the goal as ``g⁺ → goal`` and
``g⁻ → ¬goal``; each question is a ``check`` under assumptions, and an unsat core maps back to
premise indices. An ``unknown`` from z3 never becomes a verdict.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass

import z3

from solvers.errors import SignatureError
from solvers.fol import Formula
from solvers.fol import Not
from solvers.fol import to_unicode
from solvers.result import SolverResult
from solvers.result import Status
from solvers.result import Verdict

from .z3_encoding import Encoded
from .z3_encoding import Encoder
from .z3_encoding import EncodingError
from .z3_encoding import encode
from .z3_models import ModelPrinter

__all__ = ["Z3Solver", "EncodingError"]

_TIMEOUT_REASONS = ("timeout", "canceled", "cancelled", "resource limit")
_MAX_TIMEOUT_MS = 2**32 - 1
_MIN_TRIAL_RLIMIT = 50_000  # z3 resource units: a trial's deterministic budget floor
_TRIAL_WALL_FACTOR = 50  # a trial's wall-clock cap, in multiples of the proving check's time
_MIN_TRIAL_S = 1.0


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

    problem: Encoded
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
        return _Check(
            "unknown", reason=solver.reason_unknown(), elapsed_s=elapsed, rlimit_used=used
        )

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
            problem = encode(premises, goal)
            session = _Session(
                problem,
                deadline=start + timeout_s,
                timeout_s=timeout_s,
                minimize=self.minimize_cores,
                max_core_to_minimize=self.max_core_to_minimize,
            )
            result = self._decide(session, premises, goal)
        except (z3.Z3Exception, EncodingError, SignatureError, RecursionError) as exc:
            formula = exc.formula if isinstance(exc, SignatureError) else None
            result = SolverResult(
                None, Status.ERROR, self.name, message=_describe(exc), formula=formula
            )
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
        return SolverResult.inconsistent(self.name, core, "\n".join(lines), details=details)

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
        return SolverResult.decided(self.name, verdict, core, lines, _summary(checks))

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

    def _countermodel(self, enc: Encoder, model: z3.ModelRef | None) -> str:
        if model is None:
            return ""
        return ModelPrinter(enc, model, self.max_model_atoms).render()


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
    return dataclasses.replace(result, elapsed_s=elapsed)
