"""Local GGUF models through llama-cpp-python: generation, grammar decoding, log-likelihoods.

``LlamaCppProvider("embedded")`` runs Qwen2.5-Coder-1.5B-Instruct (:mod:`.models`), ``"smollm2"``
the small test model, anything else a GGUF path.

* **One model per process**, in a registry keyed by path and shared under a lock.
* **Own decoding loop**: the KV cache keeps the evaluated prefix, so prompts sharing a few-shot
  prefix pay only for their own tokens (in :meth:`score` too).
* **Grammar** (GBNF) is checked on the ~256 likeliest candidates first, the whole vocabulary only
  when none is allowed; llama.cpp's own sampler checks every token and is 2–4 times slower.
* A **JSON schema** becomes GBNF through llama-cpp-python's converter.
* **End of generation**: any ``llama_vocab_is_eog`` token, a stop string, or ``max_tokens``.
* **Scores** request logits only for the continuation positions (no ``logits_all`` buffer).
* Token log-probabilities are the raw model's, before grammar, temperature or top-p.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

try:
    import numpy as np
except ImportError:  # numpy comes with llama-cpp-python; without it the provider cannot run
    np = None  # type: ignore[assignment]

from .base import CHAT
from .base import GRAMMAR
from .base import JSON_SCHEMA
from .base import SCORE
from .base import TOP_LOGPROBS
from .base import Generation
from .base import GenerationRequest
from .base import ProviderError
from .base import TokenLogprob
from .base import Usage
from .llama_runtime import Loaded
from .llama_runtime import default_threads
from .llama_runtime import load
from .llama_runtime import loaded_models
from .llama_runtime import registered
from .llama_runtime import unload_all
from .llama_sampling import DEFAULT_CANDIDATES
from .llama_sampling import Grammar
from .llama_sampling import log_softmax
from .llama_sampling import pick
from .llama_sampling import schema_grammar

__all__ = ["LlamaCppProvider", "loaded_models", "unload_all"]

_DECODER_VERSION = "neurologic-llamacpp/1"  # bump when decoding changes what comes out


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
        from neurologic.providers.models import resolve_model  # noqa: PLC0415

        self.model = str(model)
        self.path, self._sha256 = resolve_model(model)
        self.n_ctx = int(n_ctx)
        self.n_threads = int(n_threads or default_threads())
        self.n_batch = int(n_batch)
        self.seed = seed
        self.candidates = int(candidates)
        self.verbose = verbose
        # Counters, for measurements and tests.
        self.stats = {
            "prompt_tokens": 0,
            "prompt_tokens_evaluated": 0,
            "completion_tokens": 0,
            "grammar_full_checks": 0,
        }

    # -- plumbing --------------------------------------------------------------------------

    def _model(self) -> Loaded:
        loaded = load(self.path, self.n_ctx, self.n_threads, self.n_batch, self.verbose)
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

    def _generate_one(self, loaded: Loaded, req: GenerationRequest) -> list[Generation]:
        if req.json_schema is not None and req.grammar is None:
            req = replace(req, grammar=schema_grammar(req.json_schema))
        prompt = loaded.render_chat(req.messages)
        if len(prompt) >= loaded.n_ctx:
            raise ProviderError(f"prompt of {len(prompt)} tokens does not fit n_ctx={loaded.n_ctx}")
        seed = req.seed if req.seed is not None else self.seed
        out: list[Generation] = []
        prompt_logits: np.ndarray | None = None
        for i in range(max(1, req.n)):
            if i > 0 and req.temperature <= 0:  # greedy: every sample is the first one
                out.append(
                    Generation(
                        out[0].text,
                        out[0].finish_reason,
                        out[0].logprobs,
                        Usage(0, out[0].usage.completion_tokens),
                    )
                )
                continue
            if prompt_logits is None:
                prompt_logits, evaluated = loaded.prime(prompt)
                self.stats["prompt_tokens"] += len(prompt)
                self.stats["prompt_tokens_evaluated"] += evaluated
            else:
                loaded.truncate(len(prompt))  # back to the prompt for the next sample
            rng = np.random.default_rng(None if seed is None else [int(seed), i])
            gen = self._sample(loaded, req, prompt_logits, rng)
            out.append(
                Generation(
                    text=gen.text,
                    finish_reason=gen.finish_reason,
                    logprobs=gen.logprobs,
                    usage=Usage(len(prompt) if i == 0 else 0, gen.usage.completion_tokens),
                )
            )
        return out

    def _sample(
        self,
        loaded: Loaded,
        req: GenerationRequest,
        logits: np.ndarray,
        rng: np.random.Generator,
    ) -> Generation:
        grammar = Grammar(loaded, req.grammar) if req.grammar else None
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
                tok = pick(logits, ids, req.temperature, req.top_p, rng)
                if loaded.eog[tok]:
                    finish = "stop"
                    break
                if grammar is not None:
                    grammar.accept(tok)
                n_out += 1
                piece = loaded.piece(tok)
                if want_lp:
                    lsm = log_softmax(logits)
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
            text=data.decode("utf-8", "replace"),
            finish_reason=finish,
            logprobs=tuple(lps) if want_lp else None,
            usage=Usage(0, n_out),
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

    def _split(self, loaded: Loaded, context: str, continuation: str) -> tuple[list[int], int]:
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

    def _score_one(self, loaded: Loaded, context: str, continuation: str) -> float:
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
            total += float(log_softmax(row)[whole[split + j]])
        return total

    def next_token_logprobs(self, tokens: Sequence[int]) -> np.ndarray:
        """Log-probabilities of every next token after ``tokens`` (one decode, last position)."""
        loaded = self._model()
        with loaded.lock:
            logits, evaluated = loaded.prime(list(tokens))
            return log_softmax(logits)

    # -- describe --------------------------------------------------------------------------

    def cache_identity(self) -> dict[str, Any]:
        """What changes this provider's outputs (for the disk cache): the weights, the decoder
        and the llama.cpp build; not the path, n_ctx or thread count."""
        d = self.describe()
        return {
            "sha256": d["sha256"],
            "llama_cpp_python": d["llama_cpp_python"],
            "decoder": _DECODER_VERSION,
            "grammar_candidates": self.candidates,
        }

    def describe(self) -> dict[str, Any]:
        from neurologic.providers.models import file_sha256  # noqa: PLC0415

        try:
            import llama_cpp as lib  # noqa: PLC0415

            version = lib.__version__
        except ImportError:
            version = None
        loaded = registered(self.path)
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
