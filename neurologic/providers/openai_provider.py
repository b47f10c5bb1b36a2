"""OpenAI and every OpenAI-compatible server (vLLM, Ollama, llama.cpp server) via ``base_url``.

Talks through the official ``openai`` client (imported on first use), which does the retrying
(429, 5xx, connection errors; exponential backoff honouring ``Retry-After``) and the timeouts.
Its exceptions come back as :class:`ProviderTimeout`, :class:`ProviderRateLimited` or
:class:`ProviderError`, with messages that never contain the API key.
"""

from __future__ import annotations

import importlib.util
import math
import os
import threading
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from typing import TypeVar
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

from .base import CHAT
from .base import GRAMMAR
from .base import JSON_SCHEMA
from .base import TOP_LOGPROBS
from .base import Generation
from .base import GenerationRequest
from .base import ProviderError
from .base import ProviderRateLimited
from .base import ProviderTimeout
from .base import TokenLogprob
from .base import Usage

NO_KEY = "sk-no-key"
"""Sent to a ``base_url`` server when no key is configured (local servers ignore it)."""

_T = TypeVar("_T")
_R = TypeVar("_R")


class OpenAIProvider:
    """Chat completions from OpenAI or any server at ``base_url``.

    - ``api_key`` defaults to ``$OPENAI_API_KEY``; a ``base_url`` without a key gets a
      placeholder. OpenAI itself needs a key, checked on the first call.
    - ``timeout_s`` and ``max_retries`` go to the client; ``concurrency`` bounds the requests of
      one ``generate`` batch in flight.
    - ``grammar`` (GBNF) goes to ``base_url`` servers as ``extra_body``, never to OpenAI, and
      wins over a JSON schema there. ``json_schema`` becomes ``response_format`` (wrapped with
      ``name="output", strict=True`` unless it has ``name`` and ``schema``).
    - Servers that return fewer than ``n`` choices are asked again, with ``seed + k``.
    - ``score`` (the completions endpoint with ``echo``) is off by default: OpenAI's chat models
      echo no logprobs, and llama.cpp's servers return none or shifted ones. Declare it with
      ``capabilities=`` for a server that gets it right (vLLM).
    """

    name = "openai"

    def __init__(
        self,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout_s: float = 60.0,
        max_retries: int = 3,
        concurrency: int = 4,
        *,
        capabilities: Iterable[str] | None = None,
    ) -> None:
        if not model:
            raise ProviderError("the OpenAI provider needs a model name (openai:MODEL)")
        if importlib.util.find_spec("openai") is None:
            raise ProviderError(
                "the OpenAI provider needs the 'openai' package (pip install 'neurologic[openai]')"
            )
        if concurrency < 1:
            raise ProviderError(f"concurrency must be at least 1, got {concurrency}")
        self.model = model
        self.base_url = base_url.rstrip("/") if base_url else None
        self._api_key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY")
        self.timeout_s = float(timeout_s)
        self.max_retries = int(max_retries)
        self.concurrency = int(concurrency)
        if capabilities is None:
            capabilities = {CHAT, TOP_LOGPROBS}
            capabilities |= {GRAMMAR} if self.base_url else {JSON_SCHEMA}
        self.capabilities = frozenset(capabilities)
        self._client: Any = None
        self._client_lock = threading.Lock()

    # -- the Provider interface ---------------------------------------------------------------

    def generate(self, requests: Sequence[GenerationRequest]) -> list[list[Generation]]:
        return self._map(self._generate_one, list(requests))

    def score(self, context: str, continuations: Sequence[str]) -> list[float]:
        return self._map(lambda c: self._score_one(context, c), list(continuations))

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"provider": self.name, "model": self.model}
        out["base_url"] = _public_url(self.base_url) if self.base_url else "api.openai.com"
        return out

    def secret_values(self) -> tuple[str, ...]:
        """Strings that must never be written anywhere (used by the disk cache's check)."""
        key = self._api_key
        return (key,) if key and key != NO_KEY else ()

    # -- generation ---------------------------------------------------------------------------

    def _generate_one(self, request: GenerationRequest) -> list[Generation]:
        out: list[Generation] = []
        # A server may return fewer choices than asked (llama.cpp ignores n); ask again for the
        # rest, at most n calls in all.
        for attempt in range(max(request.n, 1)):
            want = request.n - len(out)
            if want <= 0:
                break
            seed = None if request.seed is None else request.seed + attempt
            response = self._call(lambda want=want, seed=seed: self._chat(request, want, seed))
            generations = _parse_chat(response, self._where(), keep_top=request.top_logprobs > 0)
            if not generations:
                raise ProviderError(f"{self._where()} returned no choices")
            out.extend(generations[:want])
        return out

    def _chat(self, request: GenerationRequest, n: int, seed: int | None) -> Any:
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "temperature": request.temperature,
            "top_p": request.top_p,
        }
        # OpenAI itself wants max_completion_tokens (its reasoning models refuse max_tokens);
        # OpenAI-compatible servers know max_tokens.
        kwargs["max_tokens" if self.base_url else "max_completion_tokens"] = request.max_tokens
        if n != 1:
            kwargs["n"] = n
        if request.stop:
            kwargs["stop"] = list(request.stop)
        if seed is not None:
            kwargs["seed"] = seed
        if request.logprobs or request.top_logprobs:
            kwargs["logprobs"] = True
            # llama.cpp's server sends token logprobs only with top_logprobs; the one extra
            # alternative is dropped again when none was asked (_parse_chat).
            kwargs["top_logprobs"] = max(1, request.top_logprobs)
        grammar_sent = False
        if request.grammar is not None and self.base_url and GRAMMAR in self.capabilities:
            kwargs["extra_body"] = {"grammar": request.grammar}
            grammar_sent = True
        if request.json_schema is not None and not grammar_sent:
            kwargs["response_format"] = _response_format(request.json_schema)
        return self._get_client().chat.completions.create(**kwargs)

    # -- scoring ------------------------------------------------------------------------------

    def _score_one(self, context: str, continuation: str) -> float:
        import openai

        prompt = context + continuation
        try:
            response = self._call(
                lambda: self._get_client().completions.create(
                    model=self.model,
                    prompt=prompt,
                    echo=True,
                    logprobs=1,
                    max_tokens=1,
                    temperature=0.0,
                ),
                reraise=(
                    openai.BadRequestError,
                    openai.NotFoundError,
                    openai.UnprocessableEntityError,
                ),
            )
        except (
            openai.BadRequestError,
            openai.NotFoundError,
            openai.UnprocessableEntityError,
        ) as exc:
            raise ProviderError(
                f"{self._where()} cannot score continuations (the completions endpoint with "
                f"echo and logprobs was refused: HTTP {exc.status_code})"
            ) from None
        try:
            lp = response.choices[0].logprobs
            offsets, token_logprobs = list(lp.text_offset), list(lp.token_logprobs)
        except (AttributeError, IndexError, TypeError):
            raise ProviderError(
                f"{self._where()} cannot score continuations (no echoed prompt logprobs)"
            ) from None
        if not offsets or offsets[0] != 0 or len(offsets) != len(token_logprobs):
            raise ProviderError(
                f"{self._where()} cannot score continuations (it did not echo the prompt's "
                "token logprobs)"
            )
        total = 0.0
        start, end = len(context), len(prompt)
        covered = False
        for offset, logprob in zip(offsets, token_logprobs):
            if start <= offset < end:
                covered = True
                if logprob is None:
                    raise ProviderError(
                        f"{self._where()} gave no logprob for the first token of the "
                        "continuation (an empty context cannot be scored)"
                    )
                total += float(logprob)
        if continuation and not covered:
            raise ProviderError(
                f"{self._where()} returned no token starting inside the continuation "
                f"{continuation[:40]!r} (it was merged into the context's last token)"
            )
        if not math.isfinite(total):
            raise ProviderError(f"{self._where()} returned a non-finite log-likelihood")
        return total

    # -- plumbing -----------------------------------------------------------------------------

    def _get_client(self) -> Any:
        with self._client_lock:
            if self._client is None:
                import openai

                key = self._api_key
                if not key:
                    if not self.base_url:
                        raise ProviderError(
                            "no OpenAI API key: set OPENAI_API_KEY (or pass api_key=...), or "
                            "give a base_url for a local OpenAI-compatible server"
                        )
                    key = NO_KEY
                self._client = openai.OpenAI(
                    api_key=key,
                    base_url=self.base_url,
                    timeout=self.timeout_s,
                    max_retries=self.max_retries,
                )
            return self._client

    def _where(self) -> str:
        return f"{self.name}:{self.model} at {self.describe()['base_url']}"

    def _map(self, fn: Callable[[_T], _R], items: list[_T]) -> list[_R]:
        if len(items) <= 1 or self.concurrency == 1:
            return [fn(x) for x in items]
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(items))) as pool:
            return list(pool.map(fn, items))

    def _call(self, fn: Callable[[], _R], reraise: tuple[type[BaseException], ...] = ()) -> _R:
        """Run one client call; map the client's exceptions to ours (after its retries)."""
        import openai

        try:
            return fn()
        except ProviderError:
            raise
        except reraise:
            raise
        except openai.APITimeoutError:
            raise ProviderTimeout(
                f"{self._where()} did not answer within {self.timeout_s:g} s "
                f"(after {self.max_retries} retries)"
            ) from None
        except openai.RateLimitError as exc:
            raise ProviderRateLimited(
                f"{self._where()} kept answering 429 Too Many Requests "
                f"(after {self.max_retries} retries): {self._scrub(_status_message(exc))}"
            ) from None
        except openai.AuthenticationError:
            raise ProviderError(
                f"{self._where()} refused the API key (HTTP 401): check OPENAI_API_KEY"
            ) from None
        except openai.APIConnectionError as exc:
            raise ProviderError(
                f"cannot reach {self._where()} (after {self.max_retries} retries): "
                f"{self._scrub(str(exc.__cause__ or exc))}"
            ) from None
        except openai.APIResponseValidationError:
            raise ProviderError(f"{self._where()} sent a malformed response") from None
        except openai.APIStatusError as exc:
            raise ProviderError(
                f"{self._where()} answered HTTP {exc.status_code}: "
                f"{self._scrub(_status_message(exc))}"
            ) from None
        except openai.OpenAIError as exc:
            raise ProviderError(f"{self._where()}: {self._scrub(str(exc))}") from None
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # e.g. a 200 whose body is not JSON, or not the shape of a completion
            raise ProviderError(
                f"{self._where()} sent a malformed response "
                f"({type(exc).__name__}: {self._scrub(str(exc))[:200]})"
            ) from None

    def _scrub(self, text: str) -> str:
        text = text[:500]
        for secret in self.secret_values():
            text = text.replace(secret, "***")
        return text


