"""Local GGUF models through llama-cpp-python: chat generation, fast grammar-constrained decoding,
exact continuation log-likelihoods.

``LlamaCppProvider("embedded")`` runs Qwen2.5-Coder-1.5B-Instruct (assembled and checksummed by
:mod:`neurologic.models`), ``"smollm2"`` the small test model, anything else a GGUF path.

How it works, and why:

* **One model per process.** Loaded models live in a module-level registry keyed by the file's
  path; every provider for that path shares the instance (and a lock around it).
* **Own decoding loop** on llama.cpp's low-level API. The evaluated prefix stays in the KV cache
  and the next prompt re-evaluates only from the first token that differs, so prompts that share a
  few-shot prefix pay only for their own tokens (the same holds for :meth:`score`).
* **Grammar** (GBNF) is applied to the ~256 most likely candidates first and to the whole
  vocabulary only when none of them is allowed. llama.cpp's own grammar sampler checks all 151k
  Qwen tokens every step, which drops generation from ~15 to 4–8 tok/s. At temperature > 0 this
  samples from the allowed tokens among those candidates (a top-k of 256 in effect).
* A **JSON schema** becomes a GBNF grammar through llama-cpp-python's converter.
* **End of generation** is any token for which ``llama_vocab_is_eog`` holds (Qwen's
  ``<|im_end|>``/``<|endoftext|>`` are not ``token_eos()``), a stop string, or ``max_tokens``.
* **Scores** come from logits requested only for the continuation positions of a batch, so the
  context is evaluated once and no ``logits_all`` buffer (n_ctx × vocab floats) is needed.
* Token log-probabilities are the model's own (log-softmax of the raw logits), before any
  grammar, temperature or top-p: they measure how much the model believes the text.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

try:
    import numpy as np
except ImportError:  # numpy comes with llama-cpp-python; without it the provider cannot run
    np = None  # type: ignore[assignment]

from .base import (
    CHAT,
    GRAMMAR,
    JSON_SCHEMA,
    SCORE,
    TOP_LOGPROBS,
    Generation,
    GenerationRequest,
    ProviderError,
    TokenLogprob,
    Usage,
)

__all__ = ["LlamaCppProvider", "loaded_models", "unload_all"]

PIP_EXTRA = "pip install 'neurologic[local]'"
DEFAULT_CANDIDATES = 256
_DECODER_VERSION = "neurologic-llamacpp/1"  # bump when decoding changes what comes out
_PAD_ALIGN = 4  # canonical batches: a multiple of 4 rows ...
_PAD_MIN = 8  # ... and at least 8 (see _Loaded.feed)


def _llama_cpp():
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


def _default_threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# llama_token_data {int32 id; float logit; float p;} as a numpy record.
_TOKEN_DATA = (
    np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)], align=True)
    if np is not None else None
)


# --------------------------------------------------------------------------- loaded models


@dataclass
class _Loaded:
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
        self.full = np.zeros(self.n_vocab, dtype=_TOKEN_DATA)  # reused for full grammar checks
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
        self, tokens: Sequence[int], out_from: int = 0, out_to: int | None = None, *,
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


_REGISTRY: dict[str, _Loaded] = {}
_REGISTRY_LOCK = threading.Lock()


def _load(path: Path, n_ctx: int, n_threads: int, n_batch: int, verbose: bool) -> _Loaded:
    key = str(path)
    with _REGISTRY_LOCK:
        loaded = _REGISTRY.get(key)
        if loaded is not None and loaded.n_ctx >= n_ctx:
            return loaded
        if loaded is not None:  # a bigger context is needed: replace, never hold two copies
            with loaded.lock:
                loaded.close()
            del _REGISTRY[key]
        lib = _llama_cpp()
        try:
            llm = lib.Llama(
                model_path=key, n_ctx=n_ctx, n_batch=n_batch, n_ubatch=n_batch,
                n_threads=n_threads, n_threads_batch=n_threads, logits_all=False,
                verbose=verbose,
            )
        except Exception as e:  # llama-cpp-python raises ValueError and friends
            raise ProviderError(f"llama.cpp could not load {path}: {e}") from e
        loaded = _Loaded(path=path, llm=llm, lib=lib, n_ctx=int(llm.n_ctx()), n_threads=n_threads)
        _REGISTRY[key] = loaded
        return loaded


def _unload_at_exit() -> None:
    # Free the models while llama_cpp's module globals still exist (otherwise Llama.__del__
    # runs during interpreter teardown and prints a TypeError).
    with contextlib.suppress(Exception):
        unload_all()


atexit.register(_unload_at_exit)


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


# --------------------------------------------------------------------------- sampling


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    m = float(logits.max())
    return logits - (m + np.log(np.exp(logits - m, dtype=np.float64).sum()))


class _Grammar:
    """llama.cpp's grammar sampler, applied to a candidate set of our choosing."""

    def __init__(self, loaded: _Loaded, gbnf: str) -> None:
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
            data=data.ctypes.data_as(lib.llama_token_data_p), size=len(data),
            selected=-1, sorted=False,
        )
        lib.llama_sampler_apply(self.smpl, ctypes.byref(arr))
        return data["id"][np.isfinite(data["logit"])]

    def allowed(self, logits: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """Allowed token ids: among ``candidates`` if any is allowed, else in the whole vocab."""
        data = np.empty(len(candidates), dtype=_TOKEN_DATA)
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


def _schema_grammar(schema: dict[str, Any]) -> str:
    """GBNF for a JSON schema, by llama-cpp-python's own converter."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf  # noqa: PLC0415

    try:
        return json_schema_to_gbnf(json.dumps(schema))
    except Exception as e:  # the converter raises plain exceptions on schemas it cannot do
        raise ProviderError(f"cannot turn the JSON schema into a grammar: {e}") from e


def _pick(
    logits: np.ndarray, ids: np.ndarray | None, temperature: float, top_p: float,
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


# --------------------------------------------------------------------------- the provider


class LlamaCppProvider:
    """A local GGUF model. ``model``: ``"embedded"`` (Qwen2.5-Coder-1.5B-Instruct),
    ``"smollm2"`` or a path to a ``.gguf`` file."""

    name = "llamacpp"
    capabilities = frozenset({CHAT, SCORE, GRAMMAR, JSON_SCHEMA, TOP_LOGPROBS})

    def __init__(
        self,
        model: str = "embedded",
        n_ctx: int = 4096,
        n_threads: int | None = None,
        seed: int | None = 0,
        *,
        n_batch: int = 512,
        candidates: int = DEFAULT_CANDIDATES,
        verbose: bool = False,
    ) -> None:
        from neurologic.models import resolve_model  # noqa: PLC0415

        self.model = str(model)
        self.path, self._sha256 = resolve_model(model)
        self.n_ctx = int(n_ctx)
        self.n_threads = int(n_threads or _default_threads())
        self.n_batch = int(n_batch)
        self.seed = seed
        self.candidates = int(candidates)
        self.verbose = verbose
        # Counters, for measurements and tests.
        self.stats = {"prompt_tokens": 0, "prompt_tokens_evaluated": 0, "completion_tokens": 0,
                      "grammar_full_checks": 0}

    # -- plumbing --------------------------------------------------------------------------

    def _model(self) -> _Loaded:
        loaded = _load(self.path, self.n_ctx, self.n_threads, self.n_batch, self.verbose)
        with loaded.lock:
            loaded.use_threads(self.n_threads)
        return loaded

    def tokenize(self, text: str, *, add_bos: bool = True) -> list[int]:
        return self._model().tokenize(text, add_bos=add_bos)

    def render_chat(self, messages: Sequence[Any]) -> list[int]:
        """The prompt tokens for a chat, rendered with the model's own chat template."""
        return self._model().render_chat(messages)

    def chat_text(self, messages: Sequence[Any]) -> str:
        """The chat rendered as prompt text in the model's own template, ending where the
        assistant's answer begins (for :meth:`score`)."""
        loaded = self._model()
        result = loaded.chat_formatter(
            messages=[{"role": m.role, "content": m.content} for m in messages]
        )
        return str(result.prompt)

    # -- generate --------------------------------------------------------------------------

    def generate(self, requests: Sequence[GenerationRequest]) -> list[list[Generation]]:
        loaded = self._model()
        with loaded.lock:
            return [self._generate_one(loaded, r) for r in requests]

    def _generate_one(self, loaded: _Loaded, req: GenerationRequest) -> list[Generation]:
        if req.json_schema is not None and req.grammar is None:
            req = replace(req, grammar=_schema_grammar(req.json_schema))
        prompt = loaded.render_chat(req.messages)
        if len(prompt) >= loaded.n_ctx:
            raise ProviderError(
                f"prompt of {len(prompt)} tokens does not fit n_ctx={loaded.n_ctx}"
            )
        seed = req.seed if req.seed is not None else self.seed
        out: list[Generation] = []
        prompt_logits: np.ndarray | None = None
        for i in range(max(1, req.n)):
            if i > 0 and req.temperature <= 0:  # greedy: every sample is the first one
                out.append(Generation(out[0].text, out[0].finish_reason, out[0].logprobs,
                                      Usage(0, out[0].usage.completion_tokens)))
                continue
            if prompt_logits is None:
                prompt_logits, evaluated = loaded.prime(prompt)
                self.stats["prompt_tokens"] += len(prompt)
                self.stats["prompt_tokens_evaluated"] += evaluated
            else:
                loaded.truncate(len(prompt))  # back to the prompt for the next sample
            rng = np.random.default_rng(None if seed is None else [int(seed), i])
            gen = self._sample(loaded, req, prompt_logits, rng)
            out.append(Generation(
                text=gen.text, finish_reason=gen.finish_reason, logprobs=gen.logprobs,
                usage=Usage(len(prompt) if i == 0 else 0, gen.usage.completion_tokens),
            ))
        return out

    def _sample(
        self, loaded: _Loaded, req: GenerationRequest, logits: np.ndarray,
        rng: np.random.Generator,
    ) -> Generation:
        grammar = _Grammar(loaded, req.grammar) if req.grammar else None
        want_lp = req.logprobs or req.top_logprobs > 0
        k = self.candidates
        data = bytearray()
        starts: list[int] = []  # byte offset where each token's text starts
        lps: list[TokenLogprob] = []
        finish = "length"
        n_out = 0
        line_tokens = 0
        try:
            for _ in range(req.max_tokens):
                if grammar is not None:
                    if len(logits) > k:
                        # The top k, plus the end-of-generation tokens so that a finished
                        # grammar can end without a full-vocabulary check.
                        cand = np.union1d(np.argpartition(-logits, k)[:k], loaded.eog_ids)
                    else:
                        cand = np.arange(len(logits))
                    ids = grammar.allowed(logits, cand)
                    if len(ids) == 0:
                        finish = "grammar"  # nothing can follow: the grammar is stuck
                        break
                else:
                    ids = None
                tok = _pick(logits, ids, req.temperature, req.top_p, rng)
                if loaded.eog[tok]:
                    finish = "stop"
                    break
                if grammar is not None:
                    grammar.accept(tok)
                n_out += 1
                piece = loaded.piece(tok)
                if want_lp:
                    lsm = _log_softmax(logits)
                    top: tuple[tuple[str, float], ...] = ()
                    if req.top_logprobs > 0:
                        kk = min(req.top_logprobs, len(lsm))
                        best = np.argpartition(-lsm, kk - 1)[:kk]
                        best = best[np.argsort(-lsm[best], kind="stable")]
                        top = tuple(
                            (loaded.piece(int(t)).decode("utf-8", "replace"), float(lsm[t]))
                            for t in best
                        )
                    lps.append(TokenLogprob(piece.decode("utf-8", "replace"), float(lsm[tok]), top))
                starts.append(len(data))
                data += piece
                line_tokens = 0 if b"\n" in piece else line_tokens + 1
                if req.max_line_tokens and line_tokens >= req.max_line_tokens:
                    break  # one line ran on: finish "length"
                if req.stop:
                    text = data.decode("utf-8", "ignore")
                    hits = [text.find(s) for s in req.stop if s and s in text]
                    if hits:
                        cut = len(text[: min(hits)].encode("utf-8"))
                        del data[cut:]
                        if want_lp:
                            lps = [lp for lp, s in zip(lps, starts) if s < cut]
                        finish = "stop"
                        break
                if loaded.n_past >= loaded.n_ctx:
                    break
                logits = loaded.feed([tok], canonical=False)[0]
        finally:
            if grammar is not None:
                self.stats["grammar_full_checks"] += grammar.full_checks
                grammar.close()
        self.stats["completion_tokens"] += n_out
        return Generation(
            text=data.decode("utf-8", "replace"), finish_reason=finish,
            logprobs=tuple(lps) if want_lp else None, usage=Usage(0, n_out),
        )

    # -- score -----------------------------------------------------------------------------

    def score(self, context: str, continuations: Sequence[str]) -> list[float]:
        """Sum of the token log-probabilities of each continuation given ``context`` (raw text,
        no chat template), computed as lm-evaluation-harness does: trailing whitespace of the
        context moves to the continuation; ``context + continuation`` is tokenized whole and
        the tokens past the context's own tokenization are scored."""
        loaded = self._model()
        with loaded.lock:
            return [self._score_one(loaded, context, c) for c in continuations]

    def _split(self, loaded: _Loaded, context: str, continuation: str) -> tuple[list[int], int]:
        n_spaces = len(context) - len(context.rstrip())
        if n_spaces:
            continuation = context[-n_spaces:] + continuation
            context = context[:-n_spaces]
        whole = loaded.tokenize(context + continuation, add_bos=True)
        ctx = loaded.tokenize(context, add_bos=True)
        split = len(ctx) if whole[: len(ctx)] == ctx else _common_prefix(whole, ctx)
        if split == 0:  # nothing to condition on: start from a BOS/EOS token, as lm-eval does
            bos = loaded.llm.token_bos()
            whole = [bos if bos >= 0 else loaded.llm.token_eos()] + whole
            split = 1
        return whole, split

    def _score_one(self, loaded: _Loaded, context: str, continuation: str) -> float:
        whole, split = self._split(loaded, context, continuation)
        if split >= len(whole):
            return 0.0
        keep = min(loaded.common_prefix(whole), split - 1)
        loaded.truncate(keep)
        keep = loaded.n_past
        self.stats["prompt_tokens"] += len(whole)
        self.stats["prompt_tokens_evaluated"] += len(whole) - keep
        rows = loaded.feed(whole[keep:], out_from=split - 1 - keep, out_to=len(whole) - 1 - keep)
        total = 0.0
        for j, row in enumerate(rows):
            total += float(_log_softmax(row)[whole[split + j]])
        return total

    def next_token_logprobs(self, tokens: Sequence[int]) -> np.ndarray:
        """Log-probabilities of every next token after ``tokens`` (one decode, last position)."""
        loaded = self._model()
        with loaded.lock:
            logits, evaluated = loaded.prime(list(tokens))
            return _log_softmax(logits)

    # -- describe --------------------------------------------------------------------------

    def cache_identity(self) -> dict[str, Any]:
        """What changes this provider's outputs (for the disk cache): the weights, the decoder
        and the llama.cpp build; not the path, n_ctx or thread count."""
        d = self.describe()
        return {"sha256": d["sha256"], "llama_cpp_python": d["llama_cpp_python"],
                "decoder": _DECODER_VERSION, "grammar_candidates": self.candidates}

    def describe(self) -> dict[str, Any]:
        from neurologic.models import file_sha256  # noqa: PLC0415

        try:
            import llama_cpp  # noqa: PLC0415

            version = llama_cpp.__version__
        except ImportError:
            version = None
        loaded = _REGISTRY.get(str(self.path))
        return {
            "provider": self.name,
            "model": self.path.name,
            "model_name": self.model,
            "path": str(self.path),
            "sha256": self._sha256 or file_sha256(self.path),
            "n_ctx": loaded.n_ctx if loaded is not None else self.n_ctx,
            "llama_cpp_python": version,
            "grammar_candidates": self.candidates,
        }


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n
