"""The actor pool: every task's result delivered exactly once, lost calls sent again, calls past
their time limit given up and their actors replaced; and :func:`solve_many_on_ray`."""

from __future__ import annotations

import pickle
import time
from collections import deque
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .cluster import TIMEOUT_MARGIN_S
from .cluster import DistributedError
from .cluster import connect
from .cluster import pool_plan
from .cluster import require_ray

__all__ = ["run_pool", "solve_many_on_ray"]


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
    options = {
        "max_restarts": 0,
        "max_task_retries": 0,
        "max_concurrency": in_flight,
        **(actor_options or {}),
    }
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
    make_reasoner: Callable[[], Any],
    problems: list[tuple[list[str], str]],
    address: str,
    *,
    local_model: bool,
    actors: int | None = None,
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
        answers = dict(
            run_pool(factory, enumerate(problems), actors=count, actor_options=actor_options)
        )
    return [answers[i] for i in range(len(problems))]
