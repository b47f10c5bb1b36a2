"""Choosing the next token: greedy or temperature/top-p sampling over allowed candidates, and
llama.cpp's grammar sampler applied to a candidate set of our choosing."""

from __future__ import annotations

import ctypes
import json
from typing import Any

try:
    import numpy as np
except ImportError:  # numpy comes with llama-cpp-python; without it the provider cannot run
    np = None  # type: ignore[assignment]

from .base import ProviderError
from .llama_runtime import TOKEN_DATA
from .llama_runtime import Loaded

__all__ = ["DEFAULT_CANDIDATES", "Grammar", "log_softmax", "pick", "schema_grammar"]

DEFAULT_CANDIDATES = 256


def log_softmax(logits: np.ndarray) -> np.ndarray:
    m = float(logits.max())
    return logits - (m + np.log(np.exp(logits - m, dtype=np.float64).sum()))


class Grammar:
    """llama.cpp's grammar sampler, applied to a candidate set of our choosing."""

    def __init__(self, loaded: Loaded, gbnf: str) -> None:
        self.loaded = loaded
        lib = loaded.lib
        self.smpl = lib.llama_sampler_init_grammar(loaded.vocab, gbnf.encode("utf-8"), b"root")
        if not self.smpl:
            raise ProviderError(
                "llama.cpp rejected the GBNF grammar (it must parse and define 'root'); "
                "run with verbose=True to see llama.cpp's parser message"
            )
        self.full_checks = 0

    def _apply(self, data: np.ndarray) -> np.ndarray:
        lib = self.loaded.lib
        arr = lib.llama_token_data_array(
            data=data.ctypes.data_as(lib.llama_token_data_p),
            size=len(data),
            selected=-1,
            sorted=False,
        )
        lib.llama_sampler_apply(self.smpl, ctypes.byref(arr))
        return data["id"][np.isfinite(data["logit"])]

    def allowed(self, logits: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """Allowed token ids: among ``candidates`` if any is allowed, else in the whole vocab."""
        data = np.empty(len(candidates), dtype=TOKEN_DATA)
        data["id"] = candidates
        data["logit"] = logits[candidates]
        data["p"] = 0.0
        ok = self._apply(data)
        if len(ok):
            return ok
        self.full_checks += 1
        full = self.loaded.full
        full["id"] = np.arange(len(logits), dtype=np.int32)
        full["logit"] = logits
        full["p"] = 0.0
        return self._apply(full).copy()

    def accept(self, token: int) -> None:
        self.loaded.lib.llama_sampler_accept(self.smpl, token)

    def close(self) -> None:
        if self.smpl:
            self.loaded.lib.llama_sampler_free(self.smpl)
            self.smpl = None


def schema_grammar(schema: dict[str, Any]) -> str:
    """GBNF for a JSON schema, by llama-cpp-python's own converter."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf  # noqa: PLC0415

    try:
        return json_schema_to_gbnf(json.dumps(schema))
    except Exception as e:  # the converter raises plain exceptions on schemas it cannot do
        raise ProviderError(f"cannot turn the JSON schema into a grammar: {e}") from e


def pick(
    logits: np.ndarray,
    ids: np.ndarray | None,
    temperature: float,
    top_p: float,
    rng: np.random.Generator,
) -> int:
    """Greedy (temperature <= 0) or temperature/top-p sampling over ``ids`` (None: all)."""
    if ids is not None and len(ids) == 1:
        return int(ids[0])
    sub = logits if ids is None else logits[ids]
    if temperature <= 0:
        return int(np.argmax(sub)) if ids is None else int(ids[int(np.argmax(sub))])
    z = sub.astype(np.float64) / temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    if top_p < 1.0:
        order = None
        if len(p) > 4 * DEFAULT_CANDIDATES:  # try the nucleus within the top candidates first
            top = np.argpartition(-p, DEFAULT_CANDIDATES)[:DEFAULT_CANDIDATES]
            top = top[np.argsort(-p[top], kind="stable")]
            if p[top].sum() >= top_p:
                order = top
        if order is None:
            order = np.argsort(-p, kind="stable")
        cum = np.cumsum(p[order])
        cut = int(np.searchsorted(cum, top_p)) + 1
        keep = order[:cut]
        q = p[keep] / p[keep].sum()
        j = int(keep[min(int(np.searchsorted(np.cumsum(q), rng.random())), len(keep) - 1)])
    else:
        j = min(int(np.searchsorted(np.cumsum(p), rng.random())), len(p) - 1)
    return j if ids is None else int(ids[j])
