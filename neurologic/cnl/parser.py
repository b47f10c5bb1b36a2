"""The sentence parser: tokens -> readings -> one formula, or the reason there is none."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from solvers.fol import Formula

from ..language.lexicon import OUTSIDE_FRAGMENT
from .errors import OutsideFragment
from .grammar import KEYWORDS
from .grammar import parse_tagged
from .grammar import tag_tokens
from .grammar import tokenize
from .semantics import Semantics
from .syntax import TreeBuilder

__all__ = ["CNLParser"]


class CNLParser:
    """Parses sentences of the fragment (``neurologic/cnl/FRAGMENT.md``) into formulas.

    It learns adjectives from what it has parsed (after ``is`` with no article, or before a
    generic head). That decides whether a modifier is split off (``red cat`` -> ``Red ∧ Cat``) or
    kept in a compound noun; :func:`neurologic.cnl.translate_problem` first shows it the problem.
    """

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
        """Parse every reading of the tokens; exactly one formula must come out."""
        results: list[tuple[Formula, Semantics]] = []
        reasons: list[str] = []
        for toks in _variants(tokenize(text)):
            try:
                kind, ir = self._analyse(tuple(toks))
                sem = Semantics(self)
                results.append((sem.statement(kind, ir), sem))
            except OutsideFragment as error:
                reasons.append(str(error))
        if not results:
            raise OutsideFragment(reasons[0] if reasons else "no parse")
        if len({r[0] for r in results}) > 1:
            raise OutsideFragment("ambiguous: two readings give different formulas")
        formula, sem = results[0]
        self._remember(sem)
        return formula

    def _remember(self, sem: Semantics) -> None:
        """Keep the word classes and symbol words a successful parse learned."""
        self.adjectives |= sem.adjectives
        self.nouns |= sem.nouns
        for sym, ws in sem.words.items():
            self.words[sym] |= ws

    _cache: dict[tuple[str, ...], tuple[str, Any]] = {}
    _CACHE_MAX = 50_000

    @classmethod
    def _analyse(cls, tokens: tuple[str, ...]) -> tuple[str, Any]:
        """Tokens -> intermediate form (context-free, so cached across problems)."""
        hit = cls._cache.get(tokens)
        if hit is None:
            try:
                hit = TreeBuilder().build(parse_tagged(tag_tokens(tokens)))
            except OutsideFragment as error:
                hit = ("error", str(error))
            if len(cls._cache) >= cls._CACHE_MAX:
                cls._cache.clear()
            cls._cache[tokens] = hit
        if hit[0] == "error":
            raise OutsideFragment(hit[1])
        return hit


def _variants(tokens: list[str]) -> list[list[str]]:
    """The token sequences to try: a capitalised first word may be a name or an ordinary word,
    and ``if C, D`` may end its condition at any comma."""
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
        variants = [
            [*tokens[:i], "then", *tokens[i + 1 :]] for i, t in enumerate(tokens) if t == ","
        ]
    return variants
