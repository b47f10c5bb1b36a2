"""Prover9 as a subprocess: entailment with proofs and the premises they use.

Each question runs Prover9 twice in parallel, for the goal and for its negation: a proof gives
True or False. A proof that never uses the denied goal, or proofs both ways, give
``inconsistent``. With no proof, "sos empty" in both gives Uncertain, an exhausted limit
``timeout``. Prover9's ``auto_limits`` may discard clauses, so
``details["runs"][...]["saturated"]`` says whether an empty sos was a saturated search.

:mod:`solvers.prover9_input` writes the input (with a symbol map that keeps Prover9's conventions
from changing a meaning); :mod:`solvers.prover9_binary` finds the binary.
"""

from __future__ import annotations

import math
import re
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .fol import Formula
from .fol import Not
from .fol import free_variables
from .formula_ref import FormulaRef
from .formula_ref import program_refs
from .prover9_binary import cache_dir
from .prover9_binary import find_prover9
from .prover9_input import MAX_MEGS
from .prover9_input import Prover9Names
from .prover9_input import render_input
from .prover9_process import KILL_MARGIN_S
from .prover9_process import MEMORY_LIMIT_BYTES
from .prover9_process import Prover9Run
from .prover9_process import finish_run
from .prover9_process import kill_group
from .prover9_process import start_run
from .result import SolverResult
from .result import Status
from .result import Verdict
from .sorts import is_numeric

__all__ = [
    "MAX_MEGS",
    "MEMORY_LIMIT_BYTES",
    "Prover9Names",
    "Prover9Run",
    "Prover9Solver",
    "cache_dir",
    "find_prover9",
    "render_input",
]

NEEDS_ARITHMETIC = (
    "needs arithmetic: the formulas use numbers or comparisons (< > ≤ ≥), which Prover9 cannot "
    "decide; use z3"
)
"""The error Prover9 reports on a numeric problem."""


# --------------------------------------------------------------------------- reading output

_PROOF_START = re.compile(r"^=+ PROOF =+$", re.M)
_PROOF_END = re.compile(r"^=+ end of proof =+$", re.M)
_PREMISE_LABEL = re.compile(r"# label\(p(\d+)\)")
_GOAL_USE = re.compile(r"\[(?:goal|deny\(\d+\))\]\.$|# label\(goal\)", re.M)
_STAT = re.compile(r"\b(Deleted_by_rule|Sos_limit_deleted|Sos_displaced)=(\d+)")


@dataclass(frozen=True)
class _Proof:
    text: str
    premises: tuple[int, ...]
    uses_goal: bool


def _parse_proof(output: str) -> _Proof | None:
    """The first proof block, the premise labels it uses and whether it uses the goal."""
    start = _PROOF_START.search(output)
    if start is None:
        return None
    end = _PROOF_END.search(output, start.end())
    text = output[start.end() : end.start() if end else len(output)].strip()
    premises = tuple(sorted({int(n) for n in _PREMISE_LABEL.findall(text)}))
    return _Proof(text, premises, bool(_GOAL_USE.search(text)))


def _saturated(output: str) -> bool | None:
    """Whether the search discarded no clauses (weight/sos limits); ``None`` if no statistics."""
    counts = [int(n) for _, n in _STAT.findall(output)]
    return None if not counts else not any(counts)


def _error_message(run: Prover9Run) -> str:
    """Prover9's own complaint (``%%ERROR`` lines and the marked input), else a summary."""
    lines = [ln.strip() for ln in run.output.splitlines()]
    picked = [ln for ln in lines if "%%ERROR" in ln or "%%START ERROR%%" in ln]
    picked = picked or [ln for ln in lines if ln.startswith("Fatal error")][:1]
    if picked:
        return " ".join(picked)
    stderr = " ".join(run.errors.split())[-500:]
    return f"ended with {run.reason} and no proof" + (f": {stderr}" if stderr else "")


# --------------------------------------------------------------------------- the solver


@dataclass(frozen=True)
class _Direction:
    """One of the two searches: premises ⊢ goal (``goal``) or premises ⊢ ¬goal."""

    label: str
    run: Prover9Run
    proof: _Proof | None

    def summary(self) -> dict[str, object]:
        saturated = _saturated(self.run.output) if self.run.search_failed else None
        seconds = round(self.run.elapsed_s, 6)
        return {"exit": self.run.reason, "seconds": seconds, "saturated": saturated}


