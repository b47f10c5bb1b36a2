"""Coverage of the controlled-English grammar on a dataset and, for the problems it covers, the
accuracy of deciding them — zero LLM calls.

``python -m benchmarks.cnl_coverage DATASET [SUBSET] [classical|forward]``::

    python -m benchmarks.cnl_coverage proofwriter logiclm600 forward   # ProofWriter's forward reading
    python -m benchmarks.cnl_coverage proofwriter linc360              # classical FOL with z3
    python -m benchmarks.cnl_coverage folio all                        # coverage only (FOLIO needs the LLM)
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from neurologic.cnl import CNLResult
from neurologic.cnl import translate_problem
from neurologic.reasoner import Reasoner
from solvers import SOLVER_NAMES
from solvers.fol import Formula
from solvers.forward import ForwardChainingSolver
from solvers.result import SolverResult

from .datasets import load

__all__ = ["SEMANTICS", "measure", "solve_forward", "main"]

SEMANTICS = ("classical", "forward")
"""``classical``: first-order logic as written (Z3, Prover9). ``forward``: the rule-base reading of
ProofWriter's generator (negated facts explicit, rules applied forward only), decided by
:class:`solvers.forward.ForwardChainingSolver`."""


def solve_forward(
    premises: Sequence[Formula], conclusion: Formula, *, timeout_s: float = 10.0
) -> tuple[str | None, SolverResult]:
    """The label under the forward (rule-base) reading — ``None`` when the solver gave no verdict
    (input outside the fragment, inconsistent premises, timeout) — and the solver's result."""
    result = ForwardChainingSolver().entails(list(premises), conclusion, timeout_s)
    return (result.verdict.value if result.verdict is not None else None), result


@dataclass
class _Tally:
    """Counts accumulated over a dataset's items."""

    sentences: int = 0
    sentences_covered: int = 0
    problems_covered: int = 0
    correct: int = 0
    parse_s: float = 0.0
    solve_s: float = 0.0
    per_depth: dict[Any, Counter] = field(default_factory=lambda: defaultdict(Counter))
    per_label: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    errors: list[dict[str, Any]] = field(default_factory=list)
    uncovered: Counter = field(default_factory=Counter)

    def add_translation(self, result: CNLResult) -> None:
        self.sentences += len(result.sentences)
        self.sentences_covered += sum(result.covered)
        self.problems_covered += result.fully_covered
        for s in result.sentences:
            if not s.covered:
                self.uncovered[s.reason or "?"] += 1

    def add_outcome(self, item: Any, covered: bool, correct: bool) -> None:
        self.correct += correct
        for table, key in ((self.per_depth, item.meta.get("depth")), (self.per_label, item.label)):
            if key is not None:
                table[key]["n"] += 1
                table[key]["covered"] += covered
                table[key]["correct"] += correct


def measure(
    dataset: str,
    subset: str | None = None,
    *,
    semantics: str = "classical",
    solve: bool | None = None,
    solver: str = "z3",
    timeout_s: float = 10.0,
    limit: int | None = None,
) -> dict[str, Any]:
    """Coverage of the grammar on a dataset (sentences, whole problems) and, for the problems it
    covers fully, the accuracy of deciding its formulas — zero LLM calls.

    ``semantics``: ``"classical"`` decides the formulas with ``solver``; ``"forward"`` with the
    ``forward`` solver (ProofWriter's reading: negated facts explicit, rules applied forward
    only), whatever ``solver`` says. Both go through ``Reasoner.solve_formalizations``.
    ``solve`` defaults to True for ProofWriter and False otherwise (FOLIO needs the LLM for the
    rest). ``accuracy`` counts an uncovered problem as wrong; ``accuracy_covered`` is over the
    covered ones. Items with ``meta["depth"]`` (LINC-360) also get a per-depth table.

    Command: ``python -m benchmarks.cnl_coverage proofwriter linc360 [classical|forward]``.
    """
    if semantics not in SEMANTICS:
        raise ValueError(f"unknown semantics {semantics!r}; choose one of {', '.join(SEMANTICS)}")
    items = load(dataset, subset)[:limit]
    solve = dataset.lower() == "proofwriter" if solve is None else solve
    solver_name = "forward" if semantics == "forward" else solver
    reasoner = Reasoner(solver=solver_name, timeout_s=timeout_s) if solve else None
    start = time.perf_counter()
    tally = _Tally()
    for item in items:
        _measure_item(item, reasoner, tally)
    report = _report(dataset, subset, len(items), tally, time.perf_counter() - start)
    if solve:
        report.update(_accuracy(tally, len(items), solver_name, semantics))
    if tally.per_depth:
        report["per_depth"] = _rows(tally.per_depth, solve)
    return report


