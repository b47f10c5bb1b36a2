"""The intermediate form between the parse tree and the formula: noun and verb phrases, clauses."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Clause", "Cond", "NP", "Nominal", "Quant", "VP", "VPs"]

Nominal = tuple[tuple[str, ...], str, bool]
"""``(modifiers, head, comma_separated)``; a generic head (``things``) is written ``*things``."""


@dataclass(frozen=True)
class NP:
    """A noun phrase: a constant, an indefinite (``someone``, ``a cat``) or a pronoun."""

    kind: str  # const | indef | pron | a | someone
    name: str = ""  # constant name / pronoun word
    nominal: Nominal | None = None


@dataclass(frozen=True)
class VP:
    """A verb phrase: copula + adjectives, copula + noun, or a transitive verb + object."""

    kind: str  # adj | noun | tv
    cop: str = ""  # is / are; for tv: "sg" (-s form) or "base"
    neg: bool = False
    items: tuple[tuple[bool, str], ...] = ()  # adjectives: (negated, word)
    conn: str = "and"
    nominal: Nominal | None = None
    verb: str = ""
    obj: NP | None = None
    aux: str = ""  # does / do, for a negated verb


@dataclass(frozen=True)
class VPs:
    """Verb phrases joined by one connective."""

    conn: str  # and | or
    vps: tuple[VP, ...]


@dataclass(frozen=True)
class Clause:
    """A subject with its verb phrases."""

    subject: NP
    vps: VPs


@dataclass(frozen=True)
class Cond:
    """Clauses joined by one connective (a condition or a consequent)."""

    conn: str
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class Quant:
    """A quantified subject: determiner, noun, relative clause, number."""

    det: str  # all | every | each | no | some | everyone... | bare
    nominal: Nominal | None
    relcl: VPs | None
    plural: bool
