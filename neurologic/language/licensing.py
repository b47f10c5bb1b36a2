"""Whether a formula says only what its sentence says, symbol by symbol.

Each predicate and constant must be licensed by the sentence's words (or, with a pronoun, the
sentence before it). A predicate is licensed when half its name's content words appear, as
lemmas or by their first five letters; ``Year`` and ``Month`` by a year or month. A constant is
licensed by its letters, a lemma, or an abbreviation (``nyc``). A proof using an unlicensed
symbol may be right for the wrong reason, and :class:`neurologic.answer.PremiseUse` reports it.

>>> ungrounded_symbols("Socrates is a Greek.", "Human(socrates) ∧ Greek(socrates)")
['Human']
>>> ungrounded_symbols("He taught philosophy.", "Teaches(socrates, philosophy)",
...                    previous="Socrates lived in Athens.")
[]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from functools import lru_cache

from solvers import ParseError
from solvers import parse
from solvers.check import signature

from .lexicon import lemma_noun
from .names import compact_name

__all__ = [
    "FUNCTION_WORDS",
    "PLACING_WORDS",
    "PRONOUNS",
    "SentenceWords",
    "grounding_problem",
    "sentence_lemmas",
    "symbol_words",
    "ungrounded_premise",
    "ungrounded_symbols",
]

FUNCTION_WORDS = frozenset(
    "a an the on in at of to by for from with into onto as is are was be has have had do does "
    "and or not no if then all some every each any".split()
)
"""Words that name no property: they never count for or against a predicate's name."""
PLACING_WORDS = frozenset("locate located locates situate situated belong belongs".split())
"""Words that only place a thing: ``LocatedIn`` relates it to a place the sentence names (the
place is the constant's to license), so they never count against a predicate's name."""
PRONOUNS = re.compile(r"\b(he|she|it|they|him|her|its|his|them|their|this|that)\b", re.I)
"""A sentence with one of these may refer to what the sentence before it names."""

_CAMEL_WORD = re.compile(r"[A-Z][a-z0-9]*|[a-z0-9]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")
_PREFIX = 5
_STEM = 4
_NUMBERED = re.compile(r"([A-Za-z_]{0,8})(\d+)")
_YEAR = re.compile(r"1\d{3}|20\d{2}")
_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
_ABBREVIATION_SKIPS = frozenset({"of", "the", "and", "de", "for"})
"""Words an abbreviation may leave out ("United States of America" -> ``usa``)."""
SENTENCES_KEPT = 4096
"""How many sentences' words are kept for reuse (:meth:`SentenceWords.of`)."""


@lru_cache(maxsize=50_000)
def _lemma(word: str) -> str:
    import simplemma

    return simplemma.lemmatize(word, lang="en").lower()


def sentence_lemmas(text: str) -> frozenset[str]:
    """The words of ``text``, lower-cased, with their lemmas ("Greeks" -> greeks, greek)."""
    written = [w.strip("'’-") for w in _WORD.findall(text)]
    written += [p for w in written for p in re.split(r"[-'’]", w) if p and p != w]
    words = {w.lower() for w in written}
    lemmas = {_lemma(w) for w in written} | {_lemma(w) for w in words}
    return frozenset(words | lemmas | {lemma_noun(w) for w in words})


def symbol_words(name: str) -> list[str]:
    """The content words of a symbol's name, lower-cased (``IsGreekGod`` -> greek, god)."""
    return [
        w
        for w in (w.lower() for w in _CAMEL_WORD.findall(name))
        if len(w) > 1 and w not in FUNCTION_WORDS
    ]


def _licensed(word: str, lemmas: frozenset[str]) -> bool:
    if word in lemmas or _lemma(word) in lemmas:
        return True
    if len(word) >= _STEM and any(other.startswith(word) for other in lemmas):
        return True  # swear, "swearing"
    return len(word) > _PREFIX and any(
        len(other) >= _PREFIX and other[:_PREFIX] == word[:_PREFIX] for other in lemmas
    )


