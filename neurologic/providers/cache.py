"""A disk cache of provider calls, so a rerun with nothing changed makes no model call.

Keys are SHA-256 digests of JSON holding everything that changes the output:

- the provider's identity: name, model, base URL and weights checksum from ``describe()``, or
  its own ``cache_identity()``;
- the request's :meth:`~neurologic.providers.base.GenerationRequest.cache_fields` except ``n``;
- the sample index, so a later request for more samples reuses the first ones.

Nothing is written that holds a secret the provider reports or any ``*_API_KEY`` of the
environment. Values are JSON text, readable by hand.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from pathlib import Path
from typing import Any

from .base import Generation
from .base import GenerationRequest
from .base import Provider
from .base import ProviderError
from .base import ProviderWrapper
from .base import TokenLogprob
from .base import Usage

CACHE_FORMAT = 1  # bump when the key material or the stored value format changes

_IDENTITY_KEYS = {"base_url", "base_url_host", "host", "chat_format"}
_IDENTITY_MARKERS = ("sha256", "checksum", "digest")


@dataclass
class CacheStats:
    """Counts per :class:`CachedProvider`: samples/scores served from disk (``hits``), not
    found (``misses``), and calls made to the wrapped provider."""

    hits: int = 0
    misses: int = 0
    generate_calls: int = 0
    score_calls: int = 0

    @property
    def model_calls(self) -> int:
        return self.generate_calls + self.score_calls


class CachedProvider(ProviderWrapper):
    """Wraps ``inner`` with a ``diskcache`` store in ``directory``; same interface.

    For a request with a ``seed``, missing samples are regenerated with the same seed and the
    sample at each missing index is taken (so cached and uncached runs agree exactly); without a
    seed, only as many fresh samples as are missing are drawn. If the wrapped provider raises,
    nothing from that call is stored and the error propagates.
    """

    def __init__(
        self, inner: Provider, directory: str | os.PathLike[str], *, store: Any = None
    ) -> None:
        """``store`` replaces the ``diskcache.Cache`` of ``directory`` with any object that has
        its ``get``, ``set``, ``close`` and ``len`` (one cache actor serving a cluster)."""
        self.inner = inner
        self.directory = Path(directory)
        self.name = inner.name
        self.model = inner.model
        self.capabilities = inner.capabilities
        self.stats = CacheStats()
        self._lock = threading.Lock()
        self._identity: dict[str, Any] | None = None
        self._secrets = _secrets_of(inner)
        self._cache = store if store is not None else _disk_cache(self.directory)

    # -- the Provider interface ---------------------------------------------------------------

    def generate(self, requests: Sequence[GenerationRequest]) -> list[list[Generation]]:
        results: list[list[Generation | None]] = []
        todo: list[tuple[int, GenerationRequest, list[tuple[int, int]], list[str]]] = []
        for r_index, request in enumerate(requests):
            base = self._material("generate", request=_request_material(request))
            keys = [self._key({**base, "sample": i}) for i in range(request.n)]
            found = [self._load_generation(k) for k in keys]
            results.append(found)
            missing = [i for i, g in enumerate(found) if g is None]
            with self._lock:
                self.stats.hits += request.n - len(missing)
                self.stats.misses += len(missing)
            if not missing:
                continue
            if request.seed is None:
                sub = replace(request, n=len(missing))
                mapping = list(enumerate(missing))  # (index in sub result, sample index)
            else:
                sub = replace(request, n=max(missing) + 1)
                mapping = [(i, i) for i in missing]
            todo.append((r_index, sub, mapping, keys))
        if todo:
            with self._lock:
                self.stats.generate_calls += 1
            fresh = self.inner.generate([sub for _, sub, _, _ in todo])
            if len(fresh) != len(todo):
                raise ProviderError(
                    f"{self.inner.name} returned {len(fresh)} results for {len(todo)} requests"
                )
            for (r_index, sub, mapping, keys), gens in zip(todo, fresh):
                if len(gens) < sub.n:
                    raise ProviderError(
                        f"{self.inner.name} returned {len(gens)} samples where {sub.n} were asked"
                    )
                for from_index, sample_index in mapping:
                    generation = gens[from_index]
                    self._store(keys[sample_index], _dump_generation(generation))
                    results[r_index][sample_index] = generation
        return [[g for g in gens if g is not None] for gens in results]

    def score(self, context: str, continuations: Sequence[str]) -> list[float]:
        keys = [
            self._key(self._material("score", context=context, continuation=c))
            for c in continuations
        ]
        scores: list[float | None] = []
        for k in keys:
            raw = self._cache.get(k)
            scores.append(None if raw is None else float(json.loads(raw)))
        missing = [i for i, s in enumerate(scores) if s is None]
        with self._lock:
            self.stats.hits += len(keys) - len(missing)
            self.stats.misses += len(missing)
        if missing:
            with self._lock:
                self.stats.score_calls += 1
            fresh = self.inner.score(context, [continuations[i] for i in missing])
            if len(fresh) != len(missing):
                raise ProviderError(
                    f"{self.inner.name} returned {len(fresh)} scores for {len(missing)}"
                )
            for i, value in zip(missing, fresh):
                self._store(keys[i], json.dumps(float(value)))
                scores[i] = float(value)
        return [float(s) for s in scores if s is not None]

    # -- housekeeping -------------------------------------------------------------------------

    def close(self) -> None:
        self._cache.close()

    def __enter__(self) -> CachedProvider:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._cache)

    # -- internals ----------------------------------------------------------------------------

    def identity(self) -> dict[str, Any]:
        """What identifies the wrapped provider's outputs (part of every key)."""
        if self._identity is None:
            custom = getattr(self.inner, "cache_identity", None)
            if callable(custom):
                ident = {"provider": self.inner.name, "model": self.inner.model, **custom()}
            else:
                described = self.inner.describe()
                ident = {"provider": self.inner.name, "model": self.inner.model}
                for k, v in sorted(described.items()):
                    low = k.lower()
                    if low in _IDENTITY_KEYS or any(m in low for m in _IDENTITY_MARKERS):
                        ident[k] = v
            self._check_secret_free(_canonical(ident), "the provider's identity (describe())")
            self._identity = ident
        return self._identity

    def _material(self, op: str, **fields: Any) -> dict[str, Any]:
        return {"format": CACHE_FORMAT, "op": op, "identity": self.identity(), **fields}

    def _key(self, material: dict[str, Any]) -> str:
        text = _canonical(material)
        self._check_secret_free(text, "a cache key")
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _store(self, key: str, value: str) -> None:
        self._check_secret_free(value, "a cached value")
        self._cache.set(key, value)

    def _load_generation(self, key: str) -> Generation | None:
        raw = self._cache.get(key)
        if raw is None:
            return None
        try:
            return _load_generation(json.loads(raw))
        except (ValueError, KeyError, TypeError, IndexError):
            return None  # unreadable entry (another format): treat as a miss, overwrite later

    def _check_secret_free(self, text: str, what: str) -> None:
        for secret in self._secrets:
            if secret in text:
                raise ProviderError(
                    f"refusing to cache: {what} would contain a secret (an API key); "
                    "the provider must not put keys in describe() or its outputs"
                )


