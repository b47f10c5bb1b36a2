"""Two runs on the same items, compared item by item: ``python -m benchmarks.paired A B``.

Prints each run's accuracy over the items both scored and how many only one got right, with
the exact two-sided McNemar p-value. The same follows for answers right by a faithful proof
(:mod:`benchmarks.fidelity`) and split by the first run's controlled-English coverage (some
sentence covered, or none). Last, each run's model calls and seconds per item.
"""

from __future__ import annotations

import argparse
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neurologic.trace import CnlEvent
from neurologic.trace import read_trace

from .records import read_records


@dataclass(frozen=True)
class PairedCounts:
    """Right/wrong counts of two runs over the same items."""

    items: int
    both: int
    only_a: int
    only_b: int

    @property
    def accuracy_a(self) -> float:
        return (self.both + self.only_a) / self.items if self.items else 0.0

    @property
    def accuracy_b(self) -> float:
        return (self.both + self.only_b) / self.items if self.items else 0.0

    @property
    def mcnemar_p(self) -> float:
        """Exact two-sided McNemar p-value: the discordant items as a fair coin's tosses."""
        n, k = self.only_a + self.only_b, min(self.only_a, self.only_b)
        if n == 0:
            return 1.0
        tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
        return min(1.0, 2 * tail)


def covered_sentences(record: dict[str, Any]) -> int:
    """How many sentences the controlled-English grammar covered in this record (0 if it never ran)."""
    for event in read_trace(record.get("trace")):
        if isinstance(event, CnlEvent):
            return sum(bool(c) for c in event.covered)
    return 0


def paired(
    a: Iterable[dict[str, Any]], b: Iterable[dict[str, Any]], key: str = "correct"
) -> PairedCounts:
    """Counts over the items present in both ``a`` and ``b`` (matched by id): right by
    ``key`` (``"correct"``, or ``"faithful"``: right by a faithful proof)."""
    right_b = {r["id"]: bool(r.get(key)) for r in b}
    both = only_a = only_b = items = 0
    for record in a:
        if record["id"] not in right_b:
            continue
        items += 1
        ra, rb = bool(record.get(key)), right_b[record["id"]]
        both += ra and rb
        only_a += ra and not rb
        only_b += rb and not ra
    return PairedCounts(items, both, only_a, only_b)


@dataclass(frozen=True)
class PairedCost:
    """What one run spent on the items two runs share."""

    items: int
    model_calls: int
    median_s: float
    total_s: float


def paired_cost(a: Iterable[dict[str, Any]], b: Iterable[dict[str, Any]]) -> PairedCost:
    """``a``'s model calls and seconds over the items also in ``b`` (matched by id)."""
    shared = {r["id"] for r in b}
    mine = [r for r in a if r["id"] in shared]
    seconds = [float(r.get("elapsed_s") or 0.0) for r in mine]
    return PairedCost(
        items=len(mine),
        model_calls=sum(int((r.get("usage") or {}).get("model_calls") or 0) for r in mine),
        median_s=statistics.median(seconds) if seconds else 0.0,
        total_s=sum(seconds),
    )


def _row(label: str, counts: PairedCounts) -> str:
    return (
        f"| {label} | {counts.items} | {counts.accuracy_a:.4f} | {counts.accuracy_b:.4f} | "
        f"{counts.only_a} | {counts.only_b} | {counts.mcnemar_p:.3f} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.paired", description=__doc__)
    parser.add_argument("run_a", type=Path, help="run directory (its samples.jsonl is read)")
    parser.add_argument("run_b", type=Path, help="run directory to compare against")
    args = parser.parse_args(argv)
    runs = []
    for run in (args.run_a, args.run_b):
        path = run / "samples.jsonl"
        if not path.exists():
            parser.error(f"{path}: no such file (is {run} a run directory?)")
        runs.append(read_records(path))
    a, b = runs
    items = _gold_items(args.run_a)
    if items:
        from .fidelity import annotate

        a, b = annotate(a, items), annotate(b, items)
    covered = [r for r in a if covered_sentences(r) > 0]
    uncovered = [r for r in a if covered_sentences(r) == 0]
    print(f"A = {args.run_a}\nB = {args.run_b}\n")
    print("| items | n | accuracy A | accuracy B | only A right | only B right | McNemar p |")
    print("|---|---|---|---|---|---|---|")
    print(_row("all", paired(a, b)))
    print(_row("A's grammar covered ≥ 1 sentence", paired(covered, b)))
    print(_row("A's grammar covered none", paired(uncovered, b)))
    if items:
        print(
            "\nRight by a faithful proof (the used premises' gold FOL entails the gold verdict):\n"
        )
        print(
            "| items | n | faithful A | faithful B | only A faithful | only B faithful | McNemar p |"
        )
        print("|---|---|---|---|---|---|---|")
        print(_row("all", paired(a, b, key="faithful")))
    print("\nCost over the same items (seconds depend on the machine and what else it ran):\n")
    print("| run | n | model calls | median s/item | total s |")
    print("|---|---|---|---|---|")
    for label, mine, other in (("A", a, b), ("B", b, a)):
        cost = paired_cost(mine, other)
        print(
            f"| {label} | {cost.items} | {cost.model_calls:,} | {cost.median_s:.1f} | {cost.total_s:,.0f} |"
        )
    return 0


def _gold_items(run: Path) -> list:
    """The gold-FOL items of the run's dataset (FOLIO), read from its results.json."""
    import json

    from .fidelity import items_of

    try:
        results = json.loads((run / "results.json").read_text())
    except (OSError, ValueError):
        return []
    return items_of(results.get("dataset"), results.get("subset"))


if __name__ == "__main__":
    raise SystemExit(main())
