"""Logic-of-Thought-style context augmentation (Liu et al. 2024), with no model call.

*Extraction* reads each sentence's conditionals into ``A → B`` by fixed English patterns ("if A
then B", "B if A", "A only if B", "unless A, B", "whenever A, B", "all X are Y", "no X is Y", and
variants). *Extension* adds contrapositives and one step of transitivity (when B is written the
same way twice). *Translation* renders the new conditionals as sentences. A passage with no
conditional in these patterns is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..language.sentences import split_sentences

MAX_DERIVED = 6
HEADING = "What follows from the passage by logic alone:"

_CLAUSE = re.compile(r"(?<=;)\s*|\n+")  # sentences are split by sentences.split_sentences first
_ONLY_IF_FRONT = re.compile(r"^only (?:if|when) (?P<b>.+?), (?P<a>.+)$", re.I)
_IF_FRONT = re.compile(r"^(?:if|whenever|as long as) (?P<a>.+?), (?:then )?(?P<b>.+)$", re.I)
_UNLESS_FRONT = re.compile(r"^unless (?P<a>.+?), (?P<b>.+)$", re.I)
_ONLY_IF_BACK = re.compile(r"^(?P<a>.+?),? only (?:if|when) (?P<b>.+)$", re.I)
_UNLESS_BACK = re.compile(r"^(?P<b>.+?),? unless (?P<a>.+)$", re.I)
_IF_BACK = re.compile(r"^(?P<b>.+?),? (?:if|whenever) (?P<a>.+)$", re.I)
_ALL = re.compile(r"^(?:all|every|each|any) (?P<x>[\w\s-]+?) (?:is|are) (?P<y>[\w\s-]+)$", re.I)
_NO = re.compile(r"^no (?P<x>[\w\s-]+?) (?:is|are) (?P<y>[\w\s-]+)$", re.I)


@dataclass(frozen=True)
class Proposition:
    """A clause of the passage, possibly negated ("it is not the case that …")."""

    text: str
    negated: bool = False

    def negation(self) -> Proposition:
        return Proposition(self.text, not self.negated)

    def key(self) -> tuple[str, bool]:
        return (_normalise(self.text), self.negated)

    def words(self) -> str:
        return f"it is not the case that {self.text}" if self.negated else self.text


@dataclass(frozen=True)
class Conditional:
    """``antecedent → consequent`` over propositions, or over kinds (``all X are Y``)."""

    antecedent: Proposition
    consequent: Proposition
    kinds: bool = False  # "all X are Y": antecedent X, consequent Y are kinds of things

    def contrapositive(self) -> Conditional:
        return Conditional(self.consequent.negation(), self.antecedent.negation(), self.kinds)

    def words(self) -> str:
        if self.kinds:
            return f"Whatever is {_kind(self.antecedent)} is {_kind(self.consequent)}."
        return _capitalise(f"if {self.antecedent.words()}, then {self.consequent.words()}.")


def extract(text: str) -> list[Conditional]:
    """The conditionals the passage states in the patterns this module reads."""
    found: list[Conditional] = []
    for sentence in split_sentences(text):
        for part in _CLAUSE.split(sentence):
            clause = part.strip().strip("\"'“”").rstrip(".!?;").strip()
            conditional = _read(clause) if clause else None
            if conditional is not None:
                found.append(conditional)
    return found


def derive(stated: Sequence[Conditional], limit: int = MAX_DERIVED) -> list[Conditional]:
    """New conditionals: contrapositives of the stated ones, then one-step chains (over the
    stated conditionals and their contrapositives) — none already stated, at most ``limit``."""
    known = {_signature(c) for c in stated}
    derived: list[Conditional] = []

    def add(conditional: Conditional) -> None:
        signature = _signature(conditional)
        if signature not in known and len(derived) < limit:
            known.add(signature)
            derived.append(conditional)

    for conditional in stated:
        add(conditional.contrapositive())
    pool = list(stated) + [c.contrapositive() for c in stated]
    for first in pool:
        for second in pool:
            if (
                first is not second
                and first.kinds == second.kinds
                and (first.consequent.key() == second.antecedent.key())
                and first.antecedent.key() != second.consequent.key()
            ):
                add(Conditional(first.antecedent, second.consequent, first.kinds))
    return derived


def augmentation(context: str, limit: int = MAX_DERIVED) -> str:
    """What follows from ``context``'s conditionals by logic, in words: :data:`HEADING`, then one
    line per derived conditional; empty when nothing is derived."""
    derived = derive(extract(context), limit)
    if not derived:
        return ""
    return "\n".join([HEADING, *(f"- {c.words()}" for c in derived)])


def with_augmentation(context: str, added: str) -> str:
    """``context`` followed by an :func:`augmentation` block (unchanged when ``added`` is empty)."""
    return f"{context.rstrip()}\n\n{added}" if added else context


def augment(context: str, limit: int = MAX_DERIVED) -> str:
    """``context`` followed by what follows from its conditionals by logic, in words (the
    context unchanged when nothing is derived)."""
    return with_augmentation(context, augmentation(context, limit))


# ---------------------------------------------------------------------------- helpers


def _read(clause: str) -> Conditional | None:
    for pattern, negate_a in (
        (_ONLY_IF_FRONT, False),
        (_IF_FRONT, False),
        (_UNLESS_FRONT, True),
        (_ONLY_IF_BACK, False),
        (_UNLESS_BACK, True),
        (_IF_BACK, False),
    ):
        match = pattern.match(clause)
        if match and _plausible(match["a"]) and _plausible(match["b"]):
            a = Proposition(_uncapitalise(match["a"].strip()), negated=negate_a)
            return Conditional(a, Proposition(_uncapitalise(match["b"].strip())))
    for pattern, negated in ((_ALL, False), (_NO, True)):
        match = pattern.match(clause)
        if match and _plausible(match["x"], 1) and _plausible(match["y"], 1):
            x, y = Proposition(match["x"].strip()), Proposition(match["y"].strip(), negated)
            return Conditional(x, y, kinds=True)
    return None


def _plausible(part: str, min_words: int = 2) -> bool:
    """A clause worth restating: some words, and no further conditional inside it."""
    words = part.split()
    return min_words <= len(words) <= 30 and not re.search(r"\b(if|unless)\b", part, re.I)


def _kind(p: Proposition) -> str:
    return f"not {p.text}" if p.negated else p.text


def _signature(c: Conditional) -> tuple[tuple[str, bool], tuple[str, bool], bool]:
    return (c.antecedent.key(), c.consequent.key(), c.kinds)


def _normalise(text: str) -> str:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return " ".join(w for w in words if w not in ("the", "a", "an"))


_SENTENCE_OPENERS = frozenset(
    "the a an this that these those it its he she they we you there his her their our some "
    "many most every each any all".split()
)


def _uncapitalise(text: str) -> str:
    """A clause that opened its sentence, with an ordinary first word lower-cased (names stay)."""
    first, _, rest = text.partition(" ")
    if first.lower() in _SENTENCE_OPENERS:
        return f"{first.lower()} {rest}".rstrip()
    return text


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
