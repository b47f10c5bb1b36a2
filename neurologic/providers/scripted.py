"""A deterministic provider that answers from a script: pipeline-logic tests and replay.

Not a stand-in for any real provider's behaviour: it returns exactly what it is told, in order,
and records every request it got, so a test can check both what the pipeline asked and what it
did with the answer.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .base import CHAT
from .base import SCORE
from .base import Generation
from .base import GenerationRequest
from .base import ProviderError
from .base import Usage

Response = str | Generation | BaseException
"""One scripted answer: text, a full :class:`Generation`, or an exception to raise (for
error paths: ``ProviderTimeout("...")`` makes that call fail)."""

Script = Sequence[Response] | Callable[[GenerationRequest, int], str | Generation]
ScoreFn = Callable[[str, Sequence[str]], Sequence[float]]


class ScriptedProvider:
    """Answers ``generate`` from ``script``.

    ``script`` is either a list of responses, consumed one per *sample* in the order requests
    arrive (a request with ``n=3`` takes three), or a callable ``(request, sample_index) -> str |
    Generation`` (it may raise, e.g. :class:`~neurologic.providers.base.ProviderTimeout`). A list
    that runs out raises :class:`ProviderError`, unless ``cycle=True``.

    ``stop`` sequences of a request are honoured (the text is cut at the first one), like a real
    server would; nothing else about the request changes the answer. Usage counts whitespace
    tokens, so usage accounting can be tested.

    ``score`` uses ``score_fn(context, continuations)`` when given (and then the ``score``
    capability is declared), else raises :class:`ProviderError`.
    """

    name = "scripted"

    def __init__(
        self,
        script: Script,
        *,
        model: str = "scripted",
        capabilities: Iterable[str] | None = None,
        score_fn: ScoreFn | None = None,
        cycle: bool = False,
    ) -> None:
        if callable(script):
            self._fn: Callable[[GenerationRequest, int], str | Generation] | None = script
            self._responses: list[Response] = []
        else:
            if isinstance(script, (str, bytes)):
                raise ProviderError("ScriptedProvider wants a list of responses, not one string")
            self._fn = None
            self._responses = list(script)
            if cycle and not self._responses:
                raise ProviderError("ScriptedProvider(cycle=True) needs at least one response")
        self.model = model
        self._score_fn = score_fn
        self._cycle = cycle
        if capabilities is None:
            capabilities = {CHAT} | ({SCORE} if score_fn is not None else set())
        self.capabilities = frozenset(capabilities)
        self._next = 0
        self._lock = threading.Lock()
        self.requests: list[GenerationRequest] = []
        """Every request received, in order (a batch appends each of its requests)."""
        self.score_calls: list[tuple[str, tuple[str, ...]]] = []
        """Every ``score`` call received: ``(context, continuations)``."""

    @classmethod
    def from_file(cls, path: str | Path, **options: Any) -> ScriptedProvider:
        """Responses from a JSON list of strings, or JSON Lines with one string per line."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise ProviderError(f"cannot read scripted responses from {p}: {exc}") from exc
        try:
            if p.suffix == ".jsonl":
                responses = [json.loads(line) for line in text.splitlines() if line.strip()]
            else:
                responses = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProviderError(f"scripted responses in {p} are not valid JSON: {exc}") from exc
        if not isinstance(responses, list) or not all(isinstance(r, str) for r in responses):
            raise ProviderError(f"{p} must hold a list of strings (one response per sample)")
        return cls(responses, **options)

    @property
    def remaining(self) -> int | None:
        """Responses not yet used (None for a callable script)."""
        return None if self._fn is not None else len(self._responses) - self._next

    def generate(self, requests: Sequence[GenerationRequest]) -> list[list[Generation]]:
        out: list[list[Generation]] = []
        for request in requests:
            with self._lock:
                self.requests.append(request)
            out.append([self._one(request, i) for i in range(request.n)])
        return out

    def _one(self, request: GenerationRequest, index: int) -> Generation:
        if self._fn is not None:
            answer: Response = self._fn(request, index)
        else:
            with self._lock:
                if self._next >= len(self._responses):
                    if not self._cycle:
                        raise ProviderError(
                            f"scripted provider ran out of responses after {len(self._responses)}"
                        )
                    self._next = 0
                answer = self._responses[self._next]
                self._next += 1
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, Generation):
            return answer
        if not isinstance(answer, str):
            raise ProviderError(f"scripted response must be str or Generation, got {answer!r}")
        text, finish = _apply_stop(answer, request.stop)
        prompt_tokens = sum(len(m.content.split()) for m in request.messages)
        return Generation(
            text=text,
            finish_reason=finish,
            usage=Usage(prompt_tokens=prompt_tokens, completion_tokens=len(text.split())),
        )

    def score(self, context: str, continuations: Sequence[str]) -> list[float]:
        with self._lock:
            self.score_calls.append((context, tuple(continuations)))
        if self._score_fn is None:
            raise ProviderError("scripted provider has no score function (pass score_fn=...)")
        scores = [float(s) for s in self._score_fn(context, list(continuations))]
        if len(scores) != len(continuations):
            raise ProviderError(
                f"score_fn returned {len(scores)} scores for {len(continuations)} continuations"
            )
        return scores

    def describe(self) -> dict[str, Any]:
        script = "callable" if self._fn is not None else f"{len(self._responses)} responses"
        return {"provider": self.name, "model": self.model, "script": script}


def _apply_stop(text: str, stop: Sequence[str]) -> tuple[str, str]:
    cut = min((i for s in stop if s and (i := text.find(s)) >= 0), default=-1)
    return (text[:cut], "stop") if cut >= 0 else (text, "stop")
