"""Forward chaining over a rule base: the reading of ProofWriter's generator and Logic-LM's Pyke.

The premises are read as a logic program (the "rule-base" reading), not as classical sentences:

* a **literal** is an atom ``P(t1, …, tn)`` or a negated atom. ``¬P(a)`` is a fact of its own,
  never inferred by contraposition or case analysis;
* a **fact** is a ground literal (a conjunction of them is several facts);
* a **rule** is ``∀x̄ (L1 ∧ … ∧ Ln → H)`` with a literal or conjunction as head. Equivalent
  shapes are accepted too: curried ``A → (B → H)``, a ``∀`` in a head, ``∃`` or ``∨`` in a
  condition, ``¬¬L``, and ``∀x P(x)``. A head variable missing from the condition ranges over
  the problem's constants;
* anything else (``∃`` or ``∨`` outside a condition, ``⊕``, ``↔``, ``=``, functions, numbers, a
  negated compound, a ``∀`` in a condition) is outside the fragment.

The closure is computed by semi-naive forward chaining to a fixpoint, bounded by
``max_literals`` and ``timeout_s``. The conclusion is a ground literal or a conjunction: **True**
if every conjunct is derived, **False** if a complement is, else **Uncertain** (open world). A
closure with ``P(a)`` and ``¬P(a)`` is ``inconsistent``. ``used_premises`` and ``proof`` follow
each literal's shallowest derivation. Input outside the fragment gives status ``error`` naming
the formula (:func:`compile_program` raises :class:`UnsupportedFormula`).

This is what ProofWriter's labels mean; where classical logic (Z3, Prover9) differs, its verdict
is the stronger one.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence

from .errors import SolverError
from .fol import Formula
from .fol import Var
from .fol import to_unicode
from .formula_ref import FormulaRef
from .forward_program import Closure
from .forward_program import Literal
from .forward_program import Program
from .forward_program import Rule
from .forward_program import Step
from .forward_program import UnsupportedFormula
from .forward_program import compile_goal
from .forward_program import compile_program
from .result import SolverResult
from .result import Status
from .result import Verdict

__all__ = [
    "Closure",
    "ForwardChainingSolver",
    "Literal",
    "Program",
    "Rule",
    "UnsupportedFormula",
    "compile_goal",
    "compile_program",
    "forward_closure",
]


class ClosureLimit(SolverError):
    """The closure grew past ``max_literals`` or the time ran out; ``formula`` is the premise
    whose instances were too many, where one was."""

    def __init__(self, message: str, formula: FormulaRef | None = None) -> None:
        super().__init__(message)
        self.formula = formula


# --------------------------------------------------------------------------- chaining


class _Index:
    """Ground literals by (name, negated), for matching rule conditions."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, bool], list[tuple[str, ...]]] = defaultdict(list)

    def add(self, lit: Literal) -> None:
        self.by_key[(lit.name, lit.negated)].append(lit.args)  # type: ignore[arg-type]

    def candidates(self, pattern: Literal) -> list[tuple[str, ...]]:
        return self.by_key.get((pattern.name, pattern.negated), [])


def _match(
    pattern: Literal, args: tuple[str, ...], binding: dict[Var, str]
) -> dict[Var, str] | None:
    """``binding`` extended so ``pattern`` becomes the literal with ``args``, or ``None``."""
    if len(args) != len(pattern.args):
        return None
    out = binding
    for p, a in zip(pattern.args, args):
        if isinstance(p, Var):
            bound = out.get(p)
            if bound is None:
                out = {**out, p: a}
            elif bound != a:
                return None
        elif p != a:
            return None
    return out


