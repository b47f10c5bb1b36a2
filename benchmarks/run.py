"""Run a benchmark: ``python -m benchmarks.run --dataset folio --translations gold --out DIR``.

Each finished item is appended to ``DIR/samples.jsonl`` and flushed, so a killed run picks up
where it stopped; ``DIR/results.json`` is rewritten at the end from every record in the file.
Model calls go through a disk cache (``--cache DIR``; ``--no-cache``), so a rerun with nothing
changed makes none. LogiQA (multiple choice) needs a ``--provider`` that can score options.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from tqdm import tqdm

from neurologic.config import (
    DEBIAS_MODES, DECLARE_MODES, PARSERS, SAMPLE_MORE, STYLES, VOTE_RULES, ConfigError,
    ReasonerConfig, default, describe,
)
from neurologic.decide import answer_from_samples
from neurologic.reasoner import Reasoner
from neurologic.providers import get_provider
from neurologic.providers.base import Provider
from neurologic.providers.cache import CachedProvider
from solvers import SOLVER_NAMES, NeurologicError

from .datasets import ChoiceItem, DatasetError, EntailmentItem, Item, load
from .manifest import ResumeRefused, check_resume, run_stack
from .fidelity import faithful
from .fidelity import summary as fidelity_summary
from .metrics import decided_by, summarize
from .metering import Metered, MeteredCache, counts as _counts
from .records import RecordWriter, SavedTranslation, read_records, read_translations

DEFAULT_SUBSETS: dict[str, str | None] = {
    "folio": "all", "proofwriter": "logiclm600", "logiqa": "test", "logiqa2": None,
}
CHOICE_DATASETS = ("logiqa", "logiqa2")
DEFAULT_SOLVERS: dict[str, str] = {"proofwriter": "rulebase"}
"""The solver a dataset is decided with unless --solver says otherwise (z3 for the rest)."""
Translations = dict[str, list[SavedTranslation]]


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    provider = None
    try:
        _check_args(args)
        items = _select(_load(args), args)
        translations = None if _translating(args) else _translations(args, items)
        provider = _provider(args)
        concurrency = _concurrency(args.concurrency, provider)
        reasoner = _reasoner(args, provider)
    except (DatasetError, NeurologicError, ValueError, OSError, sqlite3.Error) as error:
        _close(provider)
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        if args.ray:
            from neurologic.distributed import connect

            with connect(args.ray) as ray:
                results = run(
                    items, translations, reasoner, Path(args.out), _config(args),
                    quiet=args.quiet, force_resume=args.force_resume, cluster=(ray, args),
                )
        else:
            results = run(
                items, translations, reasoner, Path(args.out), _config(args),
                quiet=args.quiet, concurrency=concurrency, force_resume=args.force_resume,
            )
    except (ResumeRefused, NeurologicError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        _close(provider)
    print(json.dumps(_headline(results), indent=2))
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
        from .cluster import describe, solved_on_ray

        ray, args = cluster
        cluster_manifest = describe(ray, args)  # the cluster as the run starts
        source = solved_on_ray(ray, args, todo, translations, args.item_timeout)
    with RecordWriter(samples_path) as writer, tqdm(
        total=len(items), initial=len(items) - len(todo), disable=quiet, unit="item",
        dynamic_ncols=True,
    ) as bar:
        correct = 0
        for record in source:
            if record["id"] in done:
                continue  # a second record for an id (a retried call) is dropped
            done.add(record["id"])
            writer.write(record)
            correct += record["correct"]
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
    results["timing"] = {"wall_s": round(time.perf_counter() - start, 3), **results.pop("timing_items")}
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return results


def solve(item: Item, translations: Translations | None, reasoner: Reasoner) -> dict[str, Any]:
    """The record for ``item`` (either kind), with its model calls and cache hits in ``usage``."""
    before = _counts(reasoner.provider)
    if isinstance(item, ChoiceItem):
        record = solve_choice(item, reasoner)
    else:
        saved = None if translations is None else translations.get(item.id, [])
        record = solve_item(item, saved, reasoner)
    after = _counts(reasoner.provider)
    usage = dict(record["usage"] or {})
    if before is None or after is None:  # a provider that keeps no stats: its own count
        usage.setdefault("model_calls", int(usage.get("calls", 0)))
        usage.setdefault("cache_hits", 0)
    else:
        usage["model_calls"], usage["cache_hits"] = after[0] - before[0], after[1] - before[1]
    record["usage"] = usage
    return record


def solve_item(
    item: EntailmentItem, formalizations: list[SavedTranslation] | None, reasoner: Reasoner
) -> dict[str, Any]:
    """One samples.jsonl record for an entailment ``item``: translated and solved when
    ``formalizations`` is None, else those saved formulas re-solved (none saved: missing)."""
    start = time.perf_counter()
    error = None
    if formalizations is None or reasoner.parser == "cnl":
        try:
            answer = reasoner.solve(list(item.premises), item.conclusion)
        except NeurologicError as failure:  # recorded for this item; the run goes on
            error = f"{type(failure).__name__}: {failure}"
            answer = answer_from_samples([], item.premises, elapsed_s=0.0)
    elif formalizations:
        answer = reasoner.solve_saved(formalizations, item.premises, item.conclusion)
    else:
        answer = answer_from_samples([], item.premises, elapsed_s=0.0)
    record = {
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
        "missing_translation": formalizations is not None and not formalizations
        and reasoner.parser != "cnl",
        "usage": answer.usage,
        "trace": answer.trace,
        "samples": [s.model_dump() for s in answer.samples],
        "meta": item.meta,
    }
    if item.premises_fol is not None and item.conclusion_fol is not None:
        record["faithful"] = faithful(item, record)  # gold FOL exists: premise fidelity
    record["elapsed_s"] = round(time.perf_counter() - start, 6)
    return record


def solve_choice(item: ChoiceItem, reasoner: Reasoner) -> dict[str, Any]:
    """One samples.jsonl record for a multiple-choice ``item`` (``Reasoner.choose``)."""
    start = time.perf_counter()
    record: dict[str, Any] = {
        "id": item.id, "gold": item.answer, "prediction": None, "correct": False,
        "executable": False, "method": "none", "confidence": 0.0, "distribution": [],
        "errors": [], "usage": {}, "trace": [], "samples": [], "meta": item.meta,
    }
    try:
        answer = reasoner.choose(item.context, item.question, list(item.options))
    except NeurologicError as failure:  # recorded for this item; the run goes on
        record["errors"] = [f"{type(failure).__name__}: {failure}"]
    else:
        record.update(
            prediction=answer.choice,
            correct=answer.choice == item.answer,
            executable=answer.method == "symbolic",
            method=answer.method,
            confidence=answer.confidence,
            distribution=list(answer.distribution),
            errors=[s.error for s in answer.samples if s.error],
            usage=answer.usage,
            trace=answer.trace,
            samples=[s.model_dump() for s in answer.samples],
        )
    record["elapsed_s"] = round(time.perf_counter() - start, 6)
    return record


# ---------------------------------------------------------------------- solving many items


def _solved(
    todo: Sequence[Item], solve_one: Callable[[Item], dict[str, Any]], concurrency: int
) -> Iterator[dict[str, Any]]:
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


def _in_item_order(records: Sequence[dict[str, Any]], items: Sequence[Item]) -> list[dict[str, Any]]:
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


# ---------------------------------------------------------------------- providers


def _provider(
    args: argparse.Namespace, *, limiter: Any = None, store: Any = None
) -> Provider | None:
    """The ``--provider`` model, behind the disk cache unless ``--no-cache``. On a cluster, an
    actor's provider also waits on the run's rate ``limiter`` and keeps its cache in ``store``
    (the cache actor): :mod:`benchmarks.cluster`."""
    if not args.provider:
        return None
    options = {"base_url": args.base_url} if args.base_url else {}
    inner = get_provider(args.provider, **options)
    if limiter is not None:
        from neurologic.distributed import RateLimitedProvider

        inner = RateLimitedProvider(inner, limiter)
    if args.no_cache:
        return Metered(inner)
    return MeteredCache(inner, _cache_dir(args), store=store)


def _cache_dir(args: argparse.Namespace) -> Path:
    if args.cache:
        return Path(args.cache).expanduser()
    env = os.environ.get("NEUROLOGIC_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "neurologic" / "calls"


def _close(provider: Provider | None) -> None:
    if isinstance(provider, CachedProvider):
        provider.close()


def _concurrency(requested: int, provider: Provider | None) -> int:
    """``requested``, except 1 for a local llama.cpp model (it runs one call at a time)."""
    if requested > 1 and provider is not None and provider.name == "llamacpp":
        print(
            f"note: a llamacpp model answers one call at a time; --concurrency {requested} "
            "ignored (running 1 item at a time)", file=sys.stderr,
        )
        return 1
    return requested


_FLAGS = {"timeout_s": "timeout", "fallback": "no_fallback"}
"""Reasoner options whose command-line flag is named otherwise (``--timeout``, ``--no-fallback``)."""


def _reasoner_config(args: argparse.Namespace, provider: Provider | None = None) -> ReasonerConfig:
    """The run's Reasoner options, from the flags (a :class:`ValueError` naming the flag)."""
    options = {
        name: getattr(args, _FLAGS.get(name, name)) for name in ReasonerConfig.model_fields
        if name not in ("provider", "provider_options", "fallback")
    }
    try:
        return ReasonerConfig(provider=provider, fallback=not args.no_fallback, **options)
    except ConfigError as error:
        message = str(error)
        for name in ReasonerConfig.model_fields:
            flag = "--" + _FLAGS.get(name, name).replace("_", "-")
            message = re.sub(rf"(^|; ){name}:", rf"\g<1>{flag}:", message)
        raise ValueError(message) from None