def _measure_item(item: Any, reasoner: Any, tally: _Tally) -> None:
    """Translate one item, decide it if it is covered and a reasoner is given, and count."""
    t = time.perf_counter()
    result = translate_problem(item.premises, item.conclusion)
    tally.parse_s += time.perf_counter() - t
    tally.add_translation(result)
    covered = result.fully_covered
    predicted = status = None
    if covered and reasoner is not None:
        t = time.perf_counter()
        formalization = result.formalization()
        answer = reasoner.solve_formalizations([formalization], premises=list(item.premises))
        tally.solve_s += time.perf_counter() - t
        predicted = answer.label
        status = answer.samples[0].status if answer.samples else answer.status
    correct = predicted == item.label
    tally.add_outcome(item, covered, correct)
    if reasoner is not None and not correct and len(tally.errors) < 100:
        tally.errors.append(
            {
                "id": item.id,
                "gold": item.label,
                "predicted": predicted,
                "covered": covered,
                "status": status,
            }
        )


def _report(
    dataset: str, subset: str | None, n: int, tally: _Tally, wall_s: float
) -> dict[str, Any]:
    return {
        "dataset": dataset,
        "subset": subset,
        "n": n,
        "parser": "cnl",
        "llm_calls": 0,
        "sentences": tally.sentences,
        "sentences_covered": tally.sentences_covered,
        "sentence_coverage": tally.sentences_covered / tally.sentences if tally.sentences else 0.0,
        "problems_covered": tally.problems_covered,
        "problem_coverage": tally.problems_covered / n if n else 0.0,
        "timing": {"wall_s": wall_s, "parse_s": tally.parse_s, "solve_s": tally.solve_s},
        "uncovered_reasons": dict(tally.uncovered.most_common(20)),
    }


def _accuracy(tally: _Tally, n: int, solver: str, semantics: str) -> dict[str, Any]:
    return {
        "solver": solver,
        "semantics": semantics,
        "accuracy": tally.correct / n if n else 0.0,
        "accuracy_covered": (
            tally.correct / tally.problems_covered if tally.problems_covered else 0.0
        ),
        "per_label": _rows(tally.per_label, True),
        "errors": tally.errors,
    }


def _rows(table: dict[Any, Counter], solved: bool) -> dict[str, dict[str, float]]:
    return {
        str(k): {
            "n": c["n"],
            "coverage": c["covered"] / c["n"],
            **({"accuracy": c["correct"] / c["n"]} if solved else {}),
        }
        for k, c in sorted(table.items())
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.cnl_coverage",
        description="Coverage of the controlled-English grammar on a dataset and, for ProofWriter, "
        "the accuracy of deciding the problems it covers (zero LLM calls). Prints a JSON report.",
    )
    parser.add_argument("dataset", nargs="?", default="proofwriter", help="proofwriter or folio")
    parser.add_argument(
        "subset",
        nargs="?",
        default=None,
        help="ProofWriter: logiclm600 (default), linc360; FOLIO: all (default), linc182",
    )
    parser.add_argument(
        "semantics",
        nargs="?",
        default="classical",
        choices=SEMANTICS,
        help="classical: the formulas as written, decided by --solver; "
        "forward: ProofWriter's rule-base reading (the forward solver)",
    )
    parser.add_argument(
        "--solver",
        default="z3",
        choices=SOLVER_NAMES,
        help="solver for classical semantics (default z3)",
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per solver call")
    parser.add_argument("--limit", type=int, default=None, help="only the first N items")
    solve = parser.add_mutually_exclusive_group()
    solve.add_argument(
        "--solve",
        dest="solve",
        action="store_true",
        default=None,
        help="decide covered problems (default for ProofWriter)",
    )
    solve.add_argument(
        "--coverage-only",
        dest="solve",
        action="store_false",
        help="only measure coverage (default for other datasets)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    report = measure(
        args.dataset,
        args.subset,
        semantics=args.semantics,
        solve=args.solve,
        solver=args.solver,
        timeout_s=args.timeout,
        limit=args.limit,
    )
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
