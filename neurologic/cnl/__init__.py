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

Coverage of a dataset and accuracy on what the grammar covers: ``python -m benchmarks.cnl_coverage``.

How it works: tokens are typed by closed-class words (:mod:`neurologic.language.lexicon`) and by position —
a capitalised word is a name, an open-class word directly before a noun phrase is a verb, any
other is an adjective or noun — then an LALR grammar (lark, checked conflict-free with
``strict=True``) builds flat lists that are grouped, checked for agreement and turned into
formulas. Nothing is keyed to a dataset; the only word lists are English function words,
irregular plurals and verbs that take two objects.

The fragment
============

Noun phrases

* names: capitalised words (``Erin`` -> ``erin``, ``Anne Marie`` -> ``anne_marie``,
  ``the Olive Garden`` -> ``olive_garden``);
* definite descriptions: ``the`` + words (``the bald eagle`` -> ``bald_eagle``);
* subjects ``someone``/``something``/``somebody``, ``a``/``an`` + noun (in rules), pronouns
  ``it``/``they``; quantified subjects ``all``/``every``/``each``/``no``/``some`` + noun,
  ``everyone``, ``everything``, ``everybody``, ``anyone``, ``anything``, bare plurals
  (``Cats are furry``, ``Round, kind things are young``), each optionally with a relative clause
  (``who``/``that``/``which`` + verb phrases: ``All people who eat the dog are red``);
* objects of verbs: names, definite descriptions, ``a``/``an`` + noun and ``someone``/``something``
  (existential: ``Bob owns a car`` -> ``∃x (Car(x) ∧ Owns(bob, x))``).

Verb phrases, each optionally negated, in lists joined with ``and`` or ``or`` (``a, b and c``)

* copula + adjectives: ``is big``, ``are not red``, ``is cold and not kind``, ``is big, red and round``;
* copula + ``a``/``an`` + noun: ``is a cat``, ``is not an animal``; ``are`` + plural noun
  (``Cats are animals``);
* transitive verb + object: ``eats the dog`` (``Eats(subject, object)``), ``does not need the cow``,
  ``they chase the lion``, ``do not see the bear``.

Sentences

* clauses joined by ``and`` or ``or``: ``The bear eats the dog.``, ``Erin is not rough.``;
* ``if C then D``, ``if C, then D``, ``if C, D`` and ``D if C``;
* quantified statements: ``All/Every/Each X are/is Y`` (∀), ``No X is Y`` (∀ ¬), ``Some X is Y``
  (∃), ``X things are Y`` and ``All X are not Y`` (∀ … ¬, the reading rule bases mean).

Readings fixed by the fragment

* ``thing(s)``, ``person``/``people``, ``someone``/``something``, ``everyone``… range over all
  individuals and add no predicate, as in ProofWriter-style rule bases where "someone" and
  "something" both range over every named individual. ``CNLParser(person_is_generic=False)``
  reads ``person``/``people``/``someone``/``everyone``… as ``Person(x)`` instead.
* In a rule, the indefinite subject is universal over the whole rule (``If someone is big then
  they are red`` -> ``∀x (Big(x) → Red(x))``; ``If a koala is fluffy then the koala is soft`` ->
  ``∀x (Koala(x) ∧ Fluffy(x) → Soft(x))``); in a plain statement ``something``/``someone`` is
  existential (``Something is red`` -> ``∃x Red(x)``) and ``a``/``an`` + noun (generic or
  existential?) is refused.
* Pronouns ``it``/``they`` refer to the sentence's one indefinite subject; without one, to its
  one named individual; any other case (two candidates, an indefinite object) is refused.
* ``and``/``or`` must not mix within one condition (``A or B and C`` has two groupings); they
  may across ``if``/``then``. ``is not big and red`` is refused; ``is red and not big`` is fine.
* Adjectives are intersective. Before a noun that is not generic, a modifier is split off as its
  own predicate only when it is known to be an adjective (it appears predicatively — ``X is red``
  — somewhere in the problem, or before a generic head) or is comma-separated; otherwise the
  words form one compound noun (``a tennis player`` -> ``TennisPlayer``), never a wrong split.
* A plural noun is lemmatised (``cats`` -> ``Cat``), preferring a singular seen in the same
  problem where the suffix rules leave a choice (``lenses`` -> ``Lens`` when ``a lens`` occurs);
  a singular one is kept as written. Verbs are named by their -s form (``eat``/``eats`` -> ``Eats``).

Semantics: the formulas are classical FOL. ProofWriter's own reasoner applies rules forward only
(negated facts are facts of their own, no contraposition or case analysis); the ``forward``
solver (:mod:`solvers.forward`; ``Reasoner(solver="forward")``)
decides under that reading, which is what ProofWriter's labels mean where the two differ.

Modules: :mod:`.grammar` (keywords, grammar text, tokenising and tagging, the lark parser),
:mod:`.syntax` (parse tree -> intermediate form, :mod:`.ir`), :mod:`.semantics` (intermediate
form -> formula), :mod:`.parser` (:class:`CNLParser`) and :mod:`.problems`
(:func:`translate_problem`, :class:`CNLResult`).
"""

from .errors import OutsideFragment
from .grammar import KEYWORDS
from .parser import CNLParser
from .problems import CNLResult, SentenceTranslation, translate_problem

__all__ = [
    "CNLParser", "CNLResult", "KEYWORDS", "OutsideFragment", "SentenceTranslation",
    "translate_problem",
]
