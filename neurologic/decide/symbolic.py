"""The symbolic path: natural language -> formulas -> a prover's answer.

Controlled English translates the sentences its grammar covers (all of them: no model call); the
translator asks the model for the rest, one shared vocabulary. Each translation is solved; one
that fails is sent back with its exact error (:func:`neurologic.decide.refinement_message`); a
signature error left after the last round is read under normalisation; a conclusion left
undecided is read again (:mod:`neurologic.decide.readings`); the samples are voted
(:func:`neurologic.decide.answer_from_samples`). Every step goes into the answer's trace.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from solvers import Solver
from solvers.errors import NeurologicError

from ..answer import Answer
from ..answer import SampleResult
from ..answer import SampleStatus
from ..cnl import translate_problem
from ..config import ReasonerConfig
from ..providers.base import Provider
from ..symbols import SymbolTable
from ..trace import CnlEvent
from ..trace import NormalizedEvent
from ..trace import ReadingsEvent
from ..trace import TraceEvent
from ..translate import Translator
from ..translate import words_check
from .execute import formalization_problem
from .execute import run_formalization
from .formalizations import answer_from_samples
from .formalizations import culprit_line
from .formalizations import decide_formalizations
from .formalizations import has_enough
from .formalizations import refinement_message
from .formalizations import trace_entry
from .readings import choose_reading
from .readings import wants_readings

__all__ = ["SymbolicPath"]

_LINE_CHECK_TIMEOUT_S = 2.0
"""At most this long for the solver to find a contradiction among the premises written so far."""


class SymbolicPath:
    """Answers a question by proof alone, with the options of ``config`` (no fallback)."""

    def __init__(self, config: ReasonerConfig, provider: Provider | None, solver: Solver) -> None:
        self.config = config
        self.provider = provider
        self.solver = solver
        self._translator: Translator | None = None

    @property
    def translator(self) -> Translator:
        """The translator (built on first use: it needs a provider)."""
        if self._translator is None:
            self._translator = Translator(self.provider, self.config)
        return self._translator

    def solve(self, premises: Sequence[str], conclusion: str) -> Answer:
        """The symbolic answer, or one with no label when no translation could be solved."""
        if not premises or not all(isinstance(p, str) and p.strip() for p in premises):
            raise NeurologicError("premises must be a non-empty list of non-empty sentences")
        if not isinstance(conclusion, str) or not conclusion.strip():
            raise NeurologicError("the conclusion must be a non-empty sentence")
        start = time.perf_counter()
        known, fixed, cnl_trace = None, {}, []
        if self.config.parser in ("cnl", "hybrid"):
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
        trace: list[TraceEvent] = [*cnl_trace, conversation.symbols_event()]
        samples: list[SampleResult] = []
        check = self._line_problem if self.config.alternatives else None
        for k in range(self.config.samples):
            if has_enough(samples, self.config.sample_more):
                break
            program = translator.formalize_sample(
                conversation, premises, conclusion, k, fixed=fixed, check=check
            )
            trace += program.events
            result = self._run_program(program)
            trace.append(trace_entry(k, 0, program, result))
            for round_ in range(1, self.config.refine_rounds + 1):
                if result.executable:
                    break
                line = culprit_line(result, len(program.lines))
                program = translator.refine_line(
                    conversation, program, line, refinement_message(result)
                )
                result = self._run_program(program)
                trace.append(trace_entry(k, round_, program, result))
            result = self._read_as_written(program, result, trace, k)
            if self._reads_again(result, fixed, len(premises)):
                result = self._other_readings(conversation, program, k, result, trace)
            samples.append(result)
        answer = answer_from_samples(
            samples, premises, elapsed_s=time.perf_counter() - start, rule=self.config.vote
        )
        answer.trace = trace
        answer.usage = {
            "calls": conversation.calls,
            "prompt_tokens": conversation.usage.prompt_tokens,
            "completion_tokens": conversation.usage.completion_tokens,
        }
        return answer

    def _reads_again(self, result: SampleResult, fixed: dict[int, str], n_premises: int) -> bool:
        """Whether to draw other readings of the conclusion: it was left undecided, the model
        wrote it (the controlled-English grammar's reading is exact), and lines are asked one
        per turn."""
        return (
            self.config.readings > 0
            and self.config.style == "turns"
            and n_premises not in fixed
            and wants_readings(result)
        )

    def _other_readings(
        self,
        conversation,
        program,
        sample: int,
        result: SampleResult,
        trace: list[TraceEvent],
    ) -> SampleResult:
        """``result``, or the reading of its conclusion the premises decide
        (:func:`neurologic.decide.readings.choose_reading`). When no reading drawn at the sampling
        temperature is new and passes the words check, as many more are drawn hotter (a small
        model sure of its line repeats it). Every reading drawn is in the trace, with why it
        was set aside (the first reading again, its words rule it out, or, with ``grounding``
        on, it says more than the conclusion's sentence)."""
        solved: dict[str, SampleResult] = {}
        results, entries = [], []
        for escalated in (False, True):
            if results:
                break
            for line in self.translator.conclusion_readings(
                conversation, program, sample, self.config.readings, escalated
            ):
                reading, entry = self._read(line, program, conversation.table, solved)
                entries.append({"escalated": escalated, **entry})
                if reading is not None:
                    results.append(reading)
        outcome = choose_reading(result, results)
        trace.append(
            ReadingsEvent(
                sample=sample,
                first=program.conclusion,
                readings=entries,
                kept=outcome.result.conclusion if outcome.replaced else None,
            )
        )
        return outcome.result

    def _read(
        self, line, program, table: SymbolTable, solved: dict[str, SampleResult]
    ) -> tuple[SampleResult | None, dict[str, Any]]:
        """One drawn reading solved against the program's premises (``solved`` keeps each
        formula's result), or None when it is set aside; and its trace entry, which says why."""
        entry: dict[str, Any] = {"formula": line.formula, "logprob": line.logprob}
        if line.formula.strip() == program.conclusion.strip():
            return None, {**entry, "set_aside": "the first reading again"}
        before = program.lines[-2].sentence if len(program.lines) > 1 else None
        finding = words_check(
            table,
            line.sentence,
            line.formula,
            previous=before,
            grounding=self.config.grounding != "off",
        )
        if finding is not None:
            return None, {**entry, "set_aside": finding.problem}
        if line.formula not in solved:
            solved[line.formula] = run_formalization(
                program.premises, line.formula, self.solver, self.config.timeout_s, normalize=False
            )
        reading = solved[line.formula].model_copy()
        if line.logprob is not None and program.logprob is not None:
            reading.logprob = program.logprob - program.lines[-1].logprob + line.logprob
        return reading, {
            **entry,
            "status": reading.status,
            "verdict": reading.verdict,
            "used_premises": reading.used_premises,
        }

    def _controlled_english(self, premises: Sequence[str], conclusion: str, start: float):
        """The grammar's part: a full Answer when it covers everything (or parser is ``cnl``),
        else the shared symbols, the formulas it knows (by line) and its trace entry."""
        cnl = translate_problem(premises, conclusion)
        trace = [_cnl_trace(cnl)]
        if cnl.fully_covered:
            answer = decide_formalizations(
                [cnl.formalization()],
                solver=self.solver,
                timeout_s=self.config.timeout_s,
                rule=self.config.vote,
                sample_more=self.config.sample_more,
                premises=premises,
            )
            answer.trace, answer.usage = trace, {"calls": 0}
            return answer
        if self.config.parser == "cnl":
            return Answer(
                label=None,
                status="no_executable_sample",
                method="none",
                trace=trace,
                timings={"total_s": time.perf_counter() - start},
                usage={"calls": 0},
            )
        if cnl.problems:  # the covered formulas clash with each other: let the LLM do it all
            return None, {}, trace
        fixed = {i: s.fol for i, s in enumerate(cnl.sentences) if s.covered}
        return _symbols_from_cnl(cnl.symbols), fixed, trace

    def _line_problem(
        self, premises: Sequence[tuple[str, str]], conclusion: str | None
    ) -> str | None:
        return formalization_problem(
            premises, conclusion, self.solver, min(self.config.timeout_s, _LINE_CHECK_TIMEOUT_S)
        )

    def _run_program(self, program, *, normalize: bool = False) -> SampleResult:
        """Solve a translated program. Free variables and shared spellings are errors here, so
        refinement sends them back; :meth:`_read_as_written` reads them once it is over."""
        if program.problem:
            return SampleResult(
                premises=program.premises,
                conclusion=program.conclusion,
                status=SampleStatus.PARSE_ERROR,
                error=program.problem,
                logprob=program.logprob,
                failed_formula=program.missing[0],
            )
        result = run_formalization(
            program.premises,
            program.conclusion,
            self.solver,
            self.config.timeout_s,
            normalize=normalize,
        )
        result.logprob = program.logprob
        return result

    def _read_as_written(
        self, program, result: SampleResult, trace: list[TraceEvent], sample: int
    ) -> SampleResult:
        """``result``, or the program solved under a principled reading that removes its
        signature error (free variables closed, one spelling read as two symbols).

        The repairs are recorded and the step is added to the trace."""
        if result.status is not SampleStatus.SIGNATURE_ERROR:
            return result
        normalized = self._run_program(program, normalize=True)
        if not normalized.executable:
            return result
        trace.append(
            NormalizedEvent(
                sample=sample,
                repairs=normalized.repairs,
                status=normalized.status,
                verdict=normalized.verdict,
            )
        )
        return normalized


def _cnl_trace(cnl) -> CnlEvent:
    return CnlEvent(
        covered=cnl.covered,
        formulas=[s.fol for s in cnl.sentences],
        uncovered={i: s.reason for i, s in enumerate(cnl.sentences) if not s.covered},
        problems=cnl.problems,
    )


def _symbols_from_cnl(table: SymbolTable) -> SymbolTable:
    """The controlled-English parser's vocabulary as a symbol table the LLM continues (its
    propositions, predicates of no arguments, left out); glosses are the words behind each."""
    return SymbolTable(
        predicates={name: entry for name, entry in table.predicates.items() if entry[0] >= 1},
        constants=dict(table.constants),
    )
