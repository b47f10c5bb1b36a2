"""The :class:`Reasoner`: translate → solve → refine → vote, and an explained :class:`Answer`."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any, Optional, Union

from solvers import Solver, get_solver
from solvers.errors import NeurologicError

from .augment import augmentation, with_augmentation
from .choice import question_kind, settle_options, split_sentences
from .execute import formalization_problem, run_formalization
from .fallback import (
    DEBIAS_MODES, ENTAILMENT_OPTIONS, FallbackError, OptionScorer, entailment_question,
    shipped_temperature,
)
from .problem import Answer, PremiseUse, SampleResult
from .readings import DECIDED, choose_reading, wants_readings
from .symbols import SymbolTable
from .providers.base import Provider
from .vote import ballot, check_rule, vote

PARSERS = ("hybrid", "cnl", "llm")
SAMPLE_MORE = ("always", "undecided")
"""When the samples after the first are drawn: ``"always"``, or only when the first (greedy)
translation, after refinement and its readings, leaves the conclusion undecided."""
DEFAULT_SAMPLES = 3
"""Translations per problem by default: the first (greedy) one, and two more only when it leaves
the conclusion undecided (:data:`DEFAULT_SAMPLE_MORE`), voted by :data:`DEFAULT_VOTE`. On FOLIO
with the embedded model this gained on validation and on a train sample (benchmarks/RESULTS.md,
session 11); a proof by the first translation always stands."""
DEFAULT_VOTE = "proof"
DEFAULT_SAMPLE_MORE = "undecided"
_LINE_CHECK_TIMEOUT_S = 2.0
"""At most this long for the solver to find a contradiction among the premises written so far."""

Formalization = Union[tuple[Sequence[str], str], tuple[Sequence[str], str, Optional[float]]]
"""Premise formulas and the conclusion formula, as text in any supported syntax, and optionally
the model's log-probability of that translation (a saved run's, so that a re-solve breaks a tied
vote as the run did)."""


class Reasoner:
    """Decides questions with a theorem prover, translating natural language with ``provider``.

    ``provider`` is a :class:`Provider` or a spec string (``"llamacpp:embedded"``,
    ``"openai:gpt-4o-mini"``…); ``None`` allows only :meth:`solve_fol`. ``solver`` is ``"z3"``,
    ``"prover9"``, ``"portfolio"`` or a :class:`solvers.Solver`. ``samples`` translations are
    voted on; each that fails is sent back with its exact error up to ``refine_rounds`` times.
    By default the first is greedy and two more are drawn only when it leaves the conclusion
    undecided, and only translations that prove or refute the conclusion vote while any does
    (``samples=3, sample_more="undecided", vote="proof"``).
    ``parser`` is ``"hybrid"`` (the controlled-English grammar translates the sentences it covers,
    the LLM the rest, in one shared vocabulary), ``"cnl"`` (the grammar only: no LLM) or
    ``"llm"``. ``fallback`` lets the model's debiased option scores (``debias``, see
    :mod:`neurologic.fallback`) answer when no translation could be solved; ``augment`` adds to
    the scored passage what follows from its conditionals by logic (:mod:`neurologic.augment`,
    Logic-of-Thought style). ``style`` is how formulas are asked for: ``"turns"`` (one sentence
    per turn) or ``"compact"`` (all in one answer, properties declared without glosses; see
    :mod:`neurologic.translate`). ``declare`` is what the symbol table is declared from:
    ``"premises"`` (the default with ``"turns"``: the conclusion lists its symbols in a turn just
    before its formula, so questions over the same premises share every request before it, and
    a call cache or the model's prompt cache serves them) or ``"problem"`` (every sentence at
    once; the default with ``"compact"``). With ``"turns"``, each line is checked as it is
    written (it parses, its symbols agree with the lines before, the premises so far can all be
    true); one that fails is replaced by the most probable of ``alternatives`` lines sampled for
    the same sentence that pass (0: no check). ``vote`` is how the samples are voted on:
    ``"majority"`` or ``"proof"`` (only samples that prove or refute the conclusion vote while
    any does; :mod:`neurologic.vote`). ``sample_more`` says when the samples after the first
    are drawn: ``"always"`` or ``"undecided"`` (only when the first, greedy one, leaves the
    conclusion undecided: a proof by the likeliest translation stands, and only an Uncertain is
    put to the vote). With ``"turns"``, a sample whose premises leave the
    conclusion undecided draws ``readings`` more formulas for the conclusion and keeps a reading
    the premises decide, if any (:mod:`neurologic.readings`; 0: never). ``seed`` seeds the
    sampled translations (sample k uses ``seed + k``). Solvers: ``"z3"``, ``"prover9"``,
    ``"portfolio"``, or ``"forward"`` (rule bases read as ProofWriter does: forward chaining, no
    contraposition).
    """

    def __init__(
        self,
        *,
        provider: Provider | str | None = None,
        solver: str | Solver = "z3",
        samples: int = DEFAULT_SAMPLES,
        refine_rounds: int = 3,
        temperature: float = 0.7,
        timeout_s: float = 10.0,
        parser: str = "hybrid",
        fallback: bool = True,
        debias: str = "rotate2",
        augment: bool = False,
        seed: int = 0,
        style: str = "turns",
        declare: str | None = None,
        alternatives: int = 4,
        vote: str = DEFAULT_VOTE,
        readings: int = 4,
        sample_more: str = DEFAULT_SAMPLE_MORE,
        **provider_options: Any,
    ) -> None:
        if parser not in PARSERS:
            raise ValueError(f"unknown parser {parser!r}; choose one of {', '.join(PARSERS)}")
        from .translate import resolve_declare

        declare = resolve_declare(style, declare)
        if alternatives < 0:
            raise ValueError(f"alternatives must be 0 or more, not {alternatives}")
        if readings < 0:
            raise ValueError(f"readings must be 0 or more, not {readings}")
        check_rule(vote)
        if sample_more not in SAMPLE_MORE:
            raise ValueError(
                f"unknown sample_more {sample_more!r}; choose one of {', '.join(SAMPLE_MORE)}"
            )
        if debias not in DEBIAS_MODES:
            raise ValueError(f"unknown debias mode {debias!r}; choose one of {', '.join(DEBIAS_MODES)}")
        self._options: dict[str, Any] = {
            "provider": provider, "solver": solver, "samples": samples,
            "refine_rounds": refine_rounds, "temperature": temperature, "timeout_s": timeout_s,
            "parser": parser, "fallback": fallback, "debias": debias, "augment": augment,
            "seed": seed, "style": style, "declare": declare, "alternatives": alternatives,
            "vote": vote, "readings": readings, "sample_more": sample_more, **provider_options,
        }  # as given, so solve_many can build the same Reasoner on each node
        if isinstance(provider, str):
            from .providers import get_provider

            provider = get_provider(provider, **provider_options)
        self.provider = provider
        self.solver = get_solver(solver) if isinstance(solver, str) else solver
        self.samples = samples
        self.refine_rounds = refine_rounds
        self.temperature = temperature
        self.timeout_s = timeout_s
        self.parser = parser
        self.fallback = fallback
        self.debias = debias
        self.augment = augment
        self.seed = seed
        self.style = style
        self.declare = declare
        self.alternatives = alternatives
        self.vote = vote
        self.readings = readings
        self.sample_more = sample_more
        self._translator = None
        self._scorer: OptionScorer | None = None

    # ------------------------------------------------------------------ natural language

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
        from .distributed import solve_many_on_ray

        return solve_many_on_ray(self._options, problems, ray, actors=actors)

    def solve(self, premises: Sequence[str], conclusion: str) -> Answer:
        """Translate, solve, refine and vote: does ``conclusion`` follow from ``premises``?

        When no translation could be solved and ``fallback`` is on (with a provider that can
        score), the model's debiased, calibrated scores of True/False/Uncertain answer instead,
        marked ``method="fallback"``; a tied vote is broken by the same scores. A proof is never
        overridden.
        """
        return self._with_fallback(self.solve_symbolic(premises, conclusion), premises, conclusion)

    def solve_saved(
        self, formalizations: Sequence[Formalization], premises: Sequence[str], conclusion: str
    ) -> Answer:
        """Decide saved formalizations of ``premises``/``conclusion`` (no translation), with the
        same fallback as :meth:`solve` — so a finished run can be re-solved with the fallback on
        or off and nothing else different."""
        answer = self.solve_formalizations(formalizations, premises=premises)
        return self._with_fallback(answer, premises, conclusion)

    def _with_fallback(self, answer: Answer, premises: Sequence[str], conclusion: str) -> Answer:
        if not self._can_fall_back():
            return answer
        if answer.label is None:
            return self._fallback_entailment(answer, premises, conclusion)
        if answer.method == "symbolic" and answer.tie_break == "order":
            return self._break_tie(answer, premises, conclusion)
        return answer

    def solve_symbolic(self, premises: Sequence[str], conclusion: str) -> Answer:
        """:meth:`solve` without the fallback: the answer is symbolic, or has no label when no
        translation could be solved."""
        if not premises or not all(isinstance(p, str) and p.strip() for p in premises):
            raise NeurologicError("premises must be a non-empty list of non-empty sentences")
        if not isinstance(conclusion, str) or not conclusion.strip():
            raise NeurologicError("the conclusion must be a non-empty sentence")
        start = time.perf_counter()
        known, fixed, cnl_trace = None, {}, []
        if self.parser in ("cnl", "hybrid"):
            step = self._controlled_english(premises, conclusion, start)
            if isinstance(step, Answer):
                return step
            known, fixed, cnl_trace = step
        if self.provider is None:
            raise NeurologicError(
                "this Reasoner has no provider; give one, use parser='cnl' for controlled "
                "English, or call solve_fol"
            )
        translator = self.translator
        conversation = translator.declare_symbols(premises, conclusion, known=known)
        trace: list[dict[str, Any]] = cnl_trace + [
            {"step": "symbols", "output": conversation.messages[-1].content,
             "notes": conversation.symbol_notes, "added_constants": conversation.added_constants}
        ]
        samples: list[SampleResult] = []
        check = self._line_problem if self.alternatives else None
        reported = 0  # line checks already in the trace
        for k in range(self.samples):
            if self._has_enough(samples):
                break
            program = translator.formalize_sample(
                conversation, premises, conclusion, k, fixed=fixed, check=check
            )
            if k == 0 and conversation.conclusion_turn is not None:
                trace.append({"step": "conclusion_symbols",
                              "output": conversation.conclusion_turn[1].content,
                              "notes": conversation.conclusion_notes,
                              "added_constants": conversation.conclusion_added_constants})
            trace += [{"step": "line_check", **entry}
                      for entry in conversation.line_checks[reported:]]
            reported = len(conversation.line_checks)
            result = self._run_program(program)
            trace.append(_trace_entry(k, 0, program, result))
            for round_ in range(1, self.refine_rounds + 1):
                if result.executable:
                    break
                line = culprit_line(result, len(program.lines))
                program = translator.refine_line(
                    conversation, program, line, refinement_message(result)
                )
                result = self._run_program(program)
                trace.append(_trace_entry(k, round_, program, result))
            result = self._read_as_written(program, result, trace, k)
            if self._reads_again(result, fixed, len(premises)):
                result = self._other_readings(conversation, program, k, result, trace)
            samples.append(result)
        answer = answer_from_samples(
            samples, premises, elapsed_s=time.perf_counter() - start, rule=self.vote
        )
        answer.trace = trace
        answer.usage = {
            "calls": conversation.calls,
            "prompt_tokens": conversation.usage.prompt_tokens,
            "completion_tokens": conversation.usage.completion_tokens,
        }
        return answer

    def _has_enough(self, samples: Sequence[SampleResult]) -> bool:
        """Whether no more samples are drawn: with ``sample_more="undecided"``, once the first
        proves or refutes the conclusion."""
        return bool(samples) and self.sample_more == "undecided" and samples[0].verdict in DECIDED

    def _reads_again(self, result: SampleResult, fixed: dict[int, str], n_premises: int) -> bool:
        """Whether to draw other readings of the conclusion: it was left undecided, the model
        wrote it (the controlled-English grammar's reading is exact), and lines are asked one
        per turn."""
        return (
            self.readings > 0 and self.style == "turns" and n_premises not in fixed
            and wants_readings(result)
        )

    def _other_readings(
        self, conversation, program, sample: int, result: SampleResult, trace: list[dict[str, Any]]
    ) -> SampleResult:
        """``result``, or the reading of its conclusion the premises decide
        (:func:`neurologic.readings.choose_reading`). When no reading drawn at the sampling
        temperature is new and passes the words check, as many more are drawn hotter (a small
        model sure of its line repeats it). Every reading drawn is in the trace, with why it
        was set aside (the first reading again, or its words rule it out)."""
        solved: dict[str, SampleResult] = {}
        results, entries = [], []
        for escalated in (False, True):
            if results:
                break
            for line in self.translator.conclusion_readings(
                conversation, program, sample, self.readings, escalated
            ):
                reading, entry = self._read(line, program, conversation.table, solved)
                entries.append({"escalated": escalated, **entry})
                if reading is not None:
                    results.append(reading)
        outcome = choose_reading(result, results)
        trace.append({
            "step": "readings", "sample": sample, "first": program.conclusion,
            "readings": entries, "kept": outcome.result.conclusion if outcome.replaced else None,
        })
        return outcome.result

    def _read(
        self, line, program, table: SymbolTable, solved: dict[str, SampleResult]
    ) -> tuple[SampleResult | None, dict[str, Any]]:
        """One drawn reading solved against the program's premises (``solved`` keeps each
        formula's result), or None when it is set aside; and its trace entry, which says why."""
        from .translate import words_problem

        entry: dict[str, Any] = {"formula": line.formula, "logprob": line.logprob}
        if line.formula.strip() == program.conclusion.strip():
            return None, {**entry, "set_aside": "the first reading again"}
        problem = words_problem(table, line.sentence, line.formula)
        if problem is not None:
            return None, {**entry, "set_aside": problem}
        if line.formula not in solved:
            solved[line.formula] = run_formalization(
                program.premises, line.formula, self.solver, self.timeout_s, normalize=False
            )
        reading = solved[line.formula].model_copy()
        if line.logprob is not None and program.logprob is not None:
            reading.logprob = program.logprob - program.lines[-1].logprob + line.logprob
        return reading, {**entry, "status": reading.status, "verdict": reading.verdict,
                         "used_premises": reading.used_premises}

    def _controlled_english(self, premises: Sequence[str], conclusion: str, start: float):
        """The grammar's part: a full Answer when it covers everything (or parser is ``cnl``),
        else the shared symbols, the formulas it knows (by line) and its trace entry."""
        from .cnl import translate_problem

        cnl = translate_problem(premises, conclusion)
        trace = [_cnl_trace(cnl)]
        if cnl.fully_covered:
            answer = self.solve_formalizations([cnl.formalization()], premises=premises)
            answer.trace, answer.usage = trace, {"calls": 0}
            return answer
        if self.parser == "cnl":
            return Answer(
                label=None, status="no_executable_sample", method="none", trace=trace,
                timings={"total_s": time.perf_counter() - start}, usage={"calls": 0},
            )
        if cnl.problems:  # the covered formulas clash with each other: let the LLM do it all
            return None, {}, trace
        fixed = {i: s.fol for i, s in enumerate(cnl.sentences) if s.covered}
        return _symbols_from_cnl(cnl.symbols), fixed, trace

    # ------------------------------------------------------------------ fallback and choice

    @property
    def scorer(self) -> OptionScorer:
        """The option scorer (the provider's letter probabilities, debiased and calibrated)."""
        if self.provider is None:
            raise FallbackError("scoring options needs a provider; this Reasoner has none")
        if self._scorer is None:
            temperature = shipped_temperature(self.provider, self.debias) or 1.0
            self._scorer = OptionScorer(self.provider, debias=self.debias, temperature=temperature)
        return self._scorer

    def _can_fall_back(self) -> bool:
        if not self.fallback or self.provider is None:
            return False
        from .providers.base import SCORE, TOP_LOGPROBS

        return bool({SCORE, TOP_LOGPROBS} & set(self.provider.capabilities))

    def _entailment_scores(self, premises: Sequence[str], conclusion: str):
        context, _ = self._scoring_context(" ".join(p.strip() for p in premises))
        return self.scorer.score(context, entailment_question(conclusion), ENTAILMENT_OPTIONS)

    def _scoring_context(self, context: str) -> tuple[str, str]:
        """The passage the scorer reads (with ``augment``, followed by what logic derives) and
        what augmentation added to it (empty when nothing)."""
        added = augmentation(context) if self.augment else ""
        return with_augmentation(context, added), added

    def _fallback_entailment(
        self, answer: Answer, premises: Sequence[str], conclusion: str
    ) -> Answer:
        start = time.perf_counter()
        scores = self._entailment_scores(premises, conclusion)
        choice = scores.choice
        answer.label = ENTAILMENT_OPTIONS[choice]  # type: ignore[assignment]
        answer.status = "ok"
        answer.method = "fallback"
        answer.confidence = scores.distribution[choice]
        answer.distribution = scores.distribution
        answer.trace = [*answer.trace, {"step": "fallback", "reason": "no executable sample",
                                        **scores.to_dict()}]
        answer.timings["fallback_s"] = time.perf_counter() - start
        return answer

    def _break_tie(self, answer: Answer, premises: Sequence[str], conclusion: str) -> Answer:
        votes = ballot(answer.votes, self.vote)
        best = max(votes.values())
        tied = [label for label, count in votes.items() if count == best]
        scores = self._entailment_scores(premises, conclusion)
        winner = max(tied, key=lambda label: scores.distribution[ENTAILMENT_OPTIONS.index(label)])
        answer.tie_break = "fallback"
        answer.trace = [*answer.trace, {"step": "tie_break", "tied": tied, "winner": winner,
                                        **scores.to_dict()}]
        if winner != answer.label:
            support = next(s for s in answer.samples if s.executable and s.verdict == winner)
            answer.label = winner  # type: ignore[assignment]
            answer.premises_used = _premise_uses(support, premises)
            answer.proof = support.proof
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
        start = time.perf_counter()
        trace: list[dict[str, Any]] = []
        kind = question_kind(question)
        settled: dict[int, str] = {}
        if prove and kind is not None:
            settled = settle_options(self, split_sentences(context), options, kind, trace)
        winners = [i for i, outcome in settled.items() if outcome == "answer"]
        if len(winners) == 1:
            distribution = [1.0 if i == winners[0] else 0.0 for i in range(len(options))]
            return Answer(
                label=None, status="ok", method="symbolic", confidence=1.0, choice=winners[0],
                distribution=distribution, trace=trace,
                timings={"total_s": time.perf_counter() - start},
                usage={"scorer_calls": 0},
            )
        scored_context, added = self._scoring_context(context)
        if added:
            trace.append({"step": "augment", "added": added})
        scores = self.scorer.score(scored_context, question, options)
        ruled_out = {i for i, outcome in settled.items() if outcome == "ruled_out"}
        distribution = _renormalize(scores.distribution, ruled_out)
        choice = max(range(len(options)), key=distribution.__getitem__)
        trace.append({"step": "fallback", "ruled_out": sorted(ruled_out), **scores.to_dict()})
        return Answer(
            label=None, status="ok", method="fallback", confidence=distribution[choice],
            choice=choice, distribution=distribution, trace=trace,
            timings={"total_s": time.perf_counter() - start},
            usage={"scorer_calls": scores.calls},
        )

    @property
    def translator(self):
        if self._translator is None:
            from .translate import Translator

            self._translator = Translator(
                self.provider, samples=self.samples, temperature=self.temperature, seed=self.seed,
                style=self.style, declare=self.declare, alternatives=self.alternatives,
            )
        return self._translator

    def _line_problem(
        self, premises: Sequence[tuple[str, str]], conclusion: str | None
    ) -> str | None:
        return formalization_problem(
            premises, conclusion, self.solver, min(self.timeout_s, _LINE_CHECK_TIMEOUT_S)
        )

    def _run_program(self, program, *, normalize: bool = False) -> SampleResult:
        """Solve a translated program. Free variables and shared spellings are errors here, so
        refinement sends them back; :meth:`_read_as_written` reads them once it is over."""
        if program.problem:
            return SampleResult(
                premises=program.premises, conclusion=program.conclusion, status="parse_error",
                error=program.problem, logprob=program.logprob,
            )
        result = run_formalization(
            program.premises, program.conclusion, self.solver, self.timeout_s,
            normalize=normalize,
        )
        result.logprob = program.logprob
        return result

    def _read_as_written(
        self, program, result: SampleResult, trace: list[dict[str, Any]], sample: int
    ) -> SampleResult:
        """``result``, or, when refinement left a signature error that a principled reading
        removes (free variables closed, a spelling read as two symbols), the program solved
        under that reading, its repairs recorded and the step in the trace."""
        if result.status != "signature_error":
            return result
        normalized = self._run_program(program, normalize=True)
        if not normalized.executable:
            return result
        trace.append({
            "step": "normalized", "sample": sample, "repairs": normalized.repairs,
            "status": normalized.status, "verdict": normalized.verdict,
        })
        return normalized

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
        """Decide each formalization, then vote over those that ran (with ``sample_more``
        ``"undecided"``, the ones after the first only when the first leaves the conclusion
        undecided, as a run with that setting would have drawn them)."""
        start = time.perf_counter()
        samples: list[SampleResult] = []
        for formalization in formalizations:
            if self._has_enough(samples):
                break
            premises_fol, conclusion_fol = formalization[0], formalization[1]
            sample = run_formalization(list(premises_fol), conclusion_fol, self.solver, self.timeout_s)
            if len(formalization) > 2:
                sample.logprob = formalization[2]  # type: ignore[misc]
            samples.append(sample)
        return answer_from_samples(
            samples, premises, elapsed_s=time.perf_counter() - start, rule=self.vote
        )


def _renormalize(distribution: Sequence[float], ruled_out: set[int]) -> list[float]:
    kept = [0.0 if i in ruled_out else p for i, p in enumerate(distribution)]
    total = sum(kept)
    return [p / total for p in kept] if total > 0 else list(distribution)


def _cnl_trace(cnl) -> dict[str, Any]:
    return {
        "step": "cnl",
        "covered": cnl.covered,
        "formulas": [s.fol for s in cnl.sentences],
        "uncovered": {i: s.reason for i, s in enumerate(cnl.sentences) if not s.covered},
        "problems": cnl.problems,
    }


def _symbols_from_cnl(cnl_symbols) -> SymbolTable:
    """The controlled-English parser's vocabulary as a symbol table the LLM continues."""
    return SymbolTable(
        predicates={
            name: (arity, ", ".join(cnl_symbols.words.get(name, [])))
            for name, arity in cnl_symbols.predicates.items() if arity >= 1
        },
        constants={name: "" for name in cnl_symbols.constants},
    )


def culprit_line(sample: SampleResult, n_lines: int) -> int:
    """The line a failed sample's error points at (0-based; the conclusion is the last).

    Parse and signature errors name their formula ("premise 3", "the conclusion"); the last one
    named is taken (in a clash, the later use is the deviant one). For contradictory premises,
    the last premise of the contradiction; otherwise the conclusion.
    """
    error = sample.error or ""
    if sample.status == "parse_error" and error.startswith("no formula written for "):
        label = error.removeprefix("no formula written for ").split(",")[0].strip()
        return n_lines - 1 if label == "C" else int(label[1:]) - 1
    mentions = [
        (m.start(), n_lines - 1 if m.group(0) == "the conclusion" else int(m.group(1)) - 1)
        for m in re.finditer(r"premise (\d+)|the conclusion", error)
    ]
    if mentions:
        return max(mentions)[1]
    if sample.status == "inconsistent" and sample.used_premises:
        return max(sample.used_premises)
    return n_lines - 1


def refinement_message(sample: SampleResult) -> str:
    """The exact error of a failed sample, in words the model can act on."""
    if sample.status == "inconsistent":
        lines = ", ".join(f"P{i + 1}" for i in sample.used_premises) or "some premises"
        return (
            f"the premises {lines} contradict each other, so nothing can be concluded; "
            "a sentence was translated wrongly (check negations and ⊕)"
        )
    if sample.status == "timeout":
        return "the prover ran out of time; write simpler formulas with fewer nested quantifiers"
    return sample.error or sample.status


def _trace_entry(sample: int, round_: int, program, result: SampleResult) -> dict[str, Any]:
    return {
        "step": "formulas" if round_ == 0 else "refine",
        "sample": sample,
        "round": round_,
        "output": program.raw,
        "logprob": program.logprob,
        "status": result.status,
        "verdict": result.verdict,
        "error": result.error,
    }


def answer_from_samples(
    samples: list[SampleResult], premises: Sequence[str] | None, *, elapsed_s: float,
    rule: str = "majority",
) -> Answer:
    """Vote over ``samples`` by ``rule`` and explain the winner with its most probable
    supporting sample."""
    outcome = vote(samples, rule)
    label, confidence, votes = outcome.label, outcome.confidence, outcome.counts
    timings = {"total_s": elapsed_s, "solver_s": sum(s.elapsed_s for s in samples)}
    if label is None:
        return Answer(
            label=None, status="no_executable_sample", method="none", samples=samples,
            timings=timings,
        )
    support = max(
        (s for s in samples if s.executable and s.verdict == label and (s.linked or not outcome.set_aside)),
        key=lambda s: s.logprob if s.logprob is not None else 0.0,
    )
    return Answer(
        label=label,
        tie_break=outcome.tie_break,
        status="ok",
        method="symbolic",
        confidence=confidence,
        votes=votes,
        premises_used=_premise_uses(support, premises),
        proof=support.proof,
        samples=samples,
        timings=timings,
    )


def _premise_uses(sample: SampleResult, premises: Sequence[str] | None) -> list[PremiseUse]:
    aligned = premises is not None and len(premises) == len(sample.premises)
    return [
        PremiseUse(
            index=i,
            formula=sample.premises[i].strip(),
            sentence=premises[i].strip() if aligned and premises else None,
        )
        for i in sample.used_premises
    ]
