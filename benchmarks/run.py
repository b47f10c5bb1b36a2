"""Run a benchmark: ``python -m benchmarks.run --dataset folio --translations gold --out DIR``.

Each finished item is appended to ``DIR/samples.jsonl`` and flushed, so a killed run picks up
where it stopped; ``DIR/results.json`` is rewritten at the end from every record in the file.
Model calls go through a disk cache (``--cache DIR``; ``--no-cache``), so a rerun with nothing
changed makes none. LogiQA (multiple choice) needs a ``--provider`` that can score options.
"""

from __future__ import annotations

import argparse
import functools
import json
import sqlite3
import sys
import time
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import as_completed
from pathlib import Path
from typing import Any

from tqdm import tqdm

from neurologic.providers.base import Provider
from neurologic.reasoner import Reasoner
from solvers import NeurologicError

from .cluster import describe
from .cluster import solved_on_ray
from .datasets import DatasetError
from .datasets import Item
from .fidelity import summary as fidelity_summary
from .item_record import ItemRecord
from .manifest import ResumeRefused
from .manifest import check_resume
from .manifest import run_stack
from .metrics import decided_by
from .metrics import summarize
from .records import RecordWriter
from .records import Translations
from .records import read_records
from .run_options import build_parser
from .run_options import check_args
from .run_options import headline
from .run_options import load_items
from .run_options import make_reasoner
from .run_options import run_config
from .run_options import saved_translations
from .run_options import select_items
from .run_options import translating
from .run_provider import build_provider
from .run_provider import close_provider
from .solving import solve


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    provider = None
    try:
        check_args(args)
        items = select_items(load_items(args), args)
        translations = None if translating(args) else saved_translations(args, items)
        provider = build_provider(args)
        concurrency = _concurrency(args.concurrency, provider)
        reasoner = make_reasoner(args, provider)
    except (DatasetError, NeurologicError, ValueError, OSError, sqlite3.Error) as error:
        close_provider(provider)
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        solve_items = functools.partial(
            run,
            items,
            translations,
            reasoner,
            Path(args.out),
            run_config(args),
            quiet=args.quiet,
            force_resume=args.force_resume,
        )
        if args.ray:
            from neurologic.distributed import connect

            with connect(args.ray) as ray:
                results = solve_items(cluster=(ray, args))
        else:
            results = solve_items(concurrency=concurrency)
    except (ResumeRefused, NeurologicError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        close_provider(provider)
    print(json.dumps(headline(results), indent=2))
    return 0


def run(
    items: Sequence[Item],
    translations: Translations | None,
    reasoner: Reasoner,
    out: Path,
    config: dict[str, Any],
    *,
    quiet: bool = False,
    concurrency: int = 1,
    force_resume: bool = False,
    cluster: tuple[Any, argparse.Namespace] | None = None,
) -> dict[str, Any]:
    """Solve every item not already in ``out/samples.jsonl``, then write ``results.json``.

    ``translations`` are saved formulas to re-solve (an item missing from them is recorded as
    missing, never translated); None translates every item with the reasoner's parser/provider.

    With ``concurrency`` > 1 a pool of that many threads solves items; records are written as
    items finish (so in completion order), and results are computed in ``items`` order. The
    stack a run starts with is kept in ``out/stack.json``; resuming with a different one (other
    code, model, prompts, sampling…) is refused — its records would mix two systems — unless
    ``force_resume``, and then the differences are recorded in results.json.

    With ``cluster`` (a connected ``ray`` module and the run's arguments) an actor pool on the
    cluster solves the items (:mod:`benchmarks.cluster`); this driver still writes every record,
    each id once, and the manifest records the cluster.
    """
    start = time.perf_counter()
    stack = run_stack(reasoner)  # taken before any work: the code that runs
    samples_path = out / "samples.jsonl"
    stack, changes = check_resume(out, stack, config, force_resume)
    done = {r["id"] for r in read_records(samples_path)}
    todo = [item for item in items if item.id not in done]
    if cluster is None:
        _warm_up(reasoner, concurrency)
        source = _solved(todo, lambda item: solve(item, translations, reasoner), concurrency)
    else:
        ray, args = cluster
        cluster_manifest = describe(ray, args)  # the cluster as the run starts
        source = solved_on_ray(ray, args, todo, translations, args.item_timeout)
    with (
        RecordWriter(samples_path) as writer,
        tqdm(
            total=len(items),
            initial=len(items) - len(todo),
            disable=quiet,
            unit="item",
            dynamic_ncols=True,
        ) as bar,
    ):
        correct = 0
        for record in source:
            if record.id in done:
                continue  # a second record for an id (a retried call) is dropped
            done.add(record.id)
            writer.write(record.to_json())
            correct += record.correct
            bar.update(1)
            bar.set_postfix(acc=f"{correct / max(1, bar.n - (len(items) - len(todo))):.3f}")
    records = _in_item_order(read_records(samples_path), items)
    results = {
        "dataset": config["dataset"],
        "subset": config["subset"],
        **summarize(records),
        "timing": {},
        "config": config,
        "manifest": {**stack, "decided_by": decided_by(records)},
        "usage": _total_usage(records),
    }
    fidelity = fidelity_summary(records)
    if fidelity is not None:
        results["fidelity"] = fidelity
    if cluster is not None:
        results["manifest"]["cluster"] = cluster_manifest
    if changes:
        results["resumed_with_a_different_stack"] = [
            {"key": key, "started_with": a, "resumed_with": b} for key, a, b in changes
        ]
    results["timing"] = {
        "wall_s": round(time.perf_counter() - start, 3),
        **results.pop("timing_items"),
    }
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return results


# ---------------------------------------------------------------------- solving many items


def _solved(
    todo: Sequence[Item], solve_one: Callable[[Item], ItemRecord], concurrency: int
) -> Iterator[ItemRecord]:
    """Records of ``todo`` as they finish: in order with one worker, else by a thread pool."""
    if concurrency <= 1 or len(todo) <= 1:
        yield from map(solve_one, todo)
        return
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="benchmark-item")
    try:
        futures = [pool.submit(solve_one, item) for item in todo]
        for future in as_completed(futures):
            yield future.result()
    finally:  # an error or an interrupt: start nothing more
        pool.shutdown(wait=False, cancel_futures=True)


