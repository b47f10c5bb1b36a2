"""Scoring a question's options with the model's letter (or option-text) probabilities, debiased
(:data:`~neurologic.config.DEBIAS_MODES`); the package docstring says how and why."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from solvers.errors import NeurologicError

from ..config import DEBIAS_MODES
from ..config import default
from ..providers.base import SCORE
from ..providers.base import TOP_LOGPROBS
from ..providers.base import GenerationRequest
from ..providers.base import Message
from ..providers.base import Provider
from ..templates import template

LETTERS = "ABCDEFGHIJ"
ENTAILMENT_OPTIONS = ("True", "False", "Uncertain")
_CONTENT_FREE = "N/A"
_MISSING_LOGPROB = -30.0  # a letter absent from an API's top alternatives


class FallbackError(NeurologicError):
    """The scorer cannot run: no provider, a provider that cannot score, or bad options."""


@dataclass(frozen=True)
class OptionScores:
    """What the scorer measured for one question.

    ``letter_logprobs[k][i]`` is the log-probability of the letter at position ``i`` when the
    options were shown in ``orders[k]`` (position ``i`` shows option ``orders[k][i]``);
    ``prior`` is the content-free letter log-prior (normalised), empty when not used.
    ``option_logprobs[i]`` is the log-likelihood of option ``i``'s text as the answer after the
    passage and question, ``option_baseline[i]`` after the question alone (both empty unless the
    mode uses option texts).
    ``scores`` are the debiased per-option log-scores and ``distribution`` their softmax at the
    calibration temperature.
    """

    orders: list[list[int]]
    letter_logprobs: list[list[float]]
    prior: list[float]
    scores: list[float]
    distribution: list[float]
    debias: str
    temperature: float
    calls: int = 0  # model calls this question cost (the content-free prior is paid once)
    option_logprobs: list[float] = field(default_factory=list)
    option_baseline: list[float] = field(default_factory=list)

    @property
    def choice(self) -> int:
        return max(range(len(self.distribution)), key=self.distribution.__getitem__)

    def to_dict(self) -> dict[str, Any]:
        return {
            "orders": self.orders,
            "letter_logprobs": self.letter_logprobs,
            "prior": self.prior,
            "scores": self.scores,
            "distribution": self.distribution,
            "debias": self.debias,
            "temperature": self.temperature,
            "option_logprobs": self.option_logprobs,
            "option_baseline": self.option_baseline,
        }


@dataclass
class OptionScorer:
    """Scores the options of a question with ``provider``'s letter probabilities.

    ``debias`` is one of :data:`DEBIAS_MODES`; ``temperature`` turns debiased log-scores into a
    calibrated distribution (1.0 = uncalibrated).
    """

    provider: Provider
    debias: str = field(default_factory=lambda: default("debias"))
    temperature: float = 1.0
    calls: int = 0
    _priors: dict[int, list[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.debias not in DEBIAS_MODES:
            raise FallbackError(
                f"unknown debias mode {self.debias!r}; choose one of {', '.join(DEBIAS_MODES)}"
            )
        if not ({SCORE, TOP_LOGPROBS} & set(self.provider.capabilities)):
            raise FallbackError(
                f"provider {self.provider.name}:{self.provider.model} can neither score "
                "continuations nor return top log-probabilities, so it cannot rank options"
            )
        if not self.temperature > 0:
            raise FallbackError(f"temperature must be positive, got {self.temperature}")
        if uses_option_texts(self.debias) and SCORE not in self.provider.capabilities:
            raise FallbackError(
                f"debias mode {self.debias!r} scores option texts, which provider "
                f"{self.provider.name}:{self.provider.model} cannot (it has no 'score' capability)"
            )

    def score(self, context: str, question: str, options: Sequence[str]) -> OptionScores:
        """Letter log-probabilities for every ordering the debias mode needs, debiased."""
        n = check_options(options)
        calls = 0
        orders = [[(i + k) % n for i in range(n)] for k in rotations(self.debias, n)]
        raw = [self._letters(context, question, [options[j] for j in order]) for order in orders]
        calls += len(orders)
        prior: list[float] = []
        if self.debias.endswith("content_free"):
            calls += n not in self._priors
            prior = self.prior(n)
        given: list[float] = []
        baseline: list[float] = []
        if uses_option_texts(self.debias):
            given, baseline = self._option_texts(context, question, options)
            calls += 2
        scores = mode_scores(self.debias, orders, raw, prior, given, baseline)
        return OptionScores(
            orders=orders,
            letter_logprobs=raw,
            prior=prior,
            scores=scores,
            distribution=softmax(scores, self.temperature),
            debias=self.debias,
            temperature=self.temperature,
            calls=calls,
            option_logprobs=given,
            option_baseline=baseline,
        )

    def _option_texts(
        self, context: str, question: str, options: Sequence[str]
    ) -> tuple[list[float], list[float]]:
        """Each option's text log-likelihood after passage + question, and after the question
        alone (the neutral baseline)."""
        texts = [f" {option.strip()}" for option in options]
        given = option_prompt(
            self.provider, "option_question.txt", context=context.strip(), question=question.strip()
        )
        neutral = option_prompt(self.provider, "option_baseline.txt", question=question.strip())
        self.calls += 2
        return list(self.provider.score(given, texts)), list(self.provider.score(neutral, texts))

    def prior(self, n: int) -> list[float]:
        """The content-free letter log-prior for ``n`` options (measured once per scorer)."""
        if n not in self._priors:
            raw = self._letters(_CONTENT_FREE, _CONTENT_FREE, [_CONTENT_FREE] * n)
            self._priors[n] = log_normalize(raw)
        return self._priors[n]

    def _letters(self, context: str, question: str, options: Sequence[str]) -> list[float]:
        messages = question_messages(context, question, options)
        letters = list(LETTERS[: len(options)])
        self.calls += 1
        if SCORE in self.provider.capabilities:
            prompt = chat_text(self.provider, messages) + template("choose", "answer_prefix.txt")
            return list(self.provider.score(prompt, [f" {x}" for x in letters]))
        return _top_logprob_letters(self.provider, messages, letters)


def uses_option_texts(debias: str) -> bool:
    """Whether ``debias`` scores the options' texts (the ``pmi`` modes)."""
    return debias.endswith("pmi")