def _reasoner(args: argparse.Namespace, provider: Provider | None) -> Reasoner:
    """The Reasoner for the run, with the run's sampling temperature and seed."""
    return Reasoner(config=_reasoner_config(args, provider))


# ---------------------------------------------------------------------- arguments


def _check_args(args: argparse.Namespace) -> None:
    """Reject combinations that cannot run, with a message that says what to do; fill in the
    vote's defaults (:func:`_voting_defaults`)."""
    _voting_defaults(args)
    if args.concurrency < 1:
        raise ValueError("--concurrency must be at least 1")
    args.declare = _reasoner_config(args).declare  # every option checked; declare resolved
    if args.dataset == "logiqa2" and not args.path:
        raise ValueError("--dataset logiqa2 needs --path FILE (a LogiQA 2.0 MRC file; not vendored)")
    if args.path and args.dataset != "logiqa2":
        raise ValueError("--path is only for --dataset logiqa2")
    if not args.ray and (args.ray_actors or args.requests_per_s or args.tokens_per_min):
        raise ValueError("--ray-actors, --requests-per-s and --tokens-per-min need --ray")
    if args.ray:
        from neurologic.distributed import require_ray

        require_ray()  # a clear error naming the extra, before any work
    if (args.at_round is not None or args.first_samples is not None) and (
        args.translations in (None, "gold") or args.parser == "cnl"
    ):
        raise ValueError(
            "--at-round and --first-samples select from a run's saved translations: "
            "give --translations RUN/samples.jsonl"
        )
    if (args.at_round is not None and args.at_round < 0) or (
        args.first_samples is not None and args.first_samples < 1
    ):
        raise ValueError("--at-round must be at least 0 and --first-samples at least 1")
    if args.dataset in CHOICE_DATASETS:
        if args.translations not in (None, "gold"):
            raise ValueError(
                f"--translations does not apply to {args.dataset}: multiple choice has no FOL "
                "translations to re-solve; give a --provider instead"
            )
        if not args.provider:
            raise ValueError(
                f"--dataset {args.dataset} needs --provider (a model that can score options, "
                "e.g. llamacpp:embedded or openai:MODEL)"
            )