class _Chainer:
    """Semi-naive forward chaining of a :class:`Program` to its fixpoint, within the limits."""

    _CHECK_EVERY = 4096

    def __init__(self, program: Program, timeout_s: float, max_literals: int) -> None:
        self.program = program
        self.timeout_s = timeout_s
        self.deadline = time.perf_counter() + timeout_s
        self.max_literals = max_literals
        self.closure = Closure()
        self.full = _Index()
        self.work = 0

    def run(self) -> Closure:
        """Facts first, then rounds of rule firing until a round adds nothing."""
        delta = self.add_round(self.initial())
        while delta is not None:
            self.closure.rounds += 1
            self.check_deadline()
            delta = self.add_round(self.fire(delta))
        return self.closure

    def tick(self) -> None:
        """Count a unit of work; check the deadline now and then."""
        self.work += 1
        if self.work % self._CHECK_EVERY == 0:
            self.check_deadline()

    def check_deadline(self) -> None:
        if time.perf_counter() > self.deadline:
            raise ClosureLimit(
                f"timed out (limit {self.timeout_s:g} s) after "
                f"{_count(self.closure.rounds, 'round')}, {_count(len(self.closure), 'literal')}"
            )

    def initial(self) -> Iterator[Step]:
        """Facts and universal facts (rules without a condition), instantiated."""
        for rule in self.program.rules:
            if not rule.body:
                yield from self.instances(rule, {}, ())

    def fire(self, delta: _Index) -> Iterator[Step]:
        """Each rule, with at least one condition matched by a literal new in the last round."""
        for rule in self.program.rules:
            n = len(rule.body)
            for j in range(n):
                body = [rule.body[j], *(rule.body[k] for k in range(n) if k != j)]
                indexes = [delta, *[self.full] * (n - 1)]
                for binding in self.joins(body, indexes, {}):
                    parents = tuple(lit.substitute(binding) for lit in rule.body)
                    yield from self.instances(rule, binding, parents)

    def joins(
        self, body: Sequence[Literal], indexes: Sequence[_Index], binding: dict[Var, str]
    ) -> Iterator[dict[Var, str]]:
        """Every binding that matches ``body[i]`` against ``indexes[i]`` for all ``i``."""
        if not body:
            yield binding
            return
        for args in indexes[0].candidates(body[0]):
            self.tick()
            extended = _match(body[0], args, binding)
            if extended is not None:
                yield from self.joins(body[1:], indexes[1:], extended)

    def instances(
        self, rule: Rule, binding: dict[Var, str], parents: tuple[Literal, ...]
    ) -> Iterator[Step]:
        """The head under ``binding``, its unbound variables ranging over the constants."""
        free = rule.free_head_variables()
        if len(self.program.constants) ** len(free) > self.max_literals:
            premise = FormulaRef.premise(rule.premise)
            raise ClosureLimit(f"{premise} has too many instances", premise)
        for values in itertools.product(self.program.constants, repeat=len(free)):
            full = {**binding, **dict(zip(free, values))}
            shown = tuple(sorted((v.name, c) for v, c in full.items()))
            head = rule.head.substitute(full)
            yield Step(head, rule.premise, shown, parents, self.closure.rounds)

    def add_round(self, steps: Iterable[Step]) -> _Index | None:
        """Add the new literals among ``steps`` (all computed before any is added, so a round
        sees only earlier rounds); the index of those added, ``None`` if none."""
        new: dict[Literal, Step] = {}
        for step in steps:
            self.tick()
            if step.literal not in self.closure.steps and step.literal not in new:
                new[step.literal] = step
                if len(self.closure) + len(new) > self.max_literals:
                    raise ClosureLimit(f"the closure exceeds {self.max_literals} literals")
        if not new:
            return None
        delta = _Index()
        for literal, step in new.items():
            self.closure.steps[literal] = step
            self.full.add(literal)
            delta.add(literal)
        return delta


def forward_closure(
    program: Program, *, timeout_s: float = 10.0, max_literals: int = 100_000
) -> Closure:
    """Every literal the program derives; :class:`ClosureLimit` past either bound."""
    return _Chainer(program, timeout_s, max_literals).run()


# --------------------------------------------------------------------------- the solver


