"""The :class:`Reasoner`: translate and prove, else answer from the model's scores, and explain.

The stages are :mod:`neurologic.decide.symbolic`, then :mod:`neurologic.fallback.answers`; the
result is an explained :class:`Answer`."""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import partial
from typing import Any

from solvers import Solver
from solvers import get_solver
from solvers.errors import NeurologicError

from .answer import Answer
from .config import ReasonerConfig
from .decide.choice import question_kind
from .decide.choice import settle_options
from .decide.formalizations import Formalization
from .decide.formalizations import decide_formalizations
from .decide.symbolic import SymbolicPath
from .distributed import is_local_model
from .distributed import solve_many_on_ray
from .fallback import OptionScorer
from .fallback import ScoredAnswers
from .fallback import check_options
from .language.sentences import split_sentences
from .providers import get_provider
from .providers.base import Provider
from .trace import TraceEvent
from .translate import Translator

__all__ = ["Formalization", "Reasoner"]


class Reasoner:
    """Decides questions with a theorem prover, translating natural language with ``provider``.

    The options are those of :class:`~neurologic.config.ReasonerConfig`, where each is
    described with its default. ``Reasoner(samples=5)`` builds a config, ``Reasoner(config=c)``
    takes one, and both together change options of it. Unknown options go to the provider
    (``base_url=...``). :attr:`config` holds them; ``reasoner.samples`` etc. read them.
    """

    def __init__(self, *, config: ReasonerConfig | None = None, **options: Any) -> None:
        self.config = ReasonerConfig.of(config, **options)
        provider = self.config.provider
        if isinstance(provider, str):
            provider = get_provider(provider, **self.config.provider_options)
        self.provider: Provider | None = provider
        solver = self.config.solver
        self.solver: Solver = get_solver(solver) if isinstance(solver, str) else solver
        self._symbolic = SymbolicPath(self.config, self.provider, self.solver)
        self._scored = ScoredAnswers(self.config, self.provider)

    def __getattr__(self, name: str) -> Any:
        """The options (``reasoner.samples``, ``reasoner.vote``…), read from :attr:`config`."""
        config = self.__dict__.get("config")
        if config is not None and name in ReasonerConfig.model_fields:
            return getattr(config, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def translator(self) -> Translator:
        """The translator the symbolic path asks the model with."""
        return self._symbolic.translator

    @property
    def scorer(self) -> OptionScorer:
        """The option scorer (the provider's letter probabilities, debiased and calibrated)."""
        return self._scored.scorer

    # ------------------------------------------------------------------ natural language

    def solve(self, premises: Sequence[str], conclusion: str) -> Answer:
        """Translate, solve, refine and vote: does ``conclusion`` follow from ``premises``?

        When no translation could be solved and ``fallback`` is on (with a provider that can
        score), the model's debiased, calibrated scores of True/False/Uncertain answer instead,
        marked ``method="fallback"``; a tied vote is broken by the same scores. A proof is never
        overridden.
        """
        return self._with_fallback(self.solve_symbolic(premises, conclusion), premises, conclusion)

    def solve_symbolic(self, premises: Sequence[str], conclusion: str) -> Answer:
        """:meth:`solve` without the fallback: the answer is symbolic, or has no label when no
        translation could be solved."""
        return self._symbolic.solve(premises, conclusion)

    def solve_many(
        self,
        problems: Sequence[tuple[Sequence[str], str]],
        *,
        ray: str | None = None,
        actors: int | None = None,
    ) -> list[Answer]:
        """:meth:`solve` for each ``(premises, conclusion)``, answers in input order.

        With ``ray`` (a cluster address, or ``"local"`` for a private one-machine cluster) the
        problems are solved by a pool of actors, each holding a Reasoner built with this one's
        options (:mod:`neurologic.distributed`; ``pip install "neurologic[distributed]"``). Give
        the provider as a string (``"llamacpp:embedded"``, ``"openai:MODEL"``) so each actor can
        build its own."""
        problems = [(list(premises), conclusion) for premises, conclusion in problems]
        if ray is None:
            return [self.solve(premises, conclusion) for premises, conclusion in problems]
        return solve_many_on_ray(
            partial(Reasoner, config=self.config),
            problems,
            ray,
            local_model=is_local_model(self.config.provider),
            actors=actors,
        )

    def solve_saved(
        self, formalizations: Sequence[Formalization], premises: Sequence[str], conclusion: str
    ) -> Answer:
        """Decide saved formalizations of ``premises``/``conclusion``, with ``solve``'s fallback.

        A finished run can so be re-solved with the fallback on or off and nothing else changed."""
        answer = self.solve_formalizations(formalizations, premises=premises)
        return self._with_fallback(answer, premises, conclusion)

    def _with_fallback(self, answer: Answer, premises: Sequence[str], conclusion: str) -> Answer:
        if not self._scored.can_fall_back():
            return answer
        if answer.label is None:
            return self._scored.fall_back(answer, premises, conclusion)
        if answer.method == "symbolic" and answer.tie_break == "order":
            return self._scored.break_tie(answer, premises, conclusion)
        return answer

    def choose(
        self, context: str, question: str, options: Sequence[str], *, prove: bool = True
    ) -> Answer:
        """Answer a multiple-choice question about ``context``.

        For questions that ask what must be true (or false) of the context, each option is
        translated and checked against it where the parser can (``prove``): an option the solver
        shows to be the answer decides it (``method="symbolic"``) and options it rules out are
        dropped. The model's debiased, calibrated letter probabilities rank the rest
        (``method="fallback"``). ``Answer.choice`` is the chosen index and ``distribution`` the
        probability of each option.
        """
        if not isinstance(context, str) or not context.strip():
            raise NeurologicError("the context must be non-empty text")
        if not isinstance(question, str) or not question.strip():
            raise NeurologicError("the question must be non-empty text")
        options = list(options)
        check_options(options)
        start = time.perf_counter()
        trace: list[TraceEvent] = []
        kind = question_kind(question)
        settled: dict[int, str] = {}
        if prove and kind is not None:
            settled = settle_options(
                self.solve_symbolic, split_sentences(context), options, kind, trace
            )
        winners = [i for i, outcome in settled.items() if outcome == "answer"]
        if len(winners) == 1:
            distribution = [1.0 if i == winners[0] else 0.0 for i in range(len(options))]
            return Answer(
                label=None,
                status="ok",
                method="symbolic",
                confidence=1.0,
                choice=winners[0],
                distribution=distribution,
                trace=trace,
                timings={"total_s": time.perf_counter() - start},
                usage={"scorer_calls": 0},
            )
        ruled_out = {i for i, outcome in settled.items() if outcome == "ruled_out"}
        return self._scored.rank(context, question, options, ruled_out, trace, start)

    # ------------------------------------------------------------------ formulas given

    def solve_fol(
        self,
        premises_fol: Sequence[str],
        conclusion_fol: str,
        *,
        premises: Sequence[str] | None = None,
    ) -> Answer:
        """Decide one formalization given as formula text. ``premises`` are the sentences the
        formulas stand for, used to report the premises a proof relies on in words.

        >>> answer = Reasoner().solve_fol(
        ...     ["all x.(Man(x) -> Mortal(x))", "Man(socrates)"], "Mortal(socrates)",
        ...     premises=["All men are mortal.", "Socrates is a man."],
        ... )
        >>> answer.label, answer.method, [u.index for u in answer.premises_used]
        ('True', 'symbolic', [0, 1])
        >>> print(answer.explain().splitlines()[0])
        True — decided by a theorem prover (1 of 1 formalizations agree)
        """
        return self.solve_formalizations([(premises_fol, conclusion_fol)], premises=premises)

    def solve_formalizations(
        self, formalizations: Sequence[Formalization], *, premises: Sequence[str] | None = None
    ) -> Answer:
        """Decide each formalization, then vote over those that ran.

        With ``sample_more="undecided"``, those after the first count only when the first
        leaves the conclusion undecided, as a run with that setting would have drawn them."""
        return decide_formalizations(
            formalizations,
            solver=self.solver,
            timeout_s=self.config.timeout_s,
            rule=self.config.vote,
            sample_more=self.config.sample_more,
            premises=premises,
        )
