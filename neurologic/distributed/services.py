"""Services shared by every actor of a pool: one rate limiter for a hosted endpoint's limits,
one store for the on-disk call cache, and the provider wrapper that uses the limiter."""

from __future__ import annotations

import time
from typing import Any

from ..providers.base import ProviderWrapper
from .cluster import LIMITER_NAME
from .cluster import require_ray

__all__ = [
    "CacheStore",
    "RateLimitedProvider",
    "RateLimiter",
    "RemoteStore",
    "cache_store",
    "rate_limiter",
]


class RateLimiter:
    """A token bucket for requests per second and tokens per minute, held by one named actor.

    :meth:`acquire` books the caller's slot and returns how long to wait, without blocking the
    actor. :meth:`debit` books the tokens a finished call used."""

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
    return (
        ray.remote(num_cpus=0)(RateLimiter)
        .options(name=LIMITER_NAME, get_if_exists=True, lifetime=None)
        .remote(requests_per_s, tokens_per_min)
    )


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
    return (
        ray.remote(num_cpus=0)(CacheStore)
        .options(
            scheduling_strategy=NodeAffinitySchedulingStrategy(node_id=here, soft=False),
            max_concurrency=16,
        )
        .remote(directory)
    )


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
        tokens = sum(
            g.usage.prompt_tokens + g.usage.completion_tokens for gens in results for g in gens[:1]
        )
        if tokens:
            self.limiter.debit.remote(tokens)
        return results

    def score(self, context, continuations):
        self._wait(1)
        return self.inner.score(context, continuations)
