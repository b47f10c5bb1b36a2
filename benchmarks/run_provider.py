"""The run's model: the ``--provider`` a run (or a cluster actor) asks, behind the disk cache and
metered per thread (:mod:`benchmarks.metering`), and closed when the run ends."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from neurologic.providers import get_provider
from neurologic.providers.base import Provider
from neurologic.providers.cache import CachedProvider

from .metering import Metered
from .metering import MeteredCache


def build_provider(
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
    return MeteredCache(inner, cache_dir(args), store=store)


def cache_dir(args: argparse.Namespace) -> Path:
    """Where the model-call cache lives: ``--cache``, else $NEUROLOGIC_CACHE_DIR, else
    ``~/.cache/neurologic/calls``."""
    if args.cache:
        return Path(args.cache).expanduser()
    env = os.environ.get("NEUROLOGIC_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "neurologic" / "calls"


def close_provider(provider: Provider | None) -> None:
    """Close the disk cache behind ``provider``, if it has one."""
    if isinstance(provider, CachedProvider):
        provider.close()
