"""Run one formalization: parse (repairing slips), check the signature, solve."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

from solvers import FormulaRef
from solvers import ParseError
from solvers import SignatureError
from solvers import Solver
from solvers import Status
from solvers import check_program
from solvers import normalize_program
from solvers import parse
from solvers import program_refs
from solvers.check import signature
from solvers.fol import Formula

from ..answer import SampleResult
from ..answer import SampleStatus
from ..spelling import one_spelling_per_constant


def run_formalization(
    premises: Sequence[str],
    conclusion: str,
    solver: Solver,
    timeout_s: float,
    *,
    normalize: bool = True,
) -> SampleResult:
    """Decide one formalization; every failure is recorded in the result, never raised.

    With ``normalize`` free variables are universally closed and a spelling used for two
    symbols is read as two (:func:`solvers.normalize_program`), each reading recorded in
    ``repairs``; without it those are signature errors (what refinement sends back). A
    failure about one formula names it in ``failed_formula``."""
    start = time.perf_counter()
    base = {"premises": list(premises), "conclusion": conclusion}
    read = _read(program_refs(len(premises)), [*premises, conclusion], normalize=normalize)
    if read.status is not None:
        return SampleResult(
            **base,
            status=read.status,
            error=read.error,
            repairs=read.repairs,
            elapsed_s=time.perf_counter() - start,
            failed_formula=read.failed_formula,
        )
    formulas, repairs = read.formulas, read.repairs
    result = solver.entails(formulas[:-1], formulas[-1], timeout_s)
    linked = bool(
        set(signature(formulas[-1:]).predicates) & set(signature(formulas[:-1]).predicates)
    )
    return SampleResult(
        **base,
        linked=linked,
        verdict=result.verdict,
        status=SampleStatus.from_solver(result.status),
        error=None if result.status is Status.OK else (result.message or result.status.value),
        repairs=repairs,
        used_premises=list(result.used_premises),
        proof=result.proof,
        solver=result.solver,
        elapsed_s=time.perf_counter() - start,
        failed_formula=result.formula,
    )


def formalization_problem(
    premises: Sequence[tuple[str, str]],
    conclusion: str | None,
    solver: Solver,
    timeout_s: float,
) -> str | None:
    """Why a partial translation cannot be right, found before it is solved: a formula that
    does not parse, symbols used inconsistently, or (with no ``conclusion`` yet) premises that
    contradict each other. ``premises`` are ``(label, formula)`` pairs (``("P3", "Dog(rex)")``),
    the labels used in the message. ``None`` when none of these is found; a solver that cannot
    tell in ``timeout_s`` finds nothing.

    A formula true (or false) whatever the facts are is not counted: on FOLIO, replacing such
    lines cost more right answers than it gained.
    """
    if not premises and conclusion is None:
        return None
    names = [label for label, _ in premises]
    refs = [FormulaRef.from_tag(label) for label in names]
    texts = [formula for _, formula in premises]
    if conclusion is not None:
        refs.append(FormulaRef.conclusion())
        texts.append(conclusion)
    read = _read(refs, texts, normalize=False)
    if read.status is not None:
        return read.error
    if conclusion is not None:
        return None
    # The last premise as the goal: it follows trivially, so only a contradiction stops it.
    result = solver.entails(read.formulas, read.formulas[-1], timeout_s)
    if result.status is not Status.INCONSISTENT:
        return None
    core = [names[i] for i in result.used_premises]
    if len(core) == 1:
        return f"{core[0]} contradicts itself"
    return f"{', '.join(core) or 'the premises'} contradict each other"


@dataclass
class _Reading:
    """Formulas parsed and signature-checked, or why not (``status``/``error``, and the formula
    the error is about)."""

    formulas: list[Formula] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    status: SampleStatus | None = None
    error: str | None = None
    failed_formula: FormulaRef | None = None


def _read(refs: Sequence[FormulaRef], texts: Sequence[str], *, normalize: bool) -> _Reading:
    """Parse each formula (repairing slips, reading real-world notation), read each
    individual's spellings as one (:mod:`neurologic.spelling`), with ``normalize`` close free
    variables and tell apart symbols that share a spelling, then check the signature of them
    all. ``refs`` say which formula of the program each text is."""
    read = _Reading()
    for ref, text in zip(refs, texts):
        try:
            parsed = parse(text, repair=True, formula=ref)
        except ParseError as error:
            return _Reading(
                status=SampleStatus.PARSE_ERROR,
                error=f"{ref} ({text.strip()}): {error}",
                failed_formula=error.formula,
            )
        read.formulas.append(parsed.formula)
        read.repairs.extend(f"{ref}: {note}" for note in parsed.repairs)
    read.formulas, merged = one_spelling_per_constant(read.formulas)
    read.repairs.extend(merged)
    if normalize:
        normalized = normalize_program(read.formulas, refs)
        read.formulas = normalized.formulas
        read.repairs.extend(normalized.repairs)
    problems = check_program(read.formulas, refs)
    if problems:
        error = SignatureError(problems)
        read.status, read.error = SampleStatus.SIGNATURE_ERROR, str(error)
        read.failed_formula = error.formula
    return read