def _load(args: argparse.Namespace) -> list[Item]:
    if args.dataset == "logiqa2":
        return load("logiqa2", path=args.path)
    return load(args.dataset, _subset(args))


def _subset(args: argparse.Namespace) -> str:
    if args.dataset == "logiqa2":
        return Path(args.path).name
    return args.subset or DEFAULT_SUBSETS[args.dataset]  # type: ignore[return-value]


def _translating(args: argparse.Namespace) -> bool:
    """True when the run translates (or chooses) with a model or the grammar, not saved FOL."""
    if args.dataset in CHOICE_DATASETS or args.parser == "cnl":
        return True
    return bool(args.provider) and args.translations is None


def _translations(args: argparse.Namespace, items: Sequence[EntailmentItem]) -> Translations:
    source = args.translations or "gold"
    if source == "gold":
        missing = [item.id for item in items if item.premises_fol is None or item.conclusion_fol is None]
        if missing:
            raise ValueError(
                f"this dataset has no gold FOL ({len(missing)} items without it, e.g. {missing[0]}); "
                "pass --translations FILE"
            )
        return {item.id: [(list(item.premises_fol), item.conclusion_fol)] for item in items}  # type: ignore[arg-type]
    return read_translations(
        Path(source), at_round=args.at_round, first_samples=args.first_samples
    )