def _status_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
        if isinstance(err, str):
            return err
    return str(getattr(exc, "message", "") or exc)


def _public_url(url: str) -> str:
    """``url`` without credentials, query or fragment."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _response_format(schema: dict[str, Any]) -> dict[str, Any]:
    if "schema" in schema and "name" in schema:
        return {"type": "json_schema", "json_schema": schema}
    wrapped = {"name": "output", "schema": schema, "strict": True}
    return {"type": "json_schema", "json_schema": wrapped}


def _parse_chat(response: Any, where: str, keep_top: bool = True) -> list[Generation]:
    """Our :class:`Generation` list from a chat completion; a malformed one is an error."""
    try:
        choices = sorted(response.choices, key=lambda c: getattr(c, "index", 0) or 0)
        usage = getattr(response, "usage", None)
        prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or 0)
        completion_tokens = int(getattr(usage, "completion_tokens", 0) or 0)
        out = []
        for i, choice in enumerate(choices):
            text = choice.message.content
            if text is None:
                text = ""
            if not isinstance(text, str):
                raise TypeError("content is not text")
            # The response's usage covers all its choices: it is carried by the first, so that
            # summing over generations gives the tokens actually spent.
            u = Usage(prompt_tokens, completion_tokens) if i == 0 else Usage()
            out.append(
                Generation(
                    text=text,
                    finish_reason=str(choice.finish_reason or "stop"),
                    logprobs=_parse_logprobs(getattr(choice, "logprobs", None), keep_top),
                    usage=u,
                )
            )
        return out
    except (AttributeError, TypeError, ValueError) as exc:
        raise ProviderError(f"{where} sent a malformed response ({exc})") from None


def _parse_logprobs(lp: Any, keep_top: bool = True) -> tuple[TokenLogprob, ...] | None:
    content = getattr(lp, "content", None) if lp is not None else None
    if content is None:
        return None
    return tuple(
        TokenLogprob(
            token=t.token,
            logprob=float(t.logprob),
            top=tuple((a.token, float(a.logprob)) for a in (t.top_logprobs or ()))
            if keep_top
            else (),
        )
        for t in content
    )
