"""Premise fidelity: is a right answer right for the right reason? ``python -m benchmarks.fidelity RUN [RUN ...]``

Wherever gold FOL exists (FOLIO), a right True/False answer reached by a proof is **faithful**
when the gold formulas of the premises that proof used (by index) entail the gold verdict on
their own. Minimal cores are not unique, so the test is entailment from the used premises' gold
formulas, never equality of index sets. Per item: ``True`` / ``False`` for a right answer by
proof; ``None`` otherwise (gold Uncertain, a fallback or no answer, a wrong answer, or an item
whose premises and gold formulas are not one to one).

Per run: ``{"true_false": N, "right_by_proof": R, "faithful_right": F, "faithful_accuracy": F/N}``
over the gold True/False items. With ``--translations gold`` every right proof is faithful.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from neurologic.language.licensing import ungrounded_premise
from solvers import FormulaError
from solvers import entails
from solvers.z3_solver import Z3Solver

from .datasets import EntailmentItem
from .datasets import load
from .finished_runs import load_run

DECIDED = ("True", "False")
FIDELITY_TIMEOUT_S = 10.0
_VERDICT_ONLY = Z3Solver(minimize_cores=False)
"""The re-proof needs the verdict, not which premises it used: no core is minimised."""


def faithful(item: EntailmentItem, record: dict[str, Any]) -> bool | None:
    """Whether ``record``'s right proof stands on the gold formulas of the premises it used
    (see the module doc); ``None`` where the question does not arise."""
    if item.label not in DECIDED or not record.get("correct"):
        return None
    if record.get("method") != "symbolic" or record.get("prediction") != item.label:
        return None
    gold = item.gold_premises
    if gold is None or item.conclusion_fol is None:
        return None
    used = [gold[i] for i in record.get("premises_used") or [] if 0 <= i < len(gold)]
    try:
        result = entails(
            used, item.conclusion_fol, solver=_VERDICT_ONLY, timeout_s=FIDELITY_TIMEOUT_S
        )
    except FormulaError:
        return False
    return result.ok and result.verdict is not None and result.verdict.value == item.label


def summary(records: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """The run's fidelity block from records that carry ``faithful`` (``None`` when none do)."""
    records = list(records)
    if not any("faithful" in r for r in records):
        return None
    true_false = [r for r in records if r.get("gold") in DECIDED]
    right_by_proof = [r for r in true_false if r.get("faithful") is not None]
    faithful_right = sum(1 for r in right_by_proof if r["faithful"])
    return {
        "true_false": len(true_false),
        "right_by_proof": len(right_by_proof),
        "faithful_right": faithful_right,
        "faithful_accuracy": round(faithful_right / len(true_false), 6) if true_false else 0.0,
    }


def annotate(
    records: Sequence[dict[str, Any]], items: Iterable[EntailmentItem]
) -> list[dict[str, Any]]:
    """Copies of ``records`` with ``faithful`` computed from the items' gold FOL."""
    by_id = {item.id: item for item in items if isinstance(item, EntailmentItem)}
    out = []
    for record in records:
        item = by_id.get(record["id"])
        extra = (
            {}
            if item is None or item.premises_fol is None
            else {"faithful": faithful(item, record)}
        )
        out.append({**record, **extra})
    return out


def flagged(item: EntailmentItem, record: dict[str, Any]) -> bool | None:
    """Whether ``record``'s proof used a premise whose formula its sentence does not license
    (:func:`neurologic.language.licensing.ungrounded_symbols`), read from the sample that
    explains the answer (the most probable one that voted for it); ``None`` without a proof."""
    if record.get("method") != "symbolic" or record.get("prediction") not in DECIDED:
        return None
    voters = [
        s
        for s in record.get("samples") or []
        if s.get("status") == "ok"
        and s.get("verdict") == record["prediction"]
        and s.get("used_premises") == record.get("premises_used")
    ]
    if not voters or len(voters[0]["premises"]) != len(item.premises):
        return None
    sample = max(voters, key=lambda s: s.get("logprob") if s.get("logprob") is not None else 0.0)
    return any(
        ungrounded_premise(item.premises, sample["premises"], i) for i in record["premises_used"]
    )


def grounding_split(
    records: Iterable[dict[str, Any]], items: Iterable[EntailmentItem]
) -> dict[str, int]:
    """Over the right proofs that have a fidelity judgement: how many are faithful or not, and
    of each, how many used a formula that says more than its sentence (:func:`flagged`)."""
    by_id = {item.id: item for item in items}
    out = {"faithful": 0, "faithful_flagged": 0, "unfaithful": 0, "unfaithful_flagged": 0}
    for record in records:
        item = by_id.get(record["id"])
        if item is None or record.get("faithful") is None:
            continue
        key = "faithful" if record["faithful"] else "unfaithful"
        out[key] += 1
        out[f"{key}_flagged"] += bool(flagged(item, record))
    return out


def items_of(dataset: str | None, subset: str | None) -> list[EntailmentItem]:
    """The items of a run's dataset that carry gold FOL (none for other datasets)."""
    if dataset != "folio":
        return []
    return [i for i in load("folio", subset or "all") if isinstance(i, EntailmentItem)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fidelity", description=__doc__)
    parser.add_argument("runs", nargs="+", help="run directories (results.json + samples.jsonl)")
    parser.add_argument(
        "--grounding",
        action="store_true",
        help="also: of the faithful and the unfaithful right proofs, how many used a formula "
        "that says more than its sentence (the grounding check)",
    )
    args = parser.parse_args(argv)
    print(
        "| run | n | accuracy | right by proof | faithful right | faithful accuracy |"
        + (" flagged: faithful | flagged: unfaithful |" if args.grounding else "")
    )
    print("|---|---|---|---|---|---|" + ("---|---|" if args.grounding else ""))
    for path in args.runs:
        run = load_run(Path(path))
        block = summary(annotate(run.records, items_of(run.dataset, run.subset)))
        if block is None:
            print(f"| {run.name} | {len(run.records)} | — | no gold FOL | | |")
            continue
        right = sum(1 for r in run.records if r.get("correct"))
        line = (
            f"| {run.name} | {len(run.records)} | {right / max(1, len(run.records)):.4f} | "
            f"{block['right_by_proof']} of {block['true_false']} | {block['faithful_right']} | "
            f"{block['faithful_accuracy']:.4f} |"
        )
        if args.grounding:
            items = items_of(run.dataset, run.subset)
            split = grounding_split(annotate(run.records, items), items)
            line += (
                f" {split['faithful_flagged']} of {split['faithful']} |"
                f" {split['unfaithful_flagged']} of {split['unfaithful']} |"
            )
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
