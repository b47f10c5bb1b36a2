"""Word classes and a rule-based lemmatiser for the controlled-English front end (:mod:`neurologic.cnl`).

The closed classes are English function words; open-class words are never listed (the grammar
knows them by position and morphology). The lemmatiser is suffix rules plus a small table of
irregular forms, with no downloaded data. Every inflection of a word shares one symbol:

* nouns: the singular, capitalised (``mice`` -> ``Mouse``);
* adjectives: the word, capitalised (``well-known`` -> ``WellKnown``);
* verbs: the lemma's -s form, capitalised (``eat``/``eats`` -> ``Eats``, ``have`` -> ``Has``);
* constants: lower-cased words joined by ``_`` (``the bald eagle`` -> ``bald_eagle``).
"""

from __future__ import annotations

import re
from collections.abc import Container

__all__ = [
    "GENERIC_PLURAL",
    "GENERIC_SINGULAR",
    "OUTSIDE_FRAGMENT",
    "constant_name",
    "is_plural_noun_form",
    "is_third_person_form",
    "lemma_candidates",
    "DITRANSITIVE",
    "lemma_noun",
    "lemma_verb",
    "pluralize",
    "predicate_name",
    "third_person",
    "verb_symbol",
    "noun_symbol",
]

# --------------------------------------------------------------------------- closed classes

GENERIC_PLURAL = frozenset({"things", "people", "persons", "ones", "individuals", "entities"})
"""Plural heads that restrict nothing: ``Red things are round`` is ``∀x (Red(x) → Round(x))``."""

GENERIC_SINGULAR = frozenset({"thing", "person", "one", "individual", "entity"})

OUTSIDE_FRAGMENT = frozenset(
    """
    about above across after against along although among amongst around as at because before
    behind below beneath beside besides between beyond but by despite down during except for
    from however in inside into near nor of off on onto out outside over per since than though
    through throughout till to toward towards under underneath unless until unto up upon via
    whereas whether while with within without yet hence thus therefore otherwise else
    can cannot could may might must shall should will would ought
    am was were be been being had did done doing
    he she him her his hers its their theirs them we us our ours you your yours i me my mine
    myself yourself himself herself itself ourselves themselves
    this these those there here what whom whose when where why how
    any both either neither only also just even still already always never sometimes often
    usually rarely seldom very too so such more most less least much many few several
    another other others same whoever whatever whichever none nobody nothing
    one two three four five six seven eight nine ten first second third last lot lots plenty
    hundred thousand million percent
    let lets please yes
    """.split()
)
"""Function words the fragment does not interpret; a sentence containing one is outside it.

``one`` and ``nothing``/``nobody``/``none`` are listed because their quantificational readings
are not in the fragment."""

DITRANSITIVE = frozenset(
    """
    give gives cost costs tell tells show shows send sends offer offers owe owes bring brings
    teach teaches buy buys lend lends pay pays hand hands sell sells promise promises ask asks
    grant grants deny denies award awards charge charges save saves serve serves feed feeds
    """.split()
)
"""Verbs that take two objects ("cost the renter money"): after one, a definite description of
more than one word may be two noun phrases, so the sentence is outside the fragment."""

# --------------------------------------------------------------------------- lemmas

_IRREGULAR_PLURALS = {
    "people": "person",
    "men": "man",
    "women": "woman",
    "children": "child",
    "mice": "mouse",
    "geese": "goose",
    "feet": "foot",
    "teeth": "tooth",
    "oxen": "ox",
    "lice": "louse",
    "wolves": "wolf",
    "leaves": "leaf",
    "knives": "knife",
    "wives": "wife",
    "lives": "life",
    "halves": "half",
    "calves": "calf",
    "loaves": "loaf",
    "thieves": "thief",
    "shelves": "shelf",
    "selves": "self",
    "elves": "elf",
    "scarves": "scarf",
    "hooves": "hoof",
    "data": "datum",
    "media": "medium",
    "bacteria": "bacterium",
    "curricula": "curriculum",
    "criteria": "criterion",
    "phenomena": "phenomenon",
    "cacti": "cactus",
    "fungi": "fungus",
    "nuclei": "nucleus",
    "alumni": "alumnus",
    "stimuli": "stimulus",
    "analyses": "analysis",
    "theses": "thesis",
    "crises": "crisis",
    "diagnoses": "diagnosis",
    "heroes": "hero",
    "potatoes": "potato",
    "tomatoes": "tomato",
    "echoes": "echo",
    "vetoes": "veto",
    "buses": "bus",
    "gases": "gas",
    "quizzes": "quiz",
    "dice": "die",
    "torpedoes": "torpedo",
    "volcanoes": "volcano",
    "mosquitoes": "mosquito",
    "viruses": "virus",
    "bonuses": "bonus",
    "campuses": "campus",
    "circuses": "circus",
    "octopuses": "octopus",
    "walruses": "walrus",
    "censuses": "census",
    "statuses": "status",
    "geniuses": "genius",
    "choruses": "chorus",
    "platypuses": "platypus",
    "hippopotamuses": "hippopotamus",
    "movies": "movie",
    "cookies": "cookie",
    "zombies": "zombie",
    "rookies": "rookie",
    "calories": "calorie",
    "brownies": "brownie",
    "selfies": "selfie",
    "goalies": "goalie",
    "prairies": "prairie",
    "hippies": "hippie",
    "pixies": "pixie",
    "genies": "genie",
    "species": "species",
    "series": "series",
}
_INVARIANT_NOUNS = frozenset(
    "sheep fish deer species series moose swine bison aircraft offspring salmon trout "
    "means news".split()
)
_IRREGULAR_VERBS_3SG = {"have": "has", "be": "is", "do": "does", "go": "goes"}
_IRREGULAR_VERBS_LEMMA = {v: k for k, v in _IRREGULAR_VERBS_3SG.items()}

