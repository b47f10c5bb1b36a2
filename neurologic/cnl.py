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
    result.symbols                                      # SymbolTable: predicates, constants, words
    result.formalization()                              # (premise fols, conclusion fol) or None
    Reasoner(solver="z3").solve_formalizations([result.formalization()])
    solve_forward(premise_formulas, conclusion_formula) # ProofWriter's forward-only semantics
    measure("proofwriter", "linc360", semantics="forward")

How it works: tokens are typed by closed-class words (:mod:`neurologic.lexicon`) and by position —
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
(negated facts are facts of their own, no contraposition or case analysis); :func:`solve_forward`
decides under that reading (each negated atom ``¬P(t)`` becomes an atom ``NotP(t)``), which is
what ProofWriter's labels mean where the two differ.
"""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from lark import Lark, Token, Tree
from lark.lexer import Lexer
from lark.exceptions import LarkError

from solvers.check import check_program, signature
from solvers.fol import And, Const, Exists, Forall, Formula, Implies, Not, Or, Pred, Term, Var, to_unicode

from .lexicon import (
    DITRANSITIVE,
    GENERIC_PLURAL,
    GENERIC_SINGULAR,
    OUTSIDE_FRAGMENT,
    constant_name,
    is_plural_noun_form,
    is_third_person_form,
    lemma_noun,
    noun_symbol,
    predicate_name,
    verb_symbol,
)

__all__ = [
    "CNLParser", "CNLResult", "SEMANTICS", "SentenceTranslation", "SymbolTable", "literal_view", "measure",
    "solve_forward", "translate_problem",
]

# --------------------------------------------------------------------------- grammar

_KEYWORDS = {
    "IF": "if", "THEN": "then", "AND": "and", "OR": "or", "NOT": "not",
    "IS": "is", "ARE": "are", "DOES": "does", "DO": "do",
    "A": "a", "AN": "an", "THE": "the",
    "ALL": "all", "EVERY": "every", "EACH": "each", "NO": "no", "SOME": "some",
    "WHO": "who", "THAT": "that", "WHICH": "which",
    "IT": "it", "THEY": "they",
    "SOMEONE": "someone", "SOMETHING": "something", "SOMEBODY": "somebody",
    "EVERYONE": "everyone", "EVERYTHING": "everything", "EVERYBODY": "everybody",
    "ANYONE": "anyone", "ANYTHING": "anything", "ANYBODY": "anybody",
}
_KEYWORD_TYPES = {word: name for name, word in _KEYWORDS.items()}
_GENERIC_SG = GENERIC_SINGULAR - OUTSIDE_FRAGMENT
KEYWORDS = frozenset(_KEYWORDS.values()) | GENERIC_PLURAL | _GENERIC_SG

_GRAMMAR = r"""
start: statement PERIOD?

statement: cond                        -> plain
         | IF cond THEN cond           -> if_then
         | cond IF cond                -> then_if
         | quant vplist                -> quantified

// Lists are flat: a segment after a separator is a new clause (it has a subject), another
// verb phrase of the current clause, or another adjective of the current verb phrase. The
// builder groups them and refuses mixed "and"/"or".
cond: clause_seg (sep seg)*
clause_seg: subject vp
?seg: clause_seg | vp | adj
vplist: vp (sep vpseg)*
?vpseg: vp | adj
sep: AND | OR | COMMA | COMMA AND | COMMA OR

?subject: name_np
        | pron
        | indef
        | art nominal                  -> indef_a

pron: IT | THEY
indef: SOMEONE | SOMETHING | SOMEBODY

name_np: THE? NAME+                    -> proper
       | THE WORD+                     -> definite

quant: qdet qnominal relcl?            -> q_det
     | qpron relcl?                    -> q_pron
     | qnominal relcl?                 -> q_bare

qdet: ALL | EVERY | EACH | NO | SOME
qpron: EVERYONE | EVERYTHING | EVERYBODY | ANYONE | ANYTHING | ANYBODY
relcl: (WHO | THAT | WHICH) vplist

// modifiers + head; commas between modifiers only where no list separator can follow
nominal: WORD
       | generic
       | WORD nominal
qnominal: WORD                         -> nominal
        | generic                      -> nominal
        | WORD qnominal                -> nominal
        | WORD COMMA qnominal          -> nominal
generic: GENERIC_PL | GENERIC_SG

vp: cop adj                            -> vp_adj
  | cop art nominal                    -> vp_noun
  | cop NOT art nominal                -> vp_noun
  | VERB obj                           -> vp_tv
  | aux NOT VERB obj                   -> vp_neg_tv

cop: IS | ARE
aux: DOES | DO
art: A | AN
adj: NOT? WORD

obj: name_np
   | art nominal                       -> obj_indef
   | indef                             -> obj_someone

