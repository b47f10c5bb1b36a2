"""The provider interface: generate text (optionally under a grammar) and score continuations.

A provider is chosen by one string (see :func:`neurologic.providers.get_provider`):
``openai:gpt-4o-mini``, ``openai:MODEL`` with a ``base_url`` for any OpenAI-compatible server,
``llamacpp:embedded``, ``llamacpp:/path/model.gguf``, ``scripted:...`` for tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Protocol
from typing import runtime_checkable

from solvers.errors import NeurologicError

# Capabilities a provider may declare.
CHAT = "chat"  # accepts chat messages
SCORE = "score"  # exact log-likelihood of continuations
TOP_LOGPROBS = "top_logprobs"  # top-k alternatives per generated token
GRAMMAR = "grammar"  # GBNF-constrained decoding
JSON_SCHEMA = "json_schema"  # structured outputs constrained by a JSON schema


class ProviderError(NeurologicError):
    """A provider failed: bad configuration, an unreachable server, a refused request."""


class ProviderTimeout(ProviderError):
    """The provider did not answer in time (after its own retries)."""


class ProviderRateLimited(ProviderError):
    """The provider kept answering 429 (after its own retries)."""


@dataclass(frozen=True)
class Message:
    role: str  # system | user | assistant
    content: str


@dataclass(frozen=True)
class GenerationRequest:
    """One prompt and how to sample from it.

    ``messages`` is a chat; providers without chat render it with the model's template.
    ``grammar`` is GBNF text (llama.cpp); ``json_schema`` constrains the shape on servers that
    support structured outputs. Output is always re-parsed by our own parser regardless.
    ``max_line_tokens`` ends the answer (finish reason ``"length"``) once one line of it has
    that many tokens, where the provider can see tokens as they come (llama.cpp); others
    ignore it and only ``max_tokens`` bounds the answer.
    """

    messages: tuple[Message, ...]
    max_tokens: int = 512
    temperature: float = 0.0
    top_p: float = 1.0
    n: int = 1
    stop: tuple[str, ...] = ()
    seed: int | None = None
    grammar: str | None = None
    json_schema: dict[str, Any] | None = None
    logprobs: bool = False
    top_logprobs: int = 0
    max_line_tokens: int | None = None

    def cache_fields(self) -> dict[str, Any]:
        """Everything in the request that changes the output (for the disk cache key)."""
        return {
            "messages": [(m.role, m.content) for m in self.messages],
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "top_p": self.top_p,
            "n": self.n,
            "stop": list(self.stop),
            "seed": self.seed,
            "grammar": self.grammar,
            "json_schema": self.json_schema,
            "logprobs": self.logprobs,
            "top_logprobs": self.top_logprobs,
            **({"max_line_tokens": self.max_line_tokens} if self.max_line_tokens else {}),
        }


@dataclass(frozen=True)
class TokenLogprob:
    token: str
    logprob: float
    top: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
        )


@dataclass(frozen=True)
class Generation:
    """One sampled completion."""

    text: str
    finish_reason: str = "stop"
    logprobs: tuple[TokenLogprob, ...] | None = None
    usage: Usage = field(default_factory=Usage)

    @property
    def total_logprob(self) -> float | None:
        return None if self.logprobs is None else sum(t.logprob for t in self.logprobs)


@runtime_checkable
class Provider(Protocol):
    """What the pipeline needs from a language model."""

    name: str  # e.g. "openai", "llamacpp", "scripted"
    model: str
    capabilities: frozenset[str]

    def generate(self, requests: Sequence[GenerationRequest]) -> list[list[Generation]]:
        """``request.n`` generations for each request, in order."""
        ...

    def score(self, context: str, continuations: Sequence[str]) -> list[float]:
        """Log-likelihood of each continuation given ``context`` (needs the ``score``
        capability; others raise :class:`ProviderError`)."""
        ...

    def describe(self) -> dict[str, Any]:
        """The provider's part of a run manifest: model, weights checksum, base URL host..."""
        ...


class ProviderWrapper:
    """Base for a provider that wraps another (a cache, a meter): ``describe`` and every
    attribute the wrapper does not define (``chat_text``, ``cache_identity``…) pass through."""

    inner: Provider

    def describe(self) -> dict[str, Any]:
        return self.inner.describe()

    def __getattr__(self, name: str) -> Any:
        if name == "inner":  # not set yet (during construction or unpickling)
            raise AttributeError(name)
        return getattr(self.inner, name)
