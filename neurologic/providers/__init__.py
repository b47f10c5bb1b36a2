"""Language-model providers, chosen by one string.

``get_provider("openai:gpt-4o-mini")``, ``get_provider("openai:MODEL", base_url="http://…/v1")``
(vLLM, Ollama, llama.cpp server, any OpenAI-compatible endpoint), ``get_provider(
"llamacpp:embedded")``, ``get_provider("llamacpp:/path/model.gguf")``, ``get_provider("scripted:",
responses=[...])`` or ``"scripted:/path/responses.json"``. Third parties add prefixes through the
entry-point group ``neurologic.providers``: the entry point's name is the prefix and it loads a
callable ``factory(rest_of_spec: str, **options) -> Provider`` (a provider class will do).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from .base import CHAT
from .base import GRAMMAR
from .base import JSON_SCHEMA
from .base import SCORE
from .base import TOP_LOGPROBS
from .base import Generation
from .base import GenerationRequest
from .base import Message
from .base import Provider
from .base import ProviderError
from .base import ProviderRateLimited
from .base import ProviderTimeout
from .base import TokenLogprob
from .base import Usage

ENTRY_POINT_GROUP = "neurologic.providers"
BUILTIN_PREFIXES = ("openai", "llamacpp", "scripted")


def _openai(rest: str, **options: Any) -> Provider:
    from .openai_provider import OpenAIProvider

    if not rest:
        raise ProviderError("say which model: openai:MODEL (e.g. openai:gpt-4o-mini)")
    return OpenAIProvider(rest, **options)


def _llamacpp(rest: str, **options: Any) -> Provider:
    try:
        from .llamacpp import LlamaCppProvider
    except ImportError as exc:
        raise ProviderError(f"the llama.cpp provider is unavailable: {exc}") from exc
    return LlamaCppProvider(rest or "embedded", **options)


def _scripted(rest: str, **options: Any) -> Provider:
    from .scripted import ScriptedProvider

    if rest:
        if "responses" in options:
            raise ProviderError("give scripted responses either as a file or as responses=...")
        return ScriptedProvider.from_file(Path(rest), **options)
    if "responses" not in options:
        raise ProviderError(
            "the scripted provider needs responses: scripted:FILE.json or responses=[...]"
        )
    return ScriptedProvider(options.pop("responses"), **options)


_BUILTIN: dict[str, Callable[..., Provider]] = {
    "openai": _openai,
    "llamacpp": _llamacpp,
    "scripted": _scripted,
}


def _plugins() -> dict[str, Any]:
    try:
        eps = entry_points(group=ENTRY_POINT_GROUP)
    except TypeError:  # pragma: no cover - Python < 3.10 API
        eps = entry_points().get(ENTRY_POINT_GROUP, [])  # type: ignore[attr-defined]
    return {ep.name: ep for ep in eps}


def known_prefixes() -> list[str]:
    """Built-in prefixes, then those registered by installed packages."""
    return list(BUILTIN_PREFIXES) + sorted(set(_plugins()) - set(BUILTIN_PREFIXES))


def get_provider(spec: str, **options: Any) -> Provider:
    """The provider ``spec`` names (``PREFIX:REST``), built with ``options``.

    A bare ``llamacpp`` means ``llamacpp:embedded``. Built-in prefixes win over plugins with the
    same name. Unknown prefixes raise :class:`ProviderError` listing the known ones.
    """
    prefix, _, rest = spec.strip().partition(":")
    prefix = prefix.strip().lower()
    factory: Callable[..., Provider] | None = _BUILTIN.get(prefix)
    if factory is None:
        ep = _plugins().get(prefix)
        if ep is not None:
            try:
                factory = ep.load()
            except Exception as exc:  # a broken plugin must not look like an unknown prefix
                raise ProviderError(
                    f"provider plugin {prefix!r} ({ep.value}) failed to load: {exc}"
                ) from exc
    if factory is None:
        raise ProviderError(
            f"unknown provider {spec!r}; known prefixes: "
            + ", ".join(f"{p}:" for p in known_prefixes())
        )
    return factory(rest.strip(), **options)


__all__ = [
    "BUILTIN_PREFIXES",
    "CHAT",
    "ENTRY_POINT_GROUP",
    "GRAMMAR",
    "JSON_SCHEMA",
    "SCORE",
    "TOP_LOGPROBS",
    "Generation",
    "GenerationRequest",
    "Message",
    "Provider",
    "ProviderError",
    "ProviderRateLimited",
    "ProviderTimeout",
    "TokenLogprob",
    "Usage",
    "get_provider",
    "known_prefixes",
]
