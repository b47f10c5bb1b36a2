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

Modules: :mod:`.cluster` (connect, describe, plan), :mod:`.pool` (:func:`run_pool`,
:func:`solve_many_on_ray`), :mod:`.services` (rate limiter, cache store).
"""

from .cluster import (
    LIMITER_NAME, MODEL_RESOURCE, TIMEOUT_MARGIN_S, DistributedError, cluster_description, connect,
    is_local_model, pool_plan, require_ray,
)
from .pool import run_pool, solve_many_on_ray
from .services import (
    CacheStore, RateLimitedProvider, RateLimiter, RemoteStore, cache_store, rate_limiter,
)

__all__ = [
    "LIMITER_NAME", "MODEL_RESOURCE", "TIMEOUT_MARGIN_S", "CacheStore", "DistributedError",
    "RateLimitedProvider", "RateLimiter", "RemoteStore", "cache_store", "cluster_description",
    "connect", "is_local_model", "pool_plan", "rate_limiter", "require_ray", "run_pool",
    "solve_many_on_ray",
]
