"""Which symbols a sentence's words license.

Here are the symbol table cut to what the problem mentions, the individuals the text names, the
constants one line may use, and what a formula's words rule out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from solvers import ParseError
from solvers import parse
from solvers.check import signature

from ..language.licensing import PRONOUNS
from ..language.licensing import SentenceWords
from ..language.licensing import grounding_problem
from ..language.licensing import symbol_words
from ..language.names import common_nouns
from ..language.names import compact_name
from ..language.names import is_named
from ..language.names import named_spans
from ..language.names import proper_names
from ..language.names import text_names
from ..language.quantifiers import quantifier_problem
from ..symbols import SymbolTable

__all__ = [
    "WordsFinding",
    "added_notes",
    "grounded_line_symbols",
    "line_symbols",
    "relevant_symbols",
    "with_constants",
    "with_text_names",
    "words_check",
    "words_problem",
]


def relevant_symbols(table: SymbolTable, sentences: Sequence[str]) -> tuple[SymbolTable, list[str]]:
    """Drop symbols the problem's words do not mention (copied from an example, invented).

    A constant is kept when the text names it: in a run of capitalised words or numbers, or after
    "the". A predicate is kept when at least half its CamelCase content words (or their first
    five letters) appear. A name declared both ways is a constant when the text uses it as a
    proper name (never in lower case, plural or after an article), else a predicate.
    """
    table = SymbolTable(dict(table.predicates), dict(table.constants))
    proper = proper_names(sentences) | _multiword_name_predicates(table, sentences)
    text = " ".join(sentences).lower()
    compact = compact_name(text)
    kept = SymbolTable()
    notes: list[str] = []
    for name in list(table.predicates):
        if name in proper:
            del table.predicates[name]
            table.constants.setdefault(name.lower(), "")
            notes.append(f"{name} is a name, not a property: use the constant {name.lower()}")
        elif name.lower() in table.constants:
            del table.constants[name.lower()]
            notes.append(f"{name.lower()} is a property, not an individual: use {name}(x)")
    kinds = common_nouns(sentences)
    for name in list(table.constants):
        if name in kinds:
            del table.constants[name]
            predicate = name.capitalize()
            if predicate not in table.predicates:
                table.predicates[predicate] = (1, f"x is a {name}")
            notes.append(f"{name} is a kind, not an individual: use {predicate}(x)")
    names = named_spans(sentences)
    for name, gloss in table.constants.items():
        if name.replace("_", "") not in compact:
            notes.append(f"constant {name} is not named in the problem; dropped")
        elif not is_named(name, names):
            notes.append(f"{name} is not a name in the problem (a kind is a predicate); dropped")
        else:
            kept.constants[name] = gloss
    for name, entry in table.predicates.items():
        words = symbol_words(name)
        found = sum(1 for w in words if w in text or (len(w) > 5 and w[:5] in text))
        if words and 2 * found >= len(words):
            kept.predicates[name] = entry
        else:
            notes.append(f"predicate {name} does not match any word of the problem; dropped")
    return kept, notes


def _multiword_name_predicates(table: SymbolTable, sentences: Sequence[str]) -> set[str]:
    """The one-place predicates named exactly after a name of two or more words in the text
    (``BlackMirror(x)`` for "Black Mirror", ``JuanDeOnate(x)``): individuals declared as
    properties. FOLIO *train*'s gold FOL uses such names as constants 250 times and as
    predicates 39 times."""
    names = {constant for constant, text in text_names(sentences).items() if len(text.split()) > 1}
    return {
        name
        for name, (arity, _) in table.predicates.items()
        if arity == 1 and compact_name(name) in names
    }


_RESERVED = frozenset({"all", "forall", "exists"})
"""Words our formula syntax reads as quantifiers: never a constant."""


def with_text_names(table: SymbolTable, sentences: Sequence[str]) -> tuple[SymbolTable, list[str]]:
    """``table`` with a constant for each individual the text names (:func:`names.text_names`)
    that none of its constants covers ("lewandowski" covers "Robert Lewandowski") and no predicate
    is named after (nor after its singular); and the constants added. A small model often
    leaves the story's protagonist out of its table, and a formula can then only quantify where
    the sentence names someone."""
    covered = {compact_name(c) for c in table.constants}
    predicates = {compact_name(p) for p in table.predicates}
    added = [
        constant
        for constant in text_names(sentences)
        if not _names_a_predicate(constant, predicates)
        and constant not in _RESERVED
        and not is_named(constant, covered)
    ]
    if not added:
        return table, []
    return SymbolTable(
        dict(table.predicates), {**table.constants, **dict.fromkeys(added, "")}
    ), added


def _names_a_predicate(constant: str, predicates: set[str]) -> bool:
    """Whether a predicate is named after ``constant`` or its singular ("Vacuums suck" beside
    ``Vacuum(x)``: a kind that opens its sentence, not an individual)."""
    return constant in predicates or any(
        constant.endswith(ending) and constant[: -len(ending)] in predicates
        for ending in ("s", "es")
    )


def added_notes(constants: Sequence[str]) -> list[str]:
    """The trace notes for constants added because the text names them."""
    return [f"{name} is named in the text: constant added" for name in constants]


def with_constants(answer: str, constants: Sequence[str]) -> str:
    """A declaration answer with ``constants`` appended to its ``Constants:`` line (one is
    written if it has none), so the conversation shows the table in force."""
    if not constants:
        return answer
    extra = ", ".join(constants)
    lines = answer.splitlines()
    for index, line in enumerate(lines):
        head, _, listed = line.partition(":")
        if head.strip().lower() == "constants":
            listed = listed.strip()
            lines[index] = f"{head}: " + (
                extra if listed.lower() in ("", "none") else f"{listed}, {extra}"
            )
            return "\n".join(lines)
    return "\n".join([*lines, f"Constants: {extra}"])


def line_symbols(table: SymbolTable, sentence: str, previous: str | None = None) -> SymbolTable:
    """The table a sentence's formula may use: every predicate, and only the constants the
    sentence mentions (or, when it has a pronoun, the previous sentence does). A sentence that
    names no individual must then quantify: its grammar offers no constant to stand in for a kind.
    """
    text = sentence + (" " + previous if previous and PRONOUNS.search(sentence) else "")
    compact = compact_name(text)
    constants = {
        name: gloss for name, gloss in table.constants.items() if compact_name(name) in compact
    }
    return SymbolTable(dict(table.predicates), constants)


def grounded_line_symbols(
    table: SymbolTable, sentence: str, previous: str | None = None
) -> SymbolTable:
    """:func:`line_symbols` with only the predicates the sentence's words license (with a
    pronoun, the previous sentence's too: :class:`~neurologic.language.licensing.SentenceWords`);
    every predicate when the words license none, so a formula can still be written."""
    symbols = line_symbols(table, sentence, previous)
    words = SentenceWords.of(sentence, previous)
    licensed = {
        name: entry for name, entry in symbols.predicates.items() if words.licenses_predicate(name)
    }
    return SymbolTable(licensed or symbols.predicates, symbols.constants)


_QUANTIFIER_WORDS = frozenset(
    "all every each any some no none nobody nothing everyone everything everybody someone "
    "something somebody anyone anything anybody who whom whose which that whoever whatever "
    "whenever there other others same only never always people many most few several".split()
)
_CLAUSE_OPENERS = frozenset({"", "if", "when", "whenever"})


def _quantifies(sentence: str) -> bool:
    """Whether a word of ``sentence`` can make it quantify: one of :data:`_QUANTIFIER_WORDS`
    ("Rina likes all dogs"), or "a"/"an" opening it or an "if"/"when" clause ("If a dog barks");
    not "a" after a verb ("Rex is a dog"). Without one, FOLIO train's gold FOL names an
    individual in 86% of the sentences that name one."""
    words = re.findall(r"[a-z]+", sentence.lower())
    return bool(set(words) & _QUANTIFIER_WORDS) or any(
        word in ("a", "an") and (words[i - 1] if i else "") in _CLAUSE_OPENERS
        for i, word in enumerate(words)
    )


def words_problem(table: SymbolTable, sentence: str, formula: str) -> str | None:
    """Why ``formula`` cannot be ``sentence``'s translation, read from the words alone.

    * The sentence names an individual of ``table`` and no word quantifies ("Rock is cute and
      still"), but the formula mentions no individual.
    * Its quantifiers do not fit the words (:func:`quantifiers.quantifier_problem`).

    ``None`` when nothing is wrong or the formula does not parse (the solver's check says so).
    """
    try:
        tree = parse(formula, repair=True).formula
    except ParseError:
        return None
    named = line_symbols(table, sentence).constants
    if named and not _quantifies(sentence) and not signature([tree]).constants:
        return (
            f"the sentence is about {', '.join(sorted(named))}, but the formula names no individual"
        )
    return quantifier_problem(sentence, tree)


class WordsFinding(NamedTuple):
    """What a sentence's words say against a formula, and which check said it."""

    check: str  # "words" (:func:`words_problem`) or "grounding" (it says more than its sentence)
    problem: str


def words_check(
    table: SymbolTable,
    sentence: str,
    formula: str,
    *,
    previous: str | None = None,
    grounding: bool = False,
) -> WordsFinding | None:
    """:func:`words_problem`, then, with ``grounding``, whether the formula says more than its
    sentence (read after ``previous`` when it has a pronoun:
    :func:`~neurologic.language.licensing.grounding_problem`); ``None`` when neither finds
    anything. The one words check a written line and a reading of the conclusion both pass."""
    problem = words_problem(table, sentence, formula)
    if problem is not None:
        return WordsFinding("words", problem)
    if grounding:
        problem = grounding_problem(sentence, formula, previous=previous)
        if problem is not None:
            return WordsFinding("grounding", problem)
    return None
