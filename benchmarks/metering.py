"""Providers metered per thread: how many model calls each item made, and how many the disk
cache answered (so a warm-cache rerun can show it made none)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from neurologic.providers.base import Generation
from neurologic.providers.base import GenerationRequest
from neurologic.providers.base import Provider
from neurologic.providers.base import ProviderWrapper
from neurologic.providers.cache import CachedProvider
from neurologic.providers.cache import CacheStats


class _ThreadStats:
    """Keeps ``stats`` per thread, so one item's calls are counted while other items run."""

    @property
    def stats(self) -> CacheStats:
        local = self.__dict__.setdefault("_thread_stats", threading.local())
        if not hasattr(local, "stats"):
            local.stats = CacheStats()
        return local.stats

    @stats.setter
    def stats(self, value: CacheStats) -> None:
        self.__dict__.setdefault("_thread_stats", threading.local()).stats = value


class MeteredCache(_ThreadStats, CachedProvider):
    """The disk cache, with its hit and call counts kept per thread."""


class Metered(_ThreadStats, ProviderWrapper):
    """A provider unchanged, but for counting its calls per thread (when there is no cache)."""

    def __init__(self, inner: Provider) -> None:
        self.inner = inner
        self.name, self.model, self.capabilities = inner.name, inner.model, inner.capabilities

    def generate(self, requests: Sequence[GenerationRequest]) -> list[list[Generation]]:
        self.stats.generate_calls += 1
        return self.inner.generate(requests)

    def score(self, context: str, continuations: Sequence[str]) -> list[float]:
        self.stats.score_calls += 1
        return self.inner.score(context, continuations)


def counts(provider: Any) -> tuple[int, int] | None:
    """(model calls, cache hits) so far in this thread, or None if ``provider`` keeps no stats."""
    if provider is None:
        return (0, 0)
    stats = getattr(provider, "stats", None)
    return (stats.model_calls, stats.hits) if isinstance(stats, CacheStats) else None
