"""The symbolic side of neurologic: one FOL language and theorem provers behind one interface.

Importable without any LLM::

    from solvers import entails
    result = entails(["∀x (Man(x) → Mortal(x))", "Man(socrates)"], "Mortal(socrates)")
    result.verdict, result.used_premises, result.proof
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .base import Solver
from .check import Signature
from .check import assert_signature
from .check import check_program
from .check import signature
from .errors import FormulaError
from .errors import NeurologicError
from .errors import ParseError
from .errors import SignatureError
from .errors import SignatureProblem
from .errors import SolverError
from .errors import SolverUnavailable
from .fol import Formula
from .fol import to_nltk
from .fol import to_text
from .fol import to_unicode
from .formula_ref import FormulaRef
from .formula_ref import formula_refs
from .formula_ref import program_refs
from .normalize import Normalized
from .normalize import normalize_program
from .parse import Parsed
from .parse import is_nltk_expression
from .parse import parse
from .parse import parse_formula
from .result import SolverResult
from .result import Status
from .result import Verdict

SOLVER_NAMES = ("z3", "prover9", "portfolio", "forward", "rulebase")

__all__ = [
    "SOLVER_NAMES",
    "Formula",
    "FormulaError",
    "FormulaRef",
    "NeurologicError",
    "Normalized",
    "ParseError",
    "Parsed",
    "Signature",
    "SignatureError",
    "SignatureProblem",
    "Solver",
    "SolverError",
    "SolverResult",
    "SolverUnavailable",
    "Status",
    "Verdict",
    "assert_signature",
    "check_program",
    "entails",
    "formula_refs",
    "get_solver",
    "normalize_program",
    "parse",
    "parse_formula",
    "program_refs",
    "read_program",
    "signature",
    "to_nltk",
    "to_nltk_expression",
    "to_text",
    "to_unicode",
]


def to_nltk_expression(formula: Formula):
    """``formula`` as an ``nltk.sem.logic.Expression`` (needs the ``nltk`` extra)."""
    from .nltk_interop import to_nltk_expression as convert

    return convert(formula)


def get_solver(name: str) -> Solver:
    """A solver by name: ``z3``, ``prover9``, ``portfolio`` (both, cross-checked; numbers and
    comparisons go to z3 alone), ``forward`` (forward chaining under the rule-base reading of
    ProofWriter, :mod:`solvers.forward`) or ``rulebase`` (forward chaining, and z3 for a problem
    outside its fragment, :mod:`solvers.rulebase`)."""
    if name == "z3":
        from .z3_solver import Z3Solver

        return Z3Solver()
    if name == "prover9":
        from .prover9 import Prover9Solver

        return Prover9Solver()
    if name == "portfolio":
        from .portfolio import PortfolioSolver

        return PortfolioSolver([get_solver("z3"), get_solver("prover9")])
    if name == "forward":
        from .forward import ForwardChainingSolver

        return ForwardChainingSolver()
    if name == "rulebase":
        from .rulebase import RuleBaseSolver

        return RuleBaseSolver(get_solver("forward"), get_solver("z3"))
    raise ValueError(f"unknown solver {name!r}; choose one of {', '.join(SOLVER_NAMES)}")


def read_program(
    texts: Sequence[Formula | str], refs: Sequence[FormulaRef], *, normalize: bool = True
) -> tuple[list[Formula], list[str]]:
    """Parse each text (a formula passes through) and check the program; return the formulas
    and every repair made, each prefixed by the name of its formula (``refs``: which formula of
    the program each text is).

    With ``normalize`` real-world notation is read (:func:`parse`: slips, quoted and multi-word
    names, keyword spellings) and so are free variables and shared spellings
    (:func:`normalize_program`); without it only the plain syntaxes are read. Raises
    :class:`ParseError` (with its line and column) or :class:`SignatureError`, each naming the
    formula (``formula``).
    """
    formulas: list[Formula] = []
    repairs: list[str] = []
    for ref, text in zip(refs, texts):
        if not isinstance(text, str) and not is_nltk_expression(text):
            formulas.append(text)
            continue
        if normalize:
            parsed = parse(text, repair=True, formula=ref)
            formulas.append(parsed.formula)
            repairs.extend(f"{ref}: {note}" for note in parsed.repairs)
        else:
            formulas.append(parse_formula(text, formula=ref))
    if normalize:
        normalized = normalize_program(formulas, refs)
        formulas = normalized.formulas
        repairs.extend(normalized.repairs)
    assert_signature(formulas, refs)
    return formulas, repairs


def entails(
    premises: Sequence[Formula | str],
    goal: Formula | str,
    *,
    solver: str | Solver = "z3",
    timeout_s: float = 10.0,
    check: bool = True,
    normalize: bool = True,
) -> SolverResult:
    """Decide whether ``premises`` entail ``goal`` (True), its negation (False), or neither.

    Strings are parsed in any supported syntax (:class:`ParseError` if they do not parse). With
    ``normalize`` (the default) real-world notation is read and every reading is listed in the
    result's ``repairs`` (:func:`read_program`). With ``check`` the program must pass the
    signature check first (:class:`SignatureError`).

    >>> result = entails(["∀x (Man(x) → Mortal(x))", "Man(socrates)"], "Mortal(socrates)")
    >>> result.verdict.value, result.used_premises
    ('True', (0, 1))
    >>> entails(["Cost(gre) < 300"], "Cost(gre) < 500").verdict.value
    'True'
    >>> result = entails(["Perform(x) → Attend(x)", 'Perform("Ann Lee")'], "Attend(Ann_Lee)")
    >>> result.verdict.value
    'True'
    >>> for repair in result.repairs: print(repair)
    premise 2: read the quoted name "Ann Lee" as the constant Ann_Lee
    premise 1: read the free variable x as ∀x (closed over the whole formula)
    """
    texts = [*premises, goal]
    refs = program_refs(len(premises))
    if check:
        formulas, repairs = read_program(texts, refs, normalize=normalize)
    else:
        formulas = [
            parse_formula(t, formula=ref) if isinstance(t, str) else t
            for t, ref in zip(texts, refs)
        ]
        repairs = []
    backend = get_solver(solver) if isinstance(solver, str) else solver
    result = backend.entails(formulas[:-1], formulas[-1], timeout_s)
    return dataclasses.replace(result, repairs=tuple(repairs)) if repairs else result