def _plain(text: str) -> str:
    """``text`` without accents ("Śląska" -> "Slaska"), for comparing names."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _names_a_number(constant: str, numbers: frozenset[str]) -> bool:
    """A constant that is a number of the sentence behind a short prefix (``y1976``,
    ``year1946``, ``number98199`` for "1976", "1946", "98199")."""
    match = _NUMBERED.fullmatch(constant)
    return match is not None and match.group(2) in numbers


@dataclass(frozen=True)
class SentenceWords:
    """What a sentence's words license: built once per sentence (with the sentence before it
    when it has a pronoun), then asked about each symbol.

    >>> words = SentenceWords.of("All Greeks are humans.")
    >>> words.licenses_predicate("Human"), words.licenses_predicate("Mortal")
    (True, False)
    """

    lemmas: frozenset[str]
    compact: str
    numbers: frozenset[str]
    words: tuple[str, ...]
    """The words in order, lower-cased, CamelCase split ("PlayStation" -> play, station)."""

    @classmethod
    def of(cls, sentence: str, previous: str | None = None) -> SentenceWords:
        """The words of ``sentence`` (and of ``previous`` when it has a pronoun), built once
        per text and kept: a sentence is asked about again for each formula written for it."""
        if previous and PRONOUNS.search(sentence):
            sentence = f"{sentence} {previous}"
        return _words_of(sentence)

    def _licenses_word(self, word: str) -> bool:
        if word == "year" and any(_YEAR.fullmatch(number) for number in self.numbers):
            return True
        if word == "month" and not _MONTHS.isdisjoint(self.lemmas):
            return True
        return _licensed(word, self.lemmas)

    def licenses_predicate(self, name: str) -> bool:
        """At least half of the name's content words are the sentence's (or it is written
        there as one word: ``AirTight``, "airtight")."""
        if compact_name(name) in self.compact:
            return True
        words = [w for w in symbol_words(name) if w not in PLACING_WORDS]
        return not words or 2 * sum(self._licenses_word(w) for w in words) >= len(words)

    def licenses_constant(self, name: str) -> bool:
        """Whether the sentence licenses the constant ``name``.

        It does when the letters are in the sentence, it is a lemma or a number behind a short
        prefix (``year1946``), or it abbreviates a run of words (``nyc``).

        >>> SentenceWords.of("The United States of America is large.").licenses_constant("usa")
        True
        """
        compact = compact_name(name)
        return (
            compact in self.compact
            or _licensed(name.lower(), self.lemmas)
            or _names_a_number(name, self.numbers)
            or _abbreviates(compact, self.words)
        )


@lru_cache(maxsize=SENTENCES_KEPT)
def _words_of(text: str) -> SentenceWords:
    """The :class:`SentenceWords` of ``text`` (a sentence, or one with the sentence before it)."""
    plain = _plain(text)
    ordered = tuple(w.lower() for w in _CAMEL_WORD.findall(plain))
    return SentenceWords(
        sentence_lemmas(plain), compact_name(plain), frozenset(re.findall(r"\d+", plain)), ordered
    )


def _abbreviates(name: str, words: tuple[str, ...]) -> bool:
    """Whether ``name`` (compacted) is the starts of two or more consecutive ``words``.

    "new york city" gives nyc, "play station 2" ps2: "of", "the", "and" may be skipped, and a
    number is taken whole."""
    if len(name) < 2:
        return False

    @cache
    def starts(at: int, index: int, used: int) -> bool:
        if at == len(name):
            return used >= 2
        if index >= len(words):
            return False
        word = words[index]
        if used and word in _ABBREVIATION_SKIPS and starts(at, index + 1, used):
            return True
        lengths = [len(word)] if word.isdigit() else range(min(len(word), len(name) - at), 0, -1)
        return any(
            name.startswith(word[:k], at) and starts(at + k, index + 1, used + 1) for k in lengths
        )

    return any(starts(0, index, 0) for index in range(len(words)))


def ungrounded_symbols(sentence: str, formula: str, *, previous: str | None = None) -> list[str]:
    """The predicates and constants of ``formula`` that ``sentence`` does not license (sorted);
    empty when all are licensed or the formula does not parse (its parse error says so)."""
    try:
        tree = parse(formula, repair=True).formula
    except ParseError:
        return []
    symbols = signature([tree])
    words = SentenceWords.of(sentence, previous)
    found = [name for name in symbols.predicates if not words.licenses_predicate(name)]
    found += [name for name in symbols.constants if not words.licenses_constant(name)]
    return sorted(found)


def ungrounded_premise(sentences: Sequence[str], formulas: Sequence[str], index: int) -> list[str]:
    """:func:`ungrounded_symbols` of premise ``index``: ``formulas[index]`` against
    ``sentences[index]``, with the sentence before it for a pronoun to refer to. The two
    sequences are one premise each, in the same order.

    >>> ungrounded_premise(["Socrates lived in Athens.", "He taught Plato."],
    ...                    ["LivedIn(socrates, athens)", "Taught(socrates, plato) ∧ Greek(plato)"], 1)
    ['Greek']
    """
    previous = sentences[index - 1] if index > 0 else None
    return ungrounded_symbols(sentences[index], formulas[index], previous=previous)


def grounding_problem(sentence: str, formula: str, *, previous: str | None = None) -> str | None:
    """Why ``formula`` says more than ``sentence`` (the symbols its words do not license), in
    words a line check records; ``None`` when it says no more.

    >>> grounding_problem("Socrates is a Greek.", "Human(socrates) ∧ Greek(socrates)")
    'the formula says more than its sentence: Human is not in its words'
    """
    extra = ungrounded_symbols(sentence, formula, previous=previous)
    if not extra:
        return None
    verb = "is" if len(extra) == 1 else "are"
    return f"the formula says more than its sentence: {', '.join(extra)} {verb} not in its words"