%declare NAME WORD VERB COMMA PERIOD GENERIC_PL GENERIC_SG
"""
_GRAMMAR += "%declare " + " ".join(_KEYWORDS) + "\n"

_TOKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*|,|\.")
_ALLOWED = re.compile(r"[A-Za-z,.\s-]*")
_NP_START = frozenset({"THE", "NAME", "A", "AN", "SOMEONE", "SOMETHING", "SOMEBODY"})


class _TokenLexer(Lexer):
    """Feeds lark the token list :meth:`CNLParser._tag` made (types decided there)."""

    def __init__(self, lexer_conf: Any) -> None:  # noqa: D107 - lark's interface
        pass

    def lex(self, data: Any) -> Iterator[Token]:  # type: ignore[override]
        yield from data


# --------------------------------------------------------------------------- results


@dataclass
class SymbolTable:
    """The vocabulary a translation uses: predicates with arities, constants, and for each
    symbol the surface words that produced it (so an LLM can reuse the same names)."""

    predicates: dict[str, int] = field(default_factory=dict)
    constants: list[str] = field(default_factory=list)
    words: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"predicates": dict(self.predicates), "constants": list(self.constants),
                "words": {k: list(v) for k, v in self.words.items()}}

    def describe(self) -> str:
        """A compact listing for a prompt: ``Eats/2 (eat, eats)``, ``Big/1 (big)``, constants."""
        preds = ", ".join(
            f"{name}/{arity}" + (f" ({', '.join(self.words[name])})" if self.words.get(name) else "")
            for name, arity in sorted(self.predicates.items())
        )
        return f"predicates: {preds}\nconstants: {', '.join(self.constants)}"


@dataclass
class SentenceTranslation:
    """One sentence: its formula when the grammar covers it (``source == "cnl"``), else ``None``
    with the reason it is outside the fragment."""

    text: str
    formula: Formula | None
    source: str | None
    reason: str | None = None

    @property
    def covered(self) -> bool:
        return self.formula is not None

    @property
    def fol(self) -> str | None:
        return to_unicode(self.formula) if self.formula is not None else None


@dataclass
class CNLResult:
    """A problem as far as the grammar covers it."""

    premises: list[SentenceTranslation]
    conclusion: SentenceTranslation
    symbols: SymbolTable
    problems: list[str] = field(default_factory=list)
    """Signature problems among the covered formulas (empty when they form a valid program)."""

    @property
    def sentences(self) -> list[SentenceTranslation]:
        return [*self.premises, self.conclusion]

    @property
    def covered(self) -> list[bool]:
        """Per sentence, premises then conclusion."""
        return [s.covered for s in self.sentences]

    @property
    def fully_covered(self) -> bool:
        return all(self.covered) and not self.problems

    @property
    def coverage(self) -> float:
        flags = self.covered
        return sum(flags) / len(flags)

    def formalization(self) -> tuple[list[str], str] | None:
        """``(premise formulas, conclusion formula)`` as text for
        :meth:`neurologic.Reasoner.solve_formalizations`, when every sentence is covered."""
        if not self.fully_covered:
            return None
        return [s.fol for s in self.premises], self.conclusion.fol  # type: ignore[misc]

    def to_dict(self) -> dict[str, Any]:
        return {
            "premises": [_sentence_dict(s) for s in self.premises],
            "conclusion": _sentence_dict(self.conclusion),
            "fully_covered": self.fully_covered,
            "coverage": self.coverage,
            "symbols": self.symbols.to_dict(),
            "problems": list(self.problems),
        }


def _sentence_dict(s: SentenceTranslation) -> dict[str, Any]:
    return {"text": s.text, "fol": s.fol, "source": s.source, "reason": s.reason}


class OutsideFragment(Exception):
    """Raised inside the parser when a sentence cannot be given one exact formula."""


# --------------------------------------------------------------------------- intermediate form


@dataclass(frozen=True)
class _NP:
    kind: str  # const | indef | pron | a | someone
    name: str = ""  # constant name / pronoun word
    nominal: tuple[tuple[str, ...], str, bool] | None = None  # (mods, head, comma_separated)


@dataclass(frozen=True)
class _VP:
    kind: str  # adj | noun | tv
    cop: str = ""  # is / are; for tv: "sg" (-s form) or "base"
    neg: bool = False
    items: tuple[tuple[bool, str], ...] = ()  # adjectives: (negated, word)
    conn: str = "and"
    nominal: tuple[tuple[str, ...], str, bool] | None = None
    verb: str = ""
    obj: _NP | None = None
    aux: str = ""  # does / do, for a negated verb


@dataclass(frozen=True)
class _VPs:
    conn: str  # and | or
    vps: tuple[_VP, ...]


@dataclass(frozen=True)
class _Clause:
    subject: _NP
    vps: _VPs


@dataclass(frozen=True)
class _Cond:
    conn: str
    clauses: tuple[_Clause, ...]


@dataclass(frozen=True)
class _Quant:
    det: str  # all | every | each | no | some | everyone... | bare
    nominal: tuple[tuple[str, ...], str, bool] | None
    relcl: _VPs | None
    plural: bool


def _words(children: Iterable[Any]) -> list[str]:
    return [str(c) for c in children if isinstance(c, Token) and c.type in ("WORD", "NAME")]


def _first_token(t: Tree | Token) -> str:
    while isinstance(t, Tree):
        t = t.children[0]
    return str(t).lower()


def _plural_vp(vp: Tree) -> bool:
    """Whether a verb phrase has the plural form (are / do not / base verb)."""
    if vp.data in ("vp_adj", "vp_noun"):
        return _first_token(vp.children[0]) == "are"
    if vp.data == "vp_neg_tv":
        return _first_token(vp.children[0]) == "do"
    return not is_third_person_form(str(vp.children[0]))


def _list_conn(seps: Sequence[str]) -> str:
    """The connective of one list from its separators ("and", ", and", ","...): ``a and b and
    c``, ``a, b and c`` and ``a, b, and c`` are fine; a list ending in a bare comma or mixing
    "and" with "or" is not."""
    if not seps:
        return "and"
    if seps[-1] == ",":
        raise OutsideFragment("a list without 'and'/'or'")
    conns = {sep.split()[-1] for sep in seps if sep != ","}
    if len(conns) > 1:
        raise OutsideFragment("'and' and 'or' mixed in one list")
    return conns.pop()


class _Builder:
    """Turns a lark tree into the intermediate form, grouping the flat lists and checking
    subject-verb agreement."""

    def __init__(self) -> None:
        self.conns: set[str] = set()  # connectives of the lists (two or more items) of one cond

    def build(self, tree: Tree) -> tuple[str, Any]:
        stmt = tree.children[0]
        kind = stmt.data
        if kind == "plain":
            out: tuple[str, Any] = ("plain", self.cond(stmt.children[0]))
        elif kind == "if_then":
            cond, cons = (c for c in stmt.children if isinstance(c, Tree))
            out = ("rule", (self.cond(cond), self.cond(cons), False))
        elif kind == "then_if":
            out = ("rule", (self.cond(stmt.children[2]), self.cond(stmt.children[0]), True))
        elif kind == "quantified":
            quant = self.quant(stmt.children[0], stmt.children[1])
            vps = self.vplist(stmt.children[1], quant.plural)
            out = ("quantified", (quant, vps))
        else:
            raise OutsideFragment(f"unknown statement {kind}")
        return out

    def _check_mixed(self) -> None:
        """Within one condition (or verb-phrase list) "and" and "or" must not mix: ``A or B and
        C`` has two groupings. Across ``if``/``then`` they may."""
        mixed = len(self.conns) > 1
        self.conns = set()
        if mixed:
            raise OutsideFragment("'and' and 'or' mixed: the grouping is ambiguous")

    # -- flat lists

    def _segments(self, kids: list[Any]) -> list[tuple[str | None, Tree]]:
        """``[(separator or None, segment)]`` from ``seg (sep seg)*`` children."""
        out: list[tuple[str | None, Tree]] = [(None, kids[0])]
        for i in range(1, len(kids), 2):
            sep = " ".join(str(tok).lower() for tok in kids[i].children)
            out.append((sep, kids[i + 1]))
        return out

    def _group(self, segments: list[tuple[str | None, Tree]], clause_subjects: bool
               ) -> list[tuple[_NP | None, _VPs]]:
        """Group segments into clauses of verb phrases of adjectives."""
        clauses: list[dict[str, Any]] = []
        clause_seps: list[str] = []
        for sep, seg in segments:
            if seg.data == "clause_seg":
                if sep is not None:
                    clause_seps.append(sep)
                subject = self.subject(seg.children[0])
                clauses.append({"subject": subject, "vps": [self.vp(seg.children[1])], "seps": []})
            elif not clauses and clause_subjects:
                raise OutsideFragment("a list starts without a subject")
            elif seg.data == "adj":
                if not clauses:
                    raise OutsideFragment("an adjective without a verb")
                vp = clauses[-1]["vps"][-1]
                if vp["kind"] != "adj":
                    raise OutsideFragment("an adjective after a verb that is not 'is'/'are'")
                vp["items"].append(self.adj(seg))
                vp["seps"].append(sep)
            else:
                if not clauses:  # a verb-phrase list without subject (quantified, relative)
                    clauses.append({"subject": None, "vps": [], "seps": []})
                    clauses[-1]["vps"].append(self.vp(seg))
                    continue
                clauses[-1]["vps"].append(self.vp(seg))
                clauses[-1]["seps"].append(sep)
        result = []
        for clause in clauses:
            vps = []
            for vp in clause["vps"]:
                if vp["kind"] == "adj":
                    items = vp["items"]
                    conn = self._conn(vp["seps"], len(items))
                    if len(items) > 1 and items[0][0] and not all(n for n, _ in items):
                        raise OutsideFragment("'not A and B' is ambiguous")
                    vps.append(_VP("adj", cop=vp["cop"], items=tuple(items), conn=conn))
                else:
                    vps.append(vp["vp"])
            conn = self._conn(clause["seps"], len(vps))
            result.append((clause["subject"], _VPs(conn, tuple(vps))))
        if clause_subjects:
            self._conn(clause_seps, len(result))
        return result

    def _conn(self, seps: list[str], n: int) -> str:
        conn = _list_conn(seps)
        if n > 1:
            self.conns.add(conn)
        return conn

    def cond(self, t: Tree) -> _Cond:
        grouped = self._group(self._segments(t.children), clause_subjects=True)
        clause_seps = [sep for sep, seg in self._segments(t.children)[1:] if seg.data == "clause_seg"]
        self._check_mixed()
        clauses = []
        for subject, vps in grouped:
            assert subject is not None
            self.agree(subject.kind == "pron" and subject.name == "they", vps)
            clauses.append(_Clause(subject, vps))
        return _Cond(_list_conn(clause_seps), tuple(clauses))

    def vplist(self, t: Tree, plural: bool) -> _VPs:
        grouped = self._group(self._segments(t.children), clause_subjects=False)
        self._check_mixed()
        assert len(grouped) == 1
        vps = grouped[0][1]
        self.agree(plural, vps)
        return vps

    # -- phrases

    def subject(self, t: Tree) -> _NP:
        if t.data == "pron":
            return _NP("pron", _first_token(t))
        if t.data == "indef":
            return _NP("indef", _first_token(t))
        if t.data == "indef_a":
            return _NP("a", nominal=self.nominal(t.children[1]))
        return self.name_np(t)

    def name_np(self, t: Tree) -> _NP:
        words = _words(t.children)
        if t.data == "definite" and words[-1].endswith("ly") and len(words) > 1:
            raise OutsideFragment(f"'{words[-1]}' may be an adverb")
        return _NP("const", constant_name(*words))

    def nominal(self, t: Tree) -> tuple[tuple[str, ...], str, bool]:
        mods: list[str] = []
        comma = False
        while True:
            kids = t.children
            if len(kids) == 1:
                k = kids[0]
                head = "*" + _first_token(k) if isinstance(k, Tree) else str(k)
                return tuple(mods), head, comma
            mods.append(str(kids[0]))
            comma = comma or (isinstance(kids[1], Token) and kids[1].type == "COMMA")
            t = kids[-1]

    def quant(self, t: Tree, main: Tree) -> _Quant:
        kids = t.children
        relcl_tree = kids[-1] if isinstance(kids[-1], Tree) and kids[-1].data == "relcl" else None
        # the number of a noun after "some"/"no" is the number of its verb ("No lens is ...")
        first_vp = (relcl_tree.children[1] if relcl_tree is not None else main).children[0]
        if t.data == "q_pron":
            det = _first_token(kids[0])
            plural = False
            nominal = None
        elif t.data == "q_bare":
            det = "bare"
            nominal = self.nominal(kids[0])
            head = nominal[1]
            if head.startswith("*") and head[1:] not in GENERIC_PLURAL or (
                    not head.startswith("*") and not is_plural_noun_form(head)):
                raise OutsideFragment(f"bare noun '{head.lstrip('*')}' is not plural")
            plural = True
        else:
            det = _first_token(kids[0])
            nominal = self.nominal(kids[1])
            head = nominal[1]
            if head.startswith("*"):
                plural = head[1:] in GENERIC_PLURAL
            elif det in ("some", "no"):
                plural = _plural_vp(first_vp)
            else:
                plural = is_plural_noun_form(head)
            if det == "all" and not plural:
                raise OutsideFragment("'all' needs a plural noun")
            if det in ("every", "each") and plural:
                raise OutsideFragment(f"'{det}' needs a singular noun")
        relcl = self.vplist(relcl_tree.children[1], plural) if relcl_tree is not None else None
        return _Quant(det, nominal, relcl, plural)

    def adj(self, t: Tree) -> tuple[bool, str]:
        neg = any(isinstance(x, Token) and x.type == "NOT" for x in t.children)
        return neg, _words(t.children)[0]

    def vp(self, t: Tree) -> dict[str, Any]:
        kids = t.children
        if t.data == "vp_adj":
            return {"kind": "adj", "cop": _first_token(kids[0]), "items": [self.adj(kids[1])], "seps": []}
        if t.data == "vp_noun":
            cop = _first_token(kids[0])
            if cop != "is":
                raise OutsideFragment("'are a ...'")
            neg = any(isinstance(x, Token) and x.type == "NOT" for x in kids)
            art = _first_token(kids[-2])
            nominal = self.nominal(kids[-1])
            first = (nominal[0] or (nominal[1],))[0].lstrip("*").lower()
            if art == "a" and first[:1] in "aeiou" and not first.startswith(("u", "eu", "one")):
                raise OutsideFragment(f"'a {first}'")
            vp = _VP("noun", cop=cop, neg=neg, nominal=nominal)
        elif t.data == "vp_tv":
            verb = str(kids[0])
            vp = _VP("tv", cop="sg" if is_third_person_form(verb) else "base", verb=verb,
                     obj=self.obj(kids[1], verb))
        elif t.data == "vp_neg_tv":
            aux = _first_token(kids[0])
            verb = str(kids[2])
            if is_third_person_form(verb):
                raise OutsideFragment(f"'{aux} not {verb}'")
            vp = _VP("tv", cop="base", neg=True, verb=verb, obj=self.obj(kids[3], verb), aux=aux)
        else:
            raise OutsideFragment(t.data)
        return {"kind": vp.kind, "vp": vp}

    def obj(self, t: Tree, verb: str) -> _NP:
        if (verb in DITRANSITIVE and t.data == "obj" and t.children[0].data == "definite"
                and len(_words(t.children[0].children)) > 1):
            raise OutsideFragment(f"'{verb}' may take two objects here")
        if t.data == "obj_indef":
            return _NP("a", nominal=self.nominal(t.children[1]))
        if t.data == "obj_someone":
            return _NP("someone", _first_token(t))
        return self.name_np(t.children[0])

    @staticmethod
    def agree(plural: bool, vps: _VPs) -> None:
        """Subject-verb agreement: a singular subject takes is/does/-s, a plural one are/do/base."""
        for vp in vps.vps:
            if vp.kind in ("adj", "noun"):
                ok = (vp.cop == "are") == plural
            elif vp.neg:
                ok = (vp.aux == "do") == plural
            else:
                ok = (vp.cop == "base") == plural
            if not ok:
                raise OutsideFragment("subject and verb do not agree")


# --------------------------------------------------------------------------- parser


class CNLParser:
    """Parses sentences of the fragment (see the module docstring) into formulas.

    The parser learns which words are adjectives from what it has parsed (a word after
    ``is``/``are`` with no article, or before a generic head such as ``things``), which only
    decides whether a modifier before a real noun is split off (``red cat`` -> ``Red ∧ Cat``) or
    kept in a compound noun. :func:`translate_problem` first lets it see a whole problem.
    """

    _lark: Lark | None = None

    def __init__(self, *, person_is_generic: bool = True) -> None:
        self.person_is_generic = person_is_generic
        self.adjectives: set[str] = set()
        self.nouns: set[str] = set()  # singular nouns seen: they settle plural lemmas
        self.words: dict[str, set[str]] = defaultdict(set)
        self.last_reason: str | None = None

    # -- public

    def parse_sentence(self, text: str) -> Formula | None:
        """The formula for ``text``, or ``None`` when it is outside the fragment (the reason is
        left in ``self.last_reason``)."""
        try:
            formula = self._parse(text)
        except OutsideFragment as error:
            self.last_reason = str(error) or "outside the fragment"
            return None
        self.last_reason = None
        return formula

    def learn(self, sentences: Iterable[str]) -> None:
        """Record the adjectives used in ``sentences`` (parse them, discarding the formulas)."""
        for text in sentences:
            self.parse_sentence(text)

    # -- internals

    def _parse(self, text: str) -> Formula:
        text = text.strip()
        if not text:
            raise OutsideFragment("empty sentence")
        if not _ALLOWED.fullmatch(text):
            bad = sorted({c for c in text if not _ALLOWED.fullmatch(c)})
            raise OutsideFragment(f"characters outside the fragment: {''.join(bad)!r}")
        tokens = _TOKEN.findall(text)
        if not tokens or "." in tokens[:-1]:
            raise OutsideFragment("not one sentence")
        # "if C, then D" is "if C then D"
        tokens = [t for i, t in enumerate(tokens)
                  if not (t == "," and i + 1 < len(tokens) and tokens[i + 1].lower() == "then")]
        first, low = tokens[0], tokens[0].lower()
        if low in KEYWORDS or low in OUTSIDE_FRAGMENT:
            variants = [[low, *tokens[1:]]]
        elif first[0].isupper():
            # a name ("Erin is ...") or an ordinary word capitalised ("Round things are ...")
            variants = [tokens, [low, *tokens[1:]]]
        else:
            variants = [tokens]
        if low == "if" and not any(t.lower() == "then" for t in tokens):
            # "if C, D": the comma that ends the condition is one of the commas
            variants = [[*tokens[:i], "then", *tokens[i + 1:]] for i, t in enumerate(tokens) if t == ","]
        results: list[tuple[Formula, _Semantics]] = []
        reasons: list[str] = []
        for toks in variants:
            try:
                kind, ir = self._analyse(tuple(toks))
                sem = _Semantics(self)
                results.append((sem.statement(kind, ir), sem))
            except OutsideFragment as error:
                reasons.append(str(error))
        if not results:
            raise OutsideFragment(reasons[0] if reasons else "no parse")
        if len({r[0] for r in results}) > 1:
            raise OutsideFragment("ambiguous: two readings give different formulas")
        formula, sem = results[0]
        self.adjectives |= sem.adjectives
        self.nouns |= sem.nouns
        for sym, ws in sem.words.items():
            self.words[sym] |= ws
        return formula

    _cache: dict[tuple[str, ...], tuple[str, Any]] = {}
    _CACHE_MAX = 50_000

    @classmethod
    def _analyse(cls, tokens: tuple[str, ...]) -> tuple[str, Any]:
        """Tokens -> intermediate form (context-free, so cached across problems)."""
        hit = cls._cache.get(tokens)
        if hit is None:
            try:
                hit = _Builder().build(cls._tree(tokens))
            except OutsideFragment as error:
                hit = ("error", str(error))
            if len(cls._cache) >= cls._CACHE_MAX:
                cls._cache.clear()
            cls._cache[tokens] = hit
        if hit[0] == "error":
            raise OutsideFragment(hit[1])
        return hit

    @classmethod
    def _tree(cls, tokens: tuple[str, ...]) -> Tree:
        tagged = _tag(tokens)
        if cls._lark is None:
            cls._lark = Lark(_GRAMMAR, parser="lalr", lexer=_TokenLexer, strict=True)
        try:
            return cls._lark.parse(tagged)  # type: ignore[arg-type]
        except LarkError as error:
            raise OutsideFragment(_short_error(error)) from None


def _tag(tokens: Sequence[str]) -> list[Token]:
    """Give every token its grammar type. Function words are their own types; a capitalised word
    (after the first) is a name; an open-class word directly before a noun phrase is a verb
    (the only place the fragment has one), any other is an adjective or noun."""
    out: list[Token] = []
    for i, tok in enumerate(tokens):
        low = tok.lower()
        if tok in (",", "."):
            out.append(Token("COMMA" if tok == "," else "PERIOD", tok))
        elif tok[0].isupper() and (i > 0 or low not in KEYWORDS):
            if i > 0 and len(tok) > 1 and low in KEYWORDS:
                # "Football The US", "People If": a word of the grammar, not part of a name
                # (other function words may be names: "Diamond Mine", "May")
                raise OutsideFragment(f"capitalised function word '{tok}'")
            out.append(Token("NAME", tok))
        elif low in _KEYWORD_TYPES:
            out.append(Token(_KEYWORD_TYPES[low], low))
        elif low in GENERIC_PLURAL:
            out.append(Token("GENERIC_PL", low))
        elif low in _GENERIC_SG:
            out.append(Token("GENERIC_SG", low))
        elif low in OUTSIDE_FRAGMENT:
            raise OutsideFragment(f"'{low}' is outside the fragment")
        else:
            out.append(Token("WORD", low))
    for i in range(len(out) - 1):
        if out[i].type == "WORD" and out[i + 1].type in _NP_START:
            word = str(out[i])
            if _NOT_PRESENT.search(word):
                raise OutsideFragment(f"'{word}' is not a present-tense verb")
            out[i] = Token("VERB", word)
    return out


_NOT_PRESENT = re.compile(r"[aeiouy][a-z]*(?:[^e]ed|ing)$")
"""Past tense, participles and gerunds (``called``, ``playing``) are not in the fragment's verb
position (``need``, ``feed``, ``bring``, ``shed`` are: no vowel before the ending)."""


def _short_error(error: LarkError) -> str:
    token = getattr(error, "token", None)
    if token is not None and str(token) and getattr(token, "type", "") != "$END":
        return f"no parse at '{token}'"
    return "no parse (the sentence ends too early)"


# --------------------------------------------------------------------------- semantics


class _Semantics:
    """Intermediate form -> formula, with variables for indefinites and pronouns bound."""

    def __init__(self, parser: CNLParser) -> None:
        self.parser = parser
        self.adjectives: set[str] = set()
        self.nouns: set[str] = set()
        self.words: dict[str, set[str]] = defaultdict(set)
        self._names = (f"{v}{i or ''}" for i in itertools.count() for v in ("x", "y", "z", "w"))
        self.pronoun_target: Term | None = None
        self.anaphora: set[str] = set()  # "the koala" after "a koala" refers back to it

    def const(self, name: str) -> Term:
        if name in self.anaphora and self.pronoun_target is not None:
            return self.pronoun_target
        return Const(name)

    def fresh(self) -> str:
        return next(self._names)

    def sym(self, name: str, word: str) -> str:
        self.words[name].add(word.lower())
        return name

    # -- statements

    def statement(self, kind: str, ir: Any) -> Formula:
        if kind == "plain":
            return self.plain(ir)
        if kind == "rule":
            return self.rule(*ir)
        return self.quantified(*ir)

    def _referent(self, clauses: Sequence[_Clause]) -> _NP | None:
        """The sentence's one indefinite subject (``someone``, ``a koala``), if any; pronouns and
        definite descriptions that repeat its noun (``the koala``) will refer to it."""
        indefs = [c.subject for c in clauses if c.subject.kind in ("indef", "a")]
        if len(indefs) > 1:
            raise OutsideFragment("more than one indefinite subject")
        pronouns = {c.subject.name for c in clauses if c.subject.kind == "pron"}
        objects = {vp.obj.kind if vp.obj.kind == "a" else vp.obj.name
                   for c in clauses for vp in c.vps.vps if vp.obj is not None and vp.obj.kind != "const"}
        if "it" in pronouns and objects or "they" in pronouns and objects & {"someone", "somebody"}:
            raise OutsideFragment("pronoun with more than one possible antecedent")
        if not indefs:
            return None
        first = next(c.subject for c in clauses if c.subject.kind in ("indef", "a", "pron"))
        if first.kind == "pron":
            raise OutsideFragment("pronoun before its antecedent")
        return indefs[0]

    def _bind(self, referent: _NP) -> tuple[str, list[Formula]]:
        """A variable for ``referent`` and its restriction (``Koala(x)``; none for ``something``)."""
        var = self.fresh()
        x = Var(var)
        self.pronoun_target = x
        restriction: list[Formula] = []
        if referent.kind == "a":
            assert referent.nominal is not None
            mods, head, _ = referent.nominal
            restriction = self.nominal(referent.nominal, x, predicative=False, plural=False)
            if not head.startswith("*"):
                self.anaphora = {constant_name(*mods, head), constant_name(head)}
        elif referent.name in ("someone", "somebody") and not self.parser.person_is_generic:
            restriction = [Pred("Person", (x,))]
        return var, restriction

    def plain(self, cond: _Cond) -> Formula:
        clauses = list(cond.clauses)
        referent = self._referent(clauses)
        if referent is not None:
            if referent.kind == "a":
                raise OutsideFragment("'a ...' as subject may be generic or existential")
            var, restriction = self._bind(referent)
            body = _conj([*restriction, self.cond(cond, Var(var))])
            assert body is not None
            return Exists(var, body)
        self.pronoun_target = self._constant_antecedent(clauses)
        return self.cond(cond, None)

    def rule(self, cond: _Cond, cons: _Cond, reversed_: bool) -> Formula:
        order = [*cons.clauses, *cond.clauses] if reversed_ else [*cond.clauses, *cons.clauses]
        referent = self._referent(order)
        if referent is None:
            self.pronoun_target = self._constant_antecedent(order)
            return Implies(self.cond(cond, None), self.cond(cons, None))
        in_cond = any(c.subject is referent for c in cond.clauses)
        pron_in_cond = any(c.subject.kind == "pron" for c in cond.clauses)
        var, restriction = self._bind(referent)
        x = Var(var)
        if in_cond or pron_in_cond:
            antecedent = _conj([*restriction, self.cond(cond, x)])
            assert antecedent is not None
            return Forall(var, Implies(antecedent, self.cond(cons, x)))
        # "If the cat is big then something is red": existential inside the consequent
        if referent.kind == "a":
            raise OutsideFragment("'a ...' as subject may be generic or existential")
        consequent = _conj([*restriction, self.cond(cons, x)])
        assert consequent is not None
        return Implies(self.cond(cond, None), Exists(var, consequent))

    def _constant_antecedent(self, clauses: Sequence[_Clause]) -> Term | None:
        if not any(c.subject.kind == "pron" for c in clauses):
            return None
        names = set()
        for c in clauses:
            if c.subject.kind == "const":
                names.add(c.subject.name)
            for vp in c.vps.vps:
                if vp.obj is not None and vp.obj.kind == "const":
                    names.add(vp.obj.name)
        if len(names) != 1 or clauses[0].subject.kind != "const":
            raise OutsideFragment("pronoun without one clear antecedent")
        return Const(names.pop())

    def quantified(self, q: _Quant, vps: _VPs) -> Formula:
        var = self.fresh()
        x = Var(var)
        restriction: list[Formula] = []
        generic_person = False
        if q.nominal is not None:
            restriction.extend(self.nominal(q.nominal, x, predicative=False, plural=q.plural))
        elif q.det in ("everyone", "everybody", "anyone", "anybody"):
            generic_person = True
        if generic_person and not self.parser.person_is_generic:
            restriction.insert(0, Pred("Person", (x,)))
        if q.relcl is not None:
            restriction.append(self.vps(q.relcl, x))
        body = self.vps(vps, x)
        restr = _conj(restriction)
        if q.det == "some":
            return Exists(var, _conj([*restriction, body]))
        if q.det == "no":
            body = _negate(body)
        return Forall(var, body if restr is None else Implies(restr, body))

    # -- conditions and verb phrases

    def cond(self, cond: _Cond, var: Var | None) -> Formula:
        parts = [self.clause(c, var) for c in cond.clauses]
        return _join(cond.conn, parts)

    def clause(self, clause: _Clause, var: Var | None) -> Formula:
        subj = clause.subject
        if subj.kind == "const":
            term: Term = self.const(subj.name)
        elif subj.kind in ("indef", "a"):
            assert var is not None
            term = var
        else:
            if self.pronoun_target is None:
                raise OutsideFragment(f"'{subj.name}' has no antecedent")
            term = self.pronoun_target
        return self.vps(clause.vps, term)

    def vps(self, vps: _VPs, subj: Term) -> Formula:
        return _join(vps.conn, [self.vp(vp, subj) for vp in vps.vps])

    def vp(self, vp: _VP, subj: Term) -> Formula:
        if vp.kind == "adj":
            parts: list[Formula] = []
            for neg, word in vp.items:
                if vp.cop == "is" and is_plural_noun_form(word):
                    raise OutsideFragment(f"'is {word}': a plural noun after 'is'")
                if vp.cop == "are" and is_plural_noun_form(word):
                    atom = Pred(self.sym(self.noun(word, plural=True), word), (subj,))
                else:
                    self.adjectives.add(word.lower())
                    atom = Pred(self.sym(predicate_name(word), word), (subj,))
                parts.append(Not(atom) if neg else atom)
            return _join(vp.conn, parts)
        if vp.kind == "noun":
            assert vp.nominal is not None
            body = _conj(self.nominal(vp.nominal, subj, predicative=True, plural=False))
            assert body is not None
            return Not(body) if vp.neg else body
        # transitive verb
        assert vp.obj is not None
        name = self.sym(verb_symbol(vp.verb, base=vp.cop == "base"), vp.verb)
        obj = vp.obj
        if obj.kind == "const":
            atom: Formula = Pred(name, (subj, self.const(obj.name)))
        else:
            var = self.fresh()
            y = Var(var)
            atom = Pred(name, (subj, y))
            if obj.kind == "a":
                assert obj.nominal is not None
                atom = _conj([*self.nominal(obj.nominal, y, predicative=True, plural=False), atom])  # type: ignore[list-item]
            elif not self.parser.person_is_generic and obj.name in ("someone", "somebody"):
                atom = And((Pred("Person", (y,)), atom))
            atom = Exists(var, atom)  # type: ignore[arg-type]
        return Not(atom) if vp.neg else atom

    def nominal(self, nominal: tuple[tuple[str, ...], str, bool], x: Term, *, predicative: bool,
                plural: bool) -> list[Formula]:
        """Predicates for ``mods head`` applied to ``x`` (a generic head adds none); ``plural``
        says whether the syntax made the head plural (then it is lemmatised).

        ``predicative`` (``is a ...``): a bare generic head (``is a thing``) would say nothing
        and is refused."""
        mods, head, comma = nominal
        if comma and any(is_plural_noun_form(m) for m in mods):
            raise OutsideFragment("a list of nouns, not of modifiers")
        out: list[Formula] = []
        if head.startswith("*"):
            word = head[1:]
            for m in mods:
                self.adjectives.add(m.lower())
                out.append(Pred(self.sym(predicate_name(m), m), (x,)))
            if not self.parser.person_is_generic and lemma_noun(word) == "person":
                out.insert(0, Pred(self.sym("Person", word), (x,)))
            if predicative and not out:
                raise OutsideFragment(f"'a {word}' adds nothing when '{word}' ranges over everything")
            return out
        known = self.parser.adjectives | self.adjectives
        i = 0
        while i < len(mods) and (comma or mods[i].lower() in known):
            out.append(Pred(self.sym(predicate_name(mods[i]), mods[i]), (x,)))
            i += 1
        rest = mods[i:]
        out.append(Pred(self.sym(self.noun(*rest, head, plural=plural), head), (x,)))
        return out

    def noun(self, *words: str, plural: bool) -> str:
        """The predicate for a noun: a plural head is lemmatised (preferring a singular seen in
        the problem), a singular one is kept as it is and remembered."""
        if not plural:
            self.nouns.add(words[-1].lower())
            return predicate_name(*words)
        return noun_symbol(*words, known=self.parser.nouns | self.nouns)


def _conj(parts: Sequence[Formula]) -> Formula | None:
    flat: list[Formula] = []
    for p in parts:
        flat.extend(p.parts if isinstance(p, And) else (p,))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def _join(conn: str, parts: Sequence[Formula]) -> Formula:
    if len(parts) == 1:
        return parts[0]
    if conn == "and":
        result = _conj(parts)
        assert result is not None
        return result
    flat: list[Formula] = []
    for p in parts:
        flat.extend(p.parts if isinstance(p, Or) else (p,))
    return Or(tuple(flat))


def _negate(f: Formula) -> Formula:
    return f.body if isinstance(f, Not) else Not(f)


# --------------------------------------------------------------------------- problems


def translate_problem(
    premises: Sequence[str], conclusion: str, *, parser: CNLParser | None = None
) -> CNLResult:
    """Translate every sentence the grammar covers; the rest are ``None`` for the LLM.

    The parser first reads the whole problem so word classes learned anywhere in it (which
    modifiers are adjectives) apply everywhere. The symbol table lists every predicate and
    constant of the covered formulas, with the words behind each predicate.
    """
    parser = parser or CNLParser()
    texts = [*premises, conclusion]
    parser.learn(texts)
    translations = []
    for text in texts:
        formula = parser.parse_sentence(text)
        translations.append(
            SentenceTranslation(text=text, formula=formula, source="cnl" if formula is not None else None,
                                reason=parser.last_reason)
        )
    formulas = [t.formula for t in translations if t.formula is not None]
    labels = [f"premise {i + 1}" if i < len(premises) else "the conclusion"
              for i, t in enumerate(translations) if t.formula is not None]
    problems = check_program(formulas, labels) if formulas else []
    sig = signature(formulas)
    symbols = SymbolTable(
        predicates=dict(sorted(sig.predicates.items())),
        constants=sorted(sig.constants),
        words={k: sorted(parser.words.get(k, ())) for k in sorted(sig.predicates)},
    )
    return CNLResult(premises=translations[:-1], conclusion=translations[-1], symbols=symbols,
                     problems=problems)


# --------------------------------------------------------------------------- forward semantics

SEMANTICS = ("classical", "forward")


def literal_view(formula: Formula, negated_name: dict[str, str] | None = None) -> Formula:
    """``formula`` with negation pushed onto atoms and each negated atom ``¬P(t)`` replaced by an
    atom of its own, ``NotP(t)``: rules then only fire forward (no contraposition, no case
    analysis), the reading of ProofWriter's own reasoner (negated facts explicit, rules applied
    forward). ``negated_name`` maps ``P`` to its negative symbol (filled in as needed)."""
    names = negated_name if negated_name is not None else {}

    def neg(name: str) -> str:
        if name not in names:
            candidate = "Not" + name
            while candidate in names.values():
                candidate += "_"
            names[name] = candidate
        return names[name]

    def walk(f: Formula, positive: bool) -> Formula:
        if isinstance(f, Pred):
            return f if positive else Pred(neg(f.name), f.args)
        if isinstance(f, Not):
            return walk(f.body, not positive)
        if isinstance(f, And):
            parts = tuple(walk(p, positive) for p in f.parts)
            return And(parts) if positive else Or(parts)
        if isinstance(f, Or):
            parts = tuple(walk(p, positive) for p in f.parts)
            return Or(parts) if positive else And(parts)
        if isinstance(f, Implies):
            if positive:
                return Implies(walk(f.left, True), walk(f.right, True))
            return And((walk(f.left, True), walk(f.right, False)))
        if isinstance(f, Forall):
            return Forall(f.var, walk(f.body, positive)) if positive else Exists(f.var, walk(f.body, False))
        if isinstance(f, Exists):
            return Exists(f.var, walk(f.body, positive)) if positive else Forall(f.var, walk(f.body, False))
        raise OutsideFragment(f"no literal reading for {to_unicode(f)}")

    return walk(formula, True)


def solve_forward(premises: Sequence[Formula], conclusion: Formula, *, solver: str = "z3",
                  timeout_s: float = 10.0) -> tuple[str | None, list[Any]]:
    """Decide under forward semantics: True if the conclusion's literal view follows from the
    premises' literal views, False if the view of its negation does, else Uncertain. Returns the
    label (``None`` when a solver call failed) and the two :class:`solvers.SolverResult` objects."""
    from solvers import entails

    names: dict[str, str] = {}
    theory = [literal_view(p, names) for p in premises]
    positive = literal_view(conclusion, names)
    negative = literal_view(Not(conclusion), names)
    results = []
    verdicts = []
    for goal in (positive, negative):
        result = entails(theory, goal, solver=solver, timeout_s=timeout_s)
        results.append(result)
        verdicts.append(result.verdict.value if result.verdict is not None else None)
    if None in verdicts:
        return None, results
    if verdicts[0] == "True" and verdicts[1] == "True":
        return None, results  # both a literal and its complement derived
    if verdicts[0] == "True":
        return "True", results
    if verdicts[1] == "True":
        return "False", results
    return "Uncertain", results


# --------------------------------------------------------------------------- measurement


def measure(dataset: str, subset: str | None = None, *, semantics: str = "classical",
            solve: bool | None = None, solver: str = "z3", timeout_s: float = 10.0,
            limit: int | None = None) -> dict[str, Any]:
    """Coverage of the grammar on a dataset (sentences, whole problems) and, for the problems it
    covers fully, the accuracy of deciding its formulas with ``solver`` — zero LLM calls.

    ``semantics``: ``"classical"`` decides the formulas as they are with
    ``Reasoner(solver=...).solve_formalizations``; ``"forward"`` uses :func:`solve_forward`
    (ProofWriter's reasoner: negated facts explicit, rules applied forward only). ``solve``
    defaults to True for ProofWriter and False otherwise (FOLIO needs the LLM for the rest).
    ``accuracy`` counts an uncovered problem as wrong; ``accuracy_covered`` is over the covered
    ones. Items with ``meta["depth"]`` (LINC-360) also get a per-depth table.

    Command: ``python -m neurologic.cnl proofwriter linc360 [classical|forward]``.
    """
    from benchmarks.datasets import load

    from .pipeline import Reasoner

    if semantics not in SEMANTICS:
        raise ValueError(f"unknown semantics {semantics!r}; choose one of {', '.join(SEMANTICS)}")
    items = load(dataset, subset)
    if limit is not None:
        items = items[:limit]
    if solve is None:
        solve = dataset.lower() == "proofwriter"
    reasoner = Reasoner(solver=solver, timeout_s=timeout_s) if solve and semantics == "classical" else None
    t0 = time.perf_counter()
    n_sent = n_sent_cov = n_prob_cov = n_correct = 0
    parse_s = solve_s = 0.0
    per_depth: dict[Any, Counter] = defaultdict(Counter)
    per_label: dict[str, Counter] = defaultdict(Counter)
    errors: list[dict[str, Any]] = []
    uncovered: Counter = Counter()
    for item in items:
        t = time.perf_counter()
        result = translate_problem(item.premises, item.conclusion)
        parse_s += time.perf_counter() - t
        n_sent += len(result.sentences)
        n_sent_cov += sum(result.covered)
        for s in result.sentences:
            if not s.covered:
                uncovered[s.reason or "?"] += 1
        covered = result.fully_covered
        n_prob_cov += covered
        predicted = status = None
        if covered and solve:
            t = time.perf_counter()
            if reasoner is not None:
                premises_fol, conclusion_fol = result.formalization()  # type: ignore[misc]
                answer = reasoner.solve_formalizations([(premises_fol, conclusion_fol)],
                                                       premises=list(item.premises))
                predicted = answer.label
                status = answer.samples[0].status if answer.samples else answer.status
            else:
                predicted, runs = solve_forward([s.formula for s in result.premises],  # type: ignore[misc]
                                                result.conclusion.formula,  # type: ignore[arg-type]
                                                solver=solver, timeout_s=timeout_s)
                status = ",".join(r.status.value for r in runs)
            solve_s += time.perf_counter() - t
        correct = predicted == item.label
        n_correct += correct
        for table, key in ((per_depth, item.meta.get("depth")), (per_label, item.label)):
            if key is None:
                continue
            table[key]["n"] += 1
            table[key]["covered"] += covered
            table[key]["correct"] += correct
        if solve and not correct and len(errors) < 100:
            errors.append({"id": item.id, "gold": item.label, "predicted": predicted,
                           "covered": covered, "status": status})
    n = len(items)

    def rows(table: dict[Any, Counter]) -> dict[str, dict[str, float]]:
        return {
            str(k): {"n": c["n"], "coverage": c["covered"] / c["n"],
                     **({"accuracy": c["correct"] / c["n"]} if solve else {})}
            for k, c in sorted(table.items())
        }

    report: dict[str, Any] = {
        "dataset": dataset, "subset": subset, "n": n, "parser": "cnl", "llm_calls": 0,
        "sentences": n_sent, "sentences_covered": n_sent_cov,
        "sentence_coverage": n_sent_cov / n_sent if n_sent else 0.0,
        "problems_covered": n_prob_cov, "problem_coverage": n_prob_cov / n if n else 0.0,
        "timing": {"wall_s": time.perf_counter() - t0, "parse_s": parse_s, "solve_s": solve_s},
        "uncovered_reasons": dict(uncovered.most_common(20)),
    }
    if solve:
        report["solver"] = solver
        report["semantics"] = semantics
        report["accuracy"] = n_correct / n if n else 0.0
        report["accuracy_covered"] = n_correct / n_prob_cov if n_prob_cov else 0.0
        report["per_label"] = rows(per_label)
        report["errors"] = errors
    if per_depth:
        report["per_depth"] = rows(per_depth)
    return report


if __name__ == "__main__":  # python -m neurologic.cnl proofwriter linc360 [classical|forward]
    import json
    import sys

    args = sys.argv[1:] or ["proofwriter", "logiclm600"]
    print(json.dumps(measure(args[0], args[1] if len(args) > 1 else None,
                             semantics=args[2] if len(args) > 2 else "classical"), indent=2))