class ForwardChainingSolver:
    """Decides entailment under the rule-base reading by forward chaining (see the module doc)."""

    name = "forward"

    def __init__(self, *, max_literals: int = 100_000, max_listed: int = 40) -> None:
        self.max_literals = max_literals
        self.max_listed = max_listed

    def entails(
        self, premises: Sequence[Formula], goal: Formula, timeout_s: float = 10.0
    ) -> SolverResult:
        """True if the closure holds the goal, False if it holds its complement, else Uncertain."""
        start = time.perf_counter()
        try:
            program = compile_program(premises, goal)
            closure = forward_closure(program, timeout_s=timeout_s, max_literals=self.max_literals)
            result = self._decide(program, closure, program.goals)
        except UnsupportedFormula as exc:
            result = SolverResult(
                None,
                Status.ERROR,
                self.name,
                message=str(exc),
                details={"unsupported": True},
                formula=exc.formula,
            )
        except ClosureLimit as exc:
            result = SolverResult(
                None,
                Status.TIMEOUT,
                self.name,
                message=f"forward chaining stopped: {exc}",
                formula=exc.formula,
            )
        return dataclasses.replace(result, elapsed_s=time.perf_counter() - start)

    def _decide(self, program: Program, closure: Closure, goals: list[Literal]) -> SolverResult:
        details = {"rounds": closure.rounds, "closure_size": len(closure)}
        conflict = next(closure.conflicts(), None)
        if conflict is not None:
            return self._inconsistent(program, closure, conflict, details)
        if all(g in closure for g in goals):
            return self._proved(Verdict.TRUE, program, closure, goals, details)
        refuted = next((g for g in goals if g.complement() in closure), None)
        if refuted is not None:
            return self._proved(Verdict.FALSE, program, closure, [refuted.complement()], details)
        return SolverResult(
            Verdict.UNCERTAIN,
            Status.OK,
            self.name,
            proof=self._undecided(closure, goals),
            details=details,
        )

    def _proved(
        self,
        verdict: Verdict,
        program: Program,
        closure: Closure,
        derived: list[Literal],
        details: dict,
    ) -> SolverResult:
        steps = closure.support(derived)
        used = tuple(sorted({s.premise for s in steps}))
        lines = ["Derived by forward chaining (rule-base reading):"]
        lines += _render_steps(steps, program)
        conclusion = " ∧ ".join(map(str, derived))
        lines.append(
            f"therefore: {conclusion}"
            if verdict is Verdict.TRUE
            else f"therefore: {conclusion}, so the conclusion is false"
        )
        return SolverResult.decided(self.name, verdict, used, lines, details)

    def _inconsistent(
        self, program: Program, closure: Closure, conflict: Literal, details: dict
    ) -> SolverResult:
        steps = closure.support([conflict, conflict.complement()])
        used = tuple(sorted({s.premise for s in steps}))
        lines = [f"The premises derive both {conflict} and {conflict.complement()}:"]
        lines += _render_steps(steps, program)
        return SolverResult.inconsistent(self.name, used, "\n".join(lines), details=details)

    def _undecided(self, closure: Closure, goals: list[Literal]) -> str:
        goal_text = " ∧ ".join(map(str, goals))
        lines = [
            f"Forward chaining reached a fixpoint after {_count(closure.rounds, 'round')} with "
            f"{_count(len(closure), 'literal')}; it derives neither {goal_text} nor its negation."
        ]
        shown = list(closure.steps)[: self.max_listed]
        lines.append(
            "  derived: "
            + (", ".join(map(str, shown)) or "(nothing)")
            + (", …" if len(closure) > len(shown) else "")
        )
        return "\n".join(lines)


def _render_steps(steps: list[Step], program: Program) -> list[str]:
    """Numbered derivation lines: a premise stated, or a rule applied to earlier lines."""
    number = {s.literal: k for k, s in enumerate(steps, 1)}
    lines = []
    for k, step in enumerate(steps, 1):
        source = f"[{step.premise}] {to_unicode(program.premises[step.premise])}"
        how = f"premise {source}"
        if step.parents or step.binding:
            how = f"by {source}"
            if step.binding:
                how += " with " + ", ".join(f"{v} = {c}" for v, c in step.binding)
            if step.parents:
                how += " from " + ", ".join(f"({number[p]})" for p in step.parents)
        lines.append(f"  ({k}) {step.literal}    {how}")
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
