"""``python -m neurologic.cnl DATASET [SUBSET] [classical|forward]``: coverage and accuracy, no LLM.

Examples::

    python -m neurologic.cnl proofwriter logiclm600 forward   # ProofWriter's forward reading
    python -m neurologic.cnl proofwriter linc360              # classical FOL with z3
    python -m neurologic.cnl folio all                        # coverage only (FOLIO needs the LLM)
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from solvers import SOLVER_NAMES

from .coverage import SEMANTICS, measure


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m neurologic.cnl",
        description="Coverage of the controlled-English grammar on a dataset and, for ProofWriter, "
        "the accuracy of deciding the problems it covers (zero LLM calls). Prints a JSON report.",
    )
    parser.add_argument("dataset", nargs="?", default="proofwriter",
                        help="proofwriter or folio")
    parser.add_argument("subset", nargs="?", default=None,
                        help="ProofWriter: logiclm600 (default), linc360; FOLIO: all (default), "
                        "linc182")
    parser.add_argument("semantics", nargs="?", default="classical", choices=SEMANTICS,
                        help="classical: the formulas as written, decided by --solver; "
                        "forward: ProofWriter's rule-base reading (the forward solver)")
    parser.add_argument("--solver", default="z3", choices=SOLVER_NAMES,
                        help="solver for classical semantics (default z3)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per solver call")
    parser.add_argument("--limit", type=int, default=None, help="only the first N items")
    solve = parser.add_mutually_exclusive_group()
    solve.add_argument("--solve", dest="solve", action="store_true", default=None,
                       help="decide covered problems (default for ProofWriter)")
    solve.add_argument("--coverage-only", dest="solve", action="store_false",
                       help="only measure coverage (default for other datasets)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    report = measure(args.dataset, args.subset, semantics=args.semantics, solve=args.solve,
                     solver=args.solver, timeout_s=args.timeout, limit=args.limit)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