# Endings where a final "s" is not an inflection (glass, bus, analysis, famous).
_NOT_INFLECTED_S = re.compile(r"(?:ss|us|is|ics)$")
_SIBILANT = re.compile(r"(?:s|x|z|ch|sh)$")
_CONSONANT_Y = re.compile(r"[^aeiou]y$")


def _strip_s(word: str) -> str:
    """The stem of a regular ``-s``/``-es``/``-ies`` form (shared by nouns and verbs)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"  # cities, tries
    if word.endswith("sses") or word.endswith("zzes"):
        return word[:-2]  # kisses, buzzes
    if re.search(r"(?:ch|sh|x)es$", word):
        return word[:-2]  # watches, wishes, boxes
    if word.endswith("s") and not _NOT_INFLECTED_S.search(word) and len(word) > 2:
        return word[:-1]  # eats, chases, horses, visits
    return word


def lemma_noun(word: str, known: Container[str] = ()) -> str:
    """Singular of a noun form (``cats`` -> ``cat``, ``mice`` -> ``mouse``, ``cat`` -> ``cat``).

    Where the suffix rules leave a choice (``shoes``: shoe or sho; ``movies``: movie or movy;
    ``platypuses``: platypuse or platypus) a candidate in ``known`` (singular nouns seen in the
    same text) wins; otherwise the irregular table, then the rules decide."""
    w = word.lower()
    if w in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[w]
    if w in _INVARIANT_NOUNS:
        return w
    for candidate in lemma_candidates(w):
        if candidate in known:
            return candidate
    return _strip_s(w)


def lemma_candidates(word: str) -> list[str]:
    """Every singular a plural-looking word may come from, by suffix alone."""
    w = word.lower()
    out = [_strip_s(w)]
    if w.endswith("ies"):
        out += [w[:-3] + "y", w[:-1]]
    if w.endswith("es"):
        out += [w[:-2], w[:-1]]
    if w.endswith("s"):
        out.append(w[:-1])
    return list(dict.fromkeys(c for c in out if c and c != w))


def lemma_verb(word: str) -> str:
    """Base form of a present-tense verb (``eats`` -> ``eat``, ``has`` -> ``have``)."""
    w = word.lower()
    if w in _IRREGULAR_VERBS_LEMMA:
        return _IRREGULAR_VERBS_LEMMA[w]
    return _strip_s(w)


def third_person(lemma: str) -> str:
    """Third person singular present of a base form (``chase`` -> ``chases``, ``try`` -> ``tries``)."""
    w = lemma.lower()
    if w in _IRREGULAR_VERBS_3SG:
        return _IRREGULAR_VERBS_3SG[w]
    if _CONSONANT_Y.search(w):
        return w[:-1] + "ies"
    if _SIBILANT.search(w) or w.endswith("o"):
        return w + "es"
    return w + "s"


def pluralize(noun: str) -> str:
    """Regular plural of a singular noun (used only to describe symbols, never to parse)."""
    reverse = {v: k for k, v in _IRREGULAR_PLURALS.items()}
    w = noun.lower()
    if w in reverse:
        return reverse[w]
    if w in _INVARIANT_NOUNS:
        return w
    if _CONSONANT_Y.search(w):
        return w[:-1] + "ies"
    if _SIBILANT.search(w):
        return w + "es"
    return w + "s"


def is_third_person_form(word: str) -> bool:
    """Whether ``word`` looks like a third person singular present verb (``eats``, ``has``)."""
    w = word.lower()
    if w in _IRREGULAR_VERBS_LEMMA:
        return True
    return len(w) > 2 and w.endswith("s") and not _NOT_INFLECTED_S.search(w)


def is_plural_noun_form(word: str) -> bool:
    """Whether ``word`` looks like a plural noun (``cats``, ``mice``), by morphology alone."""
    w = word.lower()
    if w in _IRREGULAR_PLURALS:
        return True
    return len(w) > 2 and w.endswith("s") and not _NOT_INFLECTED_S.search(w)


# --------------------------------------------------------------------------- symbols


def predicate_name(*words: str) -> str:
    """A predicate symbol in UpperCamelCase from words (``well-known`` -> ``WellKnown``)."""
    parts = [p for w in words for p in re.split(r"[-_]", w) if p]
    return "".join(p[:1].upper() + p[1:].lower() for p in parts)


def noun_symbol(*words: str, known: Container[str] = ()) -> str:
    """Predicate for a (possibly compound) noun: the head is lemmatised (``tennis players`` ->
    ``TennisPlayer``); ``known`` as in :func:`lemma_noun`."""
    *mods, head = words
    return predicate_name(*mods, lemma_noun(head, known))


def verb_symbol(word: str, *, base: bool) -> str:
    """Predicate for a verb, shared by its base and -s forms (``eat``/``eats`` -> ``Eats``).

    ``base`` says which form the syntax put there (after ``they``/``do not``: the base form), so
    the -s form is used as it stands and only base forms are inflected."""
    return predicate_name(third_person(word) if base else word.lower())


def constant_name(*words: str) -> str:
    """A constant from a name or definite description (``Bald Eagle`` -> ``bald_eagle``)."""
    return "_".join(p.lower() for w in words for p in re.split(r"[-_]", w) if p)
