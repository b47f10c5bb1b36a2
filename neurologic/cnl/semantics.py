"""Intermediate form -> formula: variables for indefinites and pronouns, predicates for words."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from typing import Protocol

from solvers.fol import And
from solvers.fol import Const
from solvers.fol import Exists
from solvers.fol import Forall
from solvers.fol import Formula
from solvers.fol import Implies
from solvers.fol import Not
from solvers.fol import Or
from solvers.fol import Pred
from solvers.fol import Term
from solvers.fol import Var

from ..language.lexicon import constant_name
from ..language.lexicon import is_plural_noun_form
from ..language.lexicon import lemma_noun
from ..language.lexicon import noun_symbol
from ..language.lexicon import predicate_name
from ..language.lexicon import verb_symbol
from .errors import OutsideFragment
from .ir import NP
from .ir import VP
from .ir import Clause
from .ir import Cond
from .ir import Quant
from .ir import VPs

__all__ = ["ProblemWords", "Semantics"]


class ProblemWords(Protocol):
    """What the semantics reads from the parser: the words seen in the whole problem."""

    adjectives: set[str]
    nouns: set[str]
    person_is_generic: bool


class Semantics:
    """Intermediate form -> formula, with variables for indefinites and pronouns bound."""

    def __init__(self, parser: ProblemWords) -> None:
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

    def _referent(self, clauses: Sequence[Clause]) -> NP | None:
        """The sentence's one indefinite subject (``someone``, ``a koala``), if any; pronouns and
        definite descriptions that repeat its noun (``the koala``) will refer to it."""
        indefs = [c.subject for c in clauses if c.subject.kind in ("indef", "a")]
        if len(indefs) > 1:
            raise OutsideFragment("more than one indefinite subject")
        pronouns = {c.subject.name for c in clauses if c.subject.kind == "pron"}
        objects = {
            vp.obj.kind if vp.obj.kind == "a" else vp.obj.name
            for c in clauses
            for vp in c.vps.vps
            if vp.obj is not None and vp.obj.kind != "const"
        }
        if "it" in pronouns and objects or "they" in pronouns and objects & {"someone", "somebody"}:
            raise OutsideFragment("pronoun with more than one possible antecedent")
        if not indefs:
            return None
        first = next(c.subject for c in clauses if c.subject.kind in ("indef", "a", "pron"))
        if first.kind == "pron":
            raise OutsideFragment("pronoun before its antecedent")
        return indefs[0]

    def _bind(self, referent: NP) -> tuple[str, list[Formula]]:
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

    def plain(self, cond: Cond) -> Formula:
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

    def rule(self, cond: Cond, cons: Cond, reversed_: bool) -> Formula:
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

    def _constant_antecedent(self, clauses: Sequence[Clause]) -> Term | None:
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

    def quantified(self, q: Quant, vps: VPs) -> Formula:
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

    def cond(self, cond: Cond, var: Var | None) -> Formula:
        parts = [self.clause(c, var) for c in cond.clauses]
        return _join(cond.conn, parts)

    def clause(self, clause: Clause, var: Var | None) -> Formula:
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

    def vps(self, vps: VPs, subj: Term) -> Formula:
        return _join(vps.conn, [self.vp(vp, subj) for vp in vps.vps])

    def vp(self, vp: VP, subj: Term) -> Formula:
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

    def nominal(
        self,
        nominal: tuple[tuple[str, ...], str, bool],
        x: Term,
        *,
        predicative: bool,
        plural: bool,
    ) -> list[Formula]:
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
                raise OutsideFragment(
                    f"'a {word}' adds nothing when '{word}' ranges over everything"
                )
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