def rotations(debias: str, n: int) -> list[int]:
    """The shifts of the option list that ``debias`` shows for ``n`` options (none: the mode
    reads no letters)."""
    if debias == "pmi":
        return []
    if debias.startswith("cyclic"):
        return list(range(n))
    if debias.startswith("rotate2"):
        return [0, n // 2]
    return [0]


def question_messages(context: str, question: str, options: Sequence[str]) -> list[Message]:
    """The chat that asks the question (options lettered in the given order)."""
    lettered = "\n".join(f"{LETTERS[i]}. {text.strip()}" for i, text in enumerate(options))
    user = (
        template("choose", "question.txt")
        .format(context=context.strip(), question=question.strip(), options=lettered)
        .strip()
    )
    return [Message("system", template("choose", "system.txt").strip()), Message("user", user)]


def option_prompt(provider: Provider, name: str, **fields: str) -> str:
    """The prompt an option's text is scored after: ``name``'s user turn, then "Answer:".

    The system turn is the letter prompts' own and ``option_question.txt`` opens as
    ``question.txt`` does, so scoring the option texts right after the letters reuses the
    passage's evaluated tokens (the prefix cache) and costs only the question and options."""
    messages = [
        Message("system", template("choose", "system.txt").strip()),
        Message("user", template("choose", name).format(**fields).strip()),
    ]
    return chat_text(provider, messages) + template("choose", "option_answer_prefix.txt")


def entailment_question(conclusion: str) -> str:
    """The question that turns a True/False/Uncertain problem into a three-option choice."""
    return (
        template("choose", "entailment_question.txt").format(conclusion=conclusion.strip()).strip()
    )


def chat_text(provider: Provider, messages: Sequence[Message]) -> str:
    """The chat rendered as the model's own prompt text, ready for the assistant's answer.

    A provider that knows its chat template offers ``chat_text``; others get a plain rendering.
    """
    render = getattr(provider, "chat_text", None)
    if callable(render):
        return str(render(messages))
    turns = [f"{m.role.capitalize()}: {m.content}" for m in messages]
    return "\n\n".join(turns) + "\n\nAssistant: "


def _top_logprob_letters(
    provider: Provider, messages: Sequence[Message], letters: Sequence[str]
) -> list[float]:
    """Letter log-probabilities from the first answer token's top alternatives (OpenAI)."""
    ask = list(messages)
    ask[-1] = Message(ask[-1].role, ask[-1].content + "\n\nAnswer with the letter only.")
    request = GenerationRequest(
        messages=tuple(ask), max_tokens=1, temperature=0.0, logprobs=True, top_logprobs=20
    )
    generation = provider.generate([request])[0][0]
    if not generation.logprobs:
        raise FallbackError(f"provider {provider.name} returned no log-probabilities")
    alternatives: dict[str, float] = {}
    for token, logprob in generation.logprobs[0].top or (
        (generation.logprobs[0].token, generation.logprobs[0].logprob),
    ):
        key = token.strip().rstrip(".):").upper()
        if key in letters:
            alternatives[key] = max(alternatives.get(key, -math.inf), logprob)
    return [alternatives.get(letter, _MISSING_LOGPROB) for letter in letters]


def check_options(options: Sequence[str]) -> int:
    """The number of ``options``; a :class:`FallbackError` unless there are 2 to 10, each text."""
    n = len(options)
    if not 2 <= n <= len(LETTERS):
        raise FallbackError(f"a question needs 2 to {len(LETTERS)} options, got {n}")
    for i, text in enumerate(options):
        if not isinstance(text, str) or not text.strip():
            raise FallbackError(f"option {LETTERS[i]} is empty or not text")
    return n


# ---------------------------------------------------------------------------- arithmetic


def log_normalize(logprobs: Sequence[float]) -> list[float]:
    """``logprobs`` renormalised over themselves (log-softmax)."""
    top = max(logprobs)
    total = top + math.log(sum(math.exp(x - top) for x in logprobs))
    return [x - total for x in logprobs]


def softmax(scores: Sequence[float], temperature: float = 1.0) -> list[float]:
    """Probabilities from log-scores at ``temperature``."""
    scaled = [s / temperature for s in scores]
    return [math.exp(x) for x in log_normalize(scaled)]


def debiased_scores(
    orders: Sequence[Sequence[int]],
    letter_logprobs: Sequence[Sequence[float]],
    prior: Sequence[float] = (),
) -> list[float]:
    """Each option's letter log-probability (normalised over the letters, minus the content-free
    prior when given), averaged over the orderings it was shown in."""
    n = len(orders[0])
    totals = [0.0] * n
    for order, raw in zip(orders, letter_logprobs):
        normalised = log_normalize(raw)
        for position, option in enumerate(order):
            totals[option] += normalised[position] - (prior[position] if prior else 0.0)
    return [t / len(orders) for t in totals]


def mode_scores(
    debias: str,
    orders: Sequence[Sequence[int]],
    letter_logprobs: Sequence[Sequence[float]],
    prior: Sequence[float] = (),
    given: Sequence[float] = (),
    baseline: Sequence[float] = (),
) -> list[float]:
    """The per-option log-scores of ``debias`` from what was measured.

    That is the debiased letter scores, the option texts' PMI (``given`` minus ``baseline``),
    or for ``rotate2+pmi`` the sum of both, each normalised into a log-distribution first."""
    letters = debiased_scores(orders, letter_logprobs, prior) if orders else []
    if not uses_option_texts(debias):
        return letters
    pmi = [g - b for g, b in zip(given, baseline)]
    if not letters:
        return pmi
    return [a + b for a, b in zip(log_normalize(letters), log_normalize(pmi))]
