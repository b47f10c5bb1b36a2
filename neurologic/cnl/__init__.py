"""Controlled-English front end: exact FOL for the sentences its grammar covers, no LLM.

A sentence the grammar parses (unambiguously) becomes one formula, marked ``source="cnl"``; any
other sentence gives ``None`` and is left to the LLM (or reported as uncovered). The grammar never
guesses: a sentence with a word it does not interpret, two readings that mean different things,
or a pronoun without one clear antecedent is outside the fragment.

API::

    CNLParser().parse_sentence("If someone is big and they eat the dog then they are red.")
    # ∀x (Big(x) ∧ Eats(x, dog) → Red(x));  None (+ parser.last_reason) outside the fragment
    result = translate_problem(premises, conclusion)   # CNLResult
    result.premises[i].formula / .fol / .source ("cnl" or None) / .reason
    result.covered, result.fully_covered, result.coverage, result.problems (signature check)
    result.symbols              # neurologic.symbols.SymbolTable: predicates (arity, words), constants
    result.formalization()                              # (premise fols, conclusion fol) or None
    Reasoner(solver="z3").solve_formalizations([result.formalization()])
    Reasoner(solver="forward").solve_formalizations(...)  # ProofWriter's forward-only reading

The grammar, the fragment it covers and the readings it fixes are described in
``neurologic/cnl/FRAGMENT.md``. Coverage of a dataset: ``python -m benchmarks.cnl_coverage``.

Modules: :mod:`.grammar` (keywords, grammar text, tokenising and tagging, the lark parser),
:mod:`.syntax` (parse tree -> intermediate form, :mod:`.ir`), :mod:`.semantics` (intermediate
form -> formula), :mod:`.parser` (:class:`CNLParser`) and :mod:`.problems`
(:func:`translate_problem`, :class:`CNLResult`).
"""

from .errors import OutsideFragment
from .grammar import KEYWORDS
from .parser import CNLParser
from .problems import CNLResult
from .problems import SentenceTranslation
from .problems import translate_problem

__all__ = [
    "CNLParser",
    "CNLResult",
    "KEYWORDS",
    "OutsideFragment",
    "SentenceTranslation",
    "translate_problem",
]