def _warm_up(reasoner: Reasoner, concurrency: int) -> None:
    """Build the Reasoner's lazy parts once, before worker threads race to build them."""
    if concurrency > 1 and reasoner.provider is not None and reasoner.parser != "cnl":
        _ = reasoner.translator.retriever


def _in_item_order(
    records: Sequence[dict[str, Any]], items: Sequence[Item]
) -> list[dict[str, Any]]:
    """The first record of each item of ``items``, in the order of ``items``."""
    by_id: dict[str, dict[str, Any]] = {}
    for record in records:
        by_id.setdefault(record["id"], record)
    return [by_id[item.id] for item in items if item.id in by_id]


def _total_usage(records: Sequence[dict[str, Any]]) -> dict[str, int]:
    total: dict[str, int] = {"model_calls": 0, "cache_hits": 0}
    for record in records:
        for key, value in (record.get("usage") or {}).items():
            total[key] = total.get(key, 0) + int(value)
    return total


def _concurrency(requested: int, provider: Provider | None) -> int:
    """``requested``, except 1 for a local llama.cpp model (it runs one call at a time)."""
    if requested > 1 and provider is not None and provider.name == "llamacpp":
        print(
            f"note: a llamacpp model answers one call at a time; --concurrency {requested} "
            "ignored (running 1 item at a time)",
            file=sys.stderr,
        )
        return 1
    return requested


if __name__ == "__main__":
    raise SystemExit(main())