def _select(items: list[Item], args: argparse.Namespace) -> list[Item]:
    if args.ids:
        wanted = set(args.ids.split(","))
        unknown = wanted - {item.id for item in items}
        if unknown:
            raise DatasetError(f"unknown ids: {', '.join(sorted(unknown))}")
        items = [item for item in items if item.id in wanted]
    if args.limit is not None:
        items = items[: args.limit]
    return items


def _voting_defaults(args: argparse.Namespace) -> None:
    """The Reasoner's vote (the same whether translating or re-solving saved translations) and
    sampling rule; when re-solving, every saved sample votes (what the file holds is what votes).
    The solver: ProofWriter's own reading (``rulebase``) on ProofWriter, else z3."""
    translating = _translating(args)
    if args.vote is None:
        args.vote = default("vote")
    if args.solver is None:
        args.solver = DEFAULT_SOLVERS.get(args.dataset, default("solver"))
    if args.sample_more is None:
        args.sample_more = default("sample_more") if translating else "always"


def _config(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "dataset": args.dataset,
        "subset": _subset(args),
        "path": args.path,
        "translations": None if _translating(args) else (args.translations or "gold"),
        "at_round": args.at_round,
        "first_samples": args.first_samples,
        "parser": args.parser,
        "style": args.style,
        "declare": args.declare,
        "alternatives": args.alternatives,
        "readings": args.readings,
        "provider": args.provider,
        "base_url_given": bool(args.base_url),
        "cache": bool(args.provider) and not args.no_cache,
        "samples": args.samples,
        "vote": args.vote,
        "sample_more": args.sample_more,
        "refine_rounds": args.refine_rounds,
        "temperature": args.temperature,
        "seed": args.seed,
        "solver": args.solver,
        "timeout_s": args.timeout,
        "concurrency": args.concurrency,
        "ray": bool(args.ray),
        "limit": args.limit,
        "ids": args.ids,
        "fallback": not args.no_fallback,
        "debias": args.debias,
        "augment": args.augment,
    }