class Prover9Solver:
    """Entailment with Prover9 run as a subprocess under hard time and memory limits."""

    name = "prover9"

    def __init__(
        self,
        binary: Path | str | None = None,
        *,
        memory_limit_bytes: int = MEMORY_LIMIT_BYTES,
        max_megs: int = MAX_MEGS,
    ) -> None:
        self._binary = Path(binary).absolute() if binary is not None else None
        self.memory_limit_bytes = memory_limit_bytes
        self.max_megs = max_megs

    @property
    def binary(self) -> Path:
        """The Prover9 binary (located on first use; :class:`SolverUnavailable` if none)."""
        if self._binary is None:
            self._binary = find_prover9()
        return self._binary

    def entails(
        self, premises: Sequence[Formula], goal: Formula, timeout_s: float = 10.0
    ) -> SolverResult:
        """True / False / Uncertain, or ``inconsistent`` / ``timeout`` / ``error`` (module doc)."""
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        start = time.perf_counter()
        premises = list(premises)
        binary = self.binary
        problem, culprit = self._free_variable_error(premises, goal)
        if problem:
            return self._result(None, Status.ERROR, start, message=problem, formula=culprit)
        if is_numeric([*premises, goal]):
            return self._result(
                None,
                Status.ERROR,
                start,
                message=NEEDS_ARITHMETIC,
                details={"needs_arithmetic": True},
            )
        max_seconds = max(1, math.ceil(timeout_s))
        try:
            names = Prover9Names([*premises, goal])
            texts = {
                label: render_input(premises, target, names, max_seconds, self.max_megs)
                for label, target in (("goal", goal), ("negated_goal", Not(goal)))
            }
        except RecursionError:
            return self._result(None, Status.ERROR, start, message="formula too deeply nested")
        runs = self._run_all(binary, texts, timeout_s + KILL_MARGIN_S)
        directions = [
            _Direction(k, r, _parse_proof(r.output) if r.proved else None) for k, r in runs.items()
        ]
        details = {
            "runs": {d.label: d.summary() for d in directions},
            "symbols": names.renamed,
            "input": texts["goal"],
        }
        return self._decide(directions[0], directions[1], names, start, details)

    # -- running

    def _run(self, input_text: str, timeout: float) -> Prover9Run:
        """Run Prover9 once on ``input_text``; kill it (and its group) after ``timeout`` seconds."""
        proc, started = start_run(self.binary, input_text, self.memory_limit_bytes)
        return finish_run(proc, started, started + timeout)

    def _run_all(
        self, binary: Path, texts: dict[str, str], timeout: float
    ) -> dict[str, Prover9Run]:
        """Run every input at once (one process each) under a shared deadline."""
        procs: dict[str, tuple[subprocess.Popen[bytes], float]] = {}
        try:
            for key, text in texts.items():
                procs[key] = start_run(binary, text, self.memory_limit_bytes)
            deadline = time.perf_counter() + timeout
            return {
                key: finish_run(proc, started, deadline) for key, (proc, started) in procs.items()
            }
        finally:
            for proc, _ in procs.values():
                if proc.returncode is None:
                    kill_group(proc)

    # -- deciding

    def _decide(
        self, pos: _Direction, neg: _Direction, names: Prover9Names, start: float, details: dict
    ) -> SolverResult:
        for d in (pos, neg):
            if d.run.failed or (d.run.proved and d.proof is None):
                message = "prover9: " + names.restore(_error_message(d.run))
                return self._result(None, Status.ERROR, start, message=message, details=details)
        proofs = [d.proof for d in (pos, neg) if d.proof is not None]
        contradiction = [proof for proof in proofs if not proof.uses_goal]
        if contradiction:
            proof = contradiction[0]
            return self._inconsistent(proof.premises, proof.text, start, details)
        if pos.proof is not None and neg.proof is not None:
            used = tuple(sorted(set(pos.proof.premises) | set(neg.proof.premises)))
            text = f"% goal:\n{pos.proof.text}\n\n% negated goal:\n{neg.proof.text}"
            return self._inconsistent(used, text, start, details)
        for d, other, verdict in ((pos, neg, Verdict.TRUE), (neg, pos, Verdict.FALSE)):
            if d.proof is not None:
                used, text = d.proof.premises, d.proof.text
                note = (
                    f"consistency of the premises not confirmed ({other.label}: {other.run.reason})"
                    if other.run.hit_limit
                    else ""
                )
                return self._result(
                    verdict, Status.OK, start, used=used, proof=text, message=note, details=details
                )
        if pos.run.hit_limit or neg.run.hit_limit:
            message = f"prover9 hit a limit: goal {pos.run.reason}, negated goal {neg.run.reason}"
            return self._result(None, Status.TIMEOUT, start, message=message, details=details)
        message = "no proof of the goal or its negation (search failed: sos empty)"
        return self._result(Verdict.UNCERTAIN, Status.OK, start, message=message, details=details)

    def _inconsistent(
        self, used: tuple[int, ...], proof: str, start: float, details: dict
    ) -> SolverResult:
        return SolverResult.inconsistent(
            self.name, used, proof, details=details, elapsed_s=time.perf_counter() - start
        )

    def _result(
        self,
        verdict: Verdict | None,
        status: Status,
        start: float,
        *,
        used: tuple[int, ...] = (),
        proof: str = "",
        message: str = "",
        details: dict | None = None,
        formula: FormulaRef | None = None,
    ) -> SolverResult:
        return SolverResult(
            verdict=verdict,
            status=status,
            solver=self.name,
            used_premises=used,
            proof=proof,
            message=message,
            elapsed_s=time.perf_counter() - start,
            details=details or {},
            formula=formula,
        )

    @staticmethod
    def _free_variable_error(
        premises: Sequence[Formula], goal: Formula
    ) -> tuple[str, FormulaRef | None]:
        """A message naming formulas with free variables (Prover9 would read them as ∀) and the
        last formula it names, or ``("", None)``."""
        bad = [
            (ref, free)
            for ref, f in zip(program_refs(len(premises)), [*premises, goal])
            if (free := free_variables(f))
        ]
        if not bad:
            return "", None
        named = "; ".join(f"{ref}: {', '.join(sorted(free))}" for ref, free in bad)
        return "free variables in " + named, bad[-1][0]
