"""The runner on a Ray cluster (``python -m benchmarks.run ... --ray ADDRESS``).

Each actor builds one Reasoner from the run's arguments (its provider client or local model,
grammars, retriever) and solves items; the driver (:func:`benchmarks.run.run`) stays the only
writer of ``samples.jsonl``. Model calls go through one cache actor on the driver's node (the same
on-disk cache a one-machine run uses) and, with ``--requests-per-s`` / ``--tokens-per-min``, one
rate-limiter actor. An actor with a local GGUF model takes the node's ``neurologic_model``
resource, so a node never holds a model twice. See :mod:`neurologic.distributed`.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from collections.abc import Sequence
from typing import Any

from neurologic.distributed import RemoteStore
from neurologic.distributed import cache_store
from neurologic.distributed import cluster_description
from neurologic.distributed import is_local_model
from neurologic.distributed import pool_plan
from neurologic.distributed import rate_limiter
from neurologic.distributed import run_pool

from .datasets import Item
from .item_record import ItemRecord
from .run_options import make_reasoner
from .run_provider import build_provider
from .run_provider import cache_dir
from .solving import solve


class ItemWorkerFactory:
    """Picklable: builds, inside an actor, the provider and Reasoner the run's arguments name."""

    def __init__(self, args: argparse.Namespace, cache: Any, limiter: Any) -> None:
        self.args, self.cache, self.limiter = args, cache, limiter

    def __call__(self) -> ItemWorker:
        store = None if self.cache is None else RemoteStore(self.cache)
        provider = build_provider(self.args, limiter=self.limiter, store=store)
        return ItemWorker(make_reasoner(self.args, provider))


class ItemWorker:
    """One actor's Reasoner; ``handle((item, saved))`` is the item's samples.jsonl record."""

    def __init__(self, reasoner: Any) -> None:
        self.reasoner = reasoner

    def handle(self, payload: tuple[Item, Any]) -> ItemRecord:
        item, saved = payload
        return solve(item, saved, self.reasoner)


def solved_on_ray(
    ray: Any,
    args: argparse.Namespace,
    todo: Sequence[Item],
    translations: Any,
    call_timeout_s: float | None,
) -> Iterator[ItemRecord]:
    """The records of ``todo`` as the cluster finishes them, each item once."""
    actors, options = pool_plan(
        ray,
        local_model=is_local_model(args.provider),
        actors=args.ray_actors,
        num_cpus=1 if args.concurrency <= 1 else 0,
    )
    options["max_concurrency"] = max(1, args.concurrency)
    cache = cache_store(ray, str(cache_dir(args))) if args.provider and not args.no_cache else None
    limiter = (
        rate_limiter(ray, args.requests_per_s, args.tokens_per_min)
        if args.requests_per_s or args.tokens_per_min
        else None
    )
    factory = ItemWorkerFactory(args, cache, limiter)
    tasks = (
        (
            item.id,
            (item, None if translations is None else {item.id: translations.get(item.id, [])}),
        )
        for item in todo
    )
    for _, record in run_pool(
        factory,
        tasks,
        actors=actors,
        in_flight=max(1, args.concurrency) + 1,
        actor_options=options,
        call_timeout_s=call_timeout_s,
        on_timeout=_timed_out,
    ):
        yield record


def _timed_out(key: str, payload: tuple[Item, Any]) -> ItemRecord:
    """The record of an item whose call outlived its time limit (its actor was replaced)."""
    return ItemRecord.timed_out_on_cluster(payload[0])


def describe(ray: Any, args: argparse.Namespace) -> dict[str, Any]:
    """The cluster for results.json's manifest; says so when nodes' CPUs differ under a local
    model (greedy decoding can part ways between CPUs)."""
    description = cluster_description(ray)
    if is_local_model(args.provider) and description["cpus_differ"]:
        description["warning"] = (
            "the nodes' CPUs differ: a local model's greedy decoding can differ between them, so "
            "answers may depend on which node solved an item"
        )
    return description
