"""Run work on a Ray cluster: an actor pool that delivers every task's result exactly once.

Ray is an optional extra (``pip install "neurologic[distributed]"``), imported only when used.

* :func:`connect`: ``"local"`` starts a private one-machine cluster for the duration; an address
  joins an existing one.
* :func:`run_pool`: each actor builds one worker from a picklable factory and handles tasks; the
  driver yields ``(key, result)`` once per key. A call lost with its node is sent again; one far
  past its time limit is given up (``on_timeout`` makes its result) and its actor replaced.
* :class:`RateLimiter`: one named actor that keeps a hosted endpoint's request and token limits.
* :class:`CacheStore`: one actor that owns the on-disk call cache on the driver's node.
* :data:`MODEL_RESOURCE`: a node offers one per local model it can hold, so none holds two.

Modules: :mod:`.cluster` (connect, describe, plan), :mod:`.pool` (:func:`run_pool`,
:func:`solve_many_on_ray`), :mod:`.services` (rate limiter, cache store).
"""

from .cluster import LIMITER_NAME
from .cluster import MODEL_RESOURCE
from .cluster import TIMEOUT_MARGIN_S
from .cluster import DistributedError
from .cluster import cluster_description
from .cluster import connect
from .cluster import is_local_model
from .cluster import pool_plan
from .cluster import require_ray
from .pool import run_pool
from .pool import solve_many_on_ray
from .services import CacheStore
from .services import RateLimitedProvider
from .services import RateLimiter
from .services import RemoteStore
from .services import cache_store
from .services import rate_limiter

__all__ = [
    "LIMITER_NAME",
    "MODEL_RESOURCE",
    "TIMEOUT_MARGIN_S",
    "CacheStore",
    "DistributedError",
    "RateLimitedProvider",
    "RateLimiter",
    "RemoteStore",
    "cache_store",
    "cluster_description",
    "connect",
    "is_local_model",
    "pool_plan",
    "rate_limiter",
    "require_ray",
    "run_pool",
    "solve_many_on_ray",
]
