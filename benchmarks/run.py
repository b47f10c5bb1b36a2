"""Run a benchmark: ``python -m benchmarks.run --dataset folio --translations gold --out DIR``.

Each finished item is appended to ``DIR/samples.jsonl`` and flushed, so a killed run picks up
where it stopped; ``DIR/results.json`` is rewritten at the end from every record in the file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from neurologic.pipeline import Reasoner, answer_from_samples
from solvers import SOLVER_NAMES, NeurologicError

from .datasets import DatasetError, EntailmentItem, load
from .manifest import manifest
from .metrics import summarize
from .records import RecordWriter, read_records, read_translations

DEFAULT_SUBSETS = {"folio": "all", "proofwriter": "logiclm600"}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        items = _select(load(args.dataset, args.subset or DEFAULT_SUBSETS[args.dataset]), args)
        translating = bool(args.provider) or args.parser == "cnl"
        translations = {} if translating else _translations(args.translations, items)
        options = {"base_url": args.base_url} if args.base_url else {}
        reasoner = Reasoner(
            provider=args.provider, solver=args.solver, timeout_s=args.timeout,
            samples=args.samples, refine_rounds=args.refine_rounds, parser=args.parser,
            **options,
        )
    except (DatasetError, NeurologicError, FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    results = run(items, translations, reasoner, Path(args.out), _config(args), quiet=args.quiet)
    print(json.dumps(_headline(results), indent=2))
    return 0


def run(
    items: Sequence[EntailmentItem],
    translations: dict[str, list[tuple[list[str], str]]],
    reasoner: Reasoner,
    out: Path,
    config: dict[str, Any],
    *,
    quiet: bool = False,
) -> dict[str, Any]:
    """Solve every item not already in ``out/samples.jsonl``, then write ``results.json``."""
    start = time.perf_counter()
    stack = manifest(reasoner.solver.name)  # taken before any work: the code that runs
    samples_path = out / "samples.jsonl"
    done = {r["id"] for r in read_records(samples_path)}
    todo = [item for item in items if item.id not in done]
    with RecordWriter(samples_path) as writer, tqdm(
        total=len(items), initial=len(items) - len(todo), disable=quiet, unit="item",
        dynamic_ncols=True,
    ) as bar:
        correct = 0
        for item in todo:
            record = solve_item(item, translations.get(item.id, []), reasoner)
            writer.write(record)
            correct += record["correct"]
            bar.update(1)
            bar.set_postfix(acc=f"{correct / max(1, bar.n - (len(items) - len(todo))):.3f}")
    wanted = {item.id for item in items}
    records = [r for r in read_records(samples_path) if r["id"] in wanted]
    results = {
        "dataset": config["dataset"],
        "subset": config["subset"],
        **summarize(records),
        "timing": {},
        "config": config,
        "manifest": stack,
        "usage": _total_usage(records),
    }
    if reasoner.provider is not None:
        from neurologic.translate import template_hashes

        results["manifest"]["provider"] = reasoner.provider.describe()
        results["manifest"]["prompt_templates"] = template_hashes()
    results["timing"] = {"wall_s": round(time.perf_counter() - start, 3), **results.pop("timing_items")}
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return results


def solve_item(
    item: EntailmentItem, formalizations: list[tuple[list[str], str]], reasoner: Reasoner
) -> dict[str, Any]:
    """One samples.jsonl record for ``item``."""
    start = time.perf_counter()
    error = None
    if reasoner.provider is not None or reasoner.parser == "cnl":
        try:
            answer = reasoner.solve(list(item.premises), item.conclusion)
        except NeurologicError as failure:  # recorded for this item; the run goes on
            error = f"{type(failure).__name__}: {failure}"
            answer = answer_from_samples([], item.premises, elapsed_s=0.0)
    elif formalizations:
        answer = reasoner.solve_formalizations(formalizations, premises=item.premises)
    else:
        answer = answer_from_samples([], item.premises, elapsed_s=0.0)
    return {
        "id": item.id,
        "gold": item.label,
        "prediction": answer.label,
        "correct": answer.label == item.label,
        "executable": answer.executable,
        "method": answer.method,
        "confidence": answer.confidence,
        "votes": answer.votes,
        "premises_used": [u.index for u in answer.premises_used],
        "errors": ([error] if error else []) + [s.error for s in answer.samples if s.error],
        "missing_translation": reasoner.provider is None and reasoner.parser != "cnl"
        and not formalizations,
        "usage": answer.usage,
        "trace": answer.trace,
        "samples": [s.model_dump() for s in answer.samples],
        "meta": item.meta,
        "elapsed_s": round(time.perf_counter() - start, 6),
    }


def _translations(source: str, items: Sequence[EntailmentItem]) -> dict[str, list[tuple[list[str], str]]]:
    if source == "gold":
        missing = [item.id for item in items if item.premises_fol is None or item.conclusion_fol is None]
        if missing:
            raise ValueError(
                f"this dataset has no gold FOL ({len(missing)} items without it, e.g. {missing[0]}); "
                "pass --translations FILE"
            )
        return {item.id: [(list(item.premises_fol), item.conclusion_fol)] for item in items}  # type: ignore[arg-type]
    return read_translations(Path(source))


def _total_usage(records: Sequence[dict[str, Any]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for record in records:
        for key, value in (record.get("usage") or {}).items():
            total[key] = total.get(key, 0) + int(value)
    return total


def _select(items: list[EntailmentItem], args: argparse.Namespace) -> list[EntailmentItem]:
    if args.ids:
        wanted = set(args.ids.split(","))
        unknown = wanted - {item.id for item in items}
        if unknown:
            raise DatasetError(f"unknown ids: {', '.join(sorted(unknown))}")
        items = [item for item in items if item.id in wanted]
    if args.limit is not None:
        items = items[: args.limit]
    return items


def _config(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "dataset": args.dataset,
        "subset": args.subset or DEFAULT_SUBSETS[args.dataset],
        "translations": None if args.provider or args.parser == "cnl" else args.translations,
        "parser": args.parser,
        "provider": args.provider,
        "base_url_given": bool(args.base_url),
        "samples": args.samples,
        "refine_rounds": args.refine_rounds,
        "solver": args.solver,
        "timeout_s": args.timeout,
        "limit": args.limit,
        "ids": args.ids,
    }


def _headline(results: dict[str, Any]) -> dict[str, Any]:
    keys = ("dataset", "subset", "n", "accuracy", "executable_rate", "fallback_rate")
    return {**{k: results[k] for k in keys}, "timing": results["timing"]}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--dataset", required=True, choices=sorted(DEFAULT_SUBSETS))
    parser.add_argument(
        "--subset", help="folio: all (default) | linc182; proofwriter: logiclm600 (default) | linc360"
    )
    parser.add_argument(
        "--translations", default="gold",
        help="'gold' (the dataset's own FOL) or a JSONL file of saved translations",
    )
    parser.add_argument(
        "--provider", help="translate with this LLM (llamacpp:embedded, openai:MODEL, ...) "
        "instead of using saved translations",
    )
    parser.add_argument("--base-url", help="OpenAI-compatible server for openai:MODEL")
    parser.add_argument(
        "--parser", default="hybrid", choices=("hybrid", "cnl", "llm"),
        help="hybrid: controlled-English grammar where it covers a sentence, the LLM elsewhere; "
        "cnl: the grammar only (no LLM); llm: the LLM only",
    )
    parser.add_argument("--samples", type=int, default=1, help="translations voted per item")
    parser.add_argument("--refine-rounds", type=int, default=3, help="error-feedback rounds")
    parser.add_argument("--solver", default="z3", choices=SOLVER_NAMES)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per solver call")
    parser.add_argument("--out", required=True, help="output directory (resumed if it exists)")
    parser.add_argument("--limit", type=int, help="only the first N items")
    parser.add_argument("--ids", help="comma-separated item ids")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
