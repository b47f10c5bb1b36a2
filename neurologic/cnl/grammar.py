"""The grammar: keywords, the LALR grammar text, tokenising and tagging, and the lark parser.

Tokens are typed before lark sees them (:func:`tag_tokens`): function words are their own types,
a capitalised word after the first is a name, an open-class word directly before a noun phrase is
a verb, any other is an adjective or noun. The grammar is checked conflict-free (``strict=True``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from lark import Lark
from lark import Token
from lark import Tree
from lark.exceptions import LarkError
from lark.lexer import Lexer

from ..language.lexicon import GENERIC_PLURAL
from ..language.lexicon import GENERIC_SINGULAR
from ..language.lexicon import OUTSIDE_FRAGMENT
from .errors import OutsideFragment

__all__ = ["GRAMMAR", "KEYWORDS", "parse_tagged", "tag_tokens", "tokenize"]

_KEYWORDS = {
    "IF": "if",
    "THEN": "then",
    "AND": "and",
    "OR": "or",
    "NOT": "not",
    "IS": "is",
    "ARE": "are",
    "DOES": "does",
    "DO": "do",
    "A": "a",
    "AN": "an",
    "THE": "the",
    "ALL": "all",
    "EVERY": "every",
    "EACH": "each",
    "NO": "no",
    "SOME": "some",
    "WHO": "who",
    "THAT": "that",
    "WHICH": "which",
    "IT": "it",
    "THEY": "they",
    "SOMEONE": "someone",
    "SOMETHING": "something",
    "SOMEBODY": "somebody",
    "EVERYONE": "everyone",
    "EVERYTHING": "everything",
    "EVERYBODY": "everybody",
    "ANYONE": "anyone",
    "ANYTHING": "anything",
    "ANYBODY": "anybody",
}
_KEYWORD_TYPES = {word: name for name, word in _KEYWORDS.items()}
_GENERIC_SG = GENERIC_SINGULAR - OUTSIDE_FRAGMENT
KEYWORDS = frozenset(_KEYWORDS.values()) | GENERIC_PLURAL | _GENERIC_SG

GRAMMAR = r"""
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
GRAMMAR += "%declare " + " ".join(_KEYWORDS) + "\n"

_TOKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*|,|\.")
_ALLOWED = re.compile(r"[A-Za-z,.\s-]*")
_NP_START = frozenset({"THE", "NAME", "A", "AN", "SOMEONE", "SOMETHING", "SOMEBODY"})


class _TokenLexer(Lexer):
    """Feeds lark the token list :func:`tag_tokens` made (types decided there)."""

    def __init__(self, lexer_conf: Any) -> None:  # noqa: D107 - lark's interface
        pass

    def lex(self, data: Any) -> Iterator[Token]:  # type: ignore[override]
        yield from data


def tokenize(text: str) -> list[str]:
    """Words, commas and the final period of one sentence (``if C, then D`` loses its comma);
    :class:`OutsideFragment` for other characters or more than one sentence."""
    text = text.strip()
    if not text:
        raise OutsideFragment("empty sentence")
    if not _ALLOWED.fullmatch(text):
        bad = sorted({c for c in text if not _ALLOWED.fullmatch(c)})
        raise OutsideFragment(f"characters outside the fragment: {''.join(bad)!r}")
    tokens = _TOKEN.findall(text)
    if not tokens or "." in tokens[:-1]:
        raise OutsideFragment("not one sentence")
    return [
        t
        for i, t in enumerate(tokens)
        if not (t == "," and i + 1 < len(tokens) and tokens[i + 1].lower() == "then")
    ]


def tag_tokens(tokens: Sequence[str]) -> list[Token]:
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


@lru_cache(maxsize=1)
def _lark() -> Lark:
    return Lark(GRAMMAR, parser="lalr", lexer=_TokenLexer, strict=True)


def parse_tagged(tagged: list[Token]) -> Tree:
    """The parse tree of tagged tokens; :class:`OutsideFragment` when they do not parse."""
    try:
        return _lark().parse(tagged)  # type: ignore[arg-type]
    except LarkError as error:
        raise OutsideFragment(_short_error(error)) from None