def _disk_cache(directory: Path) -> Any:
    try:
        import diskcache
    except ImportError as exc:  # pragma: no cover - diskcache is a dependency
        raise ProviderError(
            "the provider cache needs the 'diskcache' package (pip install diskcache)"
        ) from exc
    return diskcache.Cache(str(directory))


def _request_material(request: GenerationRequest) -> dict[str, Any]:
    fields = dict(request.cache_fields())
    fields.pop("n", None)  # one entry per sample instead
    return fields


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _secrets_of(inner: Provider) -> frozenset[str]:
    secrets: set[str] = set()
    reported = getattr(inner, "secret_values", None)
    if callable(reported):
        secrets.update(s for s in reported() if s)
    for name, value in os.environ.items():
        if name.upper().endswith(("API_KEY", "_TOKEN")) and len(value) >= 8:
            secrets.add(value)
    return frozenset(s for s in secrets if len(s) >= 4)


def _dump_generation(g: Generation) -> str:
    return json.dumps(
        {
            "text": g.text,
            "finish_reason": g.finish_reason,
            "logprobs": None
            if g.logprobs is None
            else [[t.token, t.logprob, [list(x) for x in t.top]] for t in g.logprobs],
            "usage": [g.usage.prompt_tokens, g.usage.completion_tokens],
        },
        ensure_ascii=False,
    )


def _load_generation(d: dict[str, Any]) -> Generation:
    logprobs = d["logprobs"]
    return Generation(
        text=d["text"],
        finish_reason=d["finish_reason"],
        logprobs=None
        if logprobs is None
        else tuple(
            TokenLogprob(tok, float(lp), tuple((str(a), float(b)) for a, b in top))
            for tok, lp, top in logprobs
        ),
        usage=Usage(int(d["usage"][0]), int(d["usage"][1])),
    )