def _headline(results: dict[str, Any]) -> dict[str, Any]:
    keys = ("dataset", "subset", "n", "accuracy", "executable_rate", "fallback_rate")
    return {**{k: results[k] for k in keys}, "timing": results["timing"]}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--dataset", required=True, choices=sorted(DEFAULT_SUBSETS))
    parser.add_argument(
        "--subset", help="folio: all (default) | linc182; proofwriter: logiclm600 (default) | "
        "linc360; logiqa: test (default) | eval",
    )
    parser.add_argument("--path", help="logiqa2: the LogiQA 2.0 MRC file (JSON lines)")
    parser.add_argument(
        "--translations",
        help="'gold' (default: the dataset's own FOL) or a JSONL file of saved translations "
        "(a finished run's samples.jsonl is one); with --provider as well, the saved "
        "translations are re-solved and the provider only scores the fallback",
    )
    parser.add_argument(
        "--at-round", type=int, metavar="R",
        help="with --translations RUN/samples.jsonl: each sample as it stood after R refinement "
        "rounds (0: the first translation), read from the run's trace",
    )
    parser.add_argument(
        "--first-samples", type=int, metavar="K",
        help="with --translations RUN/samples.jsonl: vote over the first K saved samples only",
    )
    parser.add_argument(
        "--provider", help="translate with this LLM (llamacpp:embedded, openai:MODEL, ...) "
        "instead of using saved translations; required for logiqa",
    )
    parser.add_argument("--base-url", help="OpenAI-compatible server for openai:MODEL")
    _add_option(parser, "parser", choices=PARSERS)
    _add_option(parser, "style", choices=STYLES)
    _add_option(parser, "declare", choices=DECLARE_MODES)
    _add_option(parser, "alternatives")
    _add_option(parser, "readings")
    _add_option(parser, "samples")
    _add_option(parser, "vote", choices=VOTE_RULES, default=None,
                help=describe("vote") + f" Default: {default('vote')}, translating or re-solving "
                "--translations.")
    _add_option(parser, "sample_more", choices=SAMPLE_MORE, default=None,
                help=describe("sample_more") + f" Default: {default('sample_more')} when "
                "translating; always when re-solving --translations (every saved sample votes).")
    _add_option(parser, "refine_rounds")
    _add_option(parser, "temperature")
    _add_option(parser, "seed")
    caching = parser.add_mutually_exclusive_group()
    caching.add_argument(
        "--cache", help="directory of the model-call cache (default: $NEUROLOGIC_CACHE_DIR or "
        "~/.cache/neurologic/calls)",
    )
    caching.add_argument("--no-cache", action="store_true", help="call the model every time")
    parser.add_argument(
        "--concurrency", type=int, default=1,
        help="items solved at once (threads; for remote providers; llamacpp runs 1)",
    )
    _add_option(parser, "solver", choices=SOLVER_NAMES, default=None,
                help=describe("solver") + " Default: rulebase on proofwriter (forward chaining, "
                "the reading that defines its labels, and z3 for a sample outside that fragment; "
                f"each sample records which decided), {default('solver')} elsewhere.")
    _add_option(parser, "timeout_s", flag="--timeout")
    distributed = parser.add_argument_group(
        "on a Ray cluster (pip install \"neurologic[distributed]\")"
    )
    distributed.add_argument(
        "--ray", metavar="ADDRESS",
        help="solve on the Ray cluster at ADDRESS (host:port of its head node), or 'local' for a "
        "private one-machine cluster started for the run; --concurrency is then the calls each "
        "actor runs at once",
    )
    distributed.add_argument(
        "--ray-actors", type=int,
        help="actors in the pool (default: one per CPU of the cluster; with a local model, one "
        "per node that offers the neurologic_model resource)",
    )
    distributed.add_argument(
        "--requests-per-s", type=float,
        help="with --ray: every actor's model calls share this many requests per second",
    )
    distributed.add_argument(
        "--tokens-per-min", type=float,
        help="with --ray: every actor's model calls share this many tokens per minute",
    )
    distributed.add_argument(
        "--item-timeout", type=float, default=900.0,
        help="with --ray: an item still running this long (plus 30 s) is recorded as a timeout "
        "and its actor replaced",
    )
    parser.add_argument("--out", required=True, help="output directory (resumed if it exists)")
    parser.add_argument("--limit", type=int, help="only the first N items")
    parser.add_argument("--ids", help="comma-separated item ids")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--force-resume", action="store_true",
        help="resume OUT even if the inference stack changed since it started (recorded)",
    )
    parser.add_argument(
        "--no-fallback", action="store_true",
        help="never answer from the model's option scores when no translation could be solved",
    )
    _add_option(parser, "debias", choices=DEBIAS_MODES)
    _add_option(parser, "augment", action="store_true")
    return parser


def _add_option(
    parser: argparse.ArgumentParser, name: str, *, flag: str | None = None, **settings: Any
) -> None:
    """A Reasoner option as a flag, its default and help text read from :class:`ReasonerConfig`."""
    value = default(name)
    settings.setdefault("default", value)
    settings.setdefault("help", describe(name))
    if "action" not in settings and isinstance(value, (int, float)) and not isinstance(value, bool):
        settings.setdefault("type", type(value))
    parser.add_argument(flag or "--" + name.replace("_", "-"), **settings)


if __name__ == "__main__":
    raise SystemExit(main())
