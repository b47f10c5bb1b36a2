"""Parse tree -> intermediate form: flat lists grouped, subject-verb agreement checked."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from typing import Any

from lark import Token
from lark import Tree

from ..language.lexicon import DITRANSITIVE
from ..language.lexicon import GENERIC_PLURAL
from ..language.lexicon import constant_name
from ..language.lexicon import is_plural_noun_form
from ..language.lexicon import is_third_person_form
from .errors import OutsideFragment
from .ir import NP
from .ir import VP
from .ir import Clause
from .ir import Cond
from .ir import Quant
from .ir import VPs

__all__ = ["TreeBuilder"]


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


class TreeBuilder:
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

    def _group(
        self, segments: list[tuple[str | None, Tree]], clause_subjects: bool
    ) -> list[tuple[NP | None, VPs]]:
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
                    vps.append(VP("adj", cop=vp["cop"], items=tuple(items), conn=conn))
                else:
                    vps.append(vp["vp"])
            conn = self._conn(clause["seps"], len(vps))
            result.append((clause["subject"], VPs(conn, tuple(vps))))
        if clause_subjects:
            self._conn(clause_seps, len(result))
        return result

    def _conn(self, seps: list[str], n: int) -> str:
        conn = _list_conn(seps)
        if n > 1:
            self.conns.add(conn)
        return conn

    def cond(self, t: Tree) -> Cond:
        grouped = self._group(self._segments(t.children), clause_subjects=True)
        clause_seps = [
            sep for sep, seg in self._segments(t.children)[1:] if seg.data == "clause_seg"
        ]
        self._check_mixed()
        clauses = []
        for subject, vps in grouped:
            assert subject is not None
            self.agree(subject.kind == "pron" and subject.name == "they", vps)
            clauses.append(Clause(subject, vps))
        return Cond(_list_conn(clause_seps), tuple(clauses))

    def vplist(self, t: Tree, plural: bool) -> VPs:
        grouped = self._group(self._segments(t.children), clause_subjects=False)
        self._check_mixed()
        assert len(grouped) == 1
        vps = grouped[0][1]
        self.agree(plural, vps)
        return vps

    # -- phrases

    def subject(self, t: Tree) -> NP:
        if t.data == "pron":
            return NP("pron", _first_token(t))
        if t.data == "indef":
            return NP("indef", _first_token(t))
        if t.data == "indef_a":
            return NP("a", nominal=self.nominal(t.children[1]))
        return self.name_np(t)

    def name_np(self, t: Tree) -> NP:
        words = _words(t.children)
        if t.data == "definite" and words[-1].endswith("ly") and len(words) > 1:
            raise OutsideFragment(f"'{words[-1]}' may be an adverb")
        return NP("const", constant_name(*words))

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

    def quant(self, t: Tree, main: Tree) -> Quant:
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
            if (
                head.startswith("*")
                and head[1:] not in GENERIC_PLURAL
                or (not head.startswith("*") and not is_plural_noun_form(head))
            ):
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
        return Quant(det, nominal, relcl, plural)

    def adj(self, t: Tree) -> tuple[bool, str]:
        neg = any(isinstance(x, Token) and x.type == "NOT" for x in t.children)
        return neg, _words(t.children)[0]

    def vp(self, t: Tree) -> dict[str, Any]:
        kids = t.children
        if t.data == "vp_adj":
            return {
                "kind": "adj",
                "cop": _first_token(kids[0]),
                "items": [self.adj(kids[1])],
                "seps": [],
            }
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
            vp = VP("noun", cop=cop, neg=neg, nominal=nominal)
        elif t.data == "vp_tv":
            verb = str(kids[0])
            vp = VP(
                "tv",
                cop="sg" if is_third_person_form(verb) else "base",
                verb=verb,
                obj=self.obj(kids[1], verb),
            )
        elif t.data == "vp_neg_tv":
            aux = _first_token(kids[0])
            verb = str(kids[2])
            if is_third_person_form(verb):
                raise OutsideFragment(f"'{aux} not {verb}'")
            vp = VP("tv", cop="base", neg=True, verb=verb, obj=self.obj(kids[3], verb), aux=aux)
        else:
            raise OutsideFragment(t.data)
        return {"kind": vp.kind, "vp": vp}

    def obj(self, t: Tree, verb: str) -> NP:
        if (
            verb in DITRANSITIVE
            and t.data == "obj"
            and t.children[0].data == "definite"
            and len(_words(t.children[0].children)) > 1
        ):
            raise OutsideFragment(f"'{verb}' may take two objects here")
        if t.data == "obj_indef":
            return NP("a", nominal=self.nominal(t.children[1]))
        if t.data == "obj_someone":
            return NP("someone", _first_token(t))
        return self.name_np(t.children[0])

    @staticmethod
    def agree(plural: bool, vps: VPs) -> None:
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
