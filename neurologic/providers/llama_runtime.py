"""Loaded GGUF models, one per model file in this process, each behind a lock.

llama-cpp-python is imported lazily, and the KV cache is reused across prompts that share a
prefix. :mod:`neurologic.providers.llamacpp` decodes with them."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

try:
    import numpy as np
except ImportError:  # numpy comes with llama-cpp-python; without it the provider cannot run
    np = None  # type: ignore[assignment]

from .base import ProviderError

__all__ = [
    "PIP_EXTRA",
    "TOKEN_DATA",
    "Loaded",
    "default_threads",
    "llama_cpp",
    "load",
    "loaded_models",
    "registered",
    "unload_all",
]

PIP_EXTRA = "pip install 'neurologic[local]'"
_PAD_ALIGN = 4  # canonical batches: a multiple of 4 rows ...
_PAD_MIN = 8  # ... and at least 8 (see Loaded.feed)


def llama_cpp():
    try:
        if np is None:
            raise ImportError("No module named 'numpy'")
        import llama_cpp  # noqa: PLC0415 (optional dependency, imported lazily)
    except ImportError as e:
        raise ProviderError(
            f"The llamacpp provider needs llama-cpp-python, which is not installed ({e}). "
            f"Install the extra: {PIP_EXTRA}"
        ) from e
    return llama_cpp


def default_threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# llama_token_data {int32 id; float logit; float p;} as a numpy record.
TOKEN_DATA = (
    np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)], align=True)
    if np is not None
    else None
)


# --------------------------------------------------------------------------- loaded models


@dataclass
class Loaded:
    """A loaded model and everything derived from it once."""

    path: Path
    llm: Any  # llama_cpp.Llama
    lib: Any  # the llama_cpp module
    n_ctx: int
    n_threads: int
    lock: threading.RLock = field(default_factory=threading.RLock)
    pieces: dict[int, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        lib = self.lib
        self.ctx = self.llm.ctx
        self.vocab = lib.llama_model_get_vocab(self.llm.model)
        self.n_vocab = int(lib.llama_vocab_n_tokens(self.vocab))
        self.n_batch = int(self.llm.n_batch)
        self.batch = lib.llama_batch_init(self.n_batch, 0, 1)
        self.exact = 0  # leading cache positions computed canonically (reusable as a prefix)
        self.eog = np.zeros(self.n_vocab, dtype=bool)
        for t in range(self.n_vocab):
            if lib.llama_vocab_is_eog(self.vocab, t):
                self.eog[t] = True
        self.eog_ids = np.nonzero(self.eog)[0].astype(np.int32)
        self.full = np.zeros(self.n_vocab, dtype=TOKEN_DATA)  # reused for full grammar checks
        self.chat_formatter = self._make_chat_formatter()

    # -- tokens ------------------------------------------------------------------------------

    def tokenize(self, text: str, *, add_bos: bool) -> list[int]:
        return self.llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=True)

    def piece(self, token: int) -> bytes:
        p = self.pieces.get(token)
        if p is None:
            buf = ctypes.create_string_buffer(256)
            n = self.lib.llama_token_to_piece(self.vocab, token, buf, 256, 0, False)
            if n < 0:
                buf = ctypes.create_string_buffer(-n)
                n = self.lib.llama_token_to_piece(self.vocab, token, buf, -n, 0, False)
            p = buf.raw[: max(n, 0)]
            self.pieces[token] = p
        return p

    # -- KV cache and decoding ---------------------------------------------------------------
    #
    # llama.cpp's CPU kernels are not batch-invariant: a token evaluated alone, or as one of the
    # last (n mod 4) rows of a batch, or in a batch of fewer than 8, gets slightly different
    # numbers than inside a larger batch (e.g. the repacked Q4_K gemm/gemv split; logits move by
    # up to ~0.5). Results would then depend on what the cache happened to hold, so every
    # prompt/score chunk is evaluated in *canonical* form: padded with throw-away tokens to a
    # multiple of 4 rows and at least 8 (the padding is removed from the cache right after; a
    # causal model's earlier rows cannot see it). Only canonically computed cache rows are
    # reused as a prefix; rows written one by one during generation are not.

    @property
    def n_past(self) -> int:
        return int(self.llm.n_tokens)

    def cached(self) -> np.ndarray:
        return self.llm.input_ids[: min(self.llm.n_tokens, self.exact)]

    def truncate(self, keep: int) -> None:
        """Drop the KV cache from position ``keep`` on."""
        keep = max(0, keep)
        if keep < self.n_past:
            mem = self.lib.llama_get_memory(self.ctx)
            if keep > 0 and self.lib.llama_memory_seq_rm(mem, -1, keep, -1):
                self.llm.n_tokens = keep
            else:
                self.lib.llama_memory_clear(mem, True)
                self.llm.n_tokens = 0
            self.llm._requires_eval = True  # keep Llama's own bookkeeping honest
        self.exact = min(self.exact, self.n_past)

    def common_prefix(self, tokens: Sequence[int]) -> int:
        """How many leading ``tokens`` the cache holds, canonically computed."""
        cached = self.cached()
        n = min(len(cached), len(tokens))
        if n == 0:
            return 0
        diff = np.nonzero(cached[:n] != np.asarray(tokens[:n], dtype=cached.dtype))[0]
        return int(diff[0]) if len(diff) else n

    def feed(
        self,
        tokens: Sequence[int],
        out_from: int = 0,
        out_to: int | None = None,
        *,
        canonical: bool = True,
    ) -> np.ndarray:
        """Append ``tokens`` after the cached ones; return the logits at the positions
        ``out_from <= i < out_to`` of ``tokens`` (default: to the end), one row each.
        ``canonical=False`` (one token per generation step) skips the padding."""
        lib, b = self.lib, self.batch
        tokens = list(tokens)
        n = len(tokens)
        out_to = n if out_to is None else out_to
        if self.n_past + n > self.n_ctx:
            raise ProviderError(
                f"context overflow: {self.n_past + n} tokens > n_ctx={self.n_ctx}; "
                "use a larger n_ctx or a shorter prompt"
            )
        step = self.n_batch - _PAD_MIN if canonical else self.n_batch
        rows: list[np.ndarray] = []
        for s in range(0, n, step):
            chunk = tokens[s : s + step]
            real = len(chunk)
            n_past = self.n_past
            pad, full = 0, False
            if canonical:
                want_len = max(_PAD_MIN, -(-real // _PAD_ALIGN) * _PAD_ALIGN)
                pad = max(0, min(want_len - real, self.n_ctx - n_past - real))
                full = real + pad == want_len  # no room for the padding near n_ctx: not exact
                chunk = chunk + [chunk[-1]] * pad
            b.n_tokens = len(chunk)
            outs = []
            for i, tok in enumerate(chunk):
                b.token[i] = tok
                b.pos[i] = n_past + i
                b.n_seq_id[i] = 1
                b.seq_id[i][0] = 0
                want = i < real and out_from <= s + i < out_to
                b.logits[i] = want
                if want:
                    outs.append(i)
            rc = lib.llama_decode(self.ctx, b)
            if rc != 0:
                self.llm.n_tokens = n_past + len(chunk)
                self.truncate(n_past)
                raise ProviderError(f"llama_decode failed with code {rc}")
            for i in outs:
                ptr = lib.llama_get_logits_ith(self.ctx, i)
                rows.append(np.ctypeslib.as_array(ptr, shape=(self.n_vocab,)).copy())
            self.llm.input_ids[n_past : n_past + real] = chunk[:real]
            self.llm.n_tokens = n_past + len(chunk)
            self.truncate(n_past + real)  # drop the padding
            if full and self.exact == n_past:
                self.exact = n_past + real
        return np.stack(rows) if rows else np.zeros((0, self.n_vocab), np.float32)

    def prime(self, tokens: Sequence[int]) -> tuple[np.ndarray, int]:
        """Make the KV cache hold exactly ``tokens``, re-evaluating only past the prefix it
        already holds canonically; return the logits after the last token and how many
        tokens were evaluated."""
        if not tokens:
            raise ProviderError("empty prompt")
        self.truncate(min(self.common_prefix(tokens), len(tokens) - 1))
        keep = self.n_past
        logits = self.feed(tokens[keep:], out_from=len(tokens) - keep - 1)
        return logits[-1], len(tokens) - keep

    def use_threads(self, n_threads: int) -> None:
        """Providers sharing the model may ask for different thread counts."""
        if n_threads != self.n_threads:
            self.lib.llama_set_n_threads(self.ctx, n_threads, n_threads)
            self.n_threads = n_threads

    def close(self) -> None:
        if self.batch is not None:
            self.lib.llama_batch_free(self.batch)
            self.batch = None
        self.llm.close()

    # -- chat ------------------------------------------------------------------------------

    def _make_chat_formatter(self):
        from llama_cpp import llama_chat_format  # noqa: PLC0415

        template = self.llm.metadata.get("tokenizer.chat_template")
        if template:
            llm = self.llm
            eos, bos = llm.token_eos(), llm.token_bos()
            return llama_chat_format.Jinja2ChatFormatter(
                template=template,
                eos_token=llm._model.token_get_text(eos) if eos != -1 else "",
                bos_token=llm._model.token_get_text(bos) if bos != -1 else "",
                add_generation_prompt=True,
            )
        name = (self.llm.chat_format or "chatml").replace("-", "_")
        return getattr(llama_chat_format, f"format_{name}", llama_chat_format.format_chatml)

    def render_chat(self, messages: Sequence[Any]) -> list[int]:
        result = self.chat_formatter(
            messages=[{"role": m.role, "content": m.content} for m in messages]
        )
        return self.tokenize(result.prompt, add_bos=not result.added_special)


_REGISTRY: dict[str, Loaded] = {}
_REGISTRY_LOCK = threading.Lock()


def load(path: Path, n_ctx: int, n_threads: int, n_batch: int, verbose: bool) -> Loaded:
    key = str(path)
    with _REGISTRY_LOCK:
        loaded = _REGISTRY.get(key)
        if loaded is not None and loaded.n_ctx >= n_ctx:
            return loaded
        if loaded is not None:  # a bigger context is needed: replace, never hold two copies
            with loaded.lock:
                loaded.close()
            del _REGISTRY[key]
        lib = llama_cpp()
        try:
            llm = lib.Llama(
                model_path=key,
                n_ctx=n_ctx,
                n_batch=n_batch,
                n_ubatch=n_batch,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                logits_all=False,
                verbose=verbose,
            )
        except Exception as e:  # llama-cpp-python raises ValueError and friends
            raise ProviderError(f"llama.cpp could not load {path}: {e}") from e
        loaded = Loaded(path=path, llm=llm, lib=lib, n_ctx=int(llm.n_ctx()), n_threads=n_threads)
        _REGISTRY[key] = loaded
        return loaded


def _unload_at_exit() -> None:
    # Free the models while llama_cpp's module globals still exist (otherwise Llama.__del__
    # runs during interpreter teardown and prints a TypeError).
    with contextlib.suppress(Exception):
        unload_all()


atexit.register(_unload_at_exit)


def registered(path: Path) -> Loaded | None:
    """The model loaded from ``path`` in this process, if any."""
    with _REGISTRY_LOCK:
        return _REGISTRY.get(str(path))


def loaded_models() -> list[str]:
    """Paths of the models loaded in this process."""
    with _REGISTRY_LOCK:
        return list(_REGISTRY)


def unload_all() -> None:
    """Free every loaded model (tests, or before loading a different large model)."""
    with _REGISTRY_LOCK:
        for loaded in _REGISTRY.values():
            with loaded.lock:
                loaded.close()
        _REGISTRY.clear()
